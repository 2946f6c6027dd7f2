/**
 * The traffic sweep prices the base template wherever the re-planned tier equals the base plan.
 * That is exact only if a tier's template depends on its plan and not on the manifest's traffic:
 * here every example's tiers are synthesized again from the scaled manifests and compared with the
 * base template, byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planKey, SWEEP_MULTIPLES, scaledManifest } from '../../src/design/sweep.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { synthTier } from '../../src/synth/index.js';
import { planExample } from '../helpers/assembly.js';
import { exampleNames } from './examples.js';

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-sweep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

async function templateOf(plan: Parameters<typeof synthTier>[0], tier: string): Promise<string> {
  const r = await synthTier(plan, tier as never, { assemblyDir: path.join(work, String(n++)), nag: false });
  return JSON.stringify(r.template);
}

describe.each(exampleNames())('%s', (example) => {
  it('synthesizes the same template at the lowest, a middle and the highest traffic where the plan is unchanged', async () => {
    const base = planExample(`${example}/stackplan.yaml`);
    const book = loadPriceBook();
    let compared = 0;
    for (const tier of Object.keys(base.tiers)) {
      const baseTemplate = await templateOf(base, tier);
      for (const x of [SWEEP_MULTIPLES[0]!, 10, SWEEP_MULTIPLES.at(-1)!]) {
        const p = planApp(scaledManifest(base.manifest, x), { catalog: book, manifestDir: base.manifestDir });
        const tp = p.tiers[tier as keyof typeof p.tiers];
        if (!tp || planKey(tp) !== planKey(base.tiers[tier as keyof typeof base.tiers])) continue;
        expect(await templateOf(p, tier), `${tier} at ${x}×`).toBe(baseTemplate);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  }, 300_000);
});

it('planKey tells plans apart by what templates read, not by the decisions wording', () => {
  const a = { tier: 'x', size: 't3.small', decisions: [{ topic: 't', choice: 'c', why: '300k requests' }] };
  expect(planKey({ ...a, decisions: [{ topic: 't', choice: 'c', why: '3M requests' }] })).toBe(planKey(a));
  expect(planKey({ ...a, size: 't3.medium' })).not.toBe(planKey(a));
});
