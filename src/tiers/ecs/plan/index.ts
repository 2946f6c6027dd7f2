/**
 * Planning the ecs tier: ECS on Fargate behind one ALB, static frontends on S3 + CloudFront, RDS
 * PostgreSQL, an ElastiCache replication group, OpenSearch, and the network they run in. Sizes
 * the tasks (valid Fargate CPU/memory pairs) and the managed data stores (the cheapest class in
 * the price book that fits, Graviton where it is not dearer), and estimates what the cheaper
 * designs the manifest allows would save. Pure: every choice records why; nothing is read here.
 *
 * One file per seam: sizing (task sizes, architecture), network, services, the three data stores,
 * edge, prerequisites and savings; this file puts them together.
 */
import type { Manifest } from '../../../manifest/normalize.js';
import type { EcsCatalog } from '../../../model/catalog.js';
import { ECS_TIER, type EcsPlan } from '../../../model/ecs.js';
import { appBuckets } from '../../../model/plan.js';
import { priceQuotes, RegionPrices, usd } from '../../../price/estimates.js';
import type { Ctx } from './context.js';
import { planEdge } from './edge.js';
import { planNetwork } from './network.js';
import { planPostgres } from './postgres.js';
import { prerequisites } from './prerequisites.js';
import { planRedis } from './redis.js';
import { planSavings } from './savings.js';
import { planSearch } from './search.js';
import { planServices } from './services.js';

export { EcsDoesNotFit } from './context.js';
export { FARGATE_SIZES, fargateSize, serviceArch } from './sizing.js';

export function planEcs(m: Manifest, catalog: EcsCatalog): EcsPlan {
  const prices = new RegionPrices(catalog, m.region);
  const ctx: Ctx = { m, catalog, prices, decisions: [] };
  const quotes = priceQuotes(prices);
  const { decisions } = ctx;
  const network = planNetwork(ctx);
  const hasCdn = m.services.some((s) => s.kind === 'static');
  const { services, repositories, statics } = planServices(ctx, hasCdn);
  const migrating = m.services.find((s) => s.migrate !== undefined && s.kind !== 'static');
  const migration = migrating
    ? { service: migrating.name, command: [...migrating.migrate!], family: `${m.name}-migrate` }
    : undefined;
  if (migration) {
    decisions.push({
      topic: 'migration',
      choice: `one-off task ${migration.family}: ${migration.command.join(' ')}`,
      why: `${migration.service}'s image and configuration; CI runs it with the new image before the services update, and stops the deploy if it fails`,
    });
  } else if (m.postgres) {
    decisions.push({
      topic: 'migration',
      choice: 'none',
      why: 'no service sets migrate: add migrate: [your, migration, command] to the service that owns the schema',
    });
  }
  const postgres = planPostgres(ctx, migration?.service);
  const redis = planRedis(ctx);
  const search = planSearch(ctx, network);
  if (search) {
    for (const s of services) {
      if (s.service.uses.includes('search')) {
        s.environment.push({
          name: 'OPENSEARCH_REPLICAS',
          value: { kind: 'literal', value: String(search.indexReplicas) },
        });
      }
    }
  }
  const edge = planEdge(ctx, services, statics);
  const buckets = appBuckets(m);
  const logs = { retentionDays: m.logs.retentionDays };
  decisions.push({
    topic: 'logs',
    choice: `one log group per service, ${logs.retentionDays} days, stream prefix = service name`,
    why: `awslogs ships container output without a sidecar; the retention is logs.retentionDays, every log group of the stack keeps it: each GB kept costs ${quotes.logsGbMonth !== undefined ? `${usd(quotes.logsGbMonth)} a month` : 'storage a month'}, a shorter one limits how far back an incident can be investigated`,
  });
  const ci = m.ci
    ? {
        repository: m.ci.repository,
        branch: m.ci.branch,
        oidcProvider: m.ci.oidcProvider,
        subject: `repo:${m.ci.repository}:ref:refs/heads/${m.ci.branch}`,
        workflowFile: 'ci/deploy.yml',
      }
    : undefined;
  decisions.push(
    ci
      ? {
          topic: 'CI',
          choice: `GitHub Actions from ${ci.repository} (${ci.branch}) through OIDC`,
          why: `the deploy role trusts only ${ci.subject}; no AWS keys exist anywhere. ${ci.oidcProvider === 'create' ? 'The stack creates the GitHub OIDC provider (set ci.oidcProvider: existing if the account has one)' : 'The account’s existing GitHub OIDC provider is used'}`,
        }
      : {
          topic: 'CI',
          choice: 'none',
          why: 'no ci in the manifest: add ci.repository (owner/name) to get a deploy role and the GitHub Actions workflow',
        },
  );
  const pg = postgres;
  const alarms = {
    alb5xxPercent: 5,
    rdsCpuPercent: 80,
    rdsFreeStorageBytes: pg ? Math.round(pg.storageGb * 0.1 * 1024 ** 3) : 0,
    rdsConnections: pg ? Math.floor(pg.maxConnections * 0.8) : 0,
    redisMemoryPercent: 80,
  };
  const plan: EcsPlan = {
    tier: ECS_TIER,
    network,
    edge,
    services,
    repositories,
    ...(repositories.length > 0 && { imageTagParameter: 'ImageTag' }),
    ...(migration && { migration }),
    ...(postgres && { postgres }),
    ...(redis && { redis }),
    ...(search && { search }),
    buckets,
    params: { prefix: `/stackplan/${m.name}/ecs/`, secrets: `/stackplan/${m.name}/ecs/secrets/` },
    logs,
    alarms,
    ...(ci && { ci }),
    savings: [],
    quotes,
    prerequisites: prerequisites(m, edge, search),
    decisions,
  };
  plan.savings = planSavings(ctx, plan);
  return plan;
}
