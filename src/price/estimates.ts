/**
 * Planning-time estimates from the price book: the unit prices planners size with, the figures
 * decision text and acknowledgement reasons quote, and what the cheaper designs a manifest allows
 * would change a month. Every figure is a book price times a quantity; no price is written here or
 * anywhere outside the book, so changing the book changes every sentence that quotes it.
 *
 * These are estimates of a *difference* (unit prices × 730 h), computed without synthesizing the
 * alternative: synthesizing and pricing each alternative template would cost seconds per design
 * on every `plan`. A tier's priced total is always the cost engine's, from its synthesized
 * template; the item keys below are the ones the engine's resource pricers use, so both read the
 * same prices.
 */
import { HOURS_PER_MONTH } from './types.js';

export { HOURS_PER_MONTH };

/** What estimates need from the price book (the loaded PriceBook is one). */
export interface PriceLookup {
  price(region: string, service: string, item: string): { usd: number; unit: string } | undefined;
  /** A price-book rule (see PriceBookData.rules); absent in catalogs without rules. */
  rule?<T>(key: string): T | undefined;
}

export type Arch = 'x86_64' | 'arm64';

/** The unit prices of one region. */
export class RegionPrices {
  constructor(
    readonly book: PriceLookup,
    readonly region: string,
  ) {}

  unit(service: string, item: string): number | undefined {
    return this.book.price(this.region, service, item)?.usd;
  }

  rule<T>(key: string): T | undefined {
    return this.book.rule?.<T>(key);
  }
}

