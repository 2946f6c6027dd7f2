/**
 * The lean tier: one EC2 instance running Docker Compose, nginx with TLS, local PostgreSQL and
 * Redis, backups to S3. Planning is pure (./plan); the stack (./stack.ts) and the host files
 * (src/render/host) are loaded only when synthesized or written.
 */

import { LEAN_TIER, type LeanPlan, leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import type { HostFile } from '../../render/host/contract.js';
import type { Tier } from '../tier.js';
import { leanDesign } from './design.js';
import { LEAN_FIELDS } from './fields.js';
import { LeanDoesNotFit, planLean } from './plan/index.js';
import { renderLeanSection } from './summary.js';

function planned(plan: Plan): LeanPlan {
  const lean = leanPlanOf(plan);
  if (!lean) throw new Error(`${plan.manifest.name} has no lean plan (the tier is not eligible)`);
  return lean;
}

/** Host files per plan: rendered once, installed by the stack and written by `plan` alike. */
const hostFilesOf = new WeakMap<Plan, HostFile[]>();
async function hostFiles(plan: Plan): Promise<HostFile[]> {
  let files = hostFilesOf.get(plan);
  if (!files) {
    const { renderHostFiles } = await import('../../render/host/index.js');
    files = renderHostFiles(plan);
    hostFilesOf.set(plan, files);
  }
  return files;
}

export const leanTier: Tier<LeanPlan> = {
  name: LEAN_TIER,
  capabilities: {
    availability: ['single-instance'],
    minRpoHours: 1,
    rpoMechanism:
      'pg_dump to S3 on a systemd timer: data written since the last successful dump is lost if the volume is lost',
    maxRequestsPerMonth: 30_000_000,
    summary: 'one EC2 instance running Docker Compose, nginx with TLS, local PostgreSQL and Redis',
  },
  fields: LEAN_FIELDS,

  plan(m, catalog) {
    try {
      return { ok: true, plan: planLean(m, catalog) };
    } catch (e) {
      if (e instanceof LeanDoesNotFit) return { ok: false, reason: e.message };
      throw e;
    }
  },

  async synth(app, plan, ctx) {
    planned(plan);
    const [{ LeanStack, leanStackUsage }, files] = await Promise.all([import('./stack.js'), hostFiles(plan)]);
    const stack = new LeanStack(app, ctx.stackName, {
      plan,
      hostFiles: files,
      env: { region: plan.manifest.region },
      description: ctx.description,
    });
    return { main: stack, all: [stack], usage: leanStackUsage(stack) };
  },

  /** The host files, and the deploy workflow (run from the repository root) when ci names a repository. */
  async files(plan, ctx) {
    const lean = planned(plan);
    const files = (await hostFiles(plan)).map((f) => ({ path: `host${f.path}`, content: f.content }));
    if (!lean.ci) return files;
    const { renderLeanWorkflow, ciReleasedServices } = await import('../../render/ci/lean.js');
    if (!ciReleasedServices(plan).length) return files; // every image is pinned: nothing for CI to build
    const { repositoryRoot } = await import('../../manifest/paths.js');
    const path = await import('node:path');
    const root = repositoryRoot(plan.manifestDir);
    const fromRoot = (to: string) => path.relative(root, to).split(path.sep).join('/') || '.';
    const workflow = renderLeanWorkflow(plan, {
      assemblyPath: `${fromRoot(ctx.tierDir)}/cdk.out`,
      manifestDir: fromRoot(plan.manifestDir),
    });
    return [...files, { path: workflow.path, content: workflow.content }];
  },

  usage: (_plan, base) => base,

  summary(plan) {
    const lean = leanPlanOf(plan);
    return lean ? renderLeanSection(lean) : [];
  },

  deployCommand: (_plan, assemblyDir) => `npx aws-cdk deploy --app ${assemblyDir}`,

  design: (plan, ctx) => leanDesign(plan, planned(plan), ctx),
};
