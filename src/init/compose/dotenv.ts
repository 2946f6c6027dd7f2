/**
 * `.env` and `env_file` files as compose reads them: `KEY=value` lines (optionally `export KEY=…`),
 * `#` comments, unquoted values trimmed and cut at ` #`, single quotes literal, double quotes
 * with escapes and line breaks, `${VAR}` interpolation in unquoted and double-quoted values
 * (from variables defined earlier in the file, then the environment), and a bare `KEY` that takes
 * its value from the environment.
 */
import { type Env, type InterpolationIssue, interpolate } from './interpolate.js';

export interface DotenvEntry {
  name: string;
  /** undefined: a bare `KEY` with no value in the environment. */
  value: string | undefined;
  /** 1-based line of the definition. */
  line: number;
}

export interface DotenvProblem {
  line: number;
  message: string;
  kind: 'syntax' | InterpolationIssue['kind'];
}

export interface Dotenv {
  entries: DotenvEntry[];
  problems: DotenvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(text: string, env: Env = {}): Dotenv {
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  const defined: Record<string, string> = {};
  const lookup: Env = new Proxy(
    {},
    {
      get: (_t, name: string) => (name in defined ? defined[name] : env[name]),
    },
  );
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      if (KEY.test(body)) {
        entries.push({ name: body, value: env[body], line: lineNo });
        continue;
      }
      problems.push({ line: lineNo, kind: 'syntax', message: `"${trimmed}" is not KEY=value` });
      continue;
    }
    const name = body.slice(0, eq).trim();
    if (!KEY.test(name)) {
      problems.push({ line: lineNo, kind: 'syntax', message: `"${name}" is not a valid variable name` });
      continue;
    }
    let rest = body.slice(eq + 1).replace(/^[ \t]+/, '');
    let value: string;
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // The value may span lines until the matching quote.
      let text = rest.slice(1);
      let end = findClosingQuote(text, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        text += `\n${lines[i]}`;
        end = findClosingQuote(text, quote);
      }
      if (end < 0) {
        problems.push({
          line: lineNo,
          kind: 'syntax',
          message: `the ${quote} quote opened here is never closed`,
        });
        continue;
      }
      const inner = text.slice(0, end);
      if (quote === "'") value = inner;
      else {
        const unescaped = inner.replace(/\\([\\"nrt$])/g, (_m, ch: string) =>
          ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch === 't' ? '\t' : ch === '$' ? '$$' : ch,
        );
        value = expandWith(unescaped, lookup, lineNo, problems);
      }
    } else {
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      value = expandWith(rest.trim(), lookup, lineNo, problems);
    }
    defined[name] = value;
    entries.push({ name, value, line: lineNo });
  }
  return { entries, problems };
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}

function expandWith(text: string, env: Env, line: number, problems: DotenvProblem[]): string {
  const r = interpolate(text, env);
  for (const issue of r.issues) {
    // An unset variable inside a .env value is common and harmless (compose stays silent too).
    if (issue.kind !== 'unset') problems.push({ line, kind: issue.kind, message: issue.message });
  }
  return r.value;
}

/** The entries as a map, later definitions winning. */
export function dotenvMap(d: Dotenv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of d.entries) if (e.value !== undefined) out[e.name] = e.value;
  return out;
}
