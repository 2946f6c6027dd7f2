/**
 * SP-cost-nat-per-az: one NAT gateway per AZ only pays off when everything else survives an AZ
 * loss too. Seed 001 runs three NAT gateways for a single-writer database.
 */
import type { Rule, RuleContext } from './context.js';
import { nonProductionTag, tagsOf, usd } from './context.js';
import { monthlyOfHourly, round2, unitPrice } from './cost.js';

/** Why the stack would not survive an AZ loss anyway, or undefined when it would. */
function singleAzReason(ctx: RuleContext): string | undefined {
  if (ctx.stack.availability) {
    return ctx.stack.availability === 'multi-az-ha'
      ? undefined
      : `the manifest asks for availability ${ctx.stack.availability}`;
  }
  for (const [id, r] of ctx.resources('AWS::RDS::DBInstance')) {
    const p = ctx.props(r);
    if (p.DBClusterIdentifier === undefined && ctx.bool(p.MultiAZ) !== true)
      return `database ${id} is Single-AZ`;
  }
  for (const [id, r] of ctx.resources('AWS::ElastiCache::ReplicationGroup')) {
    const p = ctx.props(r);
    if (ctx.bool(p.AutomaticFailoverEnabled) !== true) return `cache ${id} has no automatic failover`;
  }
  const [single] = ctx.resources('AWS::ElastiCache::CacheCluster');
  if (single) return `cache ${single[0]} is a single node`;
  for (const [id, r] of ctx.resources('AWS::EC2::NatGateway')) {
    const tag = nonProductionTag(tagsOf(ctx, r));
    if (tag) return `it is tagged ${tag} (NAT gateway ${id})`;
  }
  return undefined;
}

export const rule: Rule = {
  info: {
    id: 'SP-cost-nat-per-az',
    pack: 'stackplan',
    title: "A NAT gateway per AZ the stack's availability does not need",
    severity: 'note',
    category: 'cost',
    resourceTypes: ['AWS::EC2::NatGateway'],
    what: 'More than one public NAT gateway in a stack that would not survive the loss of an AZ anyway: a Single-AZ RDS instance, a cache without automatic failover or a single-node cache, resources tagged non-production, or (for a manifest) an availability other than multi-az-ha. The message gives the monthly cost of the extra gateways (hourly charge only; data processing is the same).',
    why: 'Each NAT gateway bills by the hour before any data (the finding gives the monthly cost of the extra ones from the price book). Per-AZ gateways keep egress up when one AZ fails — which buys nothing when the database or cache in that design goes down with the AZ.',
    fix: 'Keep one NAT gateway (CDK: natGateways: 1), or NAT instances for small workloads; add per-AZ gateways when the data tier is Multi-AZ too.',
    references: [
      'https://aws.amazon.com/vpc/pricing/',
      'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html',
    ],
  },
  check(ctx) {
    const nats = ctx
      .resources('AWS::EC2::NatGateway')
      .filter(([, r]) => ctx.str(ctx.props(r).ConnectivityType) !== 'private');
    if (nats.length < 2) return;
    const why = singleAzReason(ctx);
    if (!why) return;
    const hour = unitPrice(ctx, 'vpc', 'nat_gateway_hour');
    const extra = nats.length - 1;
    const saving = hour ? monthlyOfHourly(hour, extra) : undefined;
    for (const [id] of nats.slice(1)) {
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        monthlyImpactUsd: hour ? round2(-monthlyOfHourly(hour)) : null,
        message: `${nats.length} NAT gateways, but ${why}: one would do${saving !== undefined ? `, saving ${usd(saving)}/month (${extra} × 730 h; price book: ${hour!.cite})` : ''}`,
      });
    }
  },
};
