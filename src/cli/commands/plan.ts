/**
 * `stackplan plan FILE`: manifest → plan → per tier: synthesized cloud assembly, template, host
 * files, compliance report → one writer to DIR. Bad input stops before anything is written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { formatDiagnostics } from '../../manifest/diagnostics.js';
import { loadManifest } from '../../manifest/load.js';
import type { TierName } from '../../manifest/schema.js';
import { type TierOutput, writeOutput } from '../../output/writer.js';
import { planApp, recommend } from '../../plan/index.js';
import type { Plan } from '../../plan/types.js';
import { loadPriceBook } from '../../price/book/index.js';
import { usageFromManifest } from '../../price/manifest-usage.js';
import type { FreeTierMode } from '../../price/types.js';
import { mergeUsage, type ProfileName, type Usage } from '../../price/usage.js';
import { readUsageFile } from '../../price/usage-file.js';
import { renderGithubWorkflow } from '../../render/ci/github.js';
import type { HostFile } from '../../render/host/contract.js';
import { renderHostFiles } from '../../render/host/index.js';
import { renderPlanSummary, type TierReport } from '../../report/plan-summary.js';
import type { SynthResult } from '../../synth/index.js';
import type { Io } from '../io.js';

export interface PlanCommandOptions {
  file: string;
  /** Output directory. @default out */
  out?: string;
  /** Build only this tier. @default every tier the manifest is eligible for */
  tier?: TierName;
  /** Usage profile for what the manifest does not say. @default chosen from the manifest's traffic */
  profile?: ProfileName;
  /** A usage file (see docs/cost.md); its values win over the manifest's. */
  usage?: string;
  /** @default paid-plan */
  freeTier?: FreeTierMode;
}

/**
 * The date prices are judged against: SOURCE_DATE_EPOCH when set (reproducible builds), else today.
 * It decides only staleness warnings and support-calendar prices, never a figure's source.
 */
export function pricingDate(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const d = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return d.toISOString().slice(0, 10);
}

/** Tiers stackplan can synthesize today. */
export const BUILDABLE_TIERS: readonly TierName[] = ['lean', 'ecs'];

export function tiersToBuild(plan: Plan, only?: TierName): TierName[] {
  if (only) {
    if (!BUILDABLE_TIERS.includes(only)) {
      throw new UserError(`the ${only} tier cannot be generated yet`, {
        actions: [`run without --tier to build ${BUILDABLE_TIERS.join(', ')}`],
      });
    }
    const a = plan.assessments.find((x) => x.tier === only)!;
    if ((only === 'lean' && !plan.lean) || (only === 'ecs' && !plan.ecs)) {
      throw new UserError(`the ${only} tier cannot run this app: ${a.unmet.join('; ')}`, {
        actions: [
          'run without --tier to see the tiers that can',
          'or change the manifest as the reasons say',
        ],
      });
    }
    return [only];
  }
  return BUILDABLE_TIERS.filter((t) =>
    t === 'lean' ? plan.lean !== undefined : t === 'ecs' ? plan.ecs !== undefined : true,
  );
}

/** The plan with its recommendation re-ranked by the priced steady-state (month 13) totals. */
export function withPricedRecommendation(p: Plan, reports: readonly TierReport[]): Plan {
  const monthly: Partial<Record<TierName, number>> = {};
  for (const r of reports) if (r.cost) monthly[r.tier as TierName] = r.cost.totals.month13Usd;
  const { tier, why } = recommend(p.manifest, p.assessments, monthly);
  return {
    ...p,
    recommended: tier,
    recommendationWhy: why,
    decisions: [{ topic: 'tier', choice: tier, why }, ...p.decisions.filter((d) => d.topic !== 'tier')],
  };
}

/**
 * The usage a tier is priced with. The ecs tier is priced as CI runs it: with an image tag
 * published, services built from source run their planned tasks (with the template default
 * "none" they run 0).
 */
function usageForTier(p: Plan, tier: TierName, usage: Usage, label: string): { usage: Usage; label: string } {
  const tagParam = tier === 'ecs' ? p.ecs?.imageTagParameter : undefined;
  if (!tagParam) return { usage, label };
  return {
    usage:
      usage.parameters?.[tagParam] === undefined
        ? { ...usage, parameters: { ...usage.parameters, [tagParam]: 'published-by-ci' } }
        : usage,
    label: `${label}; ${tagParam} as published by CI`,
  };
}

