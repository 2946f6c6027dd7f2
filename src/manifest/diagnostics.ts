/**
 * Diagnostics: every problem stackplan finds in a manifest, with where it is, what was expected,
 * what was found and what to do. Validation collects all of them before anyone prints.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable short code, e.g. `type`, `unknown-key`, `route-on-worker`. */
  code: string;
  /** Manifest path such as `services.api.port` (empty for the whole file). */
  path: string;
  /** One sentence: what is wrong. */
  message: string;
  expected?: string;
  found?: string;
  /** What to do about it. */
  fix: string;
  file: string;
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A short, human description of a value found in the manifest. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') {
    const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    // Control characters, line breaks and lone surrogates are shown escaped, never sent to the terminal.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    return /[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]/.test(short) ? JSON.stringify(short) : `"${short}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return typeof value;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  const head = `${where}: ${d.severity} [${d.code}] ${d.path ? `${d.path}: ` : ''}${d.message}`;
  const lines = [head];
  if (d.expected !== undefined || d.found !== undefined) {
    lines.push(`    expected ${d.expected ?? '?'}, found ${d.found ?? '?'}`);
  }
  lines.push(`    fix: ${d.fix}`);
  return lines.join('\n');
}

export function formatDiagnostics(diags: readonly Diagnostic[]): string {
  const sorted = sortDiagnostics(diags);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  const body = sorted.map(formatDiagnostic).join('\n');
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return body ? `${body}\n${summary}` : summary;
}

export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.path.localeCompare(b.path) ||
      a.code.localeCompare(b.code),
  );
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance that scales with the word, or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const score =
      cl === lower ? 0 : cl.startsWith(lower) || lower.startsWith(cl) ? 1 : editDistance(lower, cl);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestScore <= limit ? best : undefined;
}
