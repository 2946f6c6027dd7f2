/**
 * The ecs tier: ECS on Fargate behind an ALB, RDS PostgreSQL, ElastiCache, OpenSearch and
 * CloudFront. Planning is pure (./plan); the stacks (./stack.ts) and the CI workflow
 * (src/render/ci) are loaded only when synthesized or written.
 */
import * as path from 'node:path';
import { ECS_TIER, type EcsPlan, ecsPlanOf } from '../../model/ecs.js';
import type { Plan } from '../../model/plan.js';
import type { Tier } from '../tier.js';
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
    const { EcsStack, EcsEdgeStack, ecsStackUsage } = await import('./stack.js');
    const env = { region: plan.manifest.region };
    const edgeRegion = ecs.edge.edgeStackRegion;
    if (!edgeRegion) {
      const main = new EcsStack(app, ctx.stackName, { plan, env, description: ctx.description });
      return { main, all: [main], usage: ecsStackUsage(main) };
    }
    // CloudFront only takes certificates from us-east-1: a second stack there holds it.
    const edge = new EcsEdgeStack(app, `${ctx.stackName}-edge`, {
      plan,
      env: { region: edgeRegion },
      crossRegionReferences: true,
      description: `${ctx.description} (CloudFront certificate, ${edgeRegion})`,
    });
    const main = new EcsStack(app, ctx.stackName, {
      plan,
      env,
      description: ctx.description,
      crossRegionReferences: true,
      cloudFrontCertificate: edge.certificate, // a cross-region reference: deploys after the edge stack
    });
    return { main, all: [edge, main], usage: ecsStackUsage(main) };
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
  usage(plan, base) {
    const tagParam = planned(plan).imageTagParameter;
    if (!tagParam) return base;
    return {
      usage:
        base.usage.parameters?.[tagParam] === undefined
          ? { ...base.usage, parameters: { ...base.usage.parameters, [tagParam]: 'published-by-ci' } }
          : base.usage,
      label: `${base.label}; ${tagParam} as published by CI`,
    };
  },

  summary(plan) {
    const ecs = ecsPlanOf(plan);
    return ecs ? renderEcsSection(ecs) : [];
  },

  deployCommand: (plan, assemblyDir) =>
    `npx aws-cdk deploy --app ${assemblyDir}${ecsPlanOf(plan)?.edge.edgeStackRegion ? ' --all' : ''}`,
};
