/** SP-cost-idle-eip: an Elastic IP attached to nothing still bills public IPv4 hours. */
import type { Rule } from './context.js';
import { referencedIds, usd } from './context.js';
import { monthlyOfHourly, round2, unitPrice } from './cost.js';

export const rule: Rule = {
  info: {
    id: 'SP-cost-idle-eip',
    pack: 'stackplan',
    title: 'Elastic IP attached to nothing',
    severity: 'note',
    category: 'cost',
    resourceTypes: ['AWS::EC2::EIP'],
    what: 'An AWS::EC2::EIP with no InstanceId that no other resource of the stack references (no EIPAssociation, NAT gateway, load balancer subnet mapping, or anything else): nothing in the template attaches it.',
    why: 'Since 2024-02-01 every public IPv4 address bills by the hour whether or not it is attached (the finding gives the monthly cost from the price book); an address nothing uses is pure cost (and an unowned address someone may later point DNS at).',
    fix: 'Delete the EIP, or attach it (InstanceId, an AWS::EC2::EIPAssociation, a NAT gateway AllocationId); acknowledge it if a process outside the template attaches it.',
    references: [
      'https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/',
      'https://aws.amazon.com/vpc/pricing/',
    ],
  },
  check(ctx) {
    const eips = ctx.resources('AWS::EC2::EIP');
    if (eips.length === 0) return;
    const used = new Set<string>();
    for (const [id, r] of Object.entries(ctx.stack.template.Resources)) {
      if (r.Type === 'AWS::EC2::EIP') continue;
      for (const ref of referencedIds(r.Properties ?? {})) if (ref !== id) used.add(ref);
    }
    const hour = unitPrice(ctx, 'vpc', 'public_ipv4_hour');
    for (const [id, r] of eips) {
      if (ctx.props(r).InstanceId !== undefined || used.has(id)) continue;
      const monthly = hour ? monthlyOfHourly(hour) : undefined;
      ctx.report({
        logicalId: id,
        path: ['Properties'],
        monthlyImpactUsd: monthly !== undefined ? round2(-monthly) : null,
        message: `Elastic IP is attached to nothing in the template${monthly !== undefined ? `: ${usd(monthly)}/month for nothing (price book: ${hour!.cite})` : ''}`,
      });
    }
  },
};
