/**
 * The proof corpus. Flawed templates written from each seed design's flaws, and public templates
 * with known flaws, must report every intended finding at its line (and, for stackplan's own
 * rules, nothing else); well-configured public templates and the example plans' templates must
 * produce no error-level finding from stackplan's rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, expectedFindings, foundKeys } from './helpers.js';

const SEEDS = 'test/fixtures/check/corpus/seeds';
const PUBLIC = 'test/fixtures/check/corpus/public';
const isOwn = (id: string) => id.startsWith('SP-');

describe('seed corpus (default packs)', () => {
  for (const file of readdirSync(SEEDS).filter((f) => f.endsWith('.yaml'))) {
    it(`${file}: every flaw at its line`, async () => {
      const p = path.join(SEEDS, file);
      const expected = expectedFindings(p);
      const report = await check(p, 'default');
      const found = foundKeys(report);
      // stackplan's own rules: exactly the marked findings.
      expect(new Set([...found].filter((k) => isOwn(k)))).toEqual(
        new Set([...expected].filter((k) => isOwn(k))),
      );
      // cdk-nag: the marked ones are among its findings.
      for (const k of [...expected].filter((x) => !isOwn(x))) expect(found, k).toContain(k);
      expect(report.packs.map((p) => p.id)).toEqual(['aws-solutions', 'nist-800-53-r5', 'stackplan']);
    }, 120_000);
  }
});

interface Expectations {
  flawed: Record<string, Array<[string, number, string]>>;
  clean: string[];
}
const expectations = JSON.parse(readFileSync(path.join(PUBLIC, 'expect.json'), 'utf8')) as Expectations;

describe('public corpus (aws-cloudformation-templates)', () => {
  for (const [file, list] of Object.entries(expectations.flawed)) {
    it(`${file}: every flaw at its line, nothing else`, async () => {
      const report = await check(path.join(PUBLIC, file));
      expect(foundKeys(report)).toEqual(new Set(list.map(([rule, line]) => `${rule}@${line}`)));
    });
  }
  for (const file of expectations.clean) {
    it(`${file}: no error-level finding`, async () => {
      const report = await check(path.join(PUBLIC, file));
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    });
  }
});

describe("example plans' templates (golden files)", () => {
  const dir = 'test/golden/templates';
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${file}: no error-level finding from stackplan's rules`, async () => {
      const report = await check(path.join(dir, file));
      expect(
        report.findings
          .filter((f) => f.severity === 'error')
          .map((f) => `${f.ruleId} ${f.location.logicalId}: ${f.message}`),
      ).toEqual([]);
    });
  }
});
