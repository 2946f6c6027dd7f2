/**
 * What `stackplan plan` prints: every registered tier side by side (priced, or why it cannot run
 * the app), each planned tier's own section, resources, checks.
 */
import type { Plan } from '../model/plan.js';
import type { CostReport } from '../price/types.js';
import type { SynthResult } from '../synth/index.js';
import { TIER_REGISTRY, tierNamed } from '../tiers/registry.js';

export interface TierReport {
  tier: string;
  synth: SynthResult;
  /** Files written beside the cloud assembly (host files, CI workflow …). */
  files: number;
  /** The tier's template priced with the manifest's usage. */
  cost?: CostReport;
  /** The packs `plan` runs and reports besides cdk-nag's (Control Tower), counted. */
  packs?: Array<{ title: string; unacknowledged: number; acknowledged: number }>;
}

export interface SummaryContext {
  outDir: string;
  written: Array<{ tier: string; dir: string; files: string[] }>;
  /** Whether DESIGN.md and design.html were written. */
  design?: boolean;
  /** Every resource type and acknowledgement, as well as the one-screen summary. */
  verbose?: boolean;
}

export function resourcesByType(template: Record<string, unknown>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of Object.values((template.Resources ?? {}) as Record<string, { Type: string }>)) {
    counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

function indent(lines: string[], by = '  '): string[] {
  return lines.map((l) => `${by}${l}`);
}

export function renderPlanSummary(plan: Plan, reports: TierReport[], ctx: SummaryContext): string {
  const m = plan.manifest;
  const out: string[] = [];
  out.push(`${m.name} → ${plan.recommended} tier (${plan.recommendationWhy})`);
  out.push('');
  out.push('Tiers                          month 1    month 13   (list prices, USD a month)');
  for (const a of plan.assessments) {
    const mark = a.tier === plan.recommended ? '→' : ' ';
    const cost = reports.find((r) => r.tier === a.tier)?.cost;
    const figures = cost
      ? `${usd(cost.totals.month1Usd).padStart(10)} ${usd(cost.totals.month13Usd).padStart(11)}`
      : `${'—'.padStart(10)} ${'—'.padStart(11)}`;
    const verdict = a.eligible
      ? cost
        ? 'meets the manifest'
        : 'meets the manifest; not built (plan --tier builds one tier)'
      : `cannot: ${a.unmet.join('; ')}`;
    out.push(`  ${mark} ${a.tier.padEnd(5)} ${figures.padEnd(23)}   ${verdict}`);
  }
  const priced = reports.find((r) => r.cost)?.cost;
  if (priced) {
    out.push(
      `  usage: ${priced.usage}; free tier: ${priced.freeTier}. Month 1 takes free-tier credits off; month 13 is the steady state.`,
    );
    const undetermined = reports.reduce((n, r) => n + (r.cost?.totals.dependsOnUsage ?? 0), 0);
    if (undetermined)
      out.push(
        `  ${undetermined} usage-based line${undetermined === 1 ? ' has' : 's have'} no usage and ${undetermined === 1 ? 'is' : 'are'} not in these totals (see cost.md).`,
      );
  }
  // The tier whose decisions the short form lists: the recommended one, or the one --tier built.
  const built = reports.map((r) => r.tier);
  const detailed = built.length && !built.includes(plan.recommended) ? built[0] : plan.recommended;
  for (const tier of TIER_REGISTRY) {
    const section = tier.summary(plan);
    if (!section.length) continue;
    if (ctx.verbose) {
      out.push('', ...section);
      continue;
    }
    // One screen: each tier's headline; the recommended tier's decisions, without their reasons.
    out.push('', section[0]!);
    if (tier.name !== detailed) continue;
    for (const d of plan.tiers[tier.name]?.decisions ?? []) out.push(`  - ${d.topic}: ${d.choice}`);
  }
  if (!ctx.verbose)
    out.push(
      '',
      `Sizes, cheaper designs and every decision's reason: ${ctx.design ? `${ctx.outDir}/DESIGN.md, or ` : ''}plan --verbose.`,
    );
  const where = ctx.design ? 'DESIGN.md § Security, checks.json' : 'checks.json';
  if (!ctx.verbose) out.push('');
  for (const r of reports) {
    const types = resourcesByType(r.synth.template);
    const total = types.reduce((a, [, n]) => a + n, 0);
    const checks = `AwsSolutions and NIST 800-53 R5 — ${r.synth.findings.length} unacknowledged, ${r.synth.acknowledgements.length} acknowledged`;
    // The packs plan runs besides cdk-nag's (Control Tower), required to pass like them.
    const reported = (r.packs ?? []).map(
      (p) =>
        `${p.title} — ${p.unacknowledged} unacknowledged, ${p.acknowledged} acknowledged (required to pass; reasons: checks.json)`,
    );
    if (!ctx.verbose) {
      out.push(
        `${r.tier}: stack ${r.synth.stackName}, ${total} resources; checks: ${checks} (reasons: ${where}, or --verbose)`,
        ...reported.map((x) => `  ${x}`),
      );
      continue;
    }
    out.push('');
    out.push(`${r.tier}: stack ${r.synth.stackName}, ${total} resources`);
    out.push(
      ...indent(
        types.map(([t, n]) => `${String(n).padStart(3)}  ${t}`),
        '  ',
      ),
    );
    out.push(`  checks: ${checks}:`);
    for (const a of r.synth.acknowledgements) {
      out.push(`    ${a.rule}`);
      out.push(`      at ${a.path}: ${a.reason}`);
    }
    for (const x of reported) out.push(`  checks: ${x}`);
  }
  out.push('');
  if (ctx.design)
    out.push(
      `wrote ${ctx.outDir}/DESIGN.md and ${ctx.outDir}/design.html (architecture, costs across traffic, security, runbooks, upgrade path)`,
    );
  for (const w of ctx.written) {
    const dir = `${ctx.outDir}/${w.tier}`;
    // The tier's own folders (host/, ci/ …) after the files every tier writes.
    const folders = [
      ...new Set(
        w.files.filter((f) => f !== 'cdk.out/' && f.includes('/')).map((f) => `${f.split('/')[0]}/`),
      ),
    ];
    out.push(
      `wrote ${dir}/ (${w.files.length} entries: ${['cdk.out', 'template.json', 'checks.json', 'cost.json', 'cost.md', ...folders].join(', ')})`,
    );
    const tier = tierNamed(w.tier);
    if (tier) out.push(`  deploy: ${tier.deployCommand(plan, `${dir}/cdk.out`)}`);
  }
  return out.join('\n');
}
