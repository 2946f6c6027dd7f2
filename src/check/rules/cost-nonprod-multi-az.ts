/**
 * SP-cost-nonprod-multi-az: Multi-AZ databases and cache replicas double the bill; a resource
 * tagged as non-production (Environment: staging, dev, test …) rarely needs them.
 */
import type { Rule } from './context.js';
import { nonProductionTag, tagsOf, usd } from './context.js';
import { hourlyPrice, monthlyOfHourly, round2 } from './cost.js';

export const rule: Rule = {
  info: {
    id: 'SP-cost-nonprod-multi-az',
    pack: 'stackplan',
    title: 'Multi-AZ or replicas on a non-production resource',
    severity: 'note',
    category: 'cost',
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::ElastiCache::ReplicationGroup'],
    what: "An RDS instance with MultiAZ: true or a read replica (SourceDBInstanceIdentifier), or an ElastiCache replication group with replicas, whose tags (or its stack's tags) name a non-production environment (a tag Environment, Env, Stage or Tier with a value such as dev, test, qa, staging, sandbox, preview, demo); with the monthly cost of the standby or replicas.",
    why: 'A Multi-AZ standby or a replica costs as much as the primary and protects availability a development or staging environment does not promise; the difference is often the largest line of a non-production bill.',
    fix: 'Set MultiAZ: false and drop replicas for non-production environments (CDK: multiAz: props.isProd), or acknowledge the finding where a staging environment deliberately mirrors production for failover tests.',
    references: ['https://aws.amazon.com/rds/pricing/', 'https://aws.amazon.com/elasticache/pricing/'],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::RDS::DBInstance')) {
      const tag = nonProductionTag(tagsOf(ctx, r));
      if (!tag) continue;
      const p = ctx.props(r);
      const cls = ctx.str(p.DBInstanceClass);
      const engine = ctx.str(p.Engine)?.toLowerCase();
      if (ctx.bool(p.MultiAZ) === true && cls && engine) {
        const multi = hourlyPrice(ctx, { kind: 'rds', type: cls, engine, deployment: 'multi-az' });
        const single = hourlyPrice(ctx, { kind: 'rds', type: cls, engine, deployment: 'single-az' });
        const diff = multi && single ? monthlyOfHourly(multi) - monthlyOfHourly(single) : undefined;
        ctx.report({
          logicalId: id,
          path: ['Properties', 'MultiAZ'],
          detail: 'multi-az',
          monthlyImpactUsd: diff !== undefined ? round2(-diff) : null,
          message: `database tagged ${tag} is Multi-AZ${diff !== undefined ? `: the standby costs ${usd(diff)}/month (price book: ${multi!.cite})` : ''}`,
        });
      }
      if (p.SourceDBInstanceIdentifier !== undefined && cls && engine) {
        const price = hourlyPrice(ctx, { kind: 'rds', type: cls, engine, deployment: 'single-az' });
        const m = price ? monthlyOfHourly(price) : undefined;
        ctx.report({
          logicalId: id,
          path: ['Properties', 'SourceDBInstanceIdentifier'],
          detail: 'replica',
          monthlyImpactUsd: m !== undefined ? round2(-m) : null,
          message: `read replica tagged ${tag}${m !== undefined ? `: ${usd(m)}/month (price book: ${price!.cite})` : ''}`,
        });
      }
    }
    for (const [id, r] of ctx.resources('AWS::ElastiCache::ReplicationGroup')) {
      const tag = nonProductionTag(tagsOf(ctx, r));
      if (!tag) continue;
      const p = ctx.props(r);
      const groups = ctx.num(p.NumNodeGroups) ?? 1;
      const replicas =
        ctx.num(p.ReplicasPerNodeGroup) !== undefined
          ? groups * ctx.num(p.ReplicasPerNodeGroup)!
          : Math.max(0, (ctx.num(p.NumCacheClusters) ?? 1) - 1);
      if (replicas <= 0) continue;
      const type = ctx.str(p.CacheNodeType);
      const engine = (ctx.str(p.Engine) ?? 'redis').toLowerCase();
      const price = type ? hourlyPrice(ctx, { kind: 'elasticache', type, engine }) : undefined;
      const m = price ? monthlyOfHourly(price, replicas) : undefined;
      ctx.report({
        logicalId: id,
        path: [
          'Properties',
          p.ReplicasPerNodeGroup !== undefined ? 'ReplicasPerNodeGroup' : 'NumCacheClusters',
        ],
        monthlyImpactUsd: m !== undefined ? round2(-m) : null,
        message: `cache tagged ${tag} keeps ${replicas} replica${replicas > 1 ? 's' : ''}${m !== undefined ? `: ${usd(m)}/month (price book: ${price!.cite})` : ''}`,
      });
    }
  },
};
