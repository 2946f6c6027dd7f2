/** AWS::ElasticLoadBalancingV2::LoadBalancer: ALB/NLB hours, capacity units (usage), one public IPv4 per AZ when internet-facing. */
import type { CostComponent } from '../types.js';
import { countOrWhy, hourly, type Pricer, plural, usage } from './common.js';

export const elbv2LoadBalancer: Pricer = (ctx) => {
  const p = ctx.props;
  const kind = p.str('Type', 'application');
  const notes: string[] = [];
  const lcu = ctx.usage.lcuPerHour;
  const perMonth = lcu === undefined ? undefined : lcu * 730;
  const components: CostComponent[] = [];
  if (kind === 'application') {
    components.push(
      hourly('Application load balancer', 'hours', 1, 'elb', 'alb_hour', { meter: 'alb.hours' }),
      usage('Load balancer capacity units', 'LCU-hours', perMonth, 'elb', 'alb_lcu_hour', {
        meter: 'alb.lcu-hours',
      }),
    );
  } else if (kind === 'network') {
    components.push(
      hourly('Network load balancer', 'hours', 1, 'elb', 'nlb_hour'),
      usage('Network load balancer capacity units', 'NLCU-hours', perMonth, 'elb', 'nlb_nlcu_hour'),
    );
  } else {
    components.push(hourly(`Load balancer (${kind})`, 'hours', 1, 'elb', `${kind}_hour`));
  }
  if (p.str('Scheme', 'internet-facing') === 'internet-facing' && kind !== 'gateway') {
    const mappings = p.subs('SubnetMappings');
    const withEip = mappings.filter((m) => m.has('AllocationId')).length;
    const counted = countOrWhy(() => mappings.length || p.list('Subnets').length);
    const azs = typeof counted === 'number' ? counted : 0;
    if (typeof counted === 'string') notes.push(`public IPv4 addresses not counted: ${counted}`);
    else if (azs === 0) notes.push('no Subnets: public IPv4 addresses not counted');
    if (withEip > 0) notes.push(`${plural(withEip, 'address', 'addresses')} from Elastic IPs, priced there`);
    const ips = azs - withEip;
    if (ips > 0) {
      components.push(
        hourly(
          `Public IPv4 addresses (internet-facing, ${plural(ips, 'AZ')})`,
          'hours',
          ips,
          'vpc',
          'public_ipv4_hour',
          {
            meter: 'ipv4.hours',
          },
        ),
      );
    }
  }
  return { components, notes };
};
