/**
 * SARIF output: valid against the OASIS SARIF 2.1.0 schema (vendored in test/fixtures/sarif with
 * its source and licence) and carrying every field GitHub code scanning requires or uses.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import formatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/check/render/sarif.js';
import type { CheckReport } from '../../src/check/types.js';
import { check } from './helpers.js';

const schema = JSON.parse(readFileSync('test/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
// CommonJS packages whose default export TypeScript sees as the module object.
const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ??
  AjvDraft04) as unknown as typeof AjvDraft04.default;
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ??
  formatsPlugin) as unknown as typeof formatsPlugin.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

type Sarif = {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<Record<string, any>> } };
    results: Array<Record<string, any>>;
    automationDetails?: { id: string };
  }>;
};

function sarifOf(report: CheckReport): Sarif {
  const text = renderSarif(report);
  const doc = JSON.parse(text);
  const ok = validate(doc);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
  return doc as Sarif;
}

/** What GitHub code scanning needs from an upload (docs: "SARIF support for code scanning"). */
function expectGithubFields(doc: Sarif): void {
  expect(doc.version).toBe('2.1.0');
  expect(doc.runs).toHaveLength(1);
  const run = doc.runs[0]!;
  expect(run.tool.driver.name).toBe('stackplan');
  const ids = new Set<string>();
  for (const r of run.tool.driver.rules) {
    expect(typeof r.id).toBe('string');
    expect(ids.has(r.id), `rule ${r.id} listed twice`).toBe(false);
    ids.add(r.id);
    expect(r.shortDescription.text.length).toBeGreaterThan(0);
    expect(r.shortDescription.text.length).toBeLessThanOrEqual(1024);
    expect(r.fullDescription.text.length).toBeGreaterThan(0);
    expect(r.help.text.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
    const tags: string[] = r.properties.tags;
    if (tags.includes('security')) {
      // GitHub reads security-severity as a string holding a number from 0.0 to 10.0.
      expect(r.properties['security-severity']).toMatch(/^\d+(\.\d)?$/);
      const n = Number(r.properties['security-severity']);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(10);
    }
  }
  expect(run.results.length).toBeLessThanOrEqual(25_000);
  for (const res of run.results) {
    expect(ids, `result rule ${res.ruleId} is in tool.driver.rules`).toContain(res.ruleId);
    expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    expect(['error', 'warning', 'note']).toContain(res.level);
    expect(res.message.text.length).toBeGreaterThan(0);
    const loc = res.locations[0].physicalLocation;
    // Repository-relative: no scheme, no leading slash, no backslashes, no ../
    expect(loc.artifactLocation.uri).not.toMatch(/^[a-z]+:|^\/|\\|(^|\/)\.\.(\/|$)/);
    expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
    expect(Object.keys(res.partialFingerprints).length).toBeGreaterThan(0);
    for (const s of res.suppressions ?? []) expect(s.justification.trim().length).toBeGreaterThanOrEqual(10);
  }
}

describe('SARIF', () => {
  it('validates and carries the fields GitHub needs, for a flawed template (every pack but Control Tower)', async () => {
    const report = await check(
      'test/fixtures/check/corpus/seeds/seed-001-eks.yaml',
      'default,hipaa,pci-dss-321',
    );
    const doc = sarifOf(report);
    expectGithubFields(doc);
    const run = doc.runs[0]!;
    expect(run.results.length).toBe(report.findings.length);
    // A finding keeps its file, line and resource.
    const tls = run.results.find((r) => r.ruleId === 'SP-tls-policy')!;
    expect(tls.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'test/fixtures/check/corpus/seeds/seed-001-eks.yaml',
    );
    expect(tls.locations[0].physicalLocation.region.startLine).toBe(86);
    expect(tls.locations[0].logicalLocations[0].name).toBe('HttpsListener');
    expect(tls.level).toBe('error');
    const rule = run.tool.driver.rules.find((r) => r.id === 'SP-tls-policy')!;
    expect(rule.properties['security-severity']).toBe('7.4');
    expect(rule.helpUri).toMatch(/RULES\.md#sp-tls-policy$/);
    // cdk-nag packs are present with their own rules.
    for (const prefix of ['AwsSolutions-', 'NIST.800.53.R5-', 'HIPAA.Security-', 'PCI.DSS.321-']) {
      expect(
        run.tool.driver.rules.some((r) => r.id.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  }, 120_000);

  it('the schema validator rejects what GitHub would reject', () => {
    const bad = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }],
    };
    expect(validate(bad)).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('fingerprints are stable when lines move and differ between findings', async () => {
    const a = await check('test/fixtures/check/rules/SP-open-admin-port/fail.yaml');
    const fp = a.findings.map((f) => f.fingerprint);
    expect(new Set(fp).size).toBe(fp.length);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-sarif-'));
    const moved = path.join(dir, 'fail.yaml');
    writeFileSync(
      moved,
      `# moved down\n\n\n${readFileSync('test/fixtures/check/rules/SP-open-admin-port/fail.yaml', 'utf8')}`,
    );
    const b = await check(moved);
    expect(b.findings.map((f) => f.location.line)).toEqual(a.findings.map((f) => f.location.line + 3));
    expect(b.findings.map((f) => f.fingerprint)).toEqual(fp);
  });

  it('suppressed findings carry their justification', async () => {
    const report = await check('examples/gyva-shop/stackplan.yaml', 'default');
    const doc = sarifOf(report);
    expectGithubFields(doc);
    const suppressed = doc.runs[0]!.results.filter((r) => r.suppressions);
    expect(suppressed.length).toBe(report.counts.suppressed);
    expect(suppressed.length).toBeGreaterThan(10);
    for (const r of suppressed) {
      expect(r.suppressions[0].kind).toBe('inSource');
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('examples/gyva-shop/stackplan.yaml');
    }
  }, 180_000);
});
