/**
 * The eks tier: an EKS cluster (managed node group or Auto Mode, whichever costs less) running the
 * app as typed Kubernetes objects that `cdk deploy` applies, on the ecs tier's network, Multi-AZ
 * data stores and edge. Planning is pure (./plan); the stack (./stack), the Kubernetes YAML, the CI
 * workflow and the load script (./files.ts) are loaded only when synthesized or written.
 */
import * as path from 'node:path';
import type { Plan } from '../../model/plan.js';
import { tierPlanOf } from '../../model/plan.js';
import { withPublishedImageTag } from '../image-tag.js';
import type { Tier } from '../tier.js';
import { EKS_FIELDS } from './fields.js';
import { type EksCatalog, EksDoesNotFit, planEks } from './plan/index.js';
import type { EksPlan } from './plan/types.js';
import { renderEksSection } from './summary.js';

export const EKS_TIER = 'eks';

/** The eks plan inside a plan, when the tier was planned. */
export function eksPlanOf(plan: Plan): EksPlan | undefined {
  return tierPlanOf<EksPlan>(plan, EKS_TIER);
}

function planned(plan: Plan): EksPlan {
  const eks = eksPlanOf(plan);
  if (!eks) throw new Error(`${plan.manifest.name} has no eks plan (the tier is not eligible)`);
  return eks;
}

/**
 * The day the Kubernetes version is chosen on: the plan's date, else the date the price book's
 * EKS prices were read (planning never reads the clock).
 */
function planningDate(catalog: EksCatalog, asOf: string | undefined): string | undefined {
  if (asOf) return asOf;
  const read = (
    catalog.price('us-east-1', 'eks', 'cluster_hour_standard_support') as { asOf?: string } | undefined
  )?.asOf;
  if (!read) return undefined;
  return /^\d{4}-\d{2}$/.test(read) ? `${read}-01` : read;
}

export const eksTier: Tier<EksPlan> = {
  name: EKS_TIER,
  capabilities: {
    availability: ['single-instance', 'multi-az', 'multi-az-ha'],
    minRpoHours: 5 / 60,
    rpoMechanism:
      'RDS automated backups with point-in-time recovery (transaction logs every 5 minutes); Multi-AZ replicates synchronously',
    maxRequestsPerMonth: Number.POSITIVE_INFINITY,
    summary:
      'EKS (managed node group or Auto Mode) behind an ALB Ingress, Multi-AZ RDS PostgreSQL, ElastiCache, CloudFront',
  },
  fields: EKS_FIELDS,

  plan(m, catalog, ctx) {
    if (!catalog.rule) return { ok: false, reason: 'the price book has no EKS support calendar' };
    const eksCatalog = catalog as EksCatalog;
    const today = planningDate(eksCatalog, ctx.asOf);
    if (!today) return { ok: false, reason: 'the price book has no EKS price to date the plan by' };
    try {
      return { ok: true, plan: planEks(m, eksCatalog, { today }) };
    } catch (e) {
      if (e instanceof EksDoesNotFit) return { ok: false, reason: e.message };
      throw e;
    }
  },

  async synth(app, plan, ctx) {
    const eks = planned(plan);
    const [{ EksStack, eksStackUsage }, { withEdgeCertificate }] = await Promise.all([
      import('./stack/stack.js'),
      import('../constructs/edge-certificate.js'),
    ]);
    const { main, all } = withEdgeCertificate(
      app,
      { ...ctx, edge: eks.edge },
      (edgeProps) =>
        new EksStack(app, ctx.stackName, {
          manifest: plan.manifest,
          eks,
          env: { region: eks.region },
          description: ctx.description,
          ...edgeProps,
        }),
    );
    return { main, all, usage: eksStackUsage(main) };
  },

  /** The deploy workflow runs from the manifest's directory and deploys the assembly written here. */
  async files(plan, ctx) {
    const eks = planned(plan);
    const { eksFiles } = await import('./files.js');
    const tierDir = path.relative(plan.manifestDir, ctx.tierDir).split(path.sep).join('/') || '.';
    return eksFiles(eks, { assemblyPath: `${tierDir}/cdk.out` }).map((f) => ({
      path: f.path,
      content: f.content,
    }));
  },

  usage: (plan, base) => withPublishedImageTag(planned(plan).imageTagParameter, base),

  summary(plan) {
    const eks = eksPlanOf(plan);
    return eks ? renderEksSection(eks) : [];
  },

  deployCommand: (plan, assemblyDir) =>
    `npx aws-cdk deploy --app ${assemblyDir}${eksPlanOf(plan)?.edge.edgeStackRegion ? ' --all' : ''}`,
};
