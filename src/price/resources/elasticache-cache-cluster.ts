/** AWS::ElastiCache::CacheCluster: node type × nodes for its engine; snapshot storage (usage). */
import { NotResolvable } from '../template.js';
import type { CostComponent } from '../types.js';
import { hourly, type Pricer, plural, usage } from './common.js';

export const ENGINE_LABEL: Record<string, string> = {
  redis: 'Redis',
  valkey: 'Valkey',
  memcached: 'Memcached',
};

export function cacheNodes(type: string, engine: string, nodes: number, what = 'node'): CostComponent {
  return hourly(
    `Cache nodes (${ENGINE_LABEL[engine] ?? engine}, on-demand, ${plural(nodes, what)} × ${type})`,
    'hours',
    nodes,
    'elasticache',
    `node:${type}:${engine}`,
    { meter: `elasticache.hours:${type}`, savings: { kind: 'elasticache', type, engine } },
  );
}

export const elastiCacheCacheCluster: Pricer = (ctx) => {
  const p = ctx.props;
  const type = p.str('CacheNodeType');
  if (!type) throw new NotResolvable('CacheNodeType', 'not set');
  const engine = p.str('Engine', 'redis').toLowerCase();
  const components = [cacheNodes(type, engine, p.num('NumCacheNodes', 1))];
  if (engine !== 'memcached' && p.num('SnapshotRetentionLimit', 0) > 0) {
    components.push(
      usage('Snapshot storage', 'GB-months', ctx.usage.snapshotStorageGb, 'elasticache', 'backup_gb_month'),
    );
  }
  return { components };
};