/** The ecs deploy workflow; it runs from the manifest's directory and deploys the assembly written here. */
function ciWorkflow(
  p: Plan,
  manifestDir: string,
  outDir: string,
): { path: string; content: string } | undefined {
  if (!p.ecs?.ci) return undefined;
  const assemblyPath = `${path.relative(manifestDir, outDir).split(path.sep).join('/') || '.'}/ecs/cdk.out`;
  return renderGithubWorkflow(p, { assemblyPath });
}

export async function plan(opts: PlanCommandOptions, io: Io): Promise<number> {
  const loaded = loadManifest(opts.file);
  if (!loaded.ok) {
    throw new UserError(`${loaded.file} is not a valid manifest`, {
      detail: formatDiagnostics(loaded.diagnostics),
      actions: [
        'fix each error above (file:line: what, then fix:)',
        `check again: stackplan validate ${opts.file}`,
      ],
    });
  }
  if (loaded.diagnostics.length) io.err(formatDiagnostics(loaded.diagnostics));
  const outDir = path.resolve(opts.out ?? 'out');
  const book = loadPriceBook();
  const basePlan = planApp(loaded.manifest, { catalog: book, manifestDir: loaded.dir });
  const tiers = tiersToBuild(basePlan, opts.tier);
  const manifestUsage = usageFromManifest(loaded.manifest, opts.profile);
  const usage = opts.usage ? mergeUsage(manifestUsage, readUsageFile(opts.usage)) : manifestUsage;
  const usageLabel = `manifest traffic and integrations, profile ${usage.profile ?? 'none'} for the rest${opts.usage ? `, ${opts.usage}` : ''}`;

  const { synthTier } = await import('../../synth/index.js');
  const { priceTemplate } = await import('../../price/engine.js');
  const { renderCostReport } = await import('../../price/render.js');
  const staging = mkdtempSync(path.join(tmpdir(), 'stackplan-synth-'));
  try {
    const outputs: TierOutput[] = [];
    const reports: TierReport[] = [];
    for (const tier of tiers) {
      const hostFiles: HostFile[] = tier === 'lean' ? renderHostFiles(basePlan) : [];
      const synth: SynthResult = await synthTier(basePlan, tier, {
        assemblyDir: path.join(staging, tier),
        hostFiles,
      });
      if (synth.findings.length) {
        const list = synth.findings.map((f) => `  ${f.rule} at ${f.path}: ${f.description}`).join('\n');
        throw new Error(
          `the ${tier} template has ${synth.findings.length} unacknowledged compliance finding(s):\n${list}`,
        );
      }
      const tierUsage = usageForTier(basePlan, tier, usage, usageLabel);
      const cost = priceTemplate(synth.template, {
        region: basePlan.manifest.region,
        usage: tierUsage.usage,
        usageLabel: tierUsage.label,
        freeTier: opts.freeTier ?? 'paid-plan',
        asOf: pricingDate(),
        book,
        stackName: synth.stackName,
        file: 'template.json',
      });
      const files: Record<string, string> = {
        'cost.json': renderCostReport(cost, 'json'),
        'cost.md': renderCostReport(cost, 'markdown'),
        'template.json': `${JSON.stringify(synth.template, null, 2)}\n`,
        'checks.json': `${JSON.stringify({ packs: ['AwsSolutions', 'NIST.800.53.R5'], findings: synth.findings, acknowledgements: synth.acknowledgements }, null, 2)}\n`,
      };
      for (const f of hostFiles) files[`host${f.path}`] = f.content;
      const workflow = tier === 'ecs' ? ciWorkflow(basePlan, loaded.dir, outDir) : undefined;
      if (workflow) files[workflow.path] = workflow.content;
      outputs.push({ tier, assemblyDir: synth.assemblyDir, files });
      reports.push({ tier, synth, hostFiles: hostFiles.length, cost });
    }
    const thePlan = withPricedRecommendation(basePlan, reports);
    const written = writeOutput(outDir, outputs);
    io.out(
      renderPlanSummary(thePlan, reports, { outDir: path.relative(process.cwd(), outDir) || '.', written }),
    );
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
