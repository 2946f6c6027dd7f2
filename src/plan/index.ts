/**
 * The planner: manifest → plan. It assesses every registered tier, plans the eligible ones (and
 * the one the manifest forces) through the tier registry, and recommends one. Pure and
 * deterministic: the same manifest and price book give the same plan, with no I/O, clock or
 * randomness.
 */
import type { Manifest } from '../manifest/normalize.js';
import type { PlanCatalog } from '../model/catalog.js';
import type { Plan } from '../model/plan.js';
import { TIER_REGISTRY } from '../tiers/registry.js';
import type { Tier } from '../tiers/tier.js';
import { assessTiers, recommend } from './assess.js';

export type { EcsCatalog, InstanceCatalog, PlanCatalog } from '../model/catalog.js';
export { assessTiers, bestRpo, capabilityGaps, fieldGaps, recommend, tierGaps } from './assess.js';

export interface PlanOptions {
  catalog: PlanCatalog;
  /** Absolute directory of the manifest. */
  manifestDir: string;
  /** @default the registry */
  tiers?: readonly Tier[];
  /** The date the plan is for (YYYY-MM-DD); planning never reads the clock. */
  asOf?: string;
}

export function planApp(m: Manifest, opts: PlanOptions): Plan {
  const tiers = opts.tiers ?? TIER_REGISTRY;
  const assessments = assessTiers(m, tiers);
  const planned: Plan['tiers'] = {};
  for (const tier of tiers) {
    const a = assessments.find((x) => x.tier === tier.name)!;
    if (!a.eligible && m.tier !== tier.name) continue;
    const r = tier.plan(m, opts.catalog, { ...(opts.asOf !== undefined && { asOf: opts.asOf }) });
    if (r.ok) planned[tier.name] = r.plan;
    else {
      a.eligible = false;
      a.unmet.push(r.reason);
    }
  }
  const { tier, why } = recommend(m, assessments);
  return {
    manifest: m,
    manifestDir: opts.manifestDir,
    assessments,
    recommended: tier,
    recommendationWhy: why,
    tiers: planned,
    decisions: [{ topic: 'tier', choice: tier, why }],
  };
}
