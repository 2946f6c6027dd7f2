/**
 * The corpus: real public docker-compose files of web apps with PostgreSQL and/or Redis (each
 * with its source, commit and licence in test/fixtures/compose/<project>/SOURCE.md), converted by
 * `stackplan init --from-compose` as a user would run it, in a copy of the project directory.
 * Pinned: the manifest and the report (golden files). Checked: the manifest validates, plans on a
 * tier it is eligible for, and never carries a secret's value.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { init } from '../../src/cli/commands/init.js';
import { plan } from '../../src/cli/commands/plan.js';
import { memoryIo } from '../../src/cli/io.js';
import { parseDotenv } from '../../src/init/compose/dotenv.js';
import { isSecretName } from '../../src/init/map/env.js';
import { loadManifest } from '../../src/manifest/load.js';
import { expectGolden } from '../helpers/golden.js';

const FIXTURES = path.resolve('test/fixtures/compose');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-init-corpus-'));
// The projects come from git repositories: build contexts such as lemmy's `..` lie inside them.
mkdirSync(path.join(work, '.git'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Case {
  case: string;
  /** A directory under test/fixtures/compose, or a path from the repository root (our own example). */
  project: string;
  files: string[];
  /** The tier `plan` builds in this test (one per case keeps the suite fast). */
  tier: 'lean' | 'ecs';
  flags?: string[];
}

const CORPUS: Case[] = [
  { case: 'mastodon', project: 'mastodon', files: ['docker-compose.yml'], tier: 'lean' },
  { case: 'chatwoot', project: 'chatwoot', files: ['docker-compose.production.yaml'], tier: 'ecs' },
  { case: 'full-stack-fastapi', project: 'full-stack-fastapi', files: ['compose.yml'], tier: 'ecs' },
  {
    case: 'full-stack-fastapi-dev',
    project: 'full-stack-fastapi',
    files: ['compose.yml', 'compose.override.yml'],
    tier: 'lean',
  },
  { case: 'saleor-platform', project: 'saleor-platform', files: ['docker-compose.yml'], tier: 'lean' },
  {
    case: 'netbox-docker',
    project: 'netbox-docker',
    files: ['docker-compose.yml', 'docker-compose.override.yml.example'],
    tier: 'lean',
  },
  { case: 'miniflux', project: 'miniflux', files: ['basic.yml'], tier: 'lean' },
  { case: 'paperless-ngx', project: 'paperless-ngx', files: ['docker-compose.postgres.yml'], tier: 'lean' },
  { case: 'n8n', project: 'n8n', files: ['docker-compose.yml'], tier: 'lean' },
  { case: 'lemmy', project: 'lemmy', files: ['docker-compose.yml'], tier: 'lean' },
  // Our own: the example the README's quickstart converts.
  { case: 'example-gyva-shop', project: 'examples/compose', files: ['docker-compose.yml'], tier: 'lean' },
];

const sourceOf = (c: Case) =>
  c.project.includes('/') ? path.resolve(c.project) : path.join(FIXTURES, c.project);

/** Copies the project and converts it there; returns the manifest text and the report. */
async function convert(c: Case): Promise<{ dir: string; text: string; report: string }> {
  const dir = path.join(work, c.case, path.basename(c.project));
  cpSync(sourceOf(c), dir, { recursive: true });
  const io = memoryIo();
  const code = await init({ fromCompose: c.files, cwd: dir, env: {}, interactive: false, yes: true }, io);
  expect(code, io.text()).toBe(0);
  return { dir, text: readFileSync(path.join(dir, 'stackplan.yaml'), 'utf8'), report: io.stdout.join('\n') };
}

/** Values the project gives to secret-looking names, and values it gives to other names. */
function valuesByKind(dir: string): { secret: Set<string>; plain: Set<string> } {
  const secret = new Set<string>();
  const plain = new Set<string>();
  const note = (name: string, value: string | undefined) => {
    if (!value) return;
    (isSecretName(name) ? secret : plain).add(value);
  };
  const scan = (file: string) => {
    const text = readFileSync(file, 'utf8');
    if (/(^|\.)env$|\.env$/.test(path.basename(file))) {
      for (const e of parseDotenv(text).entries) note(e.name, e.value);
    }
    for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]*)\s*[:=]\s*['"]?([^'"\s#]+)/g)) note(m[1]!, m[2]);
  };
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name !== 'stackplan.yaml' && f.name !== 'SOURCE.md') scan(p);
    }
  };
  walk(dir);
  return { secret, plain };
}

function scalars(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) scalars(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) scalars(x, out);
  else if (v !== null && v !== undefined) out.push(String(v));
  return out;
}

describe('stackplan init --from-compose on real compose files', () => {
  it('has at least eight public projects, each with its source and licence', () => {
    const projects = new Set(CORPUS.filter((c) => !c.project.includes('/')).map((c) => c.project));
    expect(projects.size).toBeGreaterThanOrEqual(8);
    for (const p of projects) {
      const source = readFileSync(path.join(FIXTURES, p, 'SOURCE.md'), 'utf8');
      expect(source, p).toMatch(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+/);
      expect(source, p).toMatch(/\b[0-9a-f]{40}\b/);
      expect(source, p).toMatch(/[Ll]icen[cs]e/);
    }
  });

  describe.each(CORPUS)('$case', (c) => {
    let result: Awaited<ReturnType<typeof convert>>;
    it('converts: the manifest and the report are as pinned', async () => {
      result = await convert(c);
      expectGolden(`init/${c.case}.stackplan.yaml`, result.text);
      expectGolden(`init/${c.case}.report.txt`, `${result.report}\n`);
    });

    it('writes a manifest that validates, with a comment naming a compose line on every service', () => {
      const r = loadManifest(path.join(result.dir, 'stackplan.yaml'));
      expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
      const doc = parse(result.text) as { services: Record<string, unknown> };
      const lines = result.text.split('\n');
      for (const name of Object.keys(doc.services)) {
        const at = lines.indexOf(`  ${name}:`);
        expect(at, name).toBeGreaterThan(0);
        expect(lines[at + 1], name).toMatch(/^ {4}kind: \w+ # from [^\s:]+:\d+/);
      }
    });

    it('never copies a secret value into the manifest', () => {
      const { secret, plain } = valuesByKind(sourceOf(c));
      expect(secret.size, 'the fixture has secret values to look for').toBeGreaterThanOrEqual(
        c.case === 'mastodon' || c.case === 'chatwoot' ? 0 : 1,
      );
      const values = scalars(parse(result.text));
      for (const v of secret) {
        // A value the project also uses for a plain setting (a user name as password) proves nothing.
        if (plain.has(v)) continue;
        expect(values, `the value of a secret (${v.slice(0, 2)}…) is a manifest value`).not.toContain(v);
        if (v.length >= 8 && /[0-9]/.test(v) && /[A-Za-z]/.test(v)) {
          expect(
            result.text.includes(v),
            `the value of a secret (${v.slice(0, 2)}…) is in the manifest`,
          ).toBe(false);
        }
      }
    });

    it(`plans (${c.tier} tier)`, async () => {
      const io = memoryIo();
      const out = path.join(result.dir, 'out');
      const code = await plan({ file: path.join(result.dir, 'stackplan.yaml'), out, tier: c.tier }, io);
      expect(code, io.text()).toBe(0);
      expect(existsSync(path.join(out, c.tier, 'cdk.out', 'manifest.json'))).toBe(true);
      const checks = JSON.parse(readFileSync(path.join(out, c.tier, 'checks.json'), 'utf8'));
      expect(checks.findings).toEqual([]);
    });
  });
});
