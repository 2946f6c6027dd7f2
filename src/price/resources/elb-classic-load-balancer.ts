/**
 * AWS::ElasticLoadBalancing::LoadBalancer (Classic): hours, GB processed (usage), one public IPv4
 * per subnet or Availability Zone when internet-facing.
 */
import type { CostComponent } from '../types.js';
import { countOrWhy, hourly, type Pricer, plural, usage } from './common.js';

export const elbClassicLoadBalancer: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const components: CostComponent[] = [
    hourly('Classic load balancer', 'hours', 1, 'elb_classic', 'hour', { meter: 'elb.classic.hours' }),
    usage('Data processed', 'GB', ctx.usage.dataProcessedGb, 'elb_classic', 'gb_processed', {
      meter: 'elb.classic.gb',
    }),
  ];
  if (p.str('Scheme', 'internet-facing') === 'internet-facing') {
    const azs = countOrWhy(() => p.list('Subnets').length || p.list('AvailabilityZones').length);
    if (typeof azs === 'string') notes.push(`public IPv4 addresses not counted: ${azs}`);
    else if (azs === 0) notes.push('no Subnets or AvailabilityZones: public IPv4 addresses not counted');
    else
      components.push(
        hourly(
          `Public IPv4 addresses (internet-facing, ${plural(azs, 'AZ')})`,
          'hours',
          azs,
          'vpc',
          'public_ipv4_hour',
          { meter: 'ipv4.hours' },
        ),
      );
  }
  return { components, notes };
};
