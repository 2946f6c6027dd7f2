/** SP-cost-gp2: gp3 costs 20% less than gp2 per GB and gives 3,000 IOPS at any size. */
import type { Rule, RuleContext } from './context.js';
import { usd } from './context.js';
import { round2, unitPrice } from './cost.js';

interface Volume {
  logicalId: string;
  path: Array<string | number>;
  sizeGb: number;
  what: string;
  gp2: string;
  gp3: string;
  service: string;
  count: number;
  defaulted?: boolean;
}

function volumes(ctx: RuleContext): Volume[] {
  const out: Volume[] = [];
  const ebs = { service: 'ebs', gp2: 'gp2_gb_month', gp3: 'gp3_gb_month' };
  for (const [id, r] of ctx.resources('AWS::EC2::Volume')) {
    const p = ctx.props(r);
    const type = p.VolumeType === undefined ? 'gp2' : ctx.str(p.VolumeType);
    const size = ctx.num(p.Size);
    if (type === 'gp2' && size) {
      out.push({
        logicalId: id,
        path: ['Properties', p.VolumeType === undefined ? 'Size' : 'VolumeType'],
        sizeGb: size,
        what: 'EBS volume',
        count: 1,
        defaulted: p.VolumeType === undefined,
        ...ebs,
      });
    }
  }
  const mappings = (id: string, list: unknown, base: Array<string | number>, what: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((m, i) => {
      const e = (m as { Ebs?: Record<string, unknown> })?.Ebs;
      if (!e || ctx.str(e.VolumeType) !== 'gp2') return;
      const size = ctx.num(e.VolumeSize);
      if (size)
        out.push({
          logicalId: id,
          path: [...base, i, 'Ebs', 'VolumeType'],
          sizeGb: size,
          what,
          count: 1,
          ...ebs,
        });
    });
  };
  for (const [id, r] of ctx.resources('AWS::EC2::Instance')) {
    mappings(id, ctx.props(r).BlockDeviceMappings, ['Properties', 'BlockDeviceMappings'], 'instance volume');
  }
  for (const [id, r] of ctx.resources('AWS::EC2::LaunchTemplate')) {
    const data = ctx.props(r).LaunchTemplateData as Record<string, unknown> | undefined;
    mappings(
      id,
      data?.BlockDeviceMappings,
      ['Properties', 'LaunchTemplateData', 'BlockDeviceMappings'],
      'launch template volume',
    );
  }
  for (const [id, r] of ctx.resources('AWS::RDS::DBInstance')) {
    const p = ctx.props(r);
    if (p.DBClusterIdentifier !== undefined || p.Iops !== undefined) continue;
    const engine = ctx.str(p.Engine) ?? '';
    if (engine.startsWith('aurora')) continue;
    const type = p.StorageType === undefined ? 'gp2' : ctx.str(p.StorageType);
    const size = ctx.num(p.AllocatedStorage);
    if (type !== 'gp2' || !size) continue;
    const az = ctx.bool(p.MultiAZ) ? 'multi_az' : 'single_az';
    out.push({
      logicalId: id,
      path: ['Properties', p.StorageType === undefined ? 'AllocatedStorage' : 'StorageType'],
      sizeGb: size,
      what: 'RDS storage',
      service: 'rds_postgresql_storage',
      gp2: `gp2_${az}_gb_month`,
      gp3: `gp3_${az}_gb_month`,
      count: 1,
      defaulted: p.StorageType === undefined,
    });
  }
  for (const [id, r] of ctx.resources('AWS::OpenSearchService::Domain')) {
    const p = ctx.props(r);
    const e = p.EBSOptions as Record<string, unknown> | undefined;
    const cfg = p.ClusterConfig as Record<string, unknown> | undefined;
    if (!e || ctx.str(e.VolumeType) !== 'gp2') continue;
    const size = ctx.num(e.VolumeSize);
    if (!size) continue;
    out.push({
      logicalId: id,
      path: ['Properties', 'EBSOptions', 'VolumeType'],
      sizeGb: size,
      what: 'OpenSearch volumes',
      service: 'opensearch',
      gp2: 'gp2_gb_month',
      gp3: 'gp3_gb_month',
      count: ctx.num(cfg?.InstanceCount) ?? 1,
    });
  }
  return out;
}

export const rule: Rule = {
  info: {
    id: 'SP-cost-gp2',
    pack: 'stackplan',
    title: 'gp2 storage where gp3 is cheaper',
    severity: 'note',
    category: 'cost',
    resourceTypes: [
      'AWS::EC2::Volume',
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::RDS::DBInstance',
      'AWS::OpenSearchService::Domain',
    ],
    what: "An EBS volume, instance or launch-template block device, RDS instance (not Aurora, not provisioned IOPS) or OpenSearch domain on gp2 — including EBS volumes and RDS instances that name no type, for which CloudFormation's default is gp2. The message gives the monthly saving of gp3 from the price book.",
    why: 'EBS gp3 costs less per GB-month than gp2 (the finding gives the saving from the price book) and gives a baseline of 3,000 IOPS and 125 MiB/s at any size, where gp2 needs larger volumes for the same IOPS.',
    fix: 'Set VolumeType / StorageType: gp3 (CDK: EbsDeviceVolumeType.GP3, StorageType.GP3); the change is online for EBS and RDS.',
    references: [
      'https://aws.amazon.com/ebs/pricing/',
      'https://aws.amazon.com/blogs/storage/migrate-your-amazon-ebs-volumes-from-gp2-to-gp3-and-save-up-to-20-on-costs/',
    ],
  },
  check(ctx) {
    for (const v of volumes(ctx)) {
      const gp2 = unitPrice(ctx, v.service, v.gp2);
      const gp3 = unitPrice(ctx, v.service, v.gp3);
      if (!gp2 || !gp3) continue;
      const now = v.sizeGb * v.count * gp2.usd;
      const then = v.sizeGb * v.count * gp3.usd;
      // RDS prices gp2 and gp3 storage alike in most regions: only a saving is worth a note.
      if (then >= now) continue;
      ctx.report({
        logicalId: v.logicalId,
        path: v.path,
        detail: v.path.join('.'),
        monthlyImpactUsd: round2(then - now),
        message: `${v.what} of ${v.sizeGb} GB${v.count > 1 ? ` × ${v.count}` : ''} on gp2${v.defaulted ? ' (the default when no type is given)' : ''}: ${usd(now)}/month, ${usd(then)}/month on gp3 (saves ${usd(now - then)}/month; price book: ${gp2.cite})`,
      });
    }
  },
};
