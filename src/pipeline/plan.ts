/**
 * `stackplan plan FILE`: manifest → plan → per registered tier: synthesized cloud assembly,
 * template, the tier's own files (host files, CI workflow …), compliance report, cost → one writer
 * to DIR. Bad input stops before anything is written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type DeployLimitFinding, deployLimitFindings } from '../check/deploy-limits.js';
import type { DesignChecks, DesignTierInput } from '../design/document/build.js';
import { UserError } from '../errors.js';
import { type Diagnostic, formatDiagnostics } from '../manifest/diagnostics.js';
import { locateField } from '../manifest/load.js';
import type { TierName } from '../manifest/schema.js';
import type { Plan } from '../model/plan.js';
import { type TierOutput, writeOutput } from '../output/writer.js';
import { planApp, recommend } from '../plan/index.js';
import { loadManifest } from '../plan/load.js';
import { loadPriceBook } from '../price/book/index.js';
import { usageFromManifest } from '../price/manifest-usage.js';
import type { FreeTierMode } from '../price/types.js';
import type { Usage } from '../price/usage.js';
import { mergeUsage, type ProfileName } from '../price/usage.js';
import { readUsageFile } from '../price/usage-file.js';
import { renderPlanSummary, type TierReport } from '../report/plan-summary.js';
import type { SynthResult } from '../synth/index.js';
import { TIER_REGISTRY, tierNamed } from '../tiers/registry.js';
import type { Tier } from '../tiers/tier.js';
import type { Io } from './io.js';

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
  /** Write the design document (DESIGN.md, design.html, design/). @default true */
  design?: boolean;
  /** Print every resource type and acknowledgement too. @default false */
  verbose?: boolean;
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

