/**
 * AWS::AutoScaling::AutoScalingGroup: desired capacity × the instance its launch template (or
 * launch configuration, or mixed-instances policy) describes: hours, EBS and public IPv4.
 */
import { NotResolvable, type Props } from '../template.js';
import type { CostComponent } from '../types.js';
import {
  countOrWhy,
  ctxProps,
  hourly,
  instanceStorage,
  launchTemplateData,
  type Pricer,
  plural,
  subnetsMapPublicIp,
} from './common.js';

export const autoScalingGroup: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  let count = p.num('DesiredCapacity') ?? p.num('MinSize', 0);
  if (ctx.usage.instances !== undefined) {
    count = ctx.usage.instances;
    notes.push(`${count} instances on average (usage)`);
  }

  let type: string | undefined;
  let data: Props | undefined;
  /** What holds the ImageId: the launch template data or the launch configuration. */
  let holder: Props | undefined;
  let mappings: Props[] = [];
  let publicIp: boolean | undefined;
  const mixed = p.sub('MixedInstancesPolicy');
  if (mixed) {
    data = launchTemplateData(
      ctx,
      mixed.sub('LaunchTemplate.LaunchTemplateSpecification'),
      'MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification',
    );
    type = mixed.str('LaunchTemplate.Overrides.0.InstanceType') ?? data?.str('InstanceType');
    const onDemandPct = mixed.num('InstancesDistribution.OnDemandPercentageAboveBaseCapacity', 100);
    if (onDemandPct < 100)
      notes.push(
        `${100 - onDemandPct}% of capacity above the base may run on Spot: priced on-demand here, see the savings view`,
      );
  } else if (p.has('LaunchTemplate')) {
    data = launchTemplateData(ctx, p.sub('LaunchTemplate'), 'LaunchTemplate');
    type = data?.str('InstanceType');
  } else if (p.has('LaunchConfigurationName')) {
    const id = p.ref('LaunchConfigurationName');
    const lc = id ? ctxProps(ctx, id) : undefined;
    if (!lc)
      throw new NotResolvable('LaunchConfigurationName', 'the launch configuration is not in this template');
    type = lc.str('InstanceType');
    holder = lc;
    mappings = lc.subs('BlockDeviceMappings');
    if (lc.has('AssociatePublicIpAddress')) publicIp = lc.bool('AssociatePublicIpAddress', false);
  } else if (p.has('InstanceId')) {
    throw new NotResolvable('InstanceId', 'the group copies a running instance');
  }
  if (!type)
    throw new NotResolvable('LaunchTemplate', 'no instance type in the launch template or its overrides');
  if (data) {
    holder = data;
    mappings = data.subs('BlockDeviceMappings');
    const nic = data.sub('NetworkInterfaces.0');
    if (nic?.has('AssociatePublicIpAddress')) publicIp = nic.bool('AssociatePublicIpAddress', false);
  }
  if (publicIp === undefined && p.has('VPCZoneIdentifier')) {
    const subnets = countOrWhy(() => p.list('VPCZoneIdentifier'));
    if (Array.isArray(subnets)) publicIp = subnetsMapPublicIp(ctx, subnets, 'VPCZoneIdentifier');
  }

  const components: CostComponent[] = [
    hourly(
      `Instance usage (Linux/UNIX, on-demand, ${plural(count, 'instance')} × ${type})`,
      'hours',
      count,
      'ec2',
      `instance:${type}`,
      {
        meter: `ec2.hours:${type}`,
        savings: { kind: 'ec2', type },
      },
    ),
    ...instanceStorage(ctx, mappings, count, notes, holder),
  ];
  if (publicIp === true) {
    components.push(
      hourly(
        `Public IPv4 addresses (${plural(count, 'instance')})`,
        'hours',
        count,
        'vpc',
        'public_ipv4_hour',
        { meter: 'ipv4.hours' },
      ),
    );
  } else if (publicIp === undefined) {
    notes.push('public IPv4 not counted: whether the subnets assign one is not in the template');
  }
  return { components, notes };
};
