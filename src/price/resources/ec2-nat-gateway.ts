/** AWS::EC2::NatGateway: hours, GB processed (usage), and its public IPv4 unless an EIP in the template holds it. */
import { hourly, type Pricer, usage } from './common.js';

export const ec2NatGateway: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const components = [
    hourly('NAT gateway', 'hours', 1, 'vpc', 'nat_gateway_hour'),
    usage('Data processed', 'GB', ctx.usage.dataProcessedGb, 'vpc', 'nat_gateway_gb_processed'),
  ];
  if (p.str('ConnectivityType', 'public') === 'public') {
    const eip = p.ref('AllocationId');
    if (eip && ctx.index.resource(eip)?.Type === 'AWS::EC2::EIP')
      notes.push(`public IPv4 priced on ${eip} (Elastic IP)`);
    else
      components.push(
        hourly('Public IPv4 address (NAT gateway)', 'hours', 1, 'vpc', 'public_ipv4_hour', {
          meter: 'ipv4.hours',
        }),
      );
  }
  return { components, notes };
};
