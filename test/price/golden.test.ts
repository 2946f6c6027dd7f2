/**
 * Golden cost tables for crafted templates that together use every priced type. UPDATE_GOLDEN=1
 * rewrites them; review the diff. The date is pinned so staleness warnings do not drift.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplates } from '../../src/price/engine.js';
import { readTemplates } from '../../src/price/input.js';
import { renderCostReport } from '../../src/price/render.js';
import { PRICERS } from '../../src/price/resources/index.js';
import type { FreeTierMode } from '../../src/price/types.js';
import type { Usage } from '../../src/price/usage.js';
import { expectGolden } from '../helpers/golden.js';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'cost');
const AS_OF = '2026-11-22';

const CASES: Array<{
  file: string;
  golden: string;
  usage?: Usage;
  freeTier: FreeTierMode;
  format?: 'table' | 'markdown' | 'json';
}> = [
  {
    file: 'compute.template.json',
    golden: 'compute.table.txt',
    freeTier: 'legacy',
    usage: { profile: 'small' },
  },
  { file: 'compute.template.json', golden: 'compute.no-usage.table.txt', freeTier: 'none' },
  { file: 'data.template.json', golden: 'data.table.txt', freeTier: 'legacy', usage: { profile: 'medium' } },
  { file: 'containers.template.json', golden: 'containers.table.txt', freeTier: 'paid-plan' },
  {
    file: 'edge.template.json',
    golden: 'edge.table.txt',
    freeTier: 'paid-plan',
    usage: { profile: 'small' },
  },
  {
    file: 'edge.template.json',
    golden: 'edge.md',
    freeTier: 'legacy',
    usage: { profile: 'large' },
    format: 'markdown',
  },
  { file: 'intrinsics.template.json', golden: 'intrinsics.table.txt', freeTier: 'none' },
  {
    file: 'yaml.template.yaml',
    golden: 'yaml.table.txt',
    freeTier: 'paid-plan',
    usage: { profile: 'small' },
  },
  { file: 'cdk.out', golden: 'cdk-out.table.txt', freeTier: 'legacy' },
  {
    file: 'cdk.out',
    golden: 'cdk-out.json',
    freeTier: 'legacy',
    format: 'json',
    usage: {
      dataTransferOutGb: 150,
      bedrock: [{ model: 'amazon.nova-lite-v1:0', inputTokens: 5_000_000, outputTokens: 1_000_000 }],
      ses: { emails: 2_000 },
    },
  },
];

describe('golden cost reports', () => {
  for (const c of CASES) {
    it(`${c.file} → ${c.golden}`, async () => {
      const inputs = await readTemplates(path.join(DIR, c.file));
      // Paths in the report are relative to the fixtures, so goldens do not depend on the checkout.
      for (const i of inputs) i.file = path.relative(DIR, i.file!);
      const report = priceTemplates(inputs, {
        asOf: AS_OF,
        book: loadPriceBook(),
        freeTier: c.freeTier,
        ...(c.usage && { usage: c.usage }),
      });
      expectGolden(`cost/${c.golden}`, renderCostReport(report, c.format ?? 'table'));
    });
  }

  it('the fixtures use every priced type', () => {
    const used = new Set<string>();
    for (const f of ['compute', 'data', 'containers', 'edge'].map((n) => `${n}.template.json`)) {
      const t = JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      for (const r of Object.values(t.Resources)) used.add(r.Type);
    }
    // …and the per-type fixtures of test/price/types.test.ts.
    const types = path.join(DIR, 'types');
    for (const f of readdirSync(types).filter((x) => !x.endsWith('.usage.yaml'))) {
      for (const m of readFileSync(path.join(types, f), 'utf8').matchAll(/^\s+Type: (AWS::[\w:]+)\s*$/gm))
        used.add(m[1]!);
    }
    expect(Object.keys(PRICERS).filter((t) => !used.has(t))).toEqual([]);
  });
});
