/**
 * Compliance packs and acknowledgements. Every synth runs cdk-nag's AwsSolutions and NIST 800-53 R5
 * packs; a finding this design accepts is acknowledged on the construct it concerns, with a reason
 * specific to the design (never a blanket stack-level suppression). Acknowledgements are written
 * into the cloud assembly's metadata, and `plan` lists them from there.
 */
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export const NAG_PACKS = ['AwsSolutions', 'NIST.800.53.R5'] as const;

export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}

/** Minimum length of an acknowledgement reason (cdk-nag v2 refused shorter ones). */
export const MIN_REASON_LENGTH = 10;

/**
 * The same control as another pack words it: acknowledging a cdk-nag rule on a construct also
 * acknowledges the AWS Control Tower proactive control that asks for the same property of the
 * same resource, with the same reason (the design accepts the property, whichever pack names it).
 * Control Tower's controls without a cdk-nag twin are acknowledged by their own id.
 */
export const SAME_CONTROL: Readonly<Record<string, readonly string[]>> = {
  'NIST.800.53.R5-CloudWatchLogGroupEncrypted': ['CT.CLOUDWATCH.PR.3'],
  'NIST.800.53.R5-S3DefaultEncryptionKMS': ['CT.S3.PR.10'],
  'NIST.800.53.R5-S3BucketLoggingEnabled': ['CT.S3.PR.2'],
  'NIST.800.53.R5-S3BucketVersioningEnabled': ['CT.S3.PR.11'],
  'NIST.800.53.R5-LambdaInsideVPC': ['CT.LAMBDA.PR.3'],
  'NIST.800.53.R5-RDSMultiAZSupport': ['CT.RDS.PR.1'],
  'NIST.800.53.R5-RDSEnhancedMonitoringEnabled': ['CT.RDS.PR.2'],
  'NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled': ['CT.EC2.PR.13'],
  'NIST.800.53.R5-EC2InstanceNoPublicIp': ['CT.EC2.PR.8'],
  'AwsSolutions-RDS11': ['CT.RDS.PR.20'],
};

/**
 * Reasons that say nothing about the resource: refused, like a short one. A reason says why this
 * design accepts the finding on this resource (what it holds, what the fix would cost, what
 * already gives the property).
 */
const GENERIC_REASON =
  /^\s*(false positive|not applicable|n\/?a|accepted|acceptable|by design|as designed|intended|intentional|not needed|not required|ok(ay)?|known( issue)?|suppressed|ignore[d]?|todo|tbd|fixme|wontfix|won't fix|see (above|below|docs?))[\s.!]*$/i;

/** Why a reason is refused, or undefined when it is acceptable. */
export function reasonProblem(reason: string): string | undefined {
  if (reason.trim().length < MIN_REASON_LENGTH)
    return `needs a reason of at least ${MIN_REASON_LENGTH} characters`;
  if (GENERIC_REASON.test(reason)) return `needs a reason specific to the resource, not "${reason.trim()}"`;
  return undefined;
}

/**
 * Acknowledges a rule (or one finding, `Rule[Finding]`) on a construct, and the Control Tower
 * control that is the same (SAME_CONTROL). The reason must say why this design accepts it; a
 * short or generic reason is a programming error.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const problem = reasonProblem(reason);
  if (problem) throw new Error(`acknowledgement of ${id} at ${scope.node.path} ${problem}`);
  Validations.of(scope).acknowledge({ id, reason });
  for (const twin of SAME_CONTROL[id] ?? []) Validations.of(scope).acknowledge({ id: twin, reason });
}

/** Acknowledges several rules with one shared, specific reason. */
export function acknowledgeAll(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) acknowledge(scope, id, reason);
}

/**
 * Acknowledges one wildcard-resource finding (AwsSolutions-IAM5) by the resource it concerns,
 * written the way cdk-nag flattens it (`<Logical.Arn>/prefix/*`), so the acknowledgement covers
 * exactly that resource and nothing else.
 */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
}

/**
 * aws-cdk-lib's custom-resource function that strips the default security group's rules
 * (`restrictDefaultSecurityGroup`), a singleton at the stack's root. Call after creating the VPC.
 */
export function acknowledgeDefaultSgProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (!provider) return;
  acknowledge(
    provider,
    'CT.LAMBDA.PR.3',
    'aws-cdk-lib’s deploy-time function that removes every rule of the VPC’s default security group: it calls only the EC2 API and holds no data, and inside the VPC it would need a NAT or an EC2 interface endpoint to reach that API',
  );
}
