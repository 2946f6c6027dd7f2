/**
 * AWS::ApiGateway::RestApi and AWS::Serverless::Api (SAM): REST API requests (usage; by default
 * an equal share of the app's requests). A stage cache is priced on the stage (or, for SAM, here).
 */
import type { CostComponent } from '../types.js';
import { cacheComponent } from './apigateway-stage.js';
import { isSamImplicit, type Pricer, per, usage } from './common.js';

export const apiGatewayRestApi: Pricer = (ctx) => {
  const notes: string[] = [];
  const requests = ctx.usage.requests ?? ctx.shared.apiRequests;
  if (ctx.usage.requests === undefined && requests !== undefined)
    notes.push('requests: an equal share of requestsPerMonth among the templates’ APIs');
  const components: CostComponent[] = [
    usage(
      'API requests (REST)',
      '1M requests',
      per(requests, 1e6),
      'apigateway',
      'rest_requests_per_million',
      {
        meter: 'apigateway.rest.1m',
      },
    ),
  ];
  if (ctx.type === 'AWS::Serverless::Api') {
    // SAM puts the stage's settings on the API itself.
    const cache = cacheComponent(ctx.props, '');
    if (cache) components.push(cache);
    if (isSamImplicit(ctx)) notes.push('created by SAM for the functions’ Api events');
  }
  return { components, notes };
};
