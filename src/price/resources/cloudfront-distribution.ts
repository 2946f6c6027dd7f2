/**
 * AWS::CloudFront::Distribution: data out and HTTPS requests (usage; by default the app's traffic,
 * shared between the templates' distributions). Priced at the North America/Europe rates, the
 * only ones in the book; the always-free allowance is a free-tier credit.
 */
import { type Pricer, per, usage } from './common.js';

export const cloudFrontDistribution: Pricer = (ctx) => {
  const gb = ctx.usage.dataOutGb ?? ctx.shared.cloudFrontDataOutGb;
  const requests = ctx.usage.requests ?? ctx.shared.cloudFrontRequests;
  const notes = ['priced at North America/Europe rates (the book has no other edge locations)'];
  if (ctx.usage.dataOutGb === undefined && gb !== undefined)
    notes.push('data out: the app’s dataTransferOutGb');
  if (ctx.usage.requests === undefined && requests !== undefined)
    notes.push('requests: the app’s requestsPerMonth');
  return {
    components: [
      usage(
        'Data transfer out to the internet (North America/Europe)',
        'GB',
        gb,
        'cloudfront',
        'data_out_na_eu_first_10tb_gb',
        {
          meter: 'cloudfront.dto.gb',
        },
      ),
      usage(
        'HTTPS requests (North America/Europe)',
        '10k requests',
        per(requests, 10_000),
        'cloudfront',
        'https_requests_na_per_10k',
        {
          meter: 'cloudfront.requests.10k',
        },
      ),
    ],
    notes,
  };
};
