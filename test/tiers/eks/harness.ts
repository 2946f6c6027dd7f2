/**
 * Test-only harness: plans and synthesizes the eks stack of an example on the pinned planning date,
 * synchronously and with the stack object at hand (the registry's `synthTier` is async and returns
 * the template only; test/cli covers that path). Each synth writes its cloud assembly, kubectl layer
 * zip included (~37 MB), to a temporary directory the caller removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Manifest } from '../../../src/manifest/normalize.js';
import {
  type Acknowledgement,
  type NagFinding,
  normalizeAssembly,
  readAcknowledgements,
  readFindings,
} from '../../../src/synth/index.js';
import { createApp } from '../../../src/tiers/app.js';
import type { EksPlan } from '../../../src/tiers/eks/plan/types.js';
import { EksStack } from '../../../src/tiers/eks/stack/stack.js';
import { exampleManifest, planExampleEks } from './helpers.js';

export interface EksSynth {
  plan: EksPlan;
  stack: EksStack;
  template: Record<string, any>;
  assemblyDir: string;
  findings: NagFinding[];
  acknowledgements: Acknowledgement[];
  synthMs: number;
  cleanup(): void;
}

/** The eks stack alone in an app with the project's settings (feature flags, nag packs). */
export function buildEksApp(
  manifest: Manifest,
  plan: EksPlan,
  opts: { outdir: string; schemaValidation?: boolean; nag?: boolean },
) {
  const app = createApp(opts);
  const stack = new EksStack(app, `${plan.app}-eks`, {
    manifest,
    eks: plan,
    env: { region: plan.region },
    description: `${plan.app} on EKS ${plan.kubernetes.version} (stackplan eks tier)`,
  });
  return { app, stack };
}

export function synthExample(
  file: string,
  opts: { nag?: boolean; schemaValidation?: boolean } = {},
): EksSynth {
  const manifest = exampleManifest(file);
  const plan = planExampleEks(file);
  const outdir = mkdtempSync(path.join(tmpdir(), 'stackplan-eks-'));
  const t0 = performance.now();
  const { app, stack } = buildEksApp(manifest, plan, { outdir, ...opts });
  const assembly = app.synth();
  normalizeAssembly(assembly.directory);
  const synthMs = performance.now() - t0;
  const artifact = assembly.getStackByName(stack.stackName);
  return {
    plan,
    stack,
    template: artifact.template as Record<string, any>,
    assemblyDir: assembly.directory,
    findings: readFindings(assembly.directory),
    acknowledgements: readAcknowledgements(assembly.directory),
    synthMs,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
