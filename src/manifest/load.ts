/**
 * Loading a manifest: file → YAML document (with positions) → schema → normalized manifest →
 * cross-field rules. Every problem becomes a Diagnostic pointing at file:line:column; nothing
 * here throws for bad input.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  type Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { z } from 'zod';
import {
  type Diagnostic,
  describeValue,
  didYouMean,
  formatPath,
  hasErrors,
  type PathSegment,
  sortDiagnostics,
} from './diagnostics.js';
import { type Manifest, normalize } from './normalize.js';
import { pathFindings } from './paths.js';
import { type Rule, runRules } from './rules.js';
import { ManifestSchema } from './schema.js';

export const MANIFEST_FILENAME = 'stackplan.yaml';

export type LoadResult =
  | { ok: true; manifest: Manifest; file: string; dir: string; diagnostics: Diagnostic[] }
  | { ok: false; file: string; diagnostics: Diagnostic[] };

/** Example values used in fix suggestions, by field name. */
const EXAMPLES: Record<string, string> = {
  name: 'my-app',
  region: 'us-east-1',
  domain: 'example.com',
  alarmEmail: 'ops@example.com',
  port: '8080',
  image: 'ghcr.io/acme/api:1.4.2',
  build: './api',
  kind: 'api',
  route: '/api/',
  health: '/health',
  cpu: '0.5',
  memory: '512',
  rpoHours: '24',
  retentionDays: '14',
  version: '"16"',
  storageGb: '20',
  adminCidr: '203.0.113.7/32',
  sender: 'noreply@example.com',
  id: 'Z0123456789ABCDEFGHIJ',
  repository: 'acme/shop',
  requestsPerMonth: '1000000',
  gbOutPerMonth: '10',
  replicas: '{min: 1, max: 3}',
  tier: 'lean',
  availability: 'single-instance',
  services: '{api: {kind: api, image: ghcr.io/acme/api:1.4.2, port: 8080}}',
};

interface Located {
  line?: number;
  column?: number;
}

/** Finds the YAML node for a manifest path; for keys that do not exist, the closest parent. */
function locate(root: Node | null, lc: LineCounter, p: readonly PathSegment[], preferKey = false): Located {
  let node: unknown = root;
  let best: [number, number] | undefined;
  const at = (n: unknown) => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    if (range) best = [range[0], range[1]];
  };
  at(node);
  for (const [i, seg] of p.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg),
      );
      if (!pair) break;
      const last = i === p.length - 1;
      at(pair.key);
      if (last && preferKey) break;
      node = pair.value;
      if (node) at(node);
      else break;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      at(node);
    } else break;
  }
  if (!best) return {};
  const pos = lc.linePos(best[0]);
  return { line: pos.line, column: pos.col };
}

function valueAt(data: unknown, p: readonly PathSegment[]): unknown {
  let v: unknown = data;
  for (const seg of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

type AnySchema = z.core.$ZodType;

/** The object schema reached by following a path through wrappers, records and arrays. */
function objectKeysAt(schema: AnySchema, p: readonly PathSegment[]): string[] | undefined {
  const unwrap = (s: AnySchema): AnySchema[] => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'nullable':
      case 'readonly':
      case 'prefault':
        return unwrap(def.innerType as AnySchema);
      case 'pipe':
        return unwrap(def.in as AnySchema);
      case 'union':
        return (def.options as AnySchema[]).flatMap(unwrap);
      default:
        return [s];
    }
  };
  let current: AnySchema[] = unwrap(schema);
  for (const seg of p) {
    const next: AnySchema[] = [];
    for (const s of current) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object') {
        const child = (def.shape as Record<string, AnySchema>)[String(seg)];
        if (child) next.push(...unwrap(child));
      } else if (def.type === 'record') next.push(...unwrap(def.valueType as AnySchema));
      else if (def.type === 'array') next.push(...unwrap(def.element as AnySchema));
    }
    current = next;
  }
  for (const s of current) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') return Object.keys(def.shape as object);
  }
  return undefined;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
};

type Issue = z.core.$ZodIssue;

