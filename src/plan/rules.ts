/**
 * Cross-field rules only the tiers can judge, run by `validate` (and everything that loads a
 * manifest to plan it) after the manifest's own rules:
 * - no tier's backups can meet the RPO (`rpo-unreachable`);
 * - the manifest forces a tier (`tier:`) that cannot give what it asks: each gap's findings
 *   (availability and RPO are errors; what the tier builds without, a warning);
 * - each tier's own rules, unless the manifest forces another tier.
 */
import type { Finding, Rule } from '../manifest/rules.js';
import { formatHours } from '../model/plan.js';
import { TIER_REGISTRY } from '../tiers/registry.js';
import type { Tier } from '../tiers/tier.js';
import { bestRpo, tierGaps } from './assess.js';

function rpoReachable(tiers: readonly Tier[]): Rule {
  return ({ manifest }) => {
    const best = bestRpo(tiers);
    const rpo = manifest.backups.rpoHours;
    if (rpo >= best.hours) return [];
    return [
      {
        severity: 'error',
        code: 'rpo-unreachable',
        path: ['backups', 'rpoHours'],
        message: `no tier's backups can meet an RPO of ${formatHours(rpo)}`,
        expected: `at least ${formatHours(best.hours)} (${best.tier.capabilities.rpoMechanism})`,
        found: formatHours(rpo),
        fix: `set backups.rpoHours to ${Math.ceil(best.hours * 1000) / 1000} (${formatHours(best.hours)}) or more`,
      },
    ];
  };
}

function forcedTier(tiers: readonly Tier[]): Rule {
  return ({ manifest }) => {
    const tier = tiers.find((t) => t.name === manifest.tier);
    if (!tier) return [];
    return tierGaps(manifest, tier, tiers).flatMap((g) => g.whenForced);
  };
}

/** A tier's own rules apply unless the manifest forces another registered tier. */
function ownRules(tier: Tier, tiers: readonly Tier[]): Rule[] {
  return (tier.rules ?? []).map(
    (rule): Rule =>
      (ctx) => {
        const forced = ctx.manifest.tier;
        if (forced && forced !== tier.name && tiers.some((t) => t.name === forced)) return [];
        return rule(ctx);
      },
  );
}

/** Every tier-aware rule, the same finding reported once even when two tiers raise it. */
export function tierRules(tiers: readonly Tier[] = TIER_REGISTRY): Rule[] {
  const rules = [rpoReachable(tiers), forcedTier(tiers), ...tiers.flatMap((t) => ownRules(t, tiers))];
  return [
    (ctx) => {
      const seen = new Set<string>();
      return rules
        .flatMap((r) => r(ctx))
        .filter((f: Finding) => {
          const key = `${f.code}|${f.path.join('.')}|${f.message}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
    },
  ];
}
