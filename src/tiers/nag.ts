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
 * Acknowledges a rule (or one finding, `Rule[Finding]`) on a construct. The reason must say why
 * this design accepts it; a short or generic reason is a programming error.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `acknowledgement of ${id} at ${scope.node.path} needs a reason of at least ${MIN_REASON_LENGTH} characters`,
    );
  }
  Validations.of(scope).acknowledge({ id, reason });
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
