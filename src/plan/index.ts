/**
 * The planner: manifest → plan. Pure and deterministic: the same manifest and price book give the
 * same plan, with no I/O, clock or randomness.
 */
import type { Manifest } from '../manifest/normalize.js';
import { TIERS, type TierName } from '../manifest/schema.js';
import { formatHours, TIER_CAPABILITIES } from './capabilities.js';
import { type EcsCatalog, EcsDoesNotFit, planEcs } from './ecs.js';
import { type InstanceCatalog, LeanDoesNotFit, planLean } from './lean.js';
import type { EcsPlan, LeanPlan, Plan, TierAssessment } from './types.js';

export type { EcsCatalog } from './ecs.js';
export type { InstanceCatalog } from './lean.js';

/** What planning needs from the price book (the loaded PriceBook is one). */
export type PlanCatalog = InstanceCatalog & EcsCatalog;

/** Whether each tier meets the manifest's availability, RPO, traffic and features, and why not. */
export function assessTiers(m: Manifest): TierAssessment[] {
  return TIERS.map((tier) => {
    const capability = TIER_CAPABILITIES[tier];
    const unmet: string[] = [];
    if (!capability.availability.includes(m.availability)) {
      unmet.push(`availability ${m.availability} (offers ${capability.availability.join(', ')})`);
    }
    if (m.backups.rpoHours < capability.minRpoHours) {
      unmet.push(`RPO ${formatHours(m.backups.rpoHours)} (best ${formatHours(capability.minRpoHours)})`);
    }
    if (m.traffic.requestsPerMonth > capability.maxRequestsPerMonth) {
      unmet.push(
        `${m.traffic.requestsPerMonth.toLocaleString('en-US')} requests a month (designed for ${capability.maxRequestsPerMonth.toLocaleString('en-US')})`,
      );
    }
    if (tier === 'lean') {
      if (m.search) unmet.push('search: one small instance cannot also host OpenSearch');
      const scaling = m.services.filter((s) => s.replicas.max > s.replicas.min);
      if (scaling.length) {
        unmet.push(
          `autoscaling of ${scaling.map((s) => `${s.name} (${s.replicas.min}-${s.replicas.max})`).join(', ')}`,
        );
      }
    }
    return { tier, capability, eligible: unmet.length === 0, unmet };
  });
}

/**
 * The tier to build: the one the manifest forces, else the cheapest eligible one. Without prices,
 * tiers are ranked by their fixed structure (one instance < Fargate with an ALB < EKS control plane);
 * `monthlyUsd` (priced totals) replaces that ranking when the caller has priced the tiers.
 */
export function recommend(
  m: Manifest,
  assessments: TierAssessment[],
  monthlyUsd?: Partial<Record<TierName, number>>,
): { tier: TierName; why: string } {
  if (m.tier) return { tier: m.tier, why: `the manifest sets tier: ${m.tier}` };
  const eligible = assessments.filter((a) => a.eligible);
  if (eligible.length === 0)
    return { tier: 'ecs', why: 'no tier meets every requirement; ecs comes closest' };
  const ranked = [...eligible].sort((a, b) => {
    const ca = monthlyUsd?.[a.tier];
    const cb = monthlyUsd?.[b.tier];
    if (ca !== undefined && cb !== undefined && ca !== cb) return ca - cb;
    return TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier);
  });
  const best = ranked[0]!;
  const skipped = assessments.filter((a) => !a.eligible && TIERS.indexOf(a.tier) < TIERS.indexOf(best.tier));
  const cost = monthlyUsd?.[best.tier];
  const why = [
    `cheapest tier that meets availability ${m.availability}, RPO ${formatHours(m.backups.rpoHours)} and the traffic`,
    cost !== undefined ? ` ($${cost.toFixed(2)}/month)` : '',
    skipped.length ? `; ${skipped.map((a) => `${a.tier} cannot meet ${a.unmet.join('; ')}`).join('; ')}` : '',
  ].join('');
  return { tier: best.tier, why };
}

export interface PlanOptions {
  catalog: PlanCatalog;
  /** Absolute directory of the manifest. */
  manifestDir: string;
}

export function planApp(m: Manifest, opts: PlanOptions): Plan {
  const assessments = assessTiers(m);
  const leanAssessment = assessments.find((a) => a.tier === 'lean')!;
  let lean: LeanPlan | undefined;
  if (leanAssessment.eligible || m.tier === 'lean') {
    try {
      lean = planLean(m, opts.catalog);
    } catch (e) {
      if (!(e instanceof LeanDoesNotFit)) throw e;
      leanAssessment.eligible = false;
      leanAssessment.unmet.push(e.message);
    }
  }
  const ecsAssessment = assessments.find((a) => a.tier === 'ecs')!;
  let ecs: EcsPlan | undefined;
  if (ecsAssessment.eligible || m.tier === 'ecs') {
    try {
      ecs = planEcs(m, opts.catalog);
    } catch (e) {
      if (!(e instanceof EcsDoesNotFit)) throw e;
      ecsAssessment.eligible = false;
      ecsAssessment.unmet.push(e.message);
    }
  }
  const { tier, why } = recommend(m, assessments);
  return {
    manifest: m,
    manifestDir: opts.manifestDir,
    assessments,
    recommended: tier,
    recommendationWhy: why,
    ...(lean && { lean }),
    ...(ecs && { ecs }),
    decisions: [{ topic: 'tier', choice: tier, why }],
  };
}
