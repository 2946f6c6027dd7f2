/**
 * The eks tier's CDK app: one stack, `<app>-eks`, synthesized with the project's app settings
 * (recommended feature flags, cdk-nag packs, no stack traces). The registry wiring calls this; the
 * tests call it through test/tiers/eks/harness.ts.
 */
import type { App } from 'aws-cdk-lib';
import type { Manifest } from '../../manifest/normalize.js';
import { createApp } from '../app.js';
import type { EksPlan } from './plan/types.js';
import { EksStack } from './stack/stack.js';

export interface EksAppOptions {
  outdir: string;
  /** Run aws-cdk-lib's CloudFormation schema validator. @default false */
  schemaValidation?: boolean;
  /** Run the cdk-nag packs. @default true */
  nag?: boolean;
}

export function eksStackName(plan: EksPlan): string {
  return `${plan.app}-eks`;
}

export function buildEksApp(
  manifest: Manifest,
  plan: EksPlan,
  opts: EksAppOptions,
): { app: App; stack: EksStack } {
  const app = createApp({
    outdir: opts.outdir,
    ...(opts.schemaValidation !== undefined && { schemaValidation: opts.schemaValidation }),
    ...(opts.nag !== undefined && { nag: opts.nag }),
  });
  const stack = new EksStack(app, eksStackName(plan), {
    manifest,
    eks: plan,
    env: { region: plan.region },
    description: `${plan.app} on EKS ${plan.kubernetes.version} (stackplan eks tier)`,
  });
  return { app, stack };
}