/** Resolves unions to the branch the user evidently meant; returns issues with absolute paths. */
function flattenIssues(issues: readonly Issue[], prefix: PathSegment[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const p = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const meaningful = issue.errors.filter(
        (branch) =>
          !(branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0),
      );
      if (meaningful.length > 0) {
        const best = [...meaningful].sort((a, b) => a.length - b.length)[0]!;
        out.push(...flattenIssues(best, p));
      } else {
        const expected = issue.errors
          .map((b) =>
            b[0]?.code === 'invalid_type' ? (TYPE_WORDS[b[0].expected] ?? b[0].expected) : 'a value',
          )
          .filter((v, i, a) => a.indexOf(v) === i);
        out.push({
          code: 'invalid_type',
          expected: expected.join(' or ') as never,
          path: p,
          message: 'wrong type',
          input: issue.input,
        } as Issue);
      }
    } else {
      out.push({ ...issue, path: p } as Issue);
    }
  }
  return out;
}

function exampleFor(p: readonly PathSegment[]): string | undefined {
  const leaf = [...p].reverse().find((s) => typeof s === 'string') as string | undefined;
  return leaf ? EXAMPLES[leaf] : undefined;
}

function issueToDiagnostics(issue: Issue, data: unknown, file: string, doc: Ctx): Diagnostic[] {
  const p = issue.path as PathSegment[];
  const where = formatPath(p);
  const value = valueAt(data, p);
  const example = exampleFor(p);
  const base = { severity: 'error' as const, file, path: where };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(ManifestSchema, p) ?? [];
      return issue.keys.map((key) => {
        const kp = [...p, key];
        const suggestion = didYouMean(key, known);
        return {
          ...base,
          code: 'unknown-key',
          path: formatPath(kp),
          message: suggestion
            ? `unknown key ${describeValue(key)} (did you mean "${suggestion}"?)`
            : `unknown key ${describeValue(key)}`,
          fix: suggestion
            ? `rename ${describeValue(key)} to "${suggestion}"`
            : `remove ${describeValue(key)}; the keys allowed here are: ${known.join(', ')}`,
          ...locate(doc.root, doc.lc, kp, true),
        };
      });
    }
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? String(issue.expected);
      if (value === undefined) {
        const parent = formatPath(p.slice(0, -1));
        return [
          {
            ...base,
            code: 'required',
            message: 'is required',
            expected,
            found: 'nothing',
            fix: `add "${String(p[p.length - 1])}: ${example ?? '…'}"${parent ? ` under ${parent}` : ' at the top level'}`,
            ...locate(doc.root, doc.lc, p),
          },
        ];
      }
      if (typeof value === 'number' && !Number.isFinite(value)) {
        return [
          {
            ...base,
            code: 'range',
            message: 'is out of range',
            expected: 'a finite number',
            found: describeValue(value),
            fix: `set ${where} to a realistic value${example ? ` such as ${example}` : ''}`,
            ...locate(doc.root, doc.lc, p),
          },
        ];
      }
      return [
        {
          ...base,
          code: 'type',
          message: `must be ${expected}`,
          expected,
          found: describeValue(value),
          fix: example ? `set ${where} to ${expected} such as ${example}` : `set ${where} to ${expected}`,
          ...locate(doc.root, doc.lc, p),
        },
      ];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v));
      const suggestion = typeof value === 'string' ? didYouMean(value, options) : undefined;
      return [
        {
          ...base,
          code: 'value',
          message: suggestion ? `unknown value (did you mean "${suggestion}"?)` : 'unknown value',
          expected: `one of ${options.join(', ')}`,
          found: describeValue(value),
          fix: suggestion
            ? `set ${where} to "${suggestion}"`
            : `set ${where} to one of: ${options.join(', ')}`,
          ...locate(doc.root, doc.lc, p),
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op =
        issue.code === 'too_small'
          ? issue.inclusive
            ? 'at least'
            : 'more than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
      const unit =
        issue.origin === 'string'
          ? ' characters'
          : issue.origin === 'array' || issue.origin === 'set'
            ? ' items'
            : '';
      return [
        {
          ...base,
          code: 'range',
          message: `is out of range`,
          expected: `${op} ${String(bound)}${unit}`,
          found: describeValue(value),
          fix: `set ${where} to ${op} ${String(bound)}${unit}`,
          ...locate(doc.root, doc.lc, p),
        },
      ];
    }
    case 'invalid_format': {
      const expected = issue.format === 'email' ? 'an email address such as ops@example.com' : issue.message;
      return [
        {
          ...base,
          code: 'format',
          message: 'is not in the expected format',
          expected,
          found: describeValue(value),
          fix: example ? `set ${where} to a value like ${example}` : `set ${where} to ${expected}`,
          ...locate(doc.root, doc.lc, p),
        },
      ];
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const expected = inner?.message ?? 'a valid key';
      return [
        {
          ...base,
          code: 'key',
          message: `${describeValue(String(p[p.length - 1]))} is not a valid name here`,
          expected,
          found: describeValue(String(p[p.length - 1])),
          fix: `rename ${describeValue(String(p[p.length - 1]))} to ${expected}`,
          ...locate(doc.root, doc.lc, p, true),
        },
      ];
    }
    default:
      return [
        {
          ...base,
          code: 'invalid',
          message: issue.message,
          expected:
            (issue.code === 'custom' && (issue.params as { expected?: string } | undefined)?.expected) ||
            issue.message,
          found: describeValue(value),
          fix: example
            ? `set ${where} to a value like ${example}`
            : issue.code === 'custom' && where
              ? `set ${where} to ${(issue.params as { expected?: string } | undefined)?.expected ?? 'a valid value'}`
              : `correct ${where || 'the manifest'}`,
          ...locate(doc.root, doc.lc, p),
        },
      ];
  }
}

