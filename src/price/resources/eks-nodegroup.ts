/** AWS::EKS::Nodegroup: instance type × desired size (on-demand, or Spot average for SPOT groups), node disks. */
import type { CostComponent } from '../types.js';
import { hourly, instanceStorage, launchTemplateData, monthly, type Pricer, plural } from './common.js';

export const eksNodegroup: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const lt = launchTemplateData(ctx, p.sub('LaunchTemplate'), 'LaunchTemplate');
  let type = p.str('InstanceTypes.0') ?? lt?.str('InstanceType');
  if (!type) {
    type = 't3.medium';
    notes.push('InstanceTypes not set: EKS launches t3.medium');
  }
  if (p.list('InstanceTypes').length > 1) notes.push(`priced as ${type}, the first of InstanceTypes`);
  let count = p.num('ScalingConfig.DesiredSize') ?? p.num('ScalingConfig.MinSize') ?? 2;
  if (ctx.usage.instances !== undefined) {
    count = ctx.usage.instances;
    notes.push(`${count} nodes on average (usage)`);
  }
  const spot = p.str('CapacityType', 'ON_DEMAND') === 'SPOT';
  const components: CostComponent[] = [
    spot
      ? hourly(
          `Instance usage (Linux/UNIX, Spot average, ${plural(count, 'node')} × ${type})`,
          'hours',
          count,
          'ec2',
          `spot-avg:${type}`,
        )
      : hourly(
          `Instance usage (Linux/UNIX, on-demand, ${plural(count, 'node')} × ${type})`,
          'hours',
          count,
          'ec2',
          `instance:${type}`,
          {
            meter: `ec2.hours:${type}`,
            savings: { kind: 'ec2', type },
          },
        ),
  ];
  if (spot) notes.push('Spot priced at the average Spot price the book has; the real price varies');
  if (lt?.has('BlockDeviceMappings'))
    components.push(...instanceStorage(ctx, lt.subs('BlockDeviceMappings'), count, notes, lt));
  else {
    const disk = p.num('DiskSize', 20);
    components.push(
      monthly(
        `Node disk storage (gp2, ${plural(count, 'node')} × ${disk} GB)`,
        'GB-months',
        disk * count,
        'ebs',
        'gp2_gb_month',
        {
          meter: 'ebs.gb:gp2',
        },
      ),
    );
    if (!p.has('DiskSize')) notes.push('DiskSize not set: EKS gives each node 20 GB (gp2 assumed)');
  }
  return { components, notes };
};
