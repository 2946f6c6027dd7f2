/** AWS::CloudFront::Function: invocations (usage; by default every request reaching the app). */
import { type Pricer, per, usage } from './common.js';

export const cloudFrontFunction: Pricer = (ctx) => ({
  components: [
    usage(
      'Function invocations',
      '1M invocations',
      per(ctx.usage.invocations ?? ctx.global.requestsPerMonth, 1e6),
      'cloudfront_functions',
      'invocations_per_million',
    ),
  ],
  notes: ['runs on every viewer request of the behaviours it is attached to (default: requestsPerMonth)'],
});
