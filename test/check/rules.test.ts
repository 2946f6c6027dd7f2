/**
 * stackplan's own rules: each has a file of its own, a fail fixture whose `# expect:` marks say
 * on which line each finding must be reported, and a pass fixture with none of its findings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/rules/index.js';
import { check, expectedFindings, foundKeys } from './helpers.js';

const FIXTURES = 'test/fixtures/check/rules';

describe('stackplan rules', () => {
  it('are exactly these, in this order', () => {
    expect(RULES.map((r) => r.info.id)).toEqual([
      'SP-tls-policy',
      'SP-imdsv2',
      'SP-open-admin-port',
      'SP-redis-url-tls',
      'SP-elasticache-auth',
      'SP-plain-secret-env',
      'SP-image-tag',
      'SP-ecr-scan-on-push',
      'SP-ecr-immutable-tags',
      'SP-s3-public-access-block',
      'SP-s3-encryption',
      'SP-s3-tls-only',
      'SP-alarm-no-action',
      'SP-version-out-of-support',
      'SP-version-support-ending',
      'SP-k8s-selector-labels',
      'SP-k8s-liveness-deep',
      'SP-k8s-pdb',
      'SP-k8s-requests',
      'SP-cost-gp2',
      'SP-cost-previous-generation',
      'SP-cost-graviton',
      'SP-cost-nat-per-az',
      'SP-cost-idle-eip',
      'SP-cost-nonprod-multi-az',
      'SP-cost-log-retention',
    ]);
  });

  it('each has its own source file and a pass and a fail fixture', () => {
    const files = readdirSync('src/check/rules');
    for (const r of RULES) {
      const base = r.info.id.replace(/^SP-/, '');
      expect(files, r.info.id).toContain(`${base}.ts`);
      expect(existsSync(path.join(FIXTURES, r.info.id, 'fail.yaml')), r.info.id).toBe(true);
      expect(existsSync(path.join(FIXTURES, r.info.id, 'pass.yaml')), r.info.id).toBe(true);
    }
    expect(readdirSync(FIXTURES).sort()).toEqual(RULES.map((r) => r.info.id).sort());
  });

  it('document what, why, fix and references, and security rules a security-severity', () => {
    for (const { info } of RULES) {
      expect(info.title.length, info.id).toBeGreaterThan(10);
      for (const text of [info.what, info.why, info.fix]) expect(text.length, info.id).toBeGreaterThan(40);
      expect(info.references.length, info.id).toBeGreaterThan(0);
      for (const u of info.references) expect(u, info.id).toMatch(/^https:\/\//);
      if (info.category === 'security') expect(info.securitySeverity, info.id).toBeGreaterThan(0);
      if (info.category === 'cost') expect(info.severity, info.id).toBe('note');
    }
  });

  for (const rule of RULES) {
    const id = rule.info.id;
    describe(id, () => {
      it('reports every flaw of its fail fixture on the marked line', async () => {
        const file = path.join(FIXTURES, id, 'fail.yaml');
        const expected = expectedFindings(file);
        expect(expected.size).toBeGreaterThan(0);
        const report = await check(file);
        expect(foundKeys(report, (f) => f.ruleId === id)).toEqual(expected);
        for (const f of report.findings.filter((x) => x.ruleId === id)) {
          expect(f.message.length).toBeGreaterThan(20);
          expect(f.location.logicalId).toBeDefined();
          if (rule.info.category === 'cost')
            expect(f.monthlyImpactUsd === null || f.monthlyImpactUsd! <= 0).toBe(true);
        }
      });

      it('finds nothing in its pass fixture', async () => {
        const report = await check(path.join(FIXTURES, id, 'pass.yaml'));
        expect(report.findings.filter((f) => f.ruleId === id)).toEqual([]);
      });
    });
  }
});

describe('RULES.md', () => {
  it('is generated from the rules (run npm run rules after changing one)', async () => {
    const { renderRulesMarkdown } = await import('../../src/check/rules-md.js');
    const { loadPriceBook } = await import('../../src/price/book/index.js');
    expect(readFileSync('RULES.md', 'utf8')).toBe(renderRulesMarkdown(loadPriceBook()));
  });

  it('has an anchor for every rule, as SARIF helpUri links', () => {
    const text = readFileSync('RULES.md', 'utf8');
    for (const r of RULES) expect(text).toContain(`\n## ${r.info.id}\n`);
  });
});
