/** AWS::ElastiCache::ServerlessCache: GB-hours stored (at least the engine's minimum) and ECPUs, both usage. */
import { type Pricer, per, usage } from './common.js';
import { ENGINE_LABEL } from './elasticache-cache-cluster.js';

export const elastiCacheServerlessCache: Pricer = (ctx) => {
  const p = ctx.props;
  const engine = p.str('Engine', 'redis').toLowerCase();
  const label = ENGINE_LABEL[engine] ?? engine;
  const meteredMin = engine === 'valkey' ? 0.1 : 1;
  const limitMin = p.num('CacheUsageLimits.DataStorage.Minimum');
  let gb = ctx.usage.dataStoredGb;
  if (gb === undefined && limitMin !== undefined) gb = limitMin;
  const stored = gb === undefined ? undefined : Math.max(gb, limitMin ?? 0, meteredMin) * 730;
  return {
    components: [
      usage(`Data stored (${label})`, 'GB-hours', stored, 'elasticache_serverless', `${engine}_gb_hour`, {
        note: `at least ${meteredMin} GB is metered`,
      }),
      usage(
        `ElastiCache processing units (${label})`,
        '1M ECPUs',
        per(ctx.usage.ecpuMillions, 1),
        'elasticache_serverless',
        `${engine}_ecpu_million`,
      ),
    ],
  };
};
