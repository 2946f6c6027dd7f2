/**
 * The traffic sweep prices the base template wherever the re-planned tier equals the base plan
 * (apart from fields a re-synthesis showed the stacks do not read). That is exact only if the
 * template depends on nothing else: here the sweep runs with real synthesis, and every point it
 * priced from the base template at 0.1×, 10× and 100× is synthesized again and compared, byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  changedFields,
  planKey,
  SWEEP_MULTIPLES,
  scaledManifest,
  trafficSweep,
} from '../../src/design/sweep.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { synthTier } from '../../src/synth/index.js';
import { tierNamed } from '../../src/tiers/registry.js';
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
  it('reuses a template only where synthesizing the scaled plan gives the same bytes (0.1×, 10×, 100×)', async () => {
    const base = planExample(`${example}/stackplan.yaml`);
    const book = loadPriceBook();
    const tiers = [];
    for (const name of Object.keys(base.tiers)) {
      const r = await synthTier(base, name as never, {
        assemblyDir: path.join(work, String(n++)),
        nag: false,
      });
      tiers.push({
        tier: tierNamed(name)!,
        stackName: r.stackName,
        template: r.template,
        ...(r.usage && { stackUsage: r.usage }),
      });
    }
    const sweep = await trafficSweep(base, tiers, {
      book,
      asOf: '2026-12-01',
      freeTier: 'paid-plan',
      synthesize: async (p, tier) => {
        const r = await synthTier(p, tier.name, { assemblyDir: path.join(work, String(n++)), nag: false });
        return { template: r.template, ...(r.usage && { usage: r.usage }) };
      },
    });
    let compared = 0;
    for (const t of tiers) {
      const baseTemplate = JSON.stringify(t.template);
      for (const x of [SWEEP_MULTIPLES[0]!, 10, SWEEP_MULTIPLES.at(-1)!]) {
        if (sweep.points.find((q) => q.x === x && q.tier === t.tier.name)?.template !== 'base') continue;
        const p = planApp(scaledManifest(base.manifest, x), { catalog: book, manifestDir: base.manifestDir });
        expect(await templateOf(p, t.tier.name), `${t.tier.name} at ${x}×`).toBe(baseTemplate);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  }, 600_000);
});

it('planKey tells plans apart by what templates read, not by the decisions wording', () => {
  const a = { tier: 'x', size: 't3.small', decisions: [{ topic: 't', choice: 'c', why: '300k requests' }] };
  expect(planKey({ ...a, decisions: [{ topic: 't', choice: 'c', why: '3M requests' }] })).toBe(planKey(a));
  expect(planKey({ ...a, size: 't3.medium' })).not.toBe(planKey(a));
  expect(planKey({ ...a, size: 't3.medium' }, new Set(['size']))).toBe(planKey(a, new Set(['size'])));
  expect(changedFields(a, { ...a, size: 't3.medium', decisions: [] })).toEqual(['size']);
});