interface Ctx {
  root: Node | null;
  lc: LineCounter;
}

function fileDiagnostic(file: string, code: string, message: string, fix: string): Diagnostic {
  return { severity: 'error', code, path: '', message, fix, file };
}

/** Resolves FILE (or a directory holding stackplan.yaml) and reads it, or explains why not. */
function readManifestText(input: string): { file: string; text: string } | Diagnostic {
  let file = input;
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(file);
  } catch {
    return fileDiagnostic(
      file,
      'file',
      'no such file',
      `check the path, or create one from an example: cp examples/cloud-consulting/${MANIFEST_FILENAME} ${file}`,
    );
  }
  if (st.isDirectory()) {
    const inner = path.join(file, MANIFEST_FILENAME);
    try {
      if (!statSync(inner).isFile()) throw new Error('not a file');
    } catch {
      return fileDiagnostic(
        file,
        'file',
        `is a directory without a ${MANIFEST_FILENAME}`,
        `pass the manifest file itself, or add ${inner}`,
      );
    }
    file = inner;
  }
  try {
    const text = readFileSync(file, 'utf8');
    return { file, text };
  } catch (e) {
    return fileDiagnostic(
      file,
      'file',
      `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the file permissions',
    );
  }
}

/** Deepest nesting a manifest may use; the schema itself needs 6 (services.api.rehearse.command). */
export const MAX_DEPTH = 32;
/** Alias expansions a document may make (the yaml package's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;
/** A badly broken file yields one error per line; the first few say what to fix. */
const MAX_YAML_ERRORS = 20;

function positionOf(node: unknown, lc: LineCounter): { line?: number; column?: number } {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return {};
  const pos = lc.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function firstAliasAt(doc: Document, lc: LineCounter): { line?: number; column?: number } {
  let at: { line?: number; column?: number } = {};
  visit(doc, {
    Alias(_key, node) {
      at = positionOf(node, lc);
      return visit.BREAK;
    },
  });
  return at;
}

/**
 * Problems the YAML parser accepts but a manifest cannot have: nesting deeper than any manifest
 * field, an alias to an anchor that is not defined before it (YAML resolves aliases backwards
 * only). Walks the tree without recursion, so no input can exhaust the stack here. Aliases that
 * expand into a huge document (an "alias bomb") are caught by toJS's own count.
 */
function structureDiagnostics(doc: Document, lc: LineCounter, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  let deepest: { node: unknown; depth: number } | undefined;
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) {
      deepest = { node, depth };
      break;
    }
    if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  if (deepest) {
    out.push({
      ...fileDiagnostic(
        file,
        'nesting',
        `the YAML is nested too deeply (more than ${MAX_DEPTH} levels; a manifest needs at most 6)`,
        'remove the deeply nested value: no manifest field holds mappings or lists this deep',
      ),
      ...positionOf(deepest.node, lc),
    });
    return out;
  }
  const anchors = new Set<string>();
  visit(doc, {
    Node(_key, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Alias(_key, node) {
      if (anchors.has(node.source)) return;
      out.push({
        ...fileDiagnostic(
          file,
          'alias',
          `the alias *${node.source} refers to no anchor defined before it`,
          `define "&${node.source}" on a value above this line, or write the value here instead of *${node.source}`,
        ),
        ...positionOf(node, lc),
      });
    },
  });
  return out;
}

/** Parses and validates manifest text. `file` is only used to label diagnostics. */
export interface LoadOptions {
  /** Cross-field rules beyond the manifest's own: those only the tiers can judge (src/plan/load.ts). */
  rules?: readonly Rule[];
}

export function parseManifest(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const yamlErrors: Diagnostic[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? (e.pos ? lc.linePos(e.pos[0]) : undefined);
    const first = e.message.split('\n')[0] ?? e.message;
    const tooDeep = e.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(first);
    return {
      severity: 'error' as const,
      code: tooDeep ? 'nesting' : 'yaml',
      path: '',
      message: tooDeep
        ? `the YAML is nested too deeply (more than ${MAX_DEPTH} levels; a manifest needs at most 6)`
        : `YAML syntax: ${first.replace(/ at line \d+, column \d+:?$/, '')}`,
      fix: tooDeep
        ? 'remove the deeply nested value: no manifest field holds mappings or lists this deep'
        : e.code === 'DUPLICATE_KEY'
          ? 'remove or rename the repeated key'
          : 'fix the YAML at this line (check indentation, quotes and colons)',
      file,
      ...(pos && { line: pos.line, column: pos.col }),
    };
  });
  if (yamlErrors.length) {
    // Running out of stack may be reported more than once (how deep the parser got varies): say it once.
    const once = yamlErrors.filter(
      (d, i) => d.code !== 'nesting' || yamlErrors.findIndex((x) => x.code === 'nesting') === i,
    );
    return { ok: false, file, diagnostics: once.slice(0, MAX_YAML_ERRORS) };
  }

  const structural = structureDiagnostics(doc, lc, file);
  if (structural.length) return { ok: false, file, diagnostics: structural };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (e) {
    // toJS throws only for aliases: here, an alias bomb (undefined anchors were reported above).
    return {
      ok: false,
      file,
      diagnostics: [
        {
          ...fileDiagnostic(
            file,
            'alias',
            /Excessive alias/.test((e as Error).message)
              ? `the aliases expand into a document far larger than the file (more than ${MAX_ALIAS_COUNT} expansions): a manifest never needs this`
              : `the aliases cannot be resolved: ${(e as Error).message}`,
            'write the values out instead of aliasing them (*name), or alias only small values',
          ),
          ...firstAliasAt(doc, lc),
        },
      ],
    };
  }
  if (data === null || data === undefined) {
    return {
      ok: false,
      file,
      diagnostics: [
        fileDiagnostic(
          file,
          'empty',
          'the manifest is empty',
          `start from an example: cp examples/cloud-consulting/${MANIFEST_FILENAME} ${file}`,
        ),
      ],
    };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      file,
      diagnostics: [
        {
          ...fileDiagnostic(
            file,
            'type',
            'the manifest must be a mapping of keys (name:, domain:, services: …)',
            `start from an example: cp examples/cloud-consulting/${MANIFEST_FILENAME} ${file}`,
          ),
          expected: 'a mapping',
          found: describeValue(data),
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const ctx: Ctx = { root: doc.contents as Node | null, lc };
  const parsed = ManifestSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const diagnostics = flattenIssues(parsed.error.issues).flatMap((i) =>
      issueToDiagnostics(i, data, file, ctx),
    );
    return { ok: false, file, diagnostics: sortDiagnostics(dedupe(diagnostics)) };
  }
  const manifest = normalize(parsed.data);
  const dir = path.dirname(path.resolve(file));
  const findings = [
    ...runRules({ parsed: parsed.data, manifest }, opts.rules),
    ...pathFindings(manifest, dir),
  ];
  const diagnostics: Diagnostic[] = sortDiagnostics(
    findings.map((f) => ({
      severity: f.severity,
      code: f.code,
      path: formatPath(f.path),
      message: f.message,
      ...(f.expected !== undefined && { expected: f.expected }),
      ...(f.found !== undefined && { found: f.found }),
      fix: f.fix,
      file,
      ...locate(ctx.root, lc, f.path),
    })),
  );
  if (hasErrors(diagnostics)) return { ok: false, file, diagnostics };
  return { ok: true, manifest, file, dir, diagnostics };
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = `${d.path}|${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a manifest path (services.api.secrets) is in a manifest file, for errors found after loading. */
export function locateField(file: string, p: readonly PathSegment[]): { line?: number; column?: number } {
  try {
    const lc = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
    return locate(doc.contents as Node | null, lc, p);
  } catch {
    return {};
  }
}

/** Loads a manifest from a file path (or a directory holding stackplan.yaml). */
export function loadManifest(input: string, opts: LoadOptions = {}): LoadResult {
  const read = readManifestText(input);
  if ('code' in read) return { ok: false, file: input, diagnostics: [read] };
  return parseManifest(read.text, read.file, opts);
}
