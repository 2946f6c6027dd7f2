import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/cli/commands/validate.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadManifest, parseManifest } from '../../src/plan/load.js';
import { expectGolden } from '../helpers/golden.js';

const FIXTURES = 'test/fixtures/manifests';
const bad = readdirSync(path.join(FIXTURES, 'bad'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const warn = readdirSync(path.join(FIXTURES, 'warn'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('validate: bad manifests', () => {
  it('covers at least 20 distinct bad manifests', () => {
    expect(bad.length).toBeGreaterThanOrEqual(20);
  });

  it.each(bad)('%s: exit 1, every message pinned as golden text', async (name) => {
    const io = memoryIo();
    const code = await validate({ file: path.join(FIXTURES, 'bad', name) }, io);
    expect(code).toBe(1);
    const text = io.text();
    expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace
    expectGolden(`validate/${name.replace(/\.yaml$/, '.txt')}`, `${text}\n`);
  });

  it.each(bad.filter((n) => n !== 'empty.yaml'))('%s: every error names a line and a fix', (name) => {
    const r = loadManifest(path.join(FIXTURES, 'bad', name));
    expect(r.ok).toBe(false);
    for (const d of r.diagnostics) {
      expect(d.line, `${d.code} ${d.path}`).toBeGreaterThan(0);
      expect(d.fix.length).toBeGreaterThan(10);
    }
  });
});

describe('validate: YAML the parser accepts but no manifest can be', () => {
  it.each([
    ['alias-undefined.yaml', 'alias', /\*api refers to no anchor/],
    ['alias-before-anchor.yaml', 'alias', /\*port refers to no anchor defined before it/],
    ['alias-bomb.yaml', 'alias', /expand into a document far larger/],
    ['deep-nesting.yaml', 'nesting', /nested too deeply/],
    ['nested-too-deep.yaml', 'nesting', /nested too deeply/],
  ])('%s: a user error at its line, never an internal error', async (name, code, message) => {
    const io = memoryIo();
    const exit = await main(['validate', path.join(FIXTURES, 'bad', name)], io);
    expect(exit).toBe(1);
    expect(io.text()).not.toMatch(/internal error|a bug in stackplan|Maximum call stack/);
    const r = loadManifest(path.join(FIXTURES, 'bad', name));
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(r.diagnostics[0]!.message).toMatch(message);
    expect(r.diagnostics[0]!.line).toBeGreaterThan(4);
  });
});

describe('validate: warnings only', () => {
  it.each(warn)('%s: exit 0 with the warnings printed', async (name) => {
    const io = memoryIo();
    expect(await validate({ file: path.join(FIXTURES, 'warn', name) }, io)).toBe(0);
    expectGolden(`validate/warn-${name.replace(/\.yaml$/, '.txt')}`, `${io.text()}\n`);
  });
});

describe('validate: what each rule reports', () => {
  /** Every diagnostic but the image-tag warning, which any image pinned by tag alone gets. */
  const codes = (name: string) => {
    const r = loadManifest(path.join(FIXTURES, 'bad', name));
    return r.diagnostics
      .filter((d) => d.code !== 'image-tag')
      .map((d) => `${d.severity}:${d.code}:${d.path}`);
  };
  it('suggests the nearest key for typos', () => {
    const r = loadManifest(path.join(FIXTURES, 'bad', 'unknown-keys.yaml'));
    expect(r.diagnostics.map((d) => d.fix)).toEqual([
      'rename "servics" to "services"',
      'rename "prot" to "port"',
      'rename "verison" to "version"',
    ]);
  });
  it('resolves unions to the branch the user meant', () => {
    expect(codes('wrong-types.yaml')).toContain('error:type:services.api.replicas');
    expect(codes('wrong-types.yaml')).toContain('error:type:postgres');
  });
  it('collects every error, not only the first', () => {
    expect(codes('bad-formats.yaml')).toHaveLength(6);
    expect(codes('out-of-range.yaml')).toHaveLength(5);
  });
  it('reports cross-field rules with paths', () => {
    expect(codes('worker-route.yaml')).toEqual([
      'error:port-not-allowed:services.jobs.port',
      'error:route-on-worker:services.jobs.route',
    ]);
    expect(codes('lean-rpo-and-search.yaml')).toEqual([
      'error:tier-rpo:backups.rpoHours',
      'error:lean-search:search',
      'warning:lean-no-autoscaling:services.api.replicas',
    ]);
  });
});

describe('validate: the examples', () => {
  const examples = [
    'cloud-consulting/stackplan.yaml',
    'cloud-consulting/stackplan.ha.yaml',
    'gyva-shop/stackplan.yaml',
    'support-analytics/stackplan.yaml',
    'default-rate/stackplan.yaml',
  ];
  it.each(examples)('%s is valid, warning only about images pinned by tag', (f) => {
    const r = loadManifest(path.join('examples', f));
    expect(r.diagnostics.filter((d) => d.code !== 'image-tag')).toEqual([]);
    for (const d of r.diagnostics) expect(d.fix).toMatch(/@sha256:<digest>/);
    expect(r.ok).toBe(true);
  });

  it('accepts images pinned by digest, with or without a tag, without a warning', () => {
    const digest = 'a'.repeat(64);
    for (const image of [`ghcr.io/acme/api@sha256:${digest}`, `ghcr.io/acme/api:1.4.2@sha256:${digest}`]) {
      const r = parseManifest(
        `name: shop\ndomain: shop.example.com\nalarmEmail: ops@example.com\nservices:\n  api: {kind: api, image: "${image}", port: 8080, route: /}\n`,
        'test.yaml',
      );
      expect(r.ok, image).toBe(true);
      expect(r.diagnostics).toEqual([]);
    }
  });
  it('accepts a directory holding stackplan.yaml', () => {
    expect(loadManifest('examples/gyva-shop').ok).toBe(true);
  });
  it('rejects a directory without one, and a missing file, with a fix', () => {
    for (const p of ['test/fixtures', 'no/such/stackplan.yaml']) {
      const r = loadManifest(p);
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]!.fix).toMatch(/manifest|cp examples/);
    }
  });
});
