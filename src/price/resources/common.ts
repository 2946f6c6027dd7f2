/**
 * What every resource pricer receives, and the building blocks several share: component
 * constructors, EBS volumes, launch templates and public IPv4 detection.
 */
import { isResourceToken, NotResolvable, Props, type TemplateIndex } from '../template.js';
import type { CostComponent, ResourcePricing } from '../types.js';
import type { ResourceUsage, Usage } from '../usage.js';

export interface PricerContext {
  logicalId: string;
  type: string;
  stack: string;
  region: string;
  props: Props;
  index: TemplateIndex;
  /** This resource's usage values. */
  usage: ResourceUsage;
  /** The whole effective usage (for app-wide values such as requestsPerMonth). */
  global: Usage;
  /** YYYY-MM-DD the report is for. */
  asOf: string;
  /** Price-book rules (free tier, EKS support calendar …). */
  rule<T>(key: string): T | undefined;
  /** Values the engine works out across all templates (CloudFront's share of app traffic). */
  shared: { cloudFrontDataOutGb?: number; cloudFrontRequests?: number };
}

export type Pricer = (ctx: PricerContext) => ResourcePricing;

type Extra = Partial<Pick<CostComponent, 'meter' | 'savings' | 'note' | 'priceFactor'>>;

export function hourly(
  name: string,
  unit: string,
  perHour: number,
  service: string,
  item: string,
  extra: Extra = {},
): CostComponent {
  return { name, unit, hourlyQuantity: perHour, price: { service, item }, ...extra };
}

export function monthly(
  name: string,
  unit: string,
  perMonth: number,
  service: string,
  item: string,
  extra: Extra = {},
): CostComponent {
  return { name, unit, monthlyQuantity: perMonth, price: { service, item }, ...extra };
}

/** A usage-based line: `perMonth` undefined means "depends on usage". */
export function usage(
  name: string,
  unit: string,
  perMonth: number | undefined,
  service: string,
  item: string,
  extra: Extra = {},
): CostComponent {
  const c: CostComponent = { name, unit, usageBased: true, price: { service, item }, ...extra };
  if (perMonth !== undefined) c.monthlyQuantity = perMonth;
  return c;
}

