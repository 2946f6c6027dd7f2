/** AWS::EC2::Instance: instance hours, EBS from BlockDeviceMappings (or its launch template), public IPv4. */
import type { Pricer } from './common.js';
import { hourly, instanceStorage, launchTemplateData, referrers, subnetsMapPublicIp } from './common.js';

export const ec2Instance: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const lt = launchTemplateData(ctx, p.sub('LaunchTemplate'), 'LaunchTemplate');
  // CloudFormation's own default when neither the instance nor its launch template names a type.
  let type = p.str('InstanceType') ?? lt?.str('InstanceType');
  if (!type) {
    type = 'm1.small';
    notes.push('InstanceType not set: CloudFormation launches m1.small');
  }
  if ((p.str('Tenancy') ?? lt?.str('Placement.Tenancy') ?? 'default') !== 'default') {
    notes.push('dedicated tenancy is priced as shared: the book has shared-tenancy prices only');
  }
  const components = [
    hourly(`Instance usage (Linux/UNIX, on-demand, ${type})`, 'hours', 1, 'ec2', `instance:${type}`, {
      meter: `ec2.hours:${type}`,
      savings: { kind: 'ec2', type },
    }),
  ];
  const mappings = p.has('BlockDeviceMappings')
    ? p.subs('BlockDeviceMappings')
    : (lt?.subs('BlockDeviceMappings') ?? []);
  components.push(...instanceStorage(ctx, mappings, 1, notes, p.has('ImageId') ? p : lt));

  // Public IPv4: an Elastic IP in the template replaces the auto-assigned address and is priced there.
  const eips = [
    ...referrers(ctx, 'AWS::EC2::EIP', 'InstanceId', ctx.logicalId),
    ...referrers(ctx, 'AWS::EC2::EIPAssociation', 'InstanceId', ctx.logicalId),
  ];
  const nics = p.has('NetworkInterfaces')
    ? p.subs('NetworkInterfaces')
    : (lt?.subs('NetworkInterfaces') ?? []);
  const nicPublic = nics.map(
    (n) => n.has('AssociatePublicIpAddress') && n.bool('AssociatePublicIpAddress', false),
  );
  let publicIp: boolean | undefined;
  if (nics.some((n) => n.has('AssociatePublicIpAddress'))) publicIp = nicPublic.some(Boolean);
  else if (p.has('SubnetId')) publicIp = subnetsMapPublicIp(ctx, [p.raw('SubnetId')], 'SubnetId');
  else if (nics[0]?.has('SubnetId'))
    publicIp = subnetsMapPublicIp(ctx, [nics[0].raw('SubnetId')], 'NetworkInterfaces.0.SubnetId');
  else {
    publicIp = true;
    notes.push('no subnet: launched in the default VPC, whose subnets assign a public IPv4');
  }
  if (eips.length > 0) {
    notes.push(`public IPv4 priced on ${eips.join(', ')} (Elastic IP)`);
  } else if (publicIp === true) {
    components.push(
      hourly('Public IPv4 address', 'hours', 1, 'vpc', 'public_ipv4_hour', { meter: 'ipv4.hours' }),
    );
  } else if (publicIp === undefined) {
    notes.push('public IPv4 not counted: whether the subnet assigns one is not in the template');
  }
  return { components, notes };
};
