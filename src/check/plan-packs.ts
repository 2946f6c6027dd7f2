/**
 * The packs `plan` runs on a tier's cloud assembly besides cdk-nag's (which run inside synth as
 * CDK validation plugins): the AWS Control Tower proactive controls. They run once per tier, on
 * every stack of the assembly in one cfn-guard run, through the same engine as `stackplan check`
 * — same input reader, same acknowledgement matching — so `plan` and `stackplan check` on the
 * manifest cannot disagree about them. `plan` requires them to pass like cdk-nag's packs: a
 * finding is fixed in the tier's constructs or acknowledged there, with its reason.
 */
import type { PriceBook } from '../price/book/index.js';
import { runCheck } from './run.js';
import type { Finding } from './types.js';

export interface PlanPackResult {
  /** Pack id as checks.json names it. */
  id: string;
  title: string;
  /** Controls evaluated (those whose resource types occur in the tier's templates). */
  rulesEvaluated?: number;
  /** Time the pack took (guard included), for the bench; not written to checks.json. */
  seconds: number;
  /** Every finding, acknowledged ones with their suppression. */
  findings: Finding[];
}

/** Runs the packs `plan` adds to cdk-nag on one tier's assembly. */
export async function runPlanPacks(
  assemblyDir: string,
  opts: { asOf: string; book: PriceBook },
): Promise<PlanPackResult[]> {
  const report = await runCheck({
    input: assemblyDir,
    packs: ['control-tower'],
    asOf: opts.asOf,
    book: opts.book,
    failOn: 'none',
    root: assemblyDir,
  });
  return report.packs.map((p) => ({
    id: p.id,
    title: p.title,
    ...(p.rules !== undefined && { rulesEvaluated: p.rules }),
    seconds: p.seconds,
    findings: report.findings.filter((f) => f.pack === p.id),
  }));
}

export interface ChecksJsonFinding {
  pack: string;
  rule: string;
  path: string;
  description: string;
  severity: string;
}

export interface ChecksJsonAcknowledgement {
  rule: string;
  path: string;
  reason: string;
}

/** A finding of a plan pack as checks.json and plan's summary list it (like a cdk-nag finding). */
export function asPlanFinding(f: Finding): ChecksJsonFinding {
  return {
    pack: f.pack,
    rule: f.ruleId,
    path: f.location.constructPath ?? `${f.location.stack}/${f.location.logicalId ?? ''}`,
    description: f.message,
    severity: f.severity,
  };
}

/**
 * checks.json: each pack's results (its unacknowledged findings and the acknowledgements that
 * apply to it), then cdk-nag's findings and every acknowledgement together, as before. cdk-nag's packs are told apart by their
 * rule-id prefixes; a plan pack's acknowledgements are those its findings matched.
 */
export function renderChecksJson(
  nag: { findings: ChecksJsonFinding[]; acknowledgements: ChecksJsonAcknowledgement[] },
  planPacks: readonly PlanPackResult[],
): string {
  const nagPack = (id: string) => ({
    id,
    findings: nag.findings.filter((f) => f.pack === id || f.rule.startsWith(`${id}-`)),
    acknowledgements: nag.acknowledgements.filter((a) => a.rule.startsWith(`${id}-`)),
  });
  const packs = [
    nagPack('AwsSolutions'),
    nagPack('NIST.800.53.R5'),
    ...planPacks.map((p) => ({
      id: p.id,
      title: p.title,
      ...(p.rulesEvaluated !== undefined && { rulesEvaluated: p.rulesEvaluated }),
      findings: p.findings.filter((f) => !f.suppression).map(asPlanFinding),
      acknowledgements: p.findings.flatMap((f) =>
        f.suppression
          ? [
              {
                rule: f.ruleId,
                path: f.location.constructPath ?? f.location.stack,
                reason: f.suppression.reason,
              },
            ]
          : [],
      ),
    })),
  ];
  // Top level, as before the packs were listed: cdk-nag's unacknowledged findings (which `plan`
  // refuses to write) and every acknowledgement in the assembly.
  return `${JSON.stringify({ packs, findings: nag.findings, acknowledgements: nag.acknowledgements }, null, 2)}\n`;
}
