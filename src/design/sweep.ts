/**
 * The cost-versus-traffic sweep: the manifest's traffic scaled from a tenth to 100×, re-planned at
 * each step (so a tier stops being eligible where the planner says so, and sizes change where the
 * planner changes them) and re-priced with the scaled usage.
 *
 * Priced from plans, not from re-synthesized templates, where that is exact: a tier's template is
 * a function of its plan (the stacks read the plan, never the manifest's traffic), so when the
 * re-planned tier equals the base plan apart from its decisions' wording, the base template is the
 * template, and only the usage changes. Where the plan changes, the caller's `synthesize` builds
 * the template for that plan (once per distinct plan); when that template is the base one after
 * all, the top-level plan fields that changed are taken as not read by the stacks (eks's k6 load
 * figures, which only load/k6.js reads), and later plans differing only in them reuse it.
 * test/design/sweep.test.ts synthesizes every example's tiers at 0.1×, 10× and 100× and checks
 * that every template the sweep reused is byte-identical to the one synthesis gives.
 */
import type { Manifest } from '../manifest/normalize.js';
import type { Plan } from '../model/plan.js';
import { planApp, recommend } from '../plan/index.js';
import type { PriceBook } from '../price/book/index.js';
import { priceTemplate } from '../price/engine.js';
import { usageFromManifest } from '../price/manifest-usage.js';
import type { FreeTierMode } from '../price/types.js';
import { mergeUsage, type ProfileName, type Usage } from '../price/usage.js';
import type { Tier } from '../tiers/tier.js';
import type { CostSeries } from './chart/cost-traffic.js';

/** Traffic multiples of the manifest's, a tenth to 100×. */
export const SWEEP_MULTIPLES: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

export interface SweepTier {
  tier: Tier;
  stackName: string;
  /** The template `plan` synthesized for the base plan. */
  template: Record<string, unknown>;
  /** Usage only the stacks can key (TierStacks.usage). */
  stackUsage?: Usage;
}

export interface SweepOptions {
  book: PriceBook;
  asOf: string;
  freeTier: FreeTierMode;
  /** A profile the user named (`--profile`); otherwise each step picks its own from its traffic. */
  profile?: ProfileName;
  /** A usage file's values (they win, unscaled, at every step). */
  fileUsage?: Usage;
  /**
   * Template (and stack usage) of a plan that differs from the base one; undefined when it is not
   * built yet (`stackplan serve` prices what it has at once and synthesizes the rest afterwards):
   * the point is then left out, marked pending.
   */
  synthesize?: (
    plan: Plan,
    tier: Tier,
  ) => Promise<{ template: Record<string, unknown>; usage?: Usage } | undefined>;
}

export interface SweepPoint {
  x: number;
  tier: string;
  /** Month-13 USD, or null where the tier is not eligible. */
  usd: number | null;
  why?: string;
  /** How the point was priced: the base template (same plan) or a template for a changed plan. */
  template?: 'base' | 'resynthesized';
  /** The plan changes here and its template is not built yet (see SweepOptions.synthesize). */
  pending?: true;
}

export interface TrafficSweep {
  multiples: number[];
  /** What 1× is. */
  base: { requestsPerMonth: number; gbOutPerMonth: number };
  points: SweepPoint[];
  /** The tier the planner recommends at each multiple (priced). */
  recommended: Array<{ x: number; tier: string }>;
}

/** The manifest with its traffic scaled by x. */
export function scaledManifest(m: Manifest, x: number): Manifest {
  return {
    ...m,
    traffic: {
      ...m.traffic,
      requestsPerMonth: Math.round(m.traffic.requestsPerMonth * x),
      gbOutPerMonth: Math.round(m.traffic.gbOutPerMonth * x * 1000) / 1000,
    },
  };
}

/**
 * A tier plan without its decisions' wording (which may quote the traffic) and without the fields
 * known not to reach the template: what the template depends on.
 */
export function planKey(tierPlan: unknown, ignored: ReadonlySet<string> = new Set()): string {
  if (!tierPlan || typeof tierPlan !== 'object') return 'none';
  const rest = Object.fromEntries(
    Object.entries(tierPlan as Record<string, unknown>).filter(([k]) => k !== 'decisions' && !ignored.has(k)),
  );
  return JSON.stringify(rest);
}

