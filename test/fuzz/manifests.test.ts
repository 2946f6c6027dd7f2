// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fuzz values are shell, compose and Actions syntax
/**
 * Seeded fuzzing of the example manifests (fast-check). Two properties:
 *
 *   1. validate, on any mutation of an example (values of every type and size, deleted and added
 *      keys, YAML text cut, spliced and aliased), exits 0 or 1, prints no stack trace and no
 *      "internal error", and answers within 5 s (a hang or an alias bomb, not a speed goal);
 *   2. plan, on mutations that stay valid (adversarial strings and boundary numbers in the fields
 *      that reach files), exits 0 and every file it writes parses back: JSON, YAML, and the host
 *      files through nginx -t, shellcheck, the compose schema and systemd-analyze.
 *
 * CI runs STACKPLAN_FUZZ_VALIDATE (default 300) validate cases and STACKPLAN_FUZZ_PLANS (default 4)
 * plan cases, about 2 s of synthesis each plus the host checks; raise them to search longer, and
 * set STACKPLAN_FUZZ_SEED to explore other cases. A failure prints the seed, the case and the
 * manifest, so it can be replayed.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { checkHostFiles } from '../../src/check/host.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadManifest } from '../../src/manifest/load.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import type { HostFile } from '../../src/render/host/contract.js';
import { renderHostFiles } from '../../src/render/host/index.js';

const SEED = Number(process.env.STACKPLAN_FUZZ_SEED ?? 8);
const VALIDATE_RUNS = Number(process.env.STACKPLAN_FUZZ_VALIDATE ?? 300);
const PLAN_RUNS = Number(process.env.STACKPLAN_FUZZ_PLANS ?? 4);

const EXAMPLES = [
  'cloud-consulting/stackplan.yaml',
  'cloud-consulting/stackplan.ha.yaml',
  'gyva-shop/stackplan.yaml',
  'support-analytics/stackplan.yaml',
  'default-rate/stackplan.yaml',
];

const STACK_TRACE = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

/** A repository of its own (so build paths resolve inside it) holding the examples and their app. */
let repo: string;
beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'stackplan-fuzz-'));
  mkdirSync(path.join(repo, '.git'));
  cpSync('examples/app', path.join(repo, 'app'), { recursive: true });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const sources = EXAMPLES.map((file) => ({ file, text: readFileSync(path.join('examples', file), 'utf8') }));

// ---- generators -----------------------------------------------------------------------------

const NASTY_STRINGS = [
  '',
  ' ',
  'x'.repeat(1000),
  'x'.repeat(70_000),
  'a\nb',
  'a\r\nX-Injected: 1',
  '\u0000',
  '\u0007bell',
  '\u001b[31mred',
  '\u2028',
  '\ud800',
  '$5 ${POSTGRES_PASSWORD} $(id) `id`',
  '${{ secrets.GITHUB_TOKEN }}',
  "'; rm -rf / #",
  '../../../../etc',
  '/etc/passwd',
  '-rf',
  '%n%i',
  'yes',
  '012',
  '1e3',
  '~',
  '*alias',
  '&anchor',
  '<<',
  'ünïcödé 🚀',
];

/** Any JSON-ish value: every type, tiny and huge numbers, nested structures. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...NASTY_STRINGS),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.double(),
    fc.constantFrom(0, -1, 1, 1e308, -1e308, Number.POSITIVE_INFINITY, 5e-324, 2 ** 53, 65536, 100_000),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Every key path of a parsed manifest, to pick mutation targets from. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: unknown, p: Array<string | number>, value: unknown, remove = false): unknown {
  if (p.length === 0) return remove ? {} : value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = p;
  if (rest.length === 0) {
    if (remove) {
      if (Array.isArray(copy)) copy.splice(head as number, 1);
      else delete copy[head!];
    } else copy[head!] = value;
    return copy;
  }
  copy[head!] = setAt(copy[head!], rest, value, remove);
  return copy;
}

type TextOp = { at: number; op: 'insert' | 'delete' | 'truncate'; text: string; length: number };
type ValueOp = { target: number; op: 'set' | 'delete' | 'add'; value: unknown; key: string };

const SNIPPETS = [
  '*a',
  '&a ',
  '{',
  '[',
  ']',
  ': ',
  '\n  - x',
  '!!binary ',
  '"\\ud800"',
  '<<: *b',
  '\t',
  '---\n',
  '%YAML 1.1\n',
  '? ',
  '|',
  '>-',
  '#',
  '\n',
];

const textOp: fc.Arbitrary<TextOp> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert' as const, 'delete' as const, 'truncate' as const),
  text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ unit: 'binary', maxLength: 8 })),
  length: fc.integer({ min: 1, max: 40 }),
});
const valueOp: fc.Arbitrary<ValueOp> = fc.record({
  target: fc.nat(),
  op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
  value: anyValue,
  key: fc.oneof(
    fc.constantFrom('x', 'env', 'name', 'services', '<<', 'NEW_KEY', 'route'),
    fc.string({ maxLength: 10 }),
  ),
});

/** A mutated example: value-level edits through the parsed document, or text-level edits. */
const anyMutation = fc.record({
  example: fc.nat({ max: EXAMPLES.length - 1 }),
  values: fc.array(valueOp, { minLength: 0, maxLength: 3 }),
  text: fc.array(textOp, { minLength: 0, maxLength: 2 }),
});