/** Usage value scaled to the price's unit (e.g. requests → 1k requests), undefined stays undefined. */
export function per(value: number | undefined, divisor: number): number | undefined {
  return value === undefined ? undefined : value / divisor;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ------------------------------------------------------------------ EBS

export interface EbsVolume {
  type: string;
  sizeGb: number;
  iops?: number;
  throughput?: number;
}

/** Components of `count` EBS volumes, labelled e.g. `Root volume storage (gp3)`. */
export function ebsComponents(label: string, v: EbsVolume, count = 1, where = ''): CostComponent[] {
  const type = v.type.toLowerCase();
  const suffix = where ? `, ${where}` : '';
  const out: CostComponent[] = [
    monthly(`${label} (${type}${suffix})`, 'GB-months', v.sizeGb * count, 'ebs', `${type}_gb_month`, {
      meter: `ebs.gb:${type}`,
    }),
  ];
  if (type === 'gp3' && v.iops !== undefined && v.iops > 3000) {
    out.push(
      monthly(
        `Provisioned IOPS (gp3, above 3,000${suffix})`,
        'IOPS-months',
        (v.iops - 3000) * count,
        'ebs',
        'gp3_iops_month',
      ),
    );
  }
  if (type === 'gp3' && v.throughput !== undefined && v.throughput > 125) {
    out.push(
      monthly(
        `Provisioned throughput (gp3, above 125 MiB/s${suffix})`,
        'MiB/s-months',
        (v.throughput - 125) * count,
        'ebs',
        'gp3_throughput_month',
      ),
    );
  }
  if ((type === 'io1' || type === 'io2') && v.iops !== undefined) {
    out.push(
      monthly(
        `Provisioned IOPS (${type}${suffix})`,
        'IOPS-months',
        v.iops * count,
        'ebs',
        `${type}_iops_month`,
      ),
    );
  }
  return out;
}

/** An EBS BlockDeviceMapping's volume, or undefined for instance-store and NoDevice entries. */
export function mappingVolume(
  m: Props,
  defaultSize?: number,
): { device: string; volume: EbsVolume } | undefined {
  const ebs = m.sub('Ebs');
  if (!ebs || m.has('NoDevice') || m.has('VirtualName')) return undefined;
  const size = ebs.num('VolumeSize') ?? defaultSize;
  if (size === undefined) {
    throw new NotResolvable(
      `${m.str('DeviceName', '?')} Ebs.VolumeSize`,
      'not set: the snapshot or AMI decides the size',
    );
  }
  const v: EbsVolume = { type: ebs.str('VolumeType', 'gp2'), sizeGb: size };
  const iops = ebs.num('Iops');
  const tput = ebs.num('Throughput');
  if (iops !== undefined) v.iops = iops;
  if (tput !== undefined) v.throughput = tput;
  return { device: m.str('DeviceName', 'unnamed device'), volume: v };
}

/** The root device names of common AMIs: the mapping for one of these is the root volume. */
const ROOT_DEVICES = new Set(['/dev/xvda', '/dev/sda1', '/dev/sda', '/dev/xvda1']);

/** The AMI's root volume when the template does not map one: what Amazon Linux 2023 AMIs ship. */
export const ASSUMED_ROOT: EbsVolume = { type: 'gp3', sizeGb: 8 };
export const ASSUMED_ROOT_NOTE =
  'root volume not in the template: assumed 8 GB gp3 (Amazon Linux 2023 AMI default; the AMI decides)';

/** Storage components for an instance's block device mappings (× count), with the root volume assumed if unmapped. */
export function instanceStorage(mappings: Props[], count: number, notes: string[]): CostComponent[] {
  const out: CostComponent[] = [];
  let root = false;
  for (const m of mappings) {
    const mv = mappingVolume(m, ROOT_DEVICES.has(m.str('DeviceName', '')) ? ASSUMED_ROOT.sizeGb : undefined);
    if (!mv) continue;
    const isRoot = ROOT_DEVICES.has(mv.device);
    root ||= isRoot;
    out.push(
      ...ebsComponents(
        isRoot ? 'Root volume storage' : 'Block device storage',
        mv.volume,
        count,
        isRoot ? '' : mv.device,
      ),
    );
  }
  if (!root) {
    out.unshift(...ebsComponents('Root volume storage', ASSUMED_ROOT, count));
    notes.push(ASSUMED_ROOT_NOTE);
  }
  return out;
}

// ------------------------------------------------------------------ launch templates and networking

/** The LaunchTemplateData of a launch template named by a `LaunchTemplate`-shaped property. */
export function launchTemplateData(
  ctx: PricerContext,
  spec: Props | undefined,
  path: string,
): Props | undefined {
  if (!spec) return undefined;
  // EC2 instances and Auto Scaling groups name it LaunchTemplateId/Name; EKS node groups Id/Name.
  const id =
    spec.ref('LaunchTemplateId') ?? spec.ref('LaunchTemplateName') ?? spec.ref('Id') ?? spec.ref('Name');
  if (!id) {
    const named = spec.has('LaunchTemplateId') ? 'LaunchTemplateId' : 'LaunchTemplateName';
    throw new NotResolvable(`${path}.${named}`, 'the launch template is not in this template');
  }
  const lt = ctx.index.resource(id);
  if (lt?.Type !== 'AWS::EC2::LaunchTemplate') {
    throw new NotResolvable(
      `${path}.LaunchTemplateId`,
      `${id} is a ${lt?.Type ?? 'missing resource'}, not a launch template`,
    );
  }
  return ctxProps(ctx, id)?.sub('LaunchTemplateData');
}

/** A Props reader for another resource of the same template. */
export function ctxProps(ctx: PricerContext, id: string): Props | undefined {
  const r = ctx.index.resource(id);
  if (!r) return undefined;
  return new Props(ctx.index, r.Properties ?? {}, id);
}

/**
 * Whether instances launched into these subnets get a public IPv4 address: true/false when the
 * subnets are in the template, undefined when that cannot be known.
 */
export function subnetsMapPublicIp(
  ctx: PricerContext,
  subnets: unknown[],
  path: string,
): boolean | undefined {
  if (subnets.length === 0) return undefined;
  let all = true;
  for (let i = 0; i < subnets.length; i++) {
    let v: unknown;
    try {
      v = ctx.index.resolve(subnets[i], `${path}.${i}`);
    } catch {
      return undefined;
    }
    const id = isResourceToken(v) && v.attribute === undefined ? v.resource : undefined;
    if (!id || ctx.index.resource(id)?.Type !== 'AWS::EC2::Subnet') return undefined;
    all &&= ctxProps(ctx, id)!.bool('MapPublicIpOnLaunch', false);
  }
  return all;
}

/** Logical ids of resources of `type` whose property `prop` refers to `target`. */
export function referrers(ctx: PricerContext, type: string, prop: string, target: string): string[] {
  const out: string[] = [];
  for (const [id] of ctx.index.ofType(type)) {
    try {
      if (ctxProps(ctx, id)?.ref(prop) === target) out.push(id);
    } catch {
      // an unresolvable property elsewhere does not make this resource unpriceable
    }
  }
  return out;
}
