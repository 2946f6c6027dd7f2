/**
 * The cheaper (or dearer) designs the manifest allows, and what each would change a month: egress,
 * Graviton vs x86 for tasks and data stores, Valkey vs Redis, one ALB vs one per service. Every
 * figure comes from the price book through src/price/estimates.ts (unit prices × 730 h): these are
 * estimates of a difference; the tier's priced total is the cost engine's.
 */
import type { Manifest } from '../../../manifest/normalize.js';
import type { EcsPlan, EcsSaving, EcsService } from '../../../model/ecs.js';
import type { Arch } from '../../../model/plan.js';
import {
  albMonthly,
  cacheHourly,
  egressMonthly,
  egressUnits,
  fargateMonthly,
  fargateRates,
  fargateSpotDiscount,
  HOURS_PER_MONTH,
  rdsHourly,
  round2,
  SMALLEST_GRAVITON_SEARCH,
  searchHourly,
  usd,
  x86Counterpart,
} from '../../../price/estimates.js';
import type { Ctx } from './context.js';
import { BASE_INTERFACE_ENDPOINTS, NAT_INSTANCE_TYPE, NAT_INSTANCE_VOLUME_GB } from './network.js';

export function planSavings(
  ctx: Ctx,
  p: Pick<EcsPlan, 'network' | 'services' | 'postgres' | 'redis' | 'search' | 'edge'>,
): EcsSaving[] {
  const { m, prices } = ctx;
  const H = HOURS_PER_MONTH;
  const out: EcsSaving[] = [];

  // Egress: NAT gateway vs NAT instance vs endpoints (fixed monthly parts; per-GB noted).
  const n = Math.max(1, p.network.natCount || (m.availability === 'multi-az-ha' ? 3 : 1));
  const endpointCount =
    p.network.egress === 'endpoints' ? p.network.interfaceEndpoints.length : BASE_INTERFACE_ENDPOINTS.length;
  const u = egressUnits(prices, NAT_INSTANCE_TYPE);
  const egressCost = egressMonthly(u, {
    natCount: n,
    azCount: p.network.azCount,
    endpointCount,
    natInstanceType: NAT_INSTANCE_TYPE,
    natInstanceVolumeGb: NAT_INSTANCE_VOLUME_GB,
  });
  const label: Record<Manifest['egress'], string> = {
    'nat-gateway': `NAT gateway × ${n}`,
    'nat-instance': `NAT instance ${NAT_INSTANCE_TYPE} × ${n}`,
    endpoints: `interface endpoints in ${p.network.azCount} AZs`,
  };
  const chosenEgress = egressCost[m.egress];
  if (chosenEgress !== undefined) {
    for (const alt of ['nat-gateway', 'nat-instance', 'endpoints'] as const) {
      const altCost = egressCost[alt];
      if (alt === m.egress || altCost === undefined) continue;
      const natGatewayInvolved = alt === 'nat-gateway' || m.egress === 'nat-gateway';
      out.push({
        topic: 'egress',
        chosen: label[m.egress],
        alternative: `egress: ${alt} (${label[alt]})`,
        monthlyUsd: round2(altCost - chosenEgress),
        ...(natGatewayInvolved && {
          perUsage:
            u.natGatewayGb !== undefined
              ? `NAT gateway also charges ${usd(u.natGatewayGb)} per GB processed`
              : 'NAT gateway also charges per GB processed (no price in the book for this region)',
        }),
        basis:
          alt === 'endpoints'
            ? `${endpointCount} interface endpoints (ECR api and dkr, Logs, Secrets Manager, SSM${p.network.interfaceEndpoints.includes('bedrock-runtime') ? ', Bedrock' : ''}) × ${p.network.azCount} AZs × $${u.interfaceEndpointAzHour}/h; no internet at all`
            : alt === 'nat-instance'
              ? `${NAT_INSTANCE_TYPE} $${u.natInstanceHour}/h + ${NAT_INSTANCE_VOLUME_GB} GB gp3 + public IPv4 $${u.publicIpv4Hour}/h, × ${n}; you patch it`
              : `$${u.natGatewayHour}/h + public IPv4 $${u.publicIpv4Hour}/h, × ${n}; managed, scales to 100 Gbps`,
      });
    }
  }
  if (m.egress === 'nat-gateway' && u.natGatewayGb !== undefined) {
    out.push({
      topic: 'S3 gateway endpoint',
      chosen: 'S3 gateway endpoint (free)',
      alternative: 'S3 traffic through the NAT gateway',
      perUsage: `$${u.natGatewayGb} per GB of S3 traffic (ECR image layers, app buckets) not charged`,
      basis: 'gateway endpoints for S3 are free; the NAT gateway charges per GB processed',
    });
  }

  // Graviton vs x86 on Fargate, per service group.
  const taskMonthly = (s: EcsService, arch: Arch) => fargateMonthly(prices, s.size, arch, s.desired);
  const onDemand = p.services.filter((s) => s.capacityProvider === 'FARGATE');
  for (const arch of ['arm64', 'x86_64'] as const) {
    const group = onDemand.filter((s) => s.arch === arch);
    if (!group.length) continue;
    const other: Arch = arch === 'arm64' ? 'x86_64' : 'arm64';
    const a = group.map((s) => taskMonthly(s, arch));
    const b = group.map((s) => taskMonthly(s, other));
    if (a.some((x) => x === undefined) || b.some((x) => x === undefined)) continue;
    const sum = (xs: Array<number | undefined>) => xs.reduce<number>((t, x) => t + (x ?? 0), 0);
    const mine = fargateRates(prices, arch);
    const theirs = fargateRates(prices, other);
    out.push({
      topic: 'Fargate architecture',
      chosen: `${arch} for ${group.map((s) => s.service.name).join(', ')}`,
      alternative: other,
      monthlyUsd: round2(sum(b) - sum(a)),
      basis: `desired tasks × (vCPU × $${mine.vcpu} + GB × $${mine.gb}) per hour on ${arch}, vs $${theirs.vcpu} + $${theirs.gb} on ${other}${arch === 'x86_64' ? '; set arm64: true on images published for arm64' : ''}`,
    });
  }
  const spot = p.services.filter((s) => s.capacityProvider === 'FARGATE_SPOT');
  const spotDiscount = fargateSpotDiscount(prices);
  if (spot.length) {
    const od = spot.map((s) => taskMonthly(s, s.arch)).reduce<number>((t, x) => t + (x ?? 0), 0);
    out.push({
      topic: 'Fargate Spot',
      chosen: `Fargate Spot for ${spot.map((s) => s.service.name).join(', ')}`,
      alternative: 'on-demand Fargate',
      basis: `Spot has no list price${spotDiscount ? ` (${spotDiscount})` : ''}: below the $${od.toFixed(2)}/month on-demand price of these tasks, varying by hour; tasks may be stopped with 2 minutes' notice`,
    });
  }

  // Managed data stores on Graviton vs the same size on x86.
  const graviton = (
    topic: string,
    chosenType: string,
    arch: Arch,
    hourlyUsd: number | undefined,
    count: number,
    alt: string,
    altPrice: number | undefined,
  ) => {
    if (hourlyUsd === undefined || arch !== 'arm64' || altPrice === undefined) return;
    out.push({
      topic,
      chosen: `${chosenType} (Graviton)`,
      alternative: alt,
      monthlyUsd: round2((altPrice - hourlyUsd) * H * count),
      basis: `$${hourlyUsd}/h vs $${altPrice}/h × ${count} node${count === 1 ? '' : 's'} × ${H} h`,
    });
  };
  const pg = p.postgres;
  if (pg) {
    const alt = x86Counterpart('rds', pg.instanceClass);
    const az = pg.multiAz ? 'multi-az' : 'single-az';
    graviton('RDS architecture', pg.instanceClass, pg.arch, pg.hourlyUsd, 1, alt, rdsHourly(prices, alt, az));
  }
  const rd = p.redis;
  if (rd) {
    const alt = x86Counterpart('elasticache', rd.nodeType);
    graviton(
      'ElastiCache architecture',
      rd.nodeType,
      rd.arch,
      rd.hourlyUsd,
      rd.replicas + 1,
      alt,
      cacheHourly(prices, alt, rd.engine),
    );
    if (rd.engine === 'valkey' && rd.hourlyUsd !== undefined) {
      const redisPrice = cacheHourly(prices, rd.nodeType, 'redis');
      if (redisPrice !== undefined) {
        out.push({
          topic: 'ElastiCache engine',
          chosen: `Valkey ${rd.nodeType}`,
          alternative: 'Redis OSS (redis.engine: redis)',
          monthlyUsd: round2((redisPrice - rd.hourlyUsd) * H * (rd.replicas + 1)),
          basis: `$${rd.hourlyUsd}/h vs $${redisPrice}/h per node × ${rd.replicas + 1}`,
        });
      }
    }
  }
  const se = p.search;
  if (se && se.hourlyUsd !== undefined && se.arch === 'x86_64') {
    const gp = searchHourly(prices, SMALLEST_GRAVITON_SEARCH);
    if (gp !== undefined) {
      out.push({
        topic: 'OpenSearch architecture',
        chosen: `${se.instanceType} (x86_64)`,
        alternative: `${SMALLEST_GRAVITON_SEARCH} (the smallest Graviton type)`,
        monthlyUsd: round2((gp - se.hourlyUsd) * H * se.nodes),
        basis: `$${se.hourlyUsd}/h vs $${gp}/h × ${se.nodes} node${se.nodes === 1 ? '' : 's'}: here x86 is the cheaper fit`,
      });
    }
  }

  // One ALB for every service.
  const albCount = p.services.filter((s) => s.exposure === 'alb').length;
  const alb = albMonthly(prices, p.network.azCount);
  if (albCount > 1 && alb.monthly !== undefined) {
    out.push({
      topic: 'load balancers',
      chosen: `one ALB for ${albCount} services (listener rules by path)`,
      alternative: `one ALB per service (${albCount})`,
      monthlyUsd: round2(alb.monthly * (albCount - 1)),
      basis: `each ALB costs $${alb.hour}/h plus a public IPv4 per AZ ($${alb.ipv4}/h × ${p.network.azCount}), before LCUs`,
    });
  }
  return out;
}