/** USD for text: whole dollars without decimals, cents with two, unit prices with what they need. */
export function usd(n: number): string {
  if (Number.isInteger(n)) return `$${n}`;
  const cents = Math.round(n * 100 * 1e6) / 1e6;
  if (Math.abs(n) >= 1 || Number.isInteger(cents)) return `$${n.toFixed(2)}`;
  return `$${Number(n.toPrecision(4))}`;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `part` as a whole percentage below `whole` (20 for 0.8 × whole), or undefined without both. */
export function percentLess(part: number | undefined, whole: number | undefined): number | undefined {
  if (part === undefined || whole === undefined || whole <= 0) return undefined;
  return Math.round((1 - part / whole) * 100);
}

// --- Managed data stores ---------------------------------------------------------------------

export type Deployment = 'single-az' | 'multi-az';

/** RDS PostgreSQL on-demand, USD an hour (the engine's `instance:<class>:postgres:<deployment>`). */
export function rdsHourly(
  p: RegionPrices,
  instanceClass: string,
  deployment: Deployment,
): number | undefined {
  return p.unit('rds', `instance:${instanceClass}:postgres:${deployment}`);
}

/** ElastiCache node on-demand, USD an hour. */
export function cacheHourly(
  p: RegionPrices,
  nodeType: string,
  engine: 'valkey' | 'redis',
): number | undefined {
  return p.unit('elasticache', `node:${nodeType}:${engine}`);
}

/** OpenSearch instance on-demand, USD an hour. */
export function searchHourly(p: RegionPrices, instanceType: string): number | undefined {
  return p.unit('opensearch', `instance:${instanceType}`);
}

/** The x86 type of the same size as a Graviton data-store type, for the "Graviton vs x86" estimate. */
export function x86Counterpart(kind: 'rds' | 'elasticache', type: string): string {
  return kind === 'rds'
    ? type.replace(/^db\.t4g\./, 'db.t3.').replace(/^db\.(m|r)(7|6)g\./, 'db.$16i.')
    : type.replace(/^cache\.t4g\./, 'cache.t3.').replace(/^cache\.(m|r)7g\./, 'cache.$15.');
}

/** The smallest Graviton OpenSearch type, compared with an x86 choice. */
export const SMALLEST_GRAVITON_SEARCH = 'm7g.medium.search';

// --- Fargate ---------------------------------------------------------------------------------

export interface FargateRates {
  vcpu?: number;
  gb?: number;
}

export function fargateRates(p: RegionPrices, arch: Arch): FargateRates {
  const a = arch === 'arm64' ? 'arm' : 'x86';
  return { vcpu: p.unit('fargate', `linux_${a}_vcpu_hour`), gb: p.unit('fargate', `linux_${a}_gb_hour`) };
}

/** One Fargate task size running `count` tasks for a month, USD. */
export function fargateMonthly(
  p: RegionPrices,
  size: { vcpu: number; memoryMiB: number },
  arch: Arch,
  count: number,
): number | undefined {
  const r = fargateRates(p, arch);
  if (r.vcpu === undefined || r.gb === undefined) return undefined;
  return (size.vcpu * r.vcpu + (size.memoryMiB / 1024) * r.gb) * HOURS_PER_MONTH * count;
}

/**
 * What the book says of Fargate Spot's discount (it has no list price), e.g. "variable, up to 70%
 * off on-demand": the rule's first clause.
 */
export function fargateSpotDiscount(p: RegionPrices): string | undefined {
  const text = p.rule<{ text?: string }>('fargateSpot')?.text;
  return text?.split(';')[0]?.trim() || undefined;
}

/** How much less Graviton Fargate costs per vCPU-hour than x86, in whole percent. */
export function fargateGravitonPercent(p: RegionPrices): number | undefined {
  return percentLess(fargateRates(p, 'arm64').vcpu, fargateRates(p, 'x86_64').vcpu);
}

// --- Network ---------------------------------------------------------------------------------

export type Egress = 'nat-gateway' | 'nat-instance' | 'endpoints';

export interface EgressShape {
  /** NAT gateways or instances the design runs (at least one is assumed for the comparison). */
  natCount: number;
  azCount: number;
  /** Interface endpoints the endpoints design needs. */
  endpointCount: number;
  /** Instance type of a NAT instance. */
  natInstanceType: string;
  /** Root volume of a NAT instance, GB. */
  natInstanceVolumeGb: number;
}

export interface EgressUnits {
  natGatewayHour?: number;
  natGatewayGb?: number;
  publicIpv4Hour?: number;
  natInstanceHour?: number;
  gp3GbMonth?: number;
  interfaceEndpointAzHour?: number;
}

export function egressUnits(p: RegionPrices, natInstanceType: string): EgressUnits {
  return {
    natGatewayHour: p.unit('vpc', 'nat_gateway_hour'),
    natGatewayGb: p.unit('vpc', 'nat_gateway_gb_processed'),
    publicIpv4Hour: p.unit('vpc', 'public_ipv4_hour'),
    natInstanceHour: p.unit('ec2', `instance:${natInstanceType}`),
    gp3GbMonth: p.unit('ebs', 'gp3_gb_month'),
    interfaceEndpointAzHour: p.unit('vpc', 'interface_endpoint_az_hour'),
  };
}

/** The fixed monthly cost of each egress design (per-GB charges aside), where the book prices it. */
export function egressMonthly(u: EgressUnits, shape: EgressShape): Partial<Record<Egress, number>> {
  const H = HOURS_PER_MONTH;
  const n = shape.natCount;
  const out: Partial<Record<Egress, number>> = {};
  if (u.natGatewayHour !== undefined && u.publicIpv4Hour !== undefined)
    out['nat-gateway'] = n * (u.natGatewayHour + u.publicIpv4Hour) * H;
  if (u.natInstanceHour !== undefined && u.publicIpv4Hour !== undefined && u.gp3GbMonth !== undefined)
    out['nat-instance'] =
      n * ((u.natInstanceHour + u.publicIpv4Hour) * H + shape.natInstanceVolumeGb * u.gp3GbMonth);
  if (u.interfaceEndpointAzHour !== undefined)
    out.endpoints = shape.endpointCount * shape.azCount * u.interfaceEndpointAzHour * H;
  return out;
}

/** An ALB for a month with a public IPv4 address per AZ, before LCUs. */
export function albMonthly(
  p: RegionPrices,
  azCount: number,
): { monthly?: number; hour?: number; ipv4?: number } {
  const hour = p.unit('elb', 'alb_hour');
  const ipv4 = p.unit('vpc', 'public_ipv4_hour');
  return {
    ...(hour !== undefined && { hour }),
    ...(ipv4 !== undefined && { ipv4 }),
    ...(hour !== undefined && ipv4 !== undefined && { monthly: (hour + azCount * ipv4) * HOURS_PER_MONTH }),
  };
}

// --- Figures decision text and acknowledgement reasons quote ----------------------------------

/** Unit prices a tier's text quotes, read from the book when planning (absent: not in the book). */
export interface PriceQuotes {
  /** A customer-managed KMS key, USD a month. */
  kmsKeyMonthly?: number;
  /** KMS requests, USD per 10,000. */
  kmsPer10kRequests?: number;
  /** CloudWatch Logs ingestion, USD per GB. */
  logsIngestedGb?: number;
  /** EC2 detailed monitoring of one instance (7 metrics at the custom-metric price), USD a month. */
  detailedMonitoringMonthly?: number;
  /** CloudWatch Logs storage, USD per GB-month. */
  logsGbMonth?: number;
  /** A regional web ACL with the managed common rules and a rate rule, USD a month. */
  wafMonthly?: number;
  /** WAF requests, USD per million. */
  wafPerMillion?: number;
}

/** EC2 publishes seven metrics per instance at one-minute resolution with detailed monitoring. */
const DETAILED_MONITORING_METRICS = 7;

/** The figures a tier's text quotes, from the book; `wafRules` is the web ACL's rule count. */
export function priceQuotes(p: RegionPrices, opts: { wafRules?: number } = {}): PriceQuotes {
  const kms = p.unit('kms', 'key_month');
  const kmsRequests = p.unit('kms', 'requests_per_10k');
  const ingested = p.unit('cloudwatch', 'logs_ingested_gb');
  const metric = p.unit('cloudwatch', 'custom_metric_month');
  const logs = p.unit('cloudwatch', 'logs_stored_gb_month');
  const acl = p.unit('waf', 'web_acl_month');
  const rule = p.unit('waf', 'rule_month');
  const requests = p.unit('waf', 'requests_per_million');
  const q: PriceQuotes = {};
  if (kms !== undefined) q.kmsKeyMonthly = kms;
  if (kmsRequests !== undefined) q.kmsPer10kRequests = kmsRequests;
  if (ingested !== undefined) q.logsIngestedGb = ingested;
  if (metric !== undefined) q.detailedMonitoringMonthly = round2(DETAILED_MONITORING_METRICS * metric);
  if (logs !== undefined) q.logsGbMonth = logs;
  if (acl !== undefined && rule !== undefined) q.wafMonthly = round2(acl + (opts.wafRules ?? 2) * rule);
  if (requests !== undefined) q.wafPerMillion = requests;
  return q;
}
