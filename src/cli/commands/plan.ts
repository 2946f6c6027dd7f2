/**
 * `stackplan plan FILE`: manifest → plan → per tier: synthesized cloud assembly, template, host
 * files, compliance report → one writer to DIR. Bad input stops before anything is written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatDiagnostics } from '../../manifest/diagnostics.js';
import { loadManifest } from '../../manifest/load.js';
import type { TierName } from '../../manifest/schema.js';
import { type TierOutput, writeOutput } from '../../output/writer.js';
import { planApp } from '../../plan/index.js';
import type { Plan } from '../../plan/types.js';
import { loadPriceBook } from '../../price/book/index.js';
import type { HostFile } from '../../render/host/contract.js';
import { renderHostFiles } from '../../render/host/index.js';
import { renderPlanSummary, type TierReport } from '../../report/plan-summary.js';
import type { SynthResult } from '../../synth/index.js';
import { UserError } from '../errors.js';
import type { Io } from '../io.js';

export interface PlanCommandOptions {
  file: string;
  /** Output directory. @default out */
  out?: string;
  /** Build only this tier. @default every tier the manifest is eligible for */
  tier?: TierName;
}

/** Tiers stackplan can synthesize today. */
export const BUILDABLE_TIERS: readonly TierName[] = ['lean'];

export function tiersToBuild(plan: Plan, only?: TierName): TierName[] {
  if (only) {
    if (!BUILDABLE_TIERS.includes(only)) {
      throw new UserError(`the ${only} tier cannot be generated yet`, {
        actions: [`run without --tier to build ${BUILDABLE_TIERS.join(', ')}`],
      });
    }
    const a = plan.assessments.find((x) => x.tier === only)!;
    if (only === 'lean' && !plan.lean) {
      throw new UserError(`the lean tier cannot run this app: ${a.unmet.join('; ')}`, {
        actions: [
          'run without --tier to see the tiers that can',
          'or change the manifest as the reasons say',
        ],
      });
    }
    return [only];
  }
  return BUILDABLE_TIERS.filter((t) => (t === 'lean' ? plan.lean !== undefined : true));
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
  const thePlan = planApp(loaded.manifest, { catalog: loadPriceBook(), manifestDir: loaded.dir });
  const tiers = tiersToBuild(thePlan, opts.tier);

  const { synthTier } = await import('../../synth/index.js');
  const staging = mkdtempSync(path.join(tmpdir(), 'stackplan-synth-'));
  try {
    const outputs: TierOutput[] = [];
    const reports: TierReport[] = [];
    for (const tier of tiers) {
      const hostFiles: HostFile[] = tier === 'lean' ? renderHostFiles(thePlan) : [];
      const synth: SynthResult = await synthTier(thePlan, tier, {
        assemblyDir: path.join(staging, tier),
        hostFiles,
      });
      if (synth.findings.length) {
        const list = synth.findings.map((f) => `  ${f.rule} at ${f.path}: ${f.description}`).join('\n');
        throw new Error(
          `the ${tier} template has ${synth.findings.length} unacknowledged compliance finding(s):\n${list}`,
        );
      }
      const files: Record<string, string> = {
        'template.json': `${JSON.stringify(synth.template, null, 2)}\n`,
        'checks.json': `${JSON.stringify({ packs: ['AwsSolutions', 'NIST.800.53.R5'], findings: synth.findings, acknowledgements: synth.acknowledgements }, null, 2)}\n`,
      };
      for (const f of hostFiles) files[`host${f.path}`] = f.content;
      outputs.push({ tier, assemblyDir: synth.assemblyDir, files });
      reports.push({ tier, synth, hostFiles: hostFiles.length });
    }
    const written = writeOutput(outDir, outputs);
    io.out(
      renderPlanSummary(thePlan, reports, { outDir: path.relative(process.cwd(), outDir) || '.', written }),
    );
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
