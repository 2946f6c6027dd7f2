/**
 * AWS::ElastiCache::ReplicationGroup: node type × node groups × (replicas + 1), for its engine.
 * The node type may come from the primary cluster it is built on (PrimaryClusterId).
 */
import { NotResolvable } from '../template.js';
import { ctxProps, type Pricer, usage } from './common.js';
import { cacheNodes } from './elasticache-cache-cluster.js';

export const elastiCacheReplicationGroup: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  let type = p.str('CacheNodeType');
  let engine = p.str('Engine');
  let nodes: number;
  const primary = p.ref('PrimaryClusterId');
  if (primary) {
    const c = ctxProps(ctx, primary);
    type ??= c?.str('CacheNodeType');
    engine ??= c?.str('Engine');
    // The primary cluster is priced on its own resource; the group adds its other members.
    nodes = Math.max(0, p.num('NumCacheClusters', 1) - 1);
    notes.push(`the primary node is priced on ${primary}`);
  } else if (p.has('NodeGroupConfiguration')) {
    nodes = p
      .subs('NodeGroupConfiguration')
      .reduce((n, g) => n + 1 + g.num('ReplicaCount', p.num('ReplicasPerNodeGroup', 1)), 0);
  } else if (p.has('NumNodeGroups') || p.has('ReplicasPerNodeGroup')) {
    nodes = p.num('NumNodeGroups', 1) * (p.num('ReplicasPerNodeGroup', 1) + 1);
  } else {
    nodes = p.num('NumCacheClusters', 1);
  }
  if (!type) throw new NotResolvable('CacheNodeType', 'not set');
  const e = (engine ?? 'redis').toLowerCase();
  const components = [cacheNodes(type, e, nodes)];
  if (p.num('SnapshotRetentionLimit', 0) > 0) {
    components.push(
      usage('Snapshot storage', 'GB-months', ctx.usage.snapshotStorageGb, 'elasticache', 'backup_gb_month'),
    );
  }
  return { components, notes };
};
