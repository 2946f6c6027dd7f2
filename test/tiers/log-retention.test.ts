/**
 * logs.retentionDays: one manifest setting for every CloudWatch log group of every tier — the ones
 * stackplan writes and the ones aws-cdk-lib adds for its custom-resource functions — with
 * CloudWatch's own list of retention periods, a default of 30 days, and Control Tower's one-year
 * control (CT.CLOUDWATCH.PR.2) acknowledged only while the setting is below a year.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { manifestJsonSchema } from '../../src/manifest/json-schema.js';
import { parseManifest } from '../../src/manifest/load.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { readAcknowledgements, synthTier } from '../../src/synth/index.js';

// CloudWatch Logs' PutRetentionPolicy values, as its API reference lists them (not read from src).
const CLOUDWATCH_VALUES = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-logs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GYVA = 'examples/gyva-shop/stackplan.yaml';

function withLogs(logs: unknown) {
  const doc = parse(readFileSync(GYVA, 'utf8'));
  return parseManifest(stringify({ ...doc, logs }), GYVA);
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
const logGroups = (t: Template) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');

describe('logs.retentionDays in the manifest', () => {
  it('defaults to 30 days', () => {
    const r = parseManifest(readFileSync(GYVA, 'utf8'), GYVA);
    expect(r.ok && r.manifest.logs).toEqual({ retentionDays: 30 });
  });

  it("accepts exactly CloudWatch's retention periods, and names them when refusing another", () => {
    for (const days of CLOUDWATCH_VALUES) expect(withLogs({ retentionDays: days }).ok, `${days}`).toBe(true);
    for (const bad of [0, 2, 45, 366, 3650, 30.5, -1, '30']) {
      const r = withLogs({ retentionDays: bad });
      expect(r.ok, `${bad}`).toBe(false);
      if (r.ok) continue;
      const d = r.diagnostics.find((x) => String(x.path) === 'logs.retentionDays');
      expect(d, `${bad}: ${JSON.stringify(r.diagnostics)}`).toBeDefined();
      expect(`${d!.message} ${d!.expected ?? ''}`).toMatch(/1, 3, 5, 7, 14, 30, 60, 90.*3653/);
      expect(d!.line).toBeGreaterThan(0);
    }
    const typo = withLogs({ retentionDay: 30 });
    expect(typo.ok).toBe(false);
  });

  it('is in the JSON Schema with the same values, the default and the trade-off', () => {
    const schema = manifestJsonSchema() as {
      properties: {
        logs: { properties: { retentionDays: { enum?: number[]; default?: number; description: string } } };
      };
    };
    const field = schema.properties.logs.properties.retentionDays;
    expect(field.enum).toEqual(CLOUDWATCH_VALUES);
    expect(field.default).toBe(30);
    expect(field.description).toMatch(/GB-month/);
    expect(field.description).toMatch(/how far back an incident can be investigated/);
  });

  it('the pinned example templates keep every log group for the default 30 days', () => {
    const dir = 'test/golden/templates';
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    let n = 0;
    for (const f of files) {
      const t = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Template;
      for (const [id, g] of logGroups(t)) {
        expect(g.Properties?.RetentionInDays, `${f} ${id}`).toBe(30);
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  for (const tier of ['lean', 'ecs', 'eks'] as const) {
    it(`${tier}: every log group of the stacks keeps the manifest's retention, and a year needs no acknowledgement`, async () => {
      for (const days of [7, 400]) {
        const r = withLogs({ retentionDays: days });
        if (!r.ok) throw new Error('invalid');
        const plan = planApp(r.manifest, {
          catalog: loadPriceBook(),
          manifestDir: path.resolve('examples/gyva-shop'),
        });
        expect(plan.tiers[tier], tier).toBeDefined();
        const s = await synthTier(plan, tier, {
          assemblyDir: path.join(work, `${tier}-${days}`),
          nag: false,
        });
        const templates = readdirSync(s.assemblyDir)
          .filter((f) => f.endsWith('.template.json'))
          .map((f) => JSON.parse(readFileSync(path.join(s.assemblyDir, f), 'utf8')) as Template);
        const groups = templates.flatMap(logGroups);
        // aws-cdk-lib's own function log groups (kubectl, SDK calls) included on eks.
        expect(groups.length).toBeGreaterThanOrEqual(tier === 'lean' ? 2 : 3);
        for (const [id, g] of groups) expect(g.Properties?.RetentionInDays, `${days} ${id}`).toBe(days);
        const pr2 = readAcknowledgements(s.assemblyDir)
          .filter((a) => a.rule === 'CT.CLOUDWATCH.PR.2')
          .map((a) => a.reason);
        if (days < 365) {
          expect(pr2.length).toBeGreaterThanOrEqual(groups.length);
          for (const a of pr2) {
            expect(a).toContain(`kept ${days} days, the manifest's logs.retentionDays`);
            expect(a).toMatch(/per GB-month/);
          }
        } else expect(pr2).toEqual([]);
      }
    }, 180_000);
  }
});
