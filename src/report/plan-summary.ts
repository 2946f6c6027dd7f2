/** What `stackplan plan` prints: the tiers side by side, the sizing and why, resources, checks. */
import { formatHours } from '../plan/capabilities.js';
import type { Plan } from '../plan/types.js';
import type { CostReport } from '../price/types.js';
import type { SynthResult } from '../synth/index.js';
import { renderEcsSection } from './ecs-summary.js';

export interface TierReport {
  tier: string;
  synth: SynthResult;
  hostFiles: number;
  /** The tier's template priced with the manifest's usage. */
  cost?: CostReport;
}

export interface SummaryContext {
  outDir: string;
  written: Array<{ tier: string; dir: string; files: string[] }>;
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
        : 'meets the manifest; not generated'
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
  const lean = plan.lean;
  if (lean) {
    out.push('');
    out.push(
      `lean: ${lean.instance.type} (${lean.arch}, ${lean.instance.vcpu} vCPU, ${lean.instance.memoryMiB} MiB, $${lean.instance.hourlyUsd}/h on demand)`,
    );
    out.push('  sizing');
    for (const l of lean.sizing) {
      out.push(
        `    ${l.component.padEnd(48)} ${String(l.memoryMiB).padStart(6)} MiB  ${l.vcpu.toFixed(2)} vCPU  ${l.why}`,
      );
    }
    const cheaper = lean.candidates.filter((c) => !c.fits);
    if (cheaper.length) {
      out.push('  cheaper types that do not fit');
      for (const c of cheaper) out.push(`    ${c.type.padEnd(12)} $${c.hourlyUsd}/h  ${c.why}`);
    }
    out.push(`  volumes: root ${lean.volumes.root.sizeGb} GiB (${lean.volumes.root.why})`);
    out.push(`           data ${lean.volumes.data.sizeGb} GiB (${lean.volumes.data.why})`);
    out.push(
      `  backups: every ${formatHours(lean.backup.intervalHours)}, kept ${lean.backup.retentionDays} days; RPO ${formatHours(lean.backup.achievedRpoHours)}`,
    );
    out.push('  decisions');
    out.push(
      ...indent(
        lean.decisions.map((d) => `- ${d.topic}: ${d.choice} — ${d.why}`),
        '    ',
      ),
    );
  }
  if (plan.ecs) {
    out.push('');
    out.push(...renderEcsSection(plan.ecs));
  }
  for (const r of reports) {
    const types = resourcesByType(r.synth.template);
    const total = types.reduce((a, [, n]) => a + n, 0);
    out.push('');
    out.push(`${r.tier}: stack ${r.synth.stackName}, ${total} resources`);
    out.push(
      ...indent(
        types.map(([t, n]) => `${String(n).padStart(3)}  ${t}`),
        '  ',
      ),
    );
    out.push(
      `  checks: AwsSolutions and NIST 800-53 R5 — ${r.synth.findings.length} unacknowledged, ${r.synth.acknowledgements.length} acknowledged:`,
    );
    for (const a of r.synth.acknowledgements) {
      out.push(`    ${a.rule}`);
      out.push(`      at ${a.path}: ${a.reason}`);
    }
  }
  out.push('');
  for (const w of ctx.written) {
    const dir = `${ctx.outDir}/${w.tier}`;
    out.push(
      `wrote ${dir}/ (${w.files.length} entries: cdk.out, template.json, checks.json, cost.json, cost.md${w.files.some((f) => f.startsWith('host/')) ? ', host/' : ''}${w.files.some((f) => f.startsWith('ci/')) ? ', ci/' : ''})`,
    );
    const both = w.tier === 'ecs' && plan.ecs?.edge.edgeStackRegion ? ' --all' : '';
    out.push(`  deploy: npx aws-cdk deploy --app ${dir}/cdk.out${both}`);
  }
  return out.join('\n');
}
