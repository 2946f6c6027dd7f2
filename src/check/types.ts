/**
 * The data `stackplan check` passes between its parts: what a rule is (RuleInfo), what a pack
 * reports (RawFinding, about a resource of a stack), and the located, possibly suppressed Finding
 * the renderers print. Plain data: no I/O here.
 */

export type Severity = 'error' | 'warning' | 'note';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** How bad a severity is, for --fail-on and sorting (higher is worse). */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

export type RuleCategory = 'security' | 'reliability' | 'cost' | 'kubernetes' | 'compliance';

/** Everything a reader (RULES.md, SARIF `tool.driver.rules`, `--format json`) needs about a rule. */
export interface RuleInfo {
  /** Stable id, e.g. `SP-tls-policy`, `AwsSolutions-EC23`, `CT.EC2.PR.4`. */
  id: string;
  /** Pack id that owns it. */
  pack: string;
  /** One line: what the rule finds. */
  title: string;
  severity: Severity;
  category: RuleCategory;
  /** What it checks, precisely (the full description). */
  what: string;
  /** Why it matters. */
  why: string;
  /** How to fix it. */
  fix: string;
  references: string[];
  /** GitHub's `security-severity` (0.1-10) for security findings. */
  securitySeverity?: number;
  /** Resource types it reads (documentation, and to skip work). */
  resourceTypes?: string[];
}

/** A finding as a pack reports it: about one resource (or the template) of one stack. */
export interface RawFinding {
  ruleId: string;
  /** The severity of this finding; defaults to the rule's. */
  severity?: Severity;
  message: string;
  /** Stack name (CheckStack.name). */
  stack: string;
  /** Logical id of the resource; absent for a template-level finding. */
  logicalId?: string;
  /** Path below the resource to the property that caused it, e.g. ['Properties', 'SslPolicy']. */
  path?: Array<string | number>;
  /**
   * What distinguishes two findings of one rule on one resource (cdk-nag's `[Resource::…]`
   * part, a container name): part of the fingerprint and of the acknowledgement id.
   */
  detail?: string;
  /** Cost rules: the monthly difference the fix makes, in USD (null: depends on usage). */
  monthlyImpactUsd?: number | null;
}

export interface FindingLocation {
  /** File as a user reads it (relative to the working directory when below it). */
  file: string;
  /** Repository-relative URI (SARIF artifactLocation.uri). */
  uri: string;
  line: number;
  column: number;
  stack: string;
  logicalId?: string;
  /** e.g. `Properties.SslPolicy` */
  property?: string;
  /** CDK construct path, when the template came from a cloud assembly. */
  constructPath?: string;
  /** For a manifest: the field that caused it (e.g. `services.api`) and the tier. */
  manifestField?: string;
  tier?: string;
  /** For a manifest: where the finding is in the synthesized template. */
  templateLocation?: { file: string; line: number };
}

export interface Suppression {
  /** `acknowledgement`: a cdk-nag / CDK acknowledgement in the assembly or template metadata; `ignore-file`: an entry of the check ignore file. */
  kind: 'acknowledgement' | 'ignore-file';
  reason: string;
  /** Where it was written: construct path, or ignore file:line. */
  source: string;
}

export interface Finding {
  ruleId: string;
  pack: string;
  severity: Severity;
  message: string;
  location: FindingLocation;
  detail?: string;
  monthlyImpactUsd?: number | null;
  suppression?: Suppression;
  /** Stable across edits that move lines: rule, stack, resource and detail. */
  fingerprint: string;
}

export interface PackRun {
  id: string;
  title: string;
  seconds: number;
  /** Rules the pack evaluated (when it can say). */
  rules?: number;
  /** What this pack cannot see in the input, printed with the report. */
  limits: string[];
}

export interface CheckReport {
  schemaVersion: 1;
  tool: { name: 'stackplan'; version: string };
  /** YYYY-MM-DD the calendars and prices were judged against. */
  asOf: string;
  input: { path: string; kind: 'template' | 'assembly' | 'manifest'; stacks: string[] };
  failOn: Severity | 'none';
  packs: PackRun[];
  /** Every rule a finding refers to. */
  rules: RuleInfo[];
  findings: Finding[];
  counts: { error: number; warning: number; note: number; suppressed: number };
  /** Ignore-file entries that matched nothing, and other things the user should know. */
  warnings: string[];
}
