/** SP-cost-previous-generation: older instance generations cost more than their successors. */
import type { Rule } from './context.js';
import { usd } from './context.js';
import { hourlyPrice, monthlyOfHourly, type PricedKind, round2, sizedResources } from './cost.js';

/** Previous-generation family → the current family of the same shape (AWS "previous generation" list). */
export const SUCCESSOR: Record<string, string> = {
  t1: 't3',
  t2: 't3',
  m1: 'm5',
  m2: 'r5',
  m3: 'm5',
  m4: 'm5',
  c1: 'c5',
  c3: 'c5',
  c4: 'c5',
  r3: 'r5',
  r4: 'r5',
  i2: 'i3',
  d2: 'd3',
  g2: 'g4dn',
  g3: 'g4dn',
  p2: 'p3',
  x1: 'x2idn',
};

/** The successor of a type in the same naming scheme (db.t2.micro → db.t3.micro, t2.small.search → t3.small.search). */
export function successorOf(type: string): string | undefined {
  const m = /^((?:db|cache)\.)?([a-z]+\d+[a-z-]*)\.([a-z0-9]+)(\.search)?$/.exec(type);
  if (!m) return undefined;
  const next = SUCCESSOR[m[2]!];
  return next ? `${m[1] ?? ''}${next}.${m[3]}${m[4] ?? ''}` : undefined;
}

export const rule: Rule = {
  info: {
    id: 'SP-cost-previous-generation',
    pack: 'stackplan',
    title: 'Previous-generation instance type',
    severity: 'note',
    category: 'cost',
    resourceTypes: [
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::AutoScaling::LaunchConfiguration',
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::CacheCluster',
      'AWS::OpenSearchService::Domain',
    ],
    what: `An EC2 instance, launch template, RDS instance, ElastiCache node or OpenSearch node of a previous generation (${Object.keys(SUCCESSOR).join(', ')}), with the monthly difference to the same size of its current successor from the price book.`,
    why: 'Previous generations run on older hardware at a higher price per vCPU and GB than their successors, get no new Savings Plans-era discounts, and are the first to lose capacity and support.',
    fix: 'Move to the successor family of the same size (t2 → t3 or t4g, m4 → m5 or m7g, db.t2 → db.t3 or db.t4g …); most moves need only a stop/start or a maintenance-window modification.',
    references: [
      'https://aws.amazon.com/ec2/previous-generation/',
      'https://aws.amazon.com/ec2/pricing/on-demand/',
    ],
  },
  check(ctx) {
    for (const s of sizedResources(ctx)) {
      const next = successorOf(s.priced.type);
      if (!next) continue;
      const now = hourlyPrice(ctx, s.priced);
      const then = hourlyPrice(ctx, { ...s.priced, type: next } as PricedKind);
      const a = now ? monthlyOfHourly(now, s.count) : undefined;
      const b = then ? monthlyOfHourly(then, s.count) : undefined;
      const money =
        a !== undefined && b !== undefined
          ? `: ${usd(a)}/month, ${usd(b)}/month as ${next} (${b <= a ? `saves ${usd(a - b)}` : `costs ${usd(b - a)} more`}/month; price book: ${now!.cite})`
          : `: move to ${next}`;
      ctx.report({
        logicalId: s.logicalId,
        path: s.path,
        detail: s.priced.type,
        monthlyImpactUsd: a !== undefined && b !== undefined ? round2(b - a) : null,
        message: `${s.label} uses previous-generation ${s.priced.type}${s.count > 1 ? ` × ${s.count}` : ''}${money}`,
      });
    }
  },
};