function applyMutation(m: { example: number; values: ValueOp[]; text: TextOp[] }): {
  file: string;
  text: string;
} {
  const src = sources[m.example]!;
  let data: unknown = parse(src.text);
  for (const op of m.values) {
    const all = paths(data);
    const p = all[op.target % all.length]!;
    if (op.op === 'delete') data = setAt(data, p, undefined, true);
    else if (op.op === 'set') data = setAt(data, p, op.value);
    else data = setAt(data, [...p, op.key], op.value);
  }
  let text = m.values.length ? stringify(data) : src.text;
  for (const op of m.text) {
    const at = op.at % (text.length + 1);
    if (op.op === 'insert') text = text.slice(0, at) + op.text + text.slice(at);
    else if (op.op === 'delete') text = text.slice(0, at) + text.slice(at + op.length);
    else text = text.slice(0, at);
  }
  return { file: src.file, text };
}

/** Writes a manifest where its example lives in the fuzz repository (so ../app resolves there). */
function writeCase(file: string, text: string, n: number): string {
  const dir = path.join(repo, `${path.dirname(file)}-${n}`);
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, path.basename(file));
  writeFileSync(p, text);
  return p;
}

// ---- property 1: validate never crashes ------------------------------------------------------

describe(`validate on ${VALIDATE_RUNS} mutated examples (seed ${SEED})`, () => {
  it('exits 0 or 1, with no stack trace and no internal error, within 5 s', async () => {
    let n = 0;
    const outcomes = { valid: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(anyMutation, async (m) => {
        const { file, text } = applyMutation(m);
        const p = writeCase(file, text, n++);
        const io = memoryIo();
        const started = performance.now();
        const code = await main(['validate', p], io);
        const ms = performance.now() - started;
        const out = io.text();
        if (code !== 0 && code !== 1) throw new Error(`exit ${code}:\n${out}\n--- manifest:\n${text}`);
        if (STACK_TRACE.test(out) || /internal error|a bug in stackplan/.test(out)) {
          throw new Error(`crashed:\n${out}\n--- manifest:\n${text}`);
        }
        if (ms > 5000) throw new Error(`took ${Math.round(ms)} ms:\n--- manifest:\n${text.slice(0, 2000)}`);
        outcomes[code === 0 ? 'valid' : 'invalid']++;
      }),
      { seed: SEED, numRuns: VALIDATE_RUNS, endOnFailure: true },
    );
    // The generator must reach both sides, or it is not testing much.
    expect(outcomes.invalid).toBeGreaterThan(VALIDATE_RUNS / 10);
    expect(outcomes.valid).toBeGreaterThan(0);
  });
});

// ---- property 2: plan on every valid mutation writes files that parse back --------------------

/** Values the schema accepts but that stress quoting in every file they reach. */
const ADVERSARIAL_TEXT = [
  'price $5 and ${POSTGRES_PASSWORD}',
  'echo $HOME `id` $(id) \'q\' "qq" \\',
  'line one\nline two: "x"\n',
  "'; rm -rf / #",
  '${{ secrets.GITHUB_TOKEN }}',
  '%n %i %%',
  'yes',
  '1e3',
  'ünïcödé ✓ 🚀',
  '*alias &anchor !tag',
  'x'.repeat(4096),
];
const ADVERSARIAL_LINE = ADVERSARIAL_TEXT.filter((s) => !s.includes('\n')).map((s) => s.slice(0, 200));

