/** OpenSearch: the cheapest type with room for the JVM and the storage, nodes and zone awareness. */
import type { EcsNetwork, EcsSearch } from '../../../model/ecs.js';
import { searchHourly } from '../../../price/estimates.js';
import { type Ctx, chooseCheapest, clientsOf, EcsDoesNotFit, pricedPool } from './context.js';

const SEARCH_FAMILIES = ['t3', 'm7g', 'r7g', 'm6g', 'r6g', 'c7g'];
/** Largest EBS volume per data node, GiB (OpenSearch EBS quotas) for the small types; larger types allow ≥ 512. */
const SEARCH_MAX_EBS_GIB: Record<string, number> = {
  't3.small.search': 100,
  't3.medium.search': 200,
  'm7g.medium.search': 400,
  'r7g.medium.search': 400,
};
const SEARCH_MIN_MEMORY_MIB = 2048;

export function planSearch(ctx: Ctx, network: EcsNetwork): EcsSearch | undefined {
  const { m, catalog, decisions } = ctx;
  const sr = m.search;
  if (!sr) return undefined;
  const pool = pricedPool(
    catalog.specs('opensearch'),
    SEARCH_FAMILIES,
    (t) => t.split('.')[0],
    (t) => searchHourly(ctx.prices, t),
  );
  const priced = pool.filter((c) => c.hourlyUsd !== undefined);
  const { chosen, candidates } = chooseCheapest(priced.length ? priced : pool, (c) => {
    const maxEbs = SEARCH_MAX_EBS_GIB[c.type] ?? 512;
    if (c.memoryMiB < SEARCH_MIN_MEMORY_MIB)
      return { ok: false, why: `${c.memoryMiB} MiB: below the 2 GiB an OpenSearch JVM needs` };
    if (maxEbs < sr.storageGb) return { ok: false, why: `holds at most ${maxEbs} GiB of EBS per node` };
    return { ok: true, why: `fits: ${c.memoryMiB} MiB, up to ${maxEbs} GiB EBS per node` };
  });
  if (!chosen) throw new EcsDoesNotFit(`no OpenSearch instance type holds ${sr.storageGb} GiB per node`);
  let nodes = sr.nodes;
  const zoneAwareness = nodes > 1;
  let azCount = 1;
  const notes: string[] = [];
  if (zoneAwareness) {
    azCount = network.azCount === 3 && nodes % 3 === 0 ? 3 : 2;
    if (azCount === 2 && nodes % 2 === 1) {
      nodes += 1;
      notes.push(`${sr.nodes} nodes rounded up to ${nodes}: zone awareness over two AZs needs an even count`);
    }
  }
  const indexReplicas = nodes > 1 ? 1 : 0;
  const domainName = `${m.name.slice(0, 21).replace(/-+$/, '')}-search`;
  decisions.push({
    topic: 'search',
    choice: `OpenSearch ${chosen.type} × ${nodes}, ${sr.storageGb} GiB gp3 per node${zoneAwareness ? `, zone awareness over ${azCount} AZs` : ''}`,
    why: [
      `cheapest type with 2 GiB for the JVM and ${sr.storageGb} GiB of EBS${chosen.hourlyUsd !== undefined ? ` ($${chosen.hourlyUsd}/h)` : ''}${chosen.arch === 'x86_64' ? '; cheaper than the smallest Graviton type' : ''}`,
      nodes > 1
        ? `${nodes} nodes: zone awareness and 1 replica per index (OPENSEARCH_REPLICAS=1)`
        : 'a single node: no zone awareness and 0 replicas per index (OPENSEARCH_REPLICAS=0); a replica on the same node could never be assigned and would keep the cluster yellow',
      ...notes,
    ].join('; '),
  });
  return {
    engineVersion: 'OpenSearch_2.19',
    domainName,
    instanceType: chosen.type,
    memoryMiB: chosen.memoryMiB,
    arch: chosen.arch,
    ...(chosen.hourlyUsd !== undefined && { hourlyUsd: chosen.hourlyUsd }),
    candidates,
    nodes,
    zoneAwareness,
    azCount,
    storageGb: sr.storageGb,
    indexReplicas,
    clients: clientsOf(m, 'search'),
  };
}
