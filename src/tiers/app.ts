/**
 * The CDK app every tier is synthesized in: current recommended feature flags (what `cdk init`
 * gives users), no analytics, no stack traces (so assemblies are byte-identical across machines),
 * and findings reported instead of thrown so `plan` can show them all.
 *
 * aws-cdk-lib's built-in CloudFormation schema validation is off here: it costs ~3 s on a process's
 * first synth. It runs instead in the test suite over every example template, where its cost is
 * paid once per run, not on every `plan`.
 */
import { App, cx_api } from 'aws-cdk-lib';
import { addNagPacks } from './nag.js';

export interface CreateAppOptions {
  outdir: string;
  /** Run aws-cdk-lib's bundled CloudFormation schema validator during synth. @default false */
  schemaValidation?: boolean;
  /** Run the cdk-nag packs. @default true */
  nag?: boolean;
}

export function createApp(opts: CreateAppOptions): App {
  const app = new App({
    outdir: opts.outdir,
    builtinCloudFormationValidation: opts.schemaValidation ?? false,
    stackTraces: false,
    analyticsReporting: false,
    context: {
      ...cx_api.CURRENTLY_RECOMMENDED_FLAGS,
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      [cx_api.DISABLE_METADATA_STACK_TRACE]: true,
      'aws:cdk:disable-creation-stack-traces': true,
    },
  });
  if (opts.nag ?? true) addNagPacks(app);
  return app;
}