/** Top-level fields (decisions aside) whose values differ between two plans of a tier. */
export function changedFields(a: unknown, b: unknown): string[] {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => k !== 'decisions' && JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .sort();
}

const cents = (n: number) => Math.round(n * 100) / 100;

export async function trafficSweep(
  base: Plan,
  tiers: readonly SweepTier[],
  opts: SweepOptions,
): Promise<TrafficSweep> {
  const points: SweepPoint[] = [];
  const recommended: TrafficSweep['recommended'] = [];
  const templates = new Map<string, { template: Record<string, unknown>; usage?: Usage }>();
  for (const t of tiers) {
    templates.set(`${t.tier.name}:${planKey(base.tiers[t.tier.name])}`, {
      template: t.template,
      ...(t.stackUsage && { usage: t.stackUsage }),
    });
  }
  // Top-level plan fields a re-synthesis showed the template does not read (eks's k6 load figures).
  const unread = new Map<string, Set<string>>();
  for (const x of SWEEP_MULTIPLES) {
    const m = scaledManifest(base.manifest, x);
    const p = planApp(m, { catalog: opts.book, manifestDir: base.manifestDir, asOf: opts.asOf });
    const monthly: Record<string, number> = {};
    for (const t of tiers) {
      const name = t.tier.name;
      const a = p.assessments.find((s) => s.tier === name);
      const tierPlan = p.tiers[name];
      if (!a?.eligible || !tierPlan) {
        points.push({ x, tier: name, usd: null, why: a?.unmet.join('; ') || 'not planned' });
        continue;
      }
      const ignored = unread.get(name) ?? new Set<string>();
      const changed = changedFields(base.tiers[name], tierPlan).filter((f) => !ignored.has(f));
      const same = changed.length === 0;
      const key = `${name}:${planKey(same ? base.tiers[name] : tierPlan, same ? new Set() : ignored)}`;
      let built = templates.get(key);
      if (!built) {
        if (!opts.synthesize) {
          points.push({
            x,
            tier: name,
            usd: null,
            why: 'the plan changes here and no template was built for it',
          });
          continue;
        }
        const made = await opts.synthesize(p, t.tier);
        if (!made) {
          points.push({ x, tier: name, usd: null, why: 'not synthesized yet', pending: true });
          continue;
        }
        built = made;
        templates.set(key, built);
        // The fields that changed do not reach the template: plans that differ only in them reuse it.
        if (JSON.stringify(built.template) === JSON.stringify(t.template)) {
          unread.set(name, new Set([...ignored, ...changed]));
        }
      }
      let usage = usageFromManifest(m, opts.profile);
      if (built.usage) usage = mergeUsage(usage, built.usage);
      if (opts.fileUsage) usage = mergeUsage(usage, opts.fileUsage);
      const tierUsage = t.tier.usage(p, { usage, label: 'sweep' });
      const report = priceTemplate(built.template, {
        region: m.region,
        usage: tierUsage.usage,
        usageLabel: tierUsage.label,
        freeTier: opts.freeTier,
        asOf: opts.asOf,
        book: opts.book,
        stackName: t.stackName,
      });
      const usd = cents(report.totals.month13Usd);
      monthly[name] = usd;
      points.push({ x, tier: name, usd, template: same ? 'base' : 'resynthesized' });
    }
    recommended.push({ x, tier: recommend(m, p.assessments, monthly).tier });
  }
  return {
    multiples: [...SWEEP_MULTIPLES],
    base: {
      requestsPerMonth: base.manifest.traffic.requestsPerMonth,
      gbOutPerMonth: base.manifest.traffic.gbOutPerMonth,
    },
    points,
    recommended,
  };
}

/** The sweep as chart series, one per tier, in the order given. */
export function sweepSeries(sweep: TrafficSweep, tierNames: readonly string[]): CostSeries[] {
  return tierNames.map((name) => ({
    name,
    points: sweep.points
      .filter((p) => p.tier === name)
      .map((p) => ({ x: p.x, usd: p.usd, ...(p.why !== undefined && { why: p.why }) })),
  }));
}
