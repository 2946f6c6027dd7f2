/** AWS::Route53::HostedZone: a monthly fee per zone and standard queries (usage). */
import { monthly, type Pricer, per, usage } from './common.js';

export const route53HostedZone: Pricer = (ctx) => ({
  components: [
    monthly('Hosted zone', 'months', 1, 'route53', 'hosted_zone_month'),
    usage(
      'Standard queries',
      '1M queries',
      per(ctx.usage.queries, 1e6),
      'route53',
      'standard_queries_per_million',
    ),
  ],
  notes: ['alias queries to AWS resources are free'],
});
