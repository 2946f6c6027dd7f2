/**
 * AWS::ApiGateway::Stage and AWS::ApiGateway::Deployment: free, except a stage's cache
 * (`CacheClusterEnabled`), billed by the hour for its size (`CacheClusterSize`, default 0.5 GB).
 */
import type { Props } from '../template.js';
import type { CostComponent } from '../types.js';
import { hourly, type Pricer } from './common.js';

/** The cache line of stage settings under `prefix` (`` or `StageDescription.`), if the cache is on. */
export function cacheComponent(p: Props, prefix: string): CostComponent | undefined {
  if (!p.bool(`${prefix}CacheClusterEnabled`, false)) return undefined;
  const size = p.str(`${prefix}CacheClusterSize`, '0.5');
  return hourly(`API cache (${size} GB)`, 'hours', 1, 'apigateway', `cache_${size}_gb_hour`);
}

const FREE = 'configuration only, no charge (requests are priced on the API)';

export const apiGatewayStage: Pricer = (ctx) => {
  const c = cacheComponent(ctx.props, '');
  return c ? { components: [c] } : { components: [], free: FREE };
};

export const apiGatewayDeployment: Pricer = (ctx) => {
  const c = cacheComponent(ctx.props, 'StageDescription.');
  return c
    ? { components: [c], notes: ['the cache of the stage this deployment creates (StageDescription)'] }
    : { components: [], free: FREE };
};