/** The registered tiers to build: the one `--tier` names, else every tier the plan planned. */
export function tiersToBuild(plan: Plan, only?: TierName): Tier[] {
  if (only) {
    const tier = tierNamed(only);
    if (!tier) {
      throw new UserError(`stackplan has no tier named ${only}`, {
        actions: [`run without --tier to build ${TIER_REGISTRY.map((t) => t.name).join(', ')}`],
      });
    }
    if (!plan.tiers[only]) {
      const a = plan.assessments.find((x) => x.tier === only)!;
      throw new UserError(`the ${only} tier cannot run this app: ${a.unmet.join('; ')}`, {
        actions: [
          'run without --tier to see the tiers that can',
          'or change the manifest as the reasons say',
        ],
      });
    }
    return [tier];
  }
  return TIER_REGISTRY.filter((t) => plan.tiers[t.name] !== undefined);
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

/** A template that would fail its deploy on a fixed quota: the manifest fields behind it, as diagnostics. */
function deployLimitError(file: string, tier: TierName, limits: DeployLimitFinding[]): UserError {
  const diagnostics: Diagnostic[] = limits.map((l) => ({
    severity: 'error',
    code: 'deploy-limit',
    path: l.field,
    message: `makes the ${tier} stack's ${l.what}${l.resource === 'template' ? '' : ` (${l.resource})`} ${l.size.toLocaleString('en-US')} ${l.unit}, over the fixed limit`,
    expected: `at most ${l.max.toLocaleString('en-US')} ${l.unit}`,
    found: `${l.size.toLocaleString('en-US')} ${l.unit}`,
    fix: l.fix,
    file,
    ...locateField(file, l.field.split('.')),
  }));
  return new UserError(`the ${tier} tier of ${file} cannot be deployed as it stands`, {
    detail: formatDiagnostics(diagnostics),
    actions: ['change the manifest as each fix says', `plan again: stackplan plan ${file}`],
  });
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
  const basePlan = planApp(loaded.manifest, { catalog: book, manifestDir: loaded.dir, asOf: pricingDate() });
  const tiers = tiersToBuild(basePlan, opts.tier);
  const manifestUsage = usageFromManifest(loaded.manifest, opts.profile);
  const fileUsage = opts.usage ? readUsageFile(opts.usage) : undefined;
  const profile = fileUsage?.profile ?? manifestUsage.profile;
  const usageLabel = `manifest traffic and integrations, profile ${profile ?? 'none'} for the rest${opts.usage ? `, ${opts.usage}` : ''}`;

  const { synthTier } = await import('../synth/index.js');
  const { asPlanFinding, runPlanPacks, renderChecksJson } = await import('../check/plan-packs.js');
  const { priceTemplate } = await import('../price/engine.js');
  const { renderCostReport } = await import('../price/render.js');
  const staging = mkdtempSync(path.join(tmpdir(), 'stackplan-synth-'));
  try {
    const outputs: TierOutput[] = [];
    const reports: TierReport[] = [];
    const designTiers: Array<DesignTierInput & { tier: Tier; stackUsage?: Usage }> = [];
    const freeTier = opts.freeTier ?? 'paid-plan';
    for (const tier of tiers) {
      const extraFiles = await tier.files(basePlan, { tierDir: path.join(outDir, tier.name) });
      const synth: SynthResult = await synthTier(basePlan, tier.name, {
        assemblyDir: path.join(staging, tier.name),
      });
      const limits = deployLimitFindings(synth.template, {
        region: basePlan.manifest.region,
        services: basePlan.manifest.services.map((s) => s.name),
        stack: synth.stackName,
      });
      if (limits.length) throw deployLimitError(loaded.file, tier.name, limits);
      // The Control Tower proactive controls: once per tier, on all of its stacks. Required to pass
      // like cdk-nag's packs: every finding fixed or acknowledged on its construct with a reason.
      const planPacks = await runPlanPacks(synth.assemblyDir, { asOf: pricingDate(), book });
      const unacknowledged = [
        ...synth.findings,
        ...planPacks.flatMap((p) => p.findings.filter((f) => !f.suppression).map(asPlanFinding)),
      ];
      if (unacknowledged.length) {
        const list = unacknowledged.map((f) => `  ${f.rule} at ${f.path}: ${f.description}`).join('\n');
        throw new Error(
          `the ${tier.name} template has ${unacknowledged.length} unacknowledged compliance finding(s) (AwsSolutions, NIST 800-53 R5 and Control Tower must all pass):\n${list}`,
        );
      }
      // The manifest's usage, what only the stacks can key (per resource), then the usage file's.
      let usage = synth.usage ? mergeUsage(manifestUsage, synth.usage) : manifestUsage;
      if (fileUsage) usage = mergeUsage(usage, fileUsage);
      const tierUsage = tier.usage(basePlan, { usage, label: usageLabel });
      const cost = priceTemplate(synth.template, {
        region: basePlan.manifest.region,
        usage: tierUsage.usage,
        usageLabel: tierUsage.label,
        freeTier,
        asOf: pricingDate(),
        book,
        stackName: synth.stackName,
        file: 'template.json',
      });
      const files: Record<string, string> = {
        'cost.json': renderCostReport(cost, 'json'),
        'cost.md': renderCostReport(cost, 'markdown'),
        'template.json': `${JSON.stringify(synth.template, null, 2)}\n`,
        'checks.json': renderChecksJson(
          { findings: synth.findings, acknowledgements: synth.acknowledgements },
          planPacks,
        ),
      };
      for (const f of extraFiles) files[f.path] = f.content;
      outputs.push({ tier: tier.name, assemblyDir: synth.assemblyDir, files });
      reports.push({
        tier: tier.name,
        synth,
        files: extraFiles.length,
        cost,
        packs: planPacks.map((p) => ({
          title: p.title,
          unacknowledged: p.findings.filter((f) => !f.suppression).length,
          acknowledged: p.findings.filter((f) => f.suppression).length,
        })),
      });
      if (opts.design !== false) {
        const { readConstructPaths } = await import('../design/architecture/template.js');
        designTiers.push({
          tier,
          name: tier.name,
          stackName: synth.stackName,
          template: synth.template,
          constructPaths: readConstructPaths(synth.assemblyDir, synth.stackName),
          cost,
          // What checks.json says, so the document and `stackplan design DIR` read the same report.
          checks: JSON.parse(files['checks.json']!) as DesignChecks,
          assemblyDir: `${tier.name}/cdk.out`,
          ...(synth.usage && { stackUsage: synth.usage }),
        });
      }
    }
    const thePlan = withPricedRecommendation(basePlan, reports);
    let designFiles: Record<string, string> | undefined;
    if (opts.design !== false) {
      const [{ trafficSweep }, { renderDesignFiles }] = await Promise.all([
        import('../design/sweep.js'),
        import('../design/write.js'),
      ]);
      let n = 0;
      const sweep = await trafficSweep(
        basePlan,
        designTiers.map((t) => ({
          tier: t.tier,
          stackName: t.stackName,
          template: t.template,
          ...(t.stackUsage && { stackUsage: t.stackUsage }),
        })),
        {
          book,
          asOf: pricingDate(),
          freeTier,
          ...(opts.profile && { profile: opts.profile }),
          ...(fileUsage && { fileUsage }),
          // A plan the traffic changed (other sizes or counts): its own template, checks off.
          synthesize: async (p, tier) => {
            const r = await synthTier(p, tier.name, {
              assemblyDir: path.join(staging, `sweep-${n++}`),
              nag: false,
            });
            return { template: r.template, ...(r.usage && { usage: r.usage }) };
          },
        },
      );
      designFiles = await renderDesignFiles({ plan: thePlan, tiers: designTiers, sweep });
    }
    const written = writeOutput(
      outDir,
      outputs,
      designFiles ? { files: designFiles } : { remove: ['DESIGN.md', 'design.html', 'design'] },
    );
    io.out(
      renderPlanSummary(thePlan, reports, {
        outDir: path.relative(process.cwd(), outDir) || '.',
        written,
        design: designFiles !== undefined,
        verbose: opts.verbose === true,
      }),
    );
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
