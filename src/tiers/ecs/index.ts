/**
 * The ecs tier: ECS on Fargate behind an ALB, RDS PostgreSQL, ElastiCache, OpenSearch and
 * CloudFront. Planning is pure (./plan); the stacks (./stack.ts) and the CI workflow
 * (src/render/ci) are loaded only when synthesized or written.
 */
import * as path from 'node:path';
import { ECS_TIER, type EcsPlan, ecsPlanOf } from '../../model/ecs.js';
import type { Plan } from '../../model/plan.js';
import { withPublishedImageTag } from '../image-tag.js';
import type { Tier } from '../tier.js';
import { ecsDesign } from './design.js';
import { ECS_FIELDS } from './fields.js';
import { EcsDoesNotFit, planEcs } from './plan/index.js';
import { ECS_RULES } from './rules.js';
import { renderEcsSection } from './summary.js';

function planned(plan: Plan): EcsPlan {
  const ecs = ecsPlanOf(plan);
  if (!ecs) throw new Error(`${plan.manifest.name} has no ecs plan (the tier is not eligible)`);
  return ecs;
}

export const ecsTier: Tier<EcsPlan> = {
  name: ECS_TIER,
  capabilities: {
    availability: ['single-instance', 'multi-az', 'multi-az-ha'],
    minRpoHours: 5 / 60,
    rpoMechanism:
      'RDS automated backups with point-in-time recovery (transaction logs every 5 minutes); Multi-AZ replicates synchronously',
    maxRequestsPerMonth: Number.POSITIVE_INFINITY,
    summary: 'ECS on Fargate behind an ALB, RDS PostgreSQL, ElastiCache, CloudFront',
  },
  fields: ECS_FIELDS,
  rules: ECS_RULES,

  plan(m, catalog) {
    try {
      return { ok: true, plan: planEcs(m, catalog) };
    } catch (e) {
      if (e instanceof EcsDoesNotFit) return { ok: false, reason: e.message };
      throw e;
    }
  },

  async synth(app, plan, ctx) {
    const ecs = planned(plan);
    const [{ EcsStack, ecsStackUsage }, { withEdgeCertificate }] = await Promise.all([
      import('./stack.js'),
      import('../constructs/edge-certificate.js'),
    ]);
    const { main, all } = withEdgeCertificate(
      app,
      { ...ctx, edge: ecs.edge },
      (edgeProps) =>
        new EcsStack(app, ctx.stackName, {
          plan,
          env: { region: plan.manifest.region },
          description: ctx.description,
          ...edgeProps,
        }),
    );
    return { main, all, usage: ecsStackUsage(main) };
  },

  /** The deploy workflow runs from the repository root and deploys the assembly written here. */
  async files(plan, ctx) {
    if (!planned(plan).ci) return [];
    const { renderGithubWorkflow } = await import('../../render/ci/github.js');
    const { repositoryRoot } = await import('../../manifest/paths.js');
    const root = repositoryRoot(plan.manifestDir);
    const fromRoot = (to: string) => path.relative(root, to).split(path.sep).join('/') || '.';
    const workflow = renderGithubWorkflow(plan, {
      assemblyPath: `${fromRoot(ctx.tierDir)}/cdk.out`,
      manifestDir: fromRoot(plan.manifestDir),
    });
    return [{ path: workflow.path, content: workflow.content }];
  },

  /**
   * Priced as CI runs it: with an image tag published, services built from source run their planned
   * tasks (with the template default "none" they run 0).
   */
  usage: (plan, base) => withPublishedImageTag(planned(plan).imageTagParameter, base),

  summary(plan) {
    const ecs = ecsPlanOf(plan);
    return ecs ? renderEcsSection(ecs) : [];
  },

  deployCommand: (plan, assemblyDir) =>
    `npx aws-cdk deploy --app ${assemblyDir}${ecsPlanOf(plan)?.edge.edgeStackRegion ? ' --all' : ''}`,

  design: (plan, ctx) => ecsDesign(plan, planned(plan), ctx),
};
