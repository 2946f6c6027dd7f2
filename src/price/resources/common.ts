/**
 * What every resource pricer receives, and the building blocks several share: component
 * constructors, EBS volumes, launch templates and public IPv4 detection.
 */
import type { AmiRootVolume, AmiRootVolumesRule } from '../book/types.js';
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
  /** Cites a price-book source in a note: lists it under the report's sources and returns `[n]`. */
  cite(sourceId: string): string;
  /** Values the engine works out across all templates (CloudFront's share of app traffic). */
  shared: { cloudFrontDataOutGb?: number; cloudFrontRequests?: number; apiRequests?: number };
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

/** Without the price book's table: what Amazon Linux 2023 AMIs ship. */
const FALLBACK_ROOT: AmiRootVolume = {
  ami: 'Amazon Linux 2023’s default',
  sizeGb: 8,
  volumeType: 'gp3',
  src: '',
};

/** The SSM public parameter path an ImageId names, if it names one. */
function amiParameterPath(ctx: PricerContext, holder: Props): string | undefined {
  const raw = holder.raw('ImageId');
  const fromString = (v: unknown) =>
    typeof v === 'string' ? /^(?:\{\{)?resolve:ssm:([^:}]+)/.exec(v)?.[1] : undefined;
  if (typeof raw === 'string') return fromString(raw);
  const ref = (raw as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string') return undefined;
  const param = ctx.index.template.Parameters?.[ref];
  if (!param || ctx.index.ctx.parameters?.[ref] !== undefined) return undefined;
  if (String(param.Type ?? '').startsWith('AWS::SSM::Parameter::Value') && typeof param.Default === 'string')
    return param.Default;
  return fromString(param.Default);
}

/**
 * The root volume of the AMI an instance launches (ImageId of `holder`: the instance, its launch
 * template data or launch configuration), from the book's table; with the note saying where the
 * figure comes from.
 */
export function amiRootVolume(
  ctx: PricerContext,
  holder: Props | undefined,
): { volume: EbsVolume; note: string } {
  const rule = ctx.rule<AmiRootVolumesRule>('amiRootVolumes');
  const path = holder ? amiParameterPath(ctx, holder) : undefined;
  const hit = path ? rule?.entries.find((e) => path.startsWith(e.prefix)) : undefined;
  const root = hit ?? rule?.default ?? FALLBACK_ROOT;
  const cite = root.src ? ` ${ctx.cite(root.src)}` : '';
  const volume = { type: root.volumeType, sizeGb: root.sizeGb };
  return {
    volume,
    note: hit
      ? `root volume not in the template: ${root.sizeGb} GB ${root.volumeType}, as ${root.ami} ships${cite}`
      : `root volume not in the template: assumed ${root.sizeGb} GB ${root.volumeType}, ${root.ami} (the AMI decides)${cite}`,
  };
}

/**
 * Storage components for an instance's block device mappings (× count), with the AMI's root
 * volume when the mappings leave it out (`holder` carries the ImageId).
 */
export function instanceStorage(
  ctx: PricerContext,
  mappings: Props[],
  count: number,
  notes: string[],
  holder: Props | undefined,
): CostComponent[] {
  const out: CostComponent[] = [];
  let root = false;
  let ami: ReturnType<typeof amiRootVolume> | undefined;
  for (const m of mappings) {
    const isRootDevice = ROOT_DEVICES.has(m.str('DeviceName', ''));
    if (isRootDevice && !m.has('Ebs.VolumeSize')) ami ??= amiRootVolume(ctx, holder);
    const mv = mappingVolume(m, isRootDevice ? ami?.volume.sizeGb : undefined);
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
    ami ??= amiRootVolume(ctx, holder);
    out.unshift(...ebsComponents('Root volume storage', ami.volume, count));
    notes.push(ami.note);
  } else if (ami) {
    notes.push(ami.note.replace('root volume not in the template', 'root volume size not in the template'));
  }
  return out;
}

// ------------------------------------------------------------------ launch templates and networking

/**
 * The LaunchTemplateData of a launch template named by a `LaunchTemplate`-shaped property: EC2
 * instances and Auto Scaling groups spell it `LaunchTemplateId`/`LaunchTemplateName`, EKS node
 * groups `Id`/`Name`. An id is a Ref (or GetAtt) to the template's resource; a name is a Ref,
 * a GetAtt of `LaunchTemplateName`, or the literal name a launch template of this template has.
 */
export function launchTemplateData(
  ctx: PricerContext,
  spec: Props | undefined,
  path: string,
): Props | undefined {
  if (!spec) return undefined;
  const key = ['LaunchTemplateId', 'Id', 'LaunchTemplateName', 'Name'].find((k) => spec.has(k));
  if (!key) throw new NotResolvable(path, 'names no launch template (Id or Name)');
  let id = spec.ref(key);
  if (!id && key.endsWith('Name')) {
    const name = spec.str(key);
    id = ctx.index.ofType('AWS::EC2::LaunchTemplate').find(([lt]) => {
      try {
        return ctxProps(ctx, lt)?.str('LaunchTemplateName') === name;
      } catch {
        return false;
      }
    })?.[0];
  }
  if (!id) throw new NotResolvable(`${path}.${key}`, 'the launch template is not in this template');
  const lt = ctx.index.resource(id);
  if (lt?.Type !== 'AWS::EC2::LaunchTemplate') {
    throw new NotResolvable(
      `${path}.${key}`,
      `${id} is a ${lt?.Type ?? 'missing resource'}, not a launch template`,
    );
  }
  return ctxProps(ctx, id)?.sub('LaunchTemplateData');
}

/**
 * The value `f` computes, or why it cannot be known offline: for figures a line can do without
 * (how many AZs get a public IPv4), so the rest of the resource is still priced.
 */
export function countOrWhy<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof NotResolvable) return e.message;
    throw e;
  }
}

/** Whether SAM's transform would create this resource (an implicit API), not the template. */
export function isSamImplicit(ctx: PricerContext): boolean {
  const meta = ctx.index.resource(ctx.logicalId)?.Metadata as Record<string, unknown> | undefined;
  return meta?.['stackplan:implicit'] === true;
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

/** Logical ids of resources of `type` whose property `prop` refers to `target` (indexed once per template). */
export function referrers(ctx: PricerContext, type: string, prop: string, target: string): string[] {
  const byTarget = ctx.index.memo(`referrers ${type} ${prop}`, () => {
    const m = new Map<string, string[]>();
    for (const [id] of ctx.index.ofType(type)) {
      try {
        const t = ctxProps(ctx, id)?.ref(prop);
        if (t !== undefined) m.set(t, [...(m.get(t) ?? []), id]);
      } catch {
        // an unresolvable property elsewhere does not make this resource unpriceable
      }
    }
    return m;
  });
  return byTarget.get(target) ?? [];
}
