/**
 * Which tiers can run a manifest, and which one to build. A tier is eligible when it offers the
 * manifest's availability, meets its RPO, is designed for its traffic (its capabilities) and
 * honours every field the manifest sets (its field table); every gap is a reason `plan` prints.
 */
import type { Manifest } from '../manifest/normalize.js';
import type { TierName } from '../manifest/schema.js';
import { formatHours, type TierAssessment } from '../model/plan.js';
import { TIER_REGISTRY } from '../tiers/registry.js';
import type { Tier, TierGap } from '../tiers/tier.js';

/** Manifest fields the capability checks judge, for every tier alike. */
export const CAPABILITY_FIELDS = ['availability', 'backups.rpoHours', 'traffic.requestsPerMonth'] as const;

/** The smallest RPO any tier meets, and the tier that meets it. */
export function bestRpo(tiers: readonly Tier[] = TIER_REGISTRY): { hours: number; tier: Tier } {
  const tier = [...tiers].sort((a, b) => a.capabilities.minRpoHours - b.capabilities.minRpoHours)[0]!;
  return { hours: tier.capabilities.minRpoHours, tier };
}

/** Where the manifest asks for more than the tier's capabilities give. */
export function capabilityGaps(m: Manifest, tier: Tier, tiers: readonly Tier[] = TIER_REGISTRY): TierGap[] {
  const cap = tier.capabilities;
  const name = tier.name;
  const gaps: TierGap[] = [];
  if (!cap.availability.includes(m.availability)) {
    const offering = tiers
      .filter((t) => t.capabilities.availability.includes(m.availability))
      .map((t) => t.name);
    gaps.push({
      reason: `availability ${m.availability} (offers ${cap.availability.join(', ')})`,
      whenForced: [
        {
          severity: 'error',
          code: 'tier-availability',
          path: ['tier'],
          message: `the ${name} tier cannot give availability ${m.availability}`,
          expected: `a tier offering ${m.availability}${offering.length ? ` (${offering.join(' or ')})` : ''}`,
          found: `${name} (${cap.availability.join(', ')} only)`,
          fix: `remove "tier: ${name}" to let stackplan choose, or set availability: ${cap.availability[0]}`,
        },
      ],
    });
  }
  const rpo = m.backups.rpoHours;
  if (rpo < cap.minRpoHours) {
    gaps.push({
      reason: `RPO ${formatHours(rpo)} (best ${formatHours(cap.minRpoHours)})`,
      // Below every tier's best, `rpo-unreachable` says so once instead.
      whenForced:
        rpo < bestRpo(tiers).hours
          ? []
          : [
              {
                severity: 'error',
                code: 'tier-rpo',
                path: ['backups', 'rpoHours'],
                message: `the ${name} tier cannot meet an RPO of ${formatHours(rpo)}`,
                expected: `at least ${formatHours(cap.minRpoHours)} on ${name}: ${cap.rpoMechanism}`,
                found: formatHours(rpo),
                fix: `set backups.rpoHours to ${cap.minRpoHours} or more, or remove "tier: ${name}"`,
              },
            ],
    });
  }
  if (m.traffic.requestsPerMonth > cap.maxRequestsPerMonth) {
    gaps.push({
      reason: `${m.traffic.requestsPerMonth.toLocaleString('en-US')} requests a month (designed for ${cap.maxRequestsPerMonth.toLocaleString('en-US')})`,
      whenForced: [
        {
          severity: 'warning',
          code: `${name}-traffic`,
          path: ['traffic', 'requestsPerMonth'],
          message: `this traffic is beyond what the ${name} tier is designed for`,
          expected: `at most ${cap.maxRequestsPerMonth.toLocaleString('en-US')} requests a month on ${name}`,
          found: m.traffic.requestsPerMonth.toLocaleString('en-US'),
          fix: `remove "tier: ${name}" to let stackplan choose a tier that scales out`,
        },
      ],
    });
  }
  return gaps;
}

/** The manifest fields the tier refuses, once each (several fields may share one gap). */
export function fieldGaps(m: Manifest, tier: Tier): TierGap[] {
  const gaps = new Map<string, TierGap>();
  for (const support of Object.values(tier.fields)) {
    const gap = support.refuses?.(m);
    if (gap && !gaps.has(gap.reason)) gaps.set(gap.reason, gap);
  }
  return [...gaps.values()];
}

/** Every gap between the manifest and the tier: capabilities first, then fields. */
export function tierGaps(m: Manifest, tier: Tier, tiers: readonly Tier[] = TIER_REGISTRY): TierGap[] {
  return [...capabilityGaps(m, tier, tiers), ...fieldGaps(m, tier)];
}

/** Whether each registered tier meets the manifest, and why not. */
export function assessTiers(m: Manifest, tiers: readonly Tier[] = TIER_REGISTRY): TierAssessment[] {
  return tiers.map((t) => {
    const unmet = tierGaps(m, t, tiers).map((g) => g.reason);
    return { tier: t.name, capability: t.capabilities, eligible: unmet.length === 0, unmet };
  });
}

/**
 * The tier to build: the one the manifest forces, else the cheapest eligible one. Without prices,
 * tiers are ranked in registry order (cheapest structure first); `monthlyUsd` (priced totals)
 * replaces that ranking when the caller has priced the tiers. When none is eligible, the one with
 * the fewest gaps comes closest (the later, more capable tier on a tie).
 */
export function recommend(
  m: Manifest,
  assessments: TierAssessment[],
  monthlyUsd?: Partial<Record<TierName, number>>,
): { tier: TierName; why: string } {
  if (m.tier) return { tier: m.tier, why: `the manifest sets tier: ${m.tier}` };
  const order = (t: TierName) => assessments.findIndex((a) => a.tier === t);
  const eligible = assessments.filter((a) => a.eligible);
  if (eligible.length === 0) {
    const closest = [...assessments].sort(
      (a, b) => a.unmet.length - b.unmet.length || order(b.tier) - order(a.tier),
    )[0]!;
    return { tier: closest.tier, why: `no tier meets every requirement; ${closest.tier} comes closest` };
  }
  const ranked = [...eligible].sort((a, b) => {
    const ca = monthlyUsd?.[a.tier];
    const cb = monthlyUsd?.[b.tier];
    if (ca !== undefined && cb !== undefined && ca !== cb) return ca - cb;
    return order(a.tier) - order(b.tier);
  });
  const best = ranked[0]!;
  const skipped = assessments.filter((a) => !a.eligible && order(a.tier) < order(best.tier));
  const cost = monthlyUsd?.[best.tier];
  const why = [
    `cheapest tier that meets availability ${m.availability}, RPO ${formatHours(m.backups.rpoHours)} and the traffic`,
    cost !== undefined ? ` ($${cost.toFixed(2)}/month)` : '',
    skipped.length ? `; ${skipped.map((a) => `${a.tier} cannot meet ${a.unmet.join('; ')}`).join('; ')}` : '',
  ].join('');
  return { tier: best.tier, why };
}
