/**
 * Prices for the cost rules, from the price book only (the same book `stackplan cost` uses), with
 * the source and date each message cites. Amounts are list prices in the stack's region.
 */
import { HOURS_PER_MONTH } from '../../price/types.js';
import type { RuleContext } from './context.js';

export interface UnitPrice {
  usd: number;
  unit: string;
  /** `ec2 instance:t3.micro, us-east-1 (karpenter-ec2-2026-07-20, 2026-07-20)` */
  cite: string;
}

export function unitPrice(ctx: RuleContext, service: string, item: string): UnitPrice | undefined {
  const p = ctx.book.price(ctx.region, service, item);
  if (!p) return undefined;
  const src = ctx.book.sourceOf(ctx.region, service, item);
  return {
    usd: p.usd,
    unit: p.unit,
    cite: `${service} ${item}, ${ctx.region}${src ? ` (${src.id}, ${src.asOf})` : ''}`,
  };
}

/** Monthly price of something billed per hour (730 hours). */
export function monthlyOfHourly(p: UnitPrice, count = 1): number {
  return p.usd * HOURS_PER_MONTH * count;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** Where the price book keeps an instance-like type's hourly price. */
export type PricedKind =
  | { kind: 'ec2'; type: string }
  | { kind: 'rds'; type: string; engine: string; deployment: 'single-az' | 'multi-az' }
  | { kind: 'elasticache'; type: string; engine: string }
  | { kind: 'opensearch'; type: string };

export function hourlyPrice(ctx: RuleContext, k: PricedKind): UnitPrice | undefined {
  switch (k.kind) {
    case 'ec2':
      return unitPrice(ctx, 'ec2', `instance:${k.type}`);
    case 'rds':
      return unitPrice(ctx, 'rds', `instance:${k.type}:${k.engine}:${k.deployment}`);
    case 'elasticache':
      return unitPrice(ctx, 'elasticache', `node:${k.type}:${k.engine}`);
    case 'opensearch':
      return unitPrice(ctx, 'opensearch', `instance:${k.type}`);
  }
}

/** Instance-like resources of a stack: type, how it is priced, how many, and where the type is written. */
export interface Sized {
  logicalId: string;
  path: Array<string | number>;
  priced: PricedKind;
  count: number;
  label: string;
}

export function sizedResources(ctx: RuleContext): Sized[] {
  const out: Sized[] = [];
  for (const [id, r] of ctx.resources('AWS::EC2::Instance')) {
    const t = ctx.str(ctx.props(r).InstanceType);
    if (t)
      out.push({
        logicalId: id,
        path: ['Properties', 'InstanceType'],
        priced: { kind: 'ec2', type: t },
        count: 1,
        label: 'instance',
      });
  }
  for (const [id, r] of ctx.resources('AWS::EC2::LaunchTemplate')) {
    const data = ctx.props(r).LaunchTemplateData as Record<string, unknown> | undefined;
    const t = ctx.str(data?.InstanceType);
    if (t) {
      out.push({
        logicalId: id,
        path: ['Properties', 'LaunchTemplateData', 'InstanceType'],
        priced: { kind: 'ec2', type: t },
        count: launchTemplateCount(ctx, id),
        label: 'launch template',
      });
    }
  }
  for (const [id, r] of ctx.resources('AWS::AutoScaling::LaunchConfiguration')) {
    const t = ctx.str(ctx.props(r).InstanceType);
    if (t)
      out.push({
        logicalId: id,
        path: ['Properties', 'InstanceType'],
        priced: { kind: 'ec2', type: t },
        count: launchTemplateCount(ctx, id),
        label: 'launch configuration',
      });
  }
  for (const [id, r] of ctx.resources('AWS::EKS::Nodegroup')) {
    const p = ctx.props(r);
    const types = ctx.known(p.InstanceTypes);
    const t = Array.isArray(types) && typeof types[0] === 'string' ? types[0] : undefined;
    if (!t) continue;
    const scaling = p.ScalingConfig as Record<string, unknown> | undefined;
    out.push({
      logicalId: id,
      path: ['Properties', 'InstanceTypes'],
      priced: { kind: 'ec2', type: t },
      count: ctx.num(scaling?.DesiredSize) ?? ctx.num(scaling?.MinSize) ?? 1,
      label: 'node group',
    });
  }
  for (const [id, r] of ctx.resources('AWS::RDS::DBInstance')) {
    const p = ctx.props(r);
    const t = ctx.str(p.DBInstanceClass);
    const engine = ctx.str(p.Engine)?.toLowerCase();
    if (!t || !engine) continue;
    const multi = ctx.bool(p.MultiAZ) === true;
    out.push({
      logicalId: id,
      path: ['Properties', 'DBInstanceClass'],
      priced: { kind: 'rds', type: t, engine, deployment: multi ? 'multi-az' : 'single-az' },
      count: 1,
      label: 'database',
    });
  }
  for (const [id, r] of ctx.resources(
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::ElastiCache::CacheCluster',
  )) {
    const p = ctx.props(r);
    const t = ctx.str(p.CacheNodeType);
    if (!t) continue;
    const engine = (ctx.str(p.Engine) ?? 'redis').toLowerCase();
    out.push({
      logicalId: id,
      path: ['Properties', 'CacheNodeType'],
      priced: { kind: 'elasticache', type: t, engine },
      count: cacheNodes(ctx, r.Properties ?? {}, r.Type),
      label: 'cache',
    });
  }
  for (const [id, r] of ctx.resources('AWS::OpenSearchService::Domain')) {
    const cfg = ctx.props(r).ClusterConfig as Record<string, unknown> | undefined;
    const t = ctx.str(cfg?.InstanceType);
    if (t) {
      out.push({
        logicalId: id,
        path: ['Properties', 'ClusterConfig', 'InstanceType'],
        priced: { kind: 'opensearch', type: t },
        count: ctx.num(cfg?.InstanceCount) ?? 1,
        label: 'search domain',
      });
    }
  }
  return out;
}

/** Instances an Auto Scaling group keeps from a launch template or configuration (desired, else min). */
function launchTemplateCount(ctx: RuleContext, id: string): number {
  let n = 0;
  for (const [, g] of ctx.resources('AWS::AutoScaling::AutoScalingGroup')) {
    const p = ctx.props(g);
    const lt = p.LaunchTemplate as Record<string, unknown> | undefined;
    const uses =
      ctx.refTarget(lt?.LaunchTemplateId) === id ||
      ctx.refTarget(lt?.LaunchTemplateName) === id ||
      ctx.refTarget(p.LaunchConfigurationName) === id;
    if (uses) n += ctx.num(p.DesiredCapacity) ?? ctx.num(p.MinSize) ?? 1;
  }
  for (const [, i] of ctx.resources('AWS::EC2::Instance')) {
    const lt = ctx.props(i).LaunchTemplate as Record<string, unknown> | undefined;
    if (
      lt &&
      (ctx.refTarget(lt.LaunchTemplateId) === id || ctx.refTarget(lt.LaunchTemplateName) === id) &&
      !ctx.props(i).InstanceType
    )
      n += 1;
  }
  return n;
}

function cacheNodes(ctx: RuleContext, p: Record<string, unknown>, type: string): number {
  if (type === 'AWS::ElastiCache::CacheCluster') return ctx.num(p.NumCacheNodes) ?? 1;
  const groups = ctx.num(p.NumNodeGroups) ?? 1;
  const replicas = ctx.num(p.ReplicasPerNodeGroup);
  if (replicas !== undefined) return groups * (1 + replicas);
  return ctx.num(p.NumCacheClusters) ?? 1;
}