const validEdit = fc.oneof(
  fc.record({
    kind: fc.constant('env' as const),
    name: fc.constantFrom('NOTE', 'A_B', 'X1'),
    value: fc.constantFrom(...ADVERSARIAL_TEXT),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    value: fc.array(fc.constantFrom(...ADVERSARIAL_TEXT), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('purpose' as const), value: fc.constantFrom(...ADVERSARIAL_LINE) }),
  fc.record({
    kind: fc.constant('branch' as const),
    value: fc.constantFrom('x$(id)`id`${{github.token}}+!', 'release/2.x', 'a'.repeat(200), "it's", 'f%n'),
  }),
  fc.record({
    kind: fc.constant('secrets' as const),
    value: fc.constantFrom(
      ['A'],
      Array.from({ length: 40 }, (_, i) => `S_${i}`),
    ),
  }),
  fc.record({
    kind: fc.constant('domain' as const),
    value: fc.constantFrom(`${'a'.repeat(44)}.example.com`, 'x-y.example.org'),
  }),
  fc.record({ kind: fc.constant('numbers' as const), value: fc.constantFrom(0, 1e12) }),
  fc.record({
    kind: fc.constant('health' as const),
    value: fc.constantFrom('/h-._~', `/${'h'.repeat(200)}`),
  }),
);
type ValidEdit = typeof validEdit extends fc.Arbitrary<infer T> ? T : never;

function applyValid(example: number, edits: ValidEdit[]): { file: string; text: string } {
  const src = sources[example]!;
  const data = parse(src.text) as Record<string, any>;
  const services = data.services as Record<string, Record<string, any>>;
  const names = Object.keys(services);
  for (const [i, e] of edits.entries()) {
    const svc = services[names[i % names.length]!]!;
    switch (e.kind) {
      case 'env':
        svc.env = { ...svc.env, [e.name]: e.value };
        break;
      case 'command':
        if (svc.kind !== 'static') svc.command = e.value;
        break;
      case 'purpose':
        data.buckets = { ...data.buckets, files: { purpose: e.value } };
        break;
      case 'branch':
        data.ci = { repository: 'acme/shop', ...data.ci, branch: e.value };
        break;
      case 'secrets':
        if (svc.kind !== 'static') svc.secrets = e.value;
        break;
      case 'domain':
        data.domain = e.value;
        delete data.hostedZone;
        data.aliases = [`www.${e.value}`.slice(-60).replace(/^[.-]+/, '')];
        break;
      case 'numbers':
        data.traffic = { requestsPerMonth: e.value, gbOutPerMonth: e.value / 1e5 };
        break;
      case 'health':
        if (svc.kind === 'api') svc.health = e.value;
        break;
    }
  }
  return { file: src.file, text: stringify(data) };
}

/** Every file under dir, as host files (for the host checks) when under host/. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe(`plan on ${PLAN_RUNS} valid mutated examples (seed ${SEED})`, () => {
  const book = loadPriceBook();

  it('exits 0, and every file it writes parses back and passes the host checks', async () => {
    const cases = fc.sample(
      fc.record({
        example: fc.nat({ max: EXAMPLES.length - 1 }),
        edits: fc.array(validEdit, { minLength: 1, maxLength: 4 }),
      }),
      { seed: SEED, numRuns: PLAN_RUNS * 3 },
    );
    let planned = 0;
    for (const [n, c] of cases.entries()) {
      if (planned >= PLAN_RUNS) break;
      const { file, text } = applyValid(c.example, c.edits);
      const p = writeCase(file, text, 10_000 + n);
      const loaded = loadManifest(p);
      if (!loaded.ok) continue; // an edit combination the schema refuses: property 1's business
      planned++;
      const out = path.join(repo, `out-${n}`);
      const io = memoryIo();
      const code = await main(['plan', p, '--out', out], io);
      const context = `case ${n} (${JSON.stringify(c.edits).slice(0, 300)}):\n${io.text().slice(-3000)}`;
      expect(code, context).toBe(0);
      expect(io.text(), context).not.toMatch(STACK_TRACE);

      for (const f of walk(out)) {
        const body = readFileSync(f, 'utf8');
        if (f.endsWith('.json')) expect(() => JSON.parse(body), f).not.toThrow();
        // Kubernetes manifests hold several documents; every one must parse.
        if (/\.ya?ml$/.test(f))
          expect(
            parseAllDocuments(body).flatMap((d) => d.errors),
            f,
          ).toEqual([]);
      }
      const hostDir = path.join(out, 'lean', 'host');
      try {
        statSync(hostDir);
      } catch {
        continue; // no lean tier for this manifest
      }
      const plan = planApp(loaded.manifest, { catalog: book, manifestDir: loaded.dir });
      // The files as written (out/ keeps no modes: user data installs them with the rendered ones).
      const modes = new Map(renderHostFiles(plan).map((f) => [f.path, f.mode]));
      const files: HostFile[] = walk(hostDir).map((f) => {
        const hostPath = `/${path.relative(hostDir, f).split(path.sep).join('/')}`;
        return { path: hostPath, mode: modes.get(hostPath) ?? 0o644, content: readFileSync(f, 'utf8') };
      });
      expect(files.map((f) => f.path).sort()).toEqual([...modes.keys()].sort());
      for (const r of checkHostFiles(plan, files)) {
        if (r.status === 'skip') continue;
        expect(r.findings, `${r.name} on case ${n}: ${JSON.stringify(c.edits).slice(0, 300)}`).toEqual([]);
      }
      rmSync(out, { recursive: true, force: true });
    }
    expect(planned).toBe(PLAN_RUNS);
  });
});
