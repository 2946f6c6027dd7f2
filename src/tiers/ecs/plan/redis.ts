/**
 * ElastiCache (Valkey unless the manifest asks for Redis OSS): the cheapest node with the memory
 * asked for after reserved memory; replicas by availability and by the broker role.
 */
import type { EcsRedis } from '../../../model/ecs.js';
import { cacheHourly, percentLess } from '../../../price/estimates.js';
import { type Ctx, chooseCheapest, clientsOf, EcsDoesNotFit, pricedPool } from './context.js';

const CACHE_FAMILIES = ['t4g', 't3', 'm7g', 'r7g', 'm6g', 'r6g'];
/** ElastiCache's default reserved-memory-percent. */
const CACHE_RESERVED = 0.25;

export function planRedis(ctx: Ctx): EcsRedis | undefined {
  const { m, catalog, decisions } = ctx;
  const r = m.redis;
  if (!r) return undefined;
  const engine = r.engine;
  const pool = pricedPool(
    catalog.specs('elasticache'),
    CACHE_FAMILIES,
    (t) => t.split('.')[1],
    (t) => cacheHourly(ctx.prices, t, engine),
  );
  const priced = pool.filter((c) => c.hourlyUsd !== undefined);
  const usable = (c: { memoryMiB: number }) => Math.floor(c.memoryMiB * (1 - CACHE_RESERVED));
  const { chosen, candidates } = chooseCheapest(priced.length ? priced : pool, (c) =>
    usable(c) >= r.memoryMb
      ? { ok: true, why: `fits: ${usable(c)} MiB usable (75% of ${c.memoryMiB}) ≥ ${r.memoryMb} MiB` }
      : { ok: false, why: `${usable(c)} MiB usable (75% of ${c.memoryMiB}) < ${r.memoryMb} MiB maxmemory` },
  );
  if (!chosen) throw new EcsDoesNotFit(`no ElastiCache node type holds ${r.memoryMb} MiB`);
  const valkeyLess = percentLess(
    cacheHourly(ctx.prices, chosen.type, 'valkey'),
    cacheHourly(ctx.prices, chosen.type, 'redis'),
  );
  const broker = r.role !== 'cache';
  const ha = m.availability === 'multi-az-ha';
  const replicas = ha ? 2 : m.availability === 'multi-az' || broker ? 1 : 0;
  const snapshotRetentionDays = r.persistence ? 7 : 0;
  decisions.push({
    topic: 'redis',
    choice: `${engine} ${chosen.type} × ${replicas + 1}${replicas ? ` (primary + ${replicas === 1 ? 'a replica' : `${replicas} replicas`}, Multi-AZ automatic failover)` : ''}`,
    why: [
      `cheapest node with ${r.memoryMb} MiB maxmemory after 25% reserved memory${chosen.hourlyUsd !== undefined ? ` ($${chosen.hourlyUsd}/h ${engine})` : ''}`,
      engine === 'valkey'
        ? `Valkey: the Redis OSS 7.2 protocol${valkeyLess !== undefined ? ` at ${valkeyLess}% less per node` : ''}`
        : 'Redis OSS as the manifest asks',
      replicas === 0
        ? 'one node: the cache role loses nothing that matters on a failure'
        : broker && m.availability === 'single-instance'
          ? `a replica even at single-instance: the ${r.role} role holds queued jobs, and one node as the only broker loses them on any failure`
          : `availability ${m.availability}: ${replicas} replica${replicas > 1 ? 's' : ''} in other AZs take over automatically`,
      broker
        ? 'maxmemory-policy noeviction: a full broker refuses writes instead of dropping jobs'
        : 'maxmemory-policy allkeys-lru: a full cache drops the least recently used keys',
      r.persistence
        ? 'persistence: daily snapshots kept 7 days (ElastiCache has no append-only file; the replica is the up-to-date copy)'
        : 'no snapshots: nothing in it needs restoring',
    ].join('; '),
  });
  return {
    engine,
    engineVersion: engine === 'valkey' ? '8.0' : '7.1',
    parameterFamily: engine === 'valkey' ? 'valkey8' : 'redis7',
    nodeType: chosen.type,
    arch: chosen.arch,
    memoryMiB: chosen.memoryMiB,
    usableMiB: usable(chosen),
    ...(chosen.hourlyUsd !== undefined && { hourlyUsd: chosen.hourlyUsd }),
    candidates,
    replicas,
    multiAz: replicas > 0,
    snapshotRetentionDays,
    maxmemoryPolicy: broker ? 'noeviction' : 'allkeys-lru',
    urlQuery: broker ? '?ssl_cert_reqs=required' : '',
    port: 6379,
    clients: clientsOf(m, 'redis'),
  };
}
