/**
 * Planning the ecs tier: ECS on Fargate behind one ALB, static frontends on S3 + CloudFront, RDS
 * PostgreSQL, an ElastiCache replication group, OpenSearch, and the network they run in. Sizes
 * the tasks (valid Fargate CPU/memory pairs) and the managed data stores (the cheapest class in
 * the price book that fits, Graviton where it is not dearer), and computes what the cheaper
 * designs the manifest allows would save. Pure: every choice records why; nothing is read here.
 */
import type { Manifest, Service } from '../manifest/normalize.js';
import type { ServiceKind } from '../manifest/schema.js';
import { formatHours } from './capabilities.js';
import type {
  Arch,
  DatabaseCandidate,
  Decision,
  EcsEdge,
  EcsEnvValue,
  EcsNetwork,
  EcsPlan,
  EcsPostgres,
  EcsRedis,
  EcsRepository,
  EcsSaving,
  EcsSearch,
  EcsSecretSource,
  EcsService,
  EcsStaticSite,
  FargateSize,
} from './types.js';

/** What the ecs planner needs from the price book: unit prices and data-store specs. */
export interface EcsCatalog {
  price(region: string, service: string, item: string): { usd: number; unit: string } | undefined;
  specs(kind: 'rds' | 'elasticache' | 'opensearch'): ReadonlyArray<{
    type: string;
    vcpu: number;
    memoryGiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
  }>;
}

/** The app cannot run on the ecs tier as planned (e.g. no data-store class is large enough). */
export class EcsDoesNotFit extends Error {}

export const HOURS_PER_MONTH = 730;

/** Fargate's CPU/memory pairs: vCPU → allowed memory (MiB). */
export const FARGATE_SIZES: ReadonlyArray<{ vcpu: number; memory: readonly number[] }> = [
  { vcpu: 0.25, memory: [512, 1024, 2048] },
  { vcpu: 0.5, memory: range(1024, 4096, 1024) },
  { vcpu: 1, memory: range(2048, 8192, 1024) },
  { vcpu: 2, memory: range(4096, 16384, 1024) },
  { vcpu: 4, memory: range(8192, 30720, 1024) },
  { vcpu: 8, memory: range(16384, 61440, 4096) },
  { vcpu: 16, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let x = from; x <= to; x += step) out.push(x);
  return out;
}

/** The smallest Fargate size with at least `vcpu` and `memoryMiB`. */
export function fargateSize(vcpu: number, memoryMiB: number): FargateSize {
  for (const row of FARGATE_SIZES) {
    if (row.vcpu + 1e-9 < vcpu) continue;
    const memory = row.memory.find((m) => m >= memoryMiB);
    if (memory === undefined) continue;
    const why = [
      row.vcpu > vcpu + 1e-9
        ? `${row.vcpu} vCPU: the smallest Fargate size ≥ ${vcpu} vCPU${row.vcpu !== FARGATE_SIZES.find((r) => r.vcpu + 1e-9 >= vcpu)?.vcpu ? ` that allows ${memoryMiB} MiB` : ''}`
        : `${row.vcpu} vCPU as the manifest asks`,
      memory > memoryMiB
        ? `${memory} MiB: the smallest memory Fargate pairs with ${row.vcpu} vCPU that holds ${memoryMiB} MiB`
        : `${memory} MiB as the manifest asks`,
    ].join('; ');
    return { vcpu: row.vcpu, cpuUnits: Math.round(row.vcpu * 1024), memoryMiB: memory, why };
  }
  throw new EcsDoesNotFit(`no Fargate size has ${vcpu} vCPU and ${memoryMiB} MiB (at most 16 vCPU, 120 GiB)`);
}

/** CPU architecture of one service's tasks. */
export function serviceArch(m: Manifest, s: Service): { arch: Arch; why: string; spot: boolean } {
  if (s.spot && m.arch !== 'arm64') {
    return {
      arch: 'x86_64',
      spot: true,
      why: 'Fargate Spot runs x86_64 tasks only; Spot (up to 70% off) saves more than Graviton (about 20%)',
    };
  }
  if (m.arch !== 'auto') {
    return {
      arch: m.arch,
      spot: false,
      why: `the manifest sets arch: ${m.arch}${s.spot ? '; Fargate Spot runs x86_64 only, so this worker runs on regular Fargate' : ''}`,
    };
  }
  if (s.image === undefined) {
    return {
      arch: 'arm64',
      spot: false,
      why: 'CI builds the image for linux/arm64: Graviton Fargate costs about 20% less',
    };
  }
  if (s.arm64) {
    return {
      arch: 'arm64',
      spot: false,
      why: `${s.image} is published for arm64: Graviton costs about 20% less`,
    };
  }
  return {
    arch: 'x86_64',
    spot: false,
    why: `${s.image} is not marked arm64 (set arm64: true when the image is multi-arch to run on Graviton)`,
  };
}

const HTTP_KINDS: ReadonlySet<ServiceKind> = new Set(['frontend', 'api', 'ml']);
const GRACE_SECONDS: Record<ServiceKind, number> = { frontend: 60, api: 60, ml: 180, worker: 0, static: 0 };

function pathPatterns(route: string): string[] {
  return route === '/' ? ['/*'] : [route.replace(/\/$/, ''), `${route}*`];
}

function envKey(s: string): string {
  return s.toUpperCase().replace(/-/g, '_');
}

/** Cheapest priced candidate that fits; ties go to Graviton, then to more memory. */
function chooseCheapest<T extends { type: string; memoryMiB: number; arch: Arch; hourlyUsd?: number }>(
  pool: T[],
  fits: (c: T) => { ok: boolean; why: string },
): { chosen?: T; candidates: DatabaseCandidate[] } {
  const sorted = [...pool].sort(
    (a, b) =>
      (a.hourlyUsd ?? Number.POSITIVE_INFINITY) - (b.hourlyUsd ?? Number.POSITIVE_INFINITY) ||
      (a.arch === b.arch ? 0 : a.arch === 'arm64' ? -1 : 1) ||
      a.memoryMiB - b.memoryMiB ||
      a.type.localeCompare(b.type),
  );
  const candidates: DatabaseCandidate[] = [];
  for (const c of sorted) {
    const f = fits(c);
    candidates.push({
      type: c.type,
      memoryMiB: c.memoryMiB,
      arch: c.arch,
      ...(c.hourlyUsd !== undefined && { hourlyUsd: c.hourlyUsd }),
      fits: f.ok,
      why: f.why,
    });
    if (f.ok) return { chosen: c, candidates };
  }
  return { candidates };
}

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

interface Ctx {
  m: Manifest;
  catalog: EcsCatalog;
  decisions: Decision[];
}

function hourly(ctx: Ctx, service: string, item: string): number | undefined {
  return ctx.catalog.price(ctx.m.region, service, item)?.usd;
}

// --- Network -------------------------------------------------------------------------------------

function planNetwork(ctx: Ctx): EcsNetwork {
  const { m, decisions } = ctx;
  const ha = m.availability === 'multi-az-ha';
  const azCount = ha ? 3 : 2;
  decisions.push({
    topic: 'availability zones',
    choice: String(azCount),
    why: ha
      ? 'multi-az-ha: a NAT, a task and a database node in each of three AZs survive the loss of one with capacity to spare'
      : `two AZs: the ALB and RDS subnet groups need two; tasks spread over both (availability ${m.availability})`,
  });
  const uses = new Set(m.services.flatMap((s) => s.uses));
  let natCount = 0;
  let natInstanceType: string | undefined;
  const interfaceEndpoints: string[] = [];
  switch (m.egress) {
    case 'nat-gateway':
      natCount = ha ? azCount : 1;
      decisions.push({
        topic: 'egress',
        choice: `NAT gateway × ${natCount}`,
        why: ha
          ? 'multi-az-ha: one managed NAT gateway per AZ, so losing an AZ never cuts the others off'
          : 'the manifest asks for nat-gateway; one gateway serves both AZs (an AZ outage also stops egress of the other AZ until it returns)',
      });
      break;
    case 'nat-instance':
      natCount = ha ? azCount : 1;
      natInstanceType = 't4g.nano';
      decisions.push({
        topic: 'egress',
        choice: `NAT instance t4g.nano × ${natCount} (Amazon Linux 2023, iptables masquerade, fck-nat style)`,
        why: 'the manifest asks for nat-instance: a Graviton nano instance forwards traffic for a fraction of a NAT gateway; EC2 recovers it on hardware failure, you patch it (SSM Patch Manager)',
      });
      break;
    case 'endpoints':
      interfaceEndpoints.push('ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm');
      if (uses.has('bedrock') && m.integrations.bedrock) interfaceEndpoints.push('bedrock-runtime');
      decisions.push({
        topic: 'egress',
        choice: `no NAT; interface endpoints ${interfaceEndpoints.join(', ')}`,
        why: 'the manifest asks for endpoints: tasks reach ECR, CloudWatch Logs, Secrets Manager and SSM privately and nothing else on the internet',
      });
      break;
  }
  decisions.push({
    topic: 'S3 gateway endpoint',
    choice: 'always',
    why: 'free, and keeps S3 traffic (ECR image layers, app buckets) off the NAT and its per-GB charge',
  });
  const flowLogs = { traffic: 'REJECT' as const, retentionDays: 90 };
  decisions.push({
    topic: 'flow logs',
    choice: `rejected traffic to the log bucket, kept ${flowLogs.retentionDays} days`,
    why: 'rejected connections are what an investigation needs first; logging all traffic costs $0.25 per GB delivered',
  });
  return {
    cidr: '10.0.0.0/16',
    azCount,
    subnetMasks: { public: 24, private: 20, isolated: 24 },
    egress: m.egress,
    natCount,
    ...(natInstanceType && { natInstanceType }),
    gatewayEndpoints: ['s3'],
    interfaceEndpoints,
    flowLogs,
  };
}

// --- Services ------------------------------------------------------------------------------------

function repositoriesOf(m: Manifest, archOf: Map<string, Arch>): EcsRepository[] {
  const byBuild = new Map<string, Service[]>();
  for (const s of m.services) {
    if (s.kind === 'static' || s.image !== undefined || s.build === undefined) continue;
    byBuild.set(s.build, [...(byBuild.get(s.build) ?? []), s]);
  }
  return [...byBuild.entries()]
    .map(([build, services]) => ({
      name: `${m.name}/${services[0]!.name}`,
      build,
      services: services.map((s) => s.name),
      platforms: [
        ...new Set(services.map((s) => (archOf.get(s.name) === 'arm64' ? 'linux/arm64' : 'linux/amd64'))),
      ].sort() as EcsRepository['platforms'],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function planServices(
  ctx: Ctx,
  hasCdn: boolean,
): { services: EcsService[]; repositories: EcsRepository[]; statics: EcsStaticSite[] } {
  const { m, decisions } = ctx;
  const ha = m.availability === 'multi-az-ha';
  const statics: EcsStaticSite[] = [];
  const archOf = new Map<string, { arch: Arch; why: string; spot: boolean }>();
  for (const s of m.services) if (s.kind !== 'static') archOf.set(s.name, serviceArch(m, s));
  const repositories = repositoriesOf(m, new Map([...archOf].map(([k, v]) => [k, v.arch])));
  const repoOf = new Map(repositories.flatMap((r) => r.services.map((s) => [s, r.name] as const)));

  const albRoutes = m.services
    .filter((s) => s.kind !== 'static' && HTTP_KINDS.has(s.kind) && s.route !== undefined)
    .sort((a, b) => b.route!.length - a.route!.length || a.name.localeCompare(b.name));
  const priorityOf = new Map<string, number>();
  albRoutes
    .filter((s) => s.route !== '/')
    .forEach((s, i) => {
      priorityOf.set(s.name, (i + 1) * 10);
    });

  const services: EcsService[] = [];
  for (const s of m.services) {
    if (s.kind === 'static') {
      const route = s.route ?? '/';
      statics.push({
        service: s.name,
        route,
        keyPrefix: route === '/' ? '' : route.slice(1),
        buildDir: s.build ?? '.',
        outputDir: s.output ?? 'dist',
      });
      decisions.push({
        topic: `${s.name} (static)`,
        choice: `S3 + CloudFront at ${route}`,
        why: 'a built bundle of files needs no container: CloudFront serves it from S3 through origin access control, compressed, with security headers and SPA fallback',
      });
      continue;
    }
    const { arch, why: archWhy, spot } = archOf.get(s.name)!;
    const exposure =
      HTTP_KINDS.has(s.kind) && s.route !== undefined ? 'alb' : s.port !== undefined ? 'internal' : 'none';
    const size = fargateSize(s.cpu, s.memory);
    let min = s.replicas.min;
    let minWhy = s.defaulted.includes('replicas') ? 'default 1' : 'from the manifest';
    if (ha && exposure !== 'none' && min < 2) {
      min = 2;
      minWhy = 'multi-az-ha: at least two tasks, in different AZs, so an AZ loss never stops the service';
    }
    const max = Math.max(s.replicas.max, min);
    const scaling =
      max > min
        ? { cpuTargetPercent: 70, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 }
        : undefined;
    const scalingWhy = scaling
      ? `${min}-${max} tasks (${minWhy}), target tracking on 70% average CPU: scales out after 1 minute, in after 5`
      : `${min} task${min === 1 ? '' : 's'} (${minWhy}); no autoscaling because replicas.max equals replicas.min`;
    const environment: EcsService['environment'] = [];
    const lit = (name: string, value: string) =>
      environment.push({ name, value: { kind: 'literal', value } });
    const add = (name: string, value: EcsEnvValue) => environment.push({ name, value });
    if (s.port !== undefined && !('PORT' in s.env)) lit('PORT', String(s.port));
    for (const [k, v] of Object.entries(s.env).sort(([a], [b]) => a.localeCompare(b))) lit(k, v);
    add('AWS_REGION', { kind: 'region' });
    if (m.search && s.uses.includes('search')) {
      add('OPENSEARCH_URL', { kind: 'search-url' });
    }
    if (s.uses.includes('buckets')) {
      for (const b of m.buckets) add(`BUCKET_${envKey(b.key)}`, { kind: 'bucket-name', bucket: b.key });
    }
    const secrets: Array<{ name: string; source: EcsSecretSource }> = [];
    if (m.postgres && s.uses.includes('postgres'))
      secrets.push({ name: 'DATABASE_URL', source: { kind: 'database-url' } });
    if (m.redis && s.uses.includes('redis'))
      secrets.push({ name: 'REDIS_URL', source: { kind: 'redis-url' } });
    for (const name of [...s.secrets].sort()) {
      secrets.push({
        name,
        source: { kind: 'app-secret', parameter: `/stackplan/${m.name}/ecs/secrets/${name}` },
      });
    }
    const image: EcsService['image'] = s.image
      ? { kind: 'pinned', ref: s.image }
      : { kind: 'ecr', repository: repoOf.get(s.name)! };
    const svc: EcsService = {
      service: s,
      exposure,
      ...(exposure === 'alb' && {
        listener: {
          pathPatterns: pathPatterns(s.route!),
          ...(priorityOf.has(s.name) && { priority: priorityOf.get(s.name)! }),
        },
        healthCheckGraceSeconds: GRACE_SECONDS[s.kind],
      }),
      ...(exposure === 'internal' && { discoveryName: `${s.name}.${m.name}.internal` }),
      arch,
      archWhy,
      size,
      desired: min,
      min,
      max,
      ...(scaling && { scaling }),
      scalingWhy,
      capacityProvider: spot ? 'FARGATE_SPOT' : 'FARGATE',
      image,
      environment,
      secrets,
      logGroupName: `/stackplan/${m.name}/ecs/${s.name}`,
      logStreamPrefix: s.name,
    };
    services.push(svc);
    decisions.push({
      topic: `${s.name} tasks`,
      choice: `${size.vcpu} vCPU / ${size.memoryMiB} MiB ${arch}${spot ? ' on Fargate Spot' : ''}, ${min === max ? min : `${min}-${max}`} task${max === 1 ? '' : 's'}`,
      why: `${size.why}; ${archWhy}; ${scalingWhy}`,
    });
    decisions.push({
      topic: `${s.name} reachability`,
      choice:
        exposure === 'alb'
          ? `ALB ${s.route}${hasCdn ? ' (through CloudFront)' : ''}`
          : exposure === 'internal'
            ? `${svc.discoveryName}:${s.port} inside the VPC (Cloud Map)`
            : 'no inbound traffic',
      why:
        exposure === 'alb'
          ? `route ${s.route} from the manifest; health check ${s.health ?? '/'}, ${svc.healthCheckGraceSeconds} s grace after start`
          : exposure === 'internal'
            ? 'it has a port but no route: other services of the app call it by name; it is not on the internet'
            : 'a worker takes jobs from the broker: no load balancer, no open port',
    });
  }
  for (const r of repositories) {
    decisions.push({
      topic: `ECR ${r.name}`,
      choice: `scan on push, immutable tags, built for ${r.platforms.join(' and ')}`,
      why: `${r.services.join(' and ')} build${r.services.length === 1 ? 's' : ''} from ${r.build}: one image, tagged with the commit SHA (never :latest)`,
    });
  }
  return { services, repositories, statics };
}

// --- Data stores ---------------------------------------------------------------------------------

const RDS_FAMILIES = ['t4g', 't3', 'm7g', 'm6g', 'm6i', 'r7g', 'r6g', 'r6i'];

function clientsOf(m: Manifest, use: 'postgres' | 'redis' | 'search' | 'buckets'): string[] {
  return m.services.filter((s) => s.kind !== 'static' && s.uses.includes(use)).map((s) => s.name);
}

function planPostgres(ctx: Ctx, migrationService?: string): EcsPostgres | undefined {
  const { m, catalog, decisions } = ctx;
  const pg = m.postgres;
  if (!pg) return undefined;
  const multiAz = m.availability !== 'single-instance';
  const az = multiAz ? 'multi-az' : 'single-az';
  const pool = catalog
    .specs('rds')
    .filter((s) => RDS_FAMILIES.includes(s.type.split('.')[1]!))
    .map((s) => {
      const hourlyUsd = hourly(ctx, 'rds', `instance:${s.type}:postgres:${az}`);
      return {
        ...s,
        memoryMiB: Math.round(s.memoryGiB * 1024),
        ...(hourlyUsd !== undefined && { hourlyUsd }),
      };
    });
  const priced = pool.filter((c) => c.hourlyUsd !== undefined);
  const { chosen, candidates } = chooseCheapest(priced.length ? priced : pool, (c) =>
    c.memoryMiB >= pg.memoryMb
      ? { ok: true, why: `fits: ${c.memoryMiB} MiB ≥ ${pg.memoryMb} MiB` }
      : { ok: false, why: `${c.memoryMiB} MiB < the ${pg.memoryMb} MiB the manifest asks for` },
  );
  if (!chosen) throw new EcsDoesNotFit(`no RDS class has ${pg.memoryMb} MiB`);
  const backupRetentionDays = Math.min(35, Math.max(7, m.backups.retentionDays));
  const maxConnections = Math.min(5000, Math.floor((chosen.memoryMiB * 1048576) / 9531392));
  const clients = clientsOf(m, 'postgres');
  decisions.push({
    topic: 'postgres',
    choice: `${chosen.type} (${chosen.arch}, ${chosen.memoryMiB} MiB)${multiAz ? ' Multi-AZ' : ' Single-AZ'}, PostgreSQL ${pg.version}, ${pg.storageGb} GB gp3`,
    why: `cheapest ${priced.length ? 'priced ' : ''}class with ${pg.memoryMb} MiB${chosen.hourlyUsd !== undefined ? `: $${chosen.hourlyUsd}/h ${az} in ${m.region}` : ` (no ${m.region} price in the book: chosen by spec)`}; ${multiAz ? `availability ${m.availability}: a synchronous standby in a second AZ takes over in about a minute` : 'availability single-instance: one instance; a failure restores from the automated backups'}`,
  });
  decisions.push({
    topic: 'postgres backups',
    choice: `automated, ${backupRetentionDays} days, point-in-time recovery`,
    why: `RPO ${formatHours(m.backups.rpoHours)} is met by transaction logs shipped every 5 minutes; retention ${m.backups.retentionDays === backupRetentionDays ? 'from the manifest' : `${m.backups.retentionDays} days clamped to RDS's 7-35`}`,
  });
  return {
    engineVersion: pg.version,
    instanceClass: chosen.type,
    vcpu: chosen.vcpu,
    memoryMiB: chosen.memoryMiB,
    arch: chosen.arch,
    ...(chosen.hourlyUsd !== undefined && { hourlyUsd: chosen.hourlyUsd }),
    candidates,
    multiAz,
    storageGb: pg.storageGb,
    maxStorageGb: pg.storageGb * 2,
    backupRetentionDays,
    database: pg.database,
    username: 'app',
    port: 5432,
    maxConnections,
    clients: [...clients, ...(migrationService ? ['migration'] : [])],
  };
}

const CACHE_FAMILIES = ['t4g', 't3', 'm7g', 'r7g', 'm6g', 'r6g'];
/** ElastiCache's default reserved-memory-percent. */
const CACHE_RESERVED = 0.25;

function planRedis(ctx: Ctx): EcsRedis | undefined {
  const { m, catalog, decisions } = ctx;
  const r = m.redis;
  if (!r) return undefined;
  const engine = r.engine;
  const pool = catalog
    .specs('elasticache')
    .filter((s) => CACHE_FAMILIES.includes(s.type.split('.')[1]!))
    .map((s) => {
      const hourlyUsd = hourly(ctx, 'elasticache', `node:${s.type}:${engine}`);
      return {
        ...s,
        memoryMiB: Math.round(s.memoryGiB * 1024),
        ...(hourlyUsd !== undefined && { hourlyUsd }),
      };
    });
  const priced = pool.filter((c) => c.hourlyUsd !== undefined);
  const usable = (c: { memoryMiB: number }) => Math.floor(c.memoryMiB * (1 - CACHE_RESERVED));
  const { chosen, candidates } = chooseCheapest(priced.length ? priced : pool, (c) =>
    usable(c) >= r.memoryMb
      ? { ok: true, why: `fits: ${usable(c)} MiB usable (75% of ${c.memoryMiB}) ≥ ${r.memoryMb} MiB` }
      : { ok: false, why: `${usable(c)} MiB usable (75% of ${c.memoryMiB}) < ${r.memoryMb} MiB maxmemory` },
  );
  if (!chosen) throw new EcsDoesNotFit(`no ElastiCache node type holds ${r.memoryMb} MiB`);
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
        ? 'Valkey: the Redis OSS 7.2 protocol at 20% less per node'
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

const SEARCH_FAMILIES = ['t3', 'm7g', 'r7g', 'm6g', 'r6g', 'c7g'];
/** Largest EBS volume per data node, GiB (OpenSearch EBS quotas) for the small types; larger types allow ≥ 512. */
const SEARCH_MAX_EBS_GIB: Record<string, number> = {
  't3.small.search': 100,
  't3.medium.search': 200,
  'm7g.medium.search': 400,
  'r7g.medium.search': 400,
};
const SEARCH_MIN_MEMORY_MIB = 2048;

function planSearch(ctx: Ctx, network: EcsNetwork): EcsSearch | undefined {
  const { m, catalog, decisions } = ctx;
  const sr = m.search;
  if (!sr) return undefined;
  const pool = catalog
    .specs('opensearch')
    .filter((s) => SEARCH_FAMILIES.includes(s.type.split('.')[0]!))
    .map((s) => {
      const hourlyUsd = hourly(ctx, 'opensearch', `instance:${s.type}`);
      return {
        ...s,
        memoryMiB: Math.round(s.memoryGiB * 1024),
        ...(hourlyUsd !== undefined && { hourlyUsd }),
      };
    });
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

// --- Edge ----------------------------------------------------------------------------------------

function planEdge(ctx: Ctx, services: EcsService[], statics: EcsStaticSite[]): EcsEdge {
  const { m, decisions } = ctx;
  const albServices = services.filter((s) => s.exposure === 'alb');
  const hasAlb = albServices.length > 0;
  const hasCdn = statics.length > 0;
  const names = [m.domain, ...m.aliases];
  const originHost = `origin.${m.domain}`;
  const albHost = hasCdn ? originHost : m.domain;
  const defaultService = albServices.find((s) => s.listener?.priority === undefined)?.service.name;
  const websocket = albServices.some((s) => s.service.websocket);

  const edge: EcsEdge = { certificates: [], dns: { records: [], manualSteps: [] } };
  if (hasAlb) {
    edge.alb = {
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      idleTimeoutSeconds: websocket ? 3600 : 60,
      deletionProtection: true,
      hostName: albHost,
      accessLogPrefix: 'alb/',
      ...(defaultService && { defaultService }),
    };
    decisions.push({
      topic: 'load balancer',
      choice: `one ALB for ${albServices.map((s) => s.service.name).join(', ')} at ${albHost}`,
      why: `one ALB routes every path (${albServices.map((s) => s.service.route).join(', ')}); HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06, port 80 redirects to 443, access logs to the log bucket, deletion protection on${websocket ? ', idle timeout 1 hour for WebSockets' : ''}${defaultService ? '' : '; paths no service claims get a 404'}`,
    });
  }
  if (hasCdn) {
    const root = statics.find((s) => s.route === '/');
    const albRoot = defaultService !== undefined;
    edge.cdn = {
      domainNames: names,
      statics,
      albPathPatterns: hasAlb
        ? albServices.filter((s) => s.service.route !== '/').flatMap((s) => pathPatterns(s.service.route!))
        : [],
      defaultOrigin: root || !albRoot ? 's3' : 'alb',
      priceClass: 'PriceClass_100',
      minimumProtocolVersion: 'TLSv1.2_2021',
      logPrefix: 'cloudfront/',
    };
    decisions.push({
      topic: 'CDN',
      choice: `CloudFront for ${names.join(', ')}${hasAlb ? ` (${edge.cdn.albPathPatterns.join(', ')} forwarded to the ALB at ${originHost})` : ''}`,
      why: `static files from S3 through origin access control, compressed, security headers, SPA fallback to index.html; price class 100 (North America and Europe edges, the cheapest); TLS 1.2+${hasAlb ? '; the API stays on the same domain, so no CORS' : ''}`,
    });
  }
  // Certificates: CloudFront's must be in us-east-1.
  if (hasCdn && m.region !== 'us-east-1') {
    edge.certificates.push({ region: 'us-east-1', names, usedBy: ['cloudfront'] });
    if (hasAlb) edge.certificates.push({ region: m.region, names: [originHost], usedBy: ['alb'] });
    edge.edgeStackRegion = 'us-east-1';
    decisions.push({
      topic: 'certificates',
      choice: `CloudFront's in a second stack in us-east-1${hasAlb ? `, the ALB's in ${m.region}` : ''}`,
      why: 'CloudFront only accepts ACM certificates from us-east-1; the edge stack passes its ARN to the app stack through a cross-region reference (SSM parameters written and read by CDK at deploy time)',
    });
  } else {
    const all = hasCdn && hasAlb ? [...names, originHost] : names;
    edge.certificates.push({
      region: m.region,
      names: all,
      usedBy: [...(hasAlb ? ['alb' as const] : []), ...(hasCdn ? ['cloudfront' as const] : [])],
    });
  }
  // DNS.
  if (m.hostedZone) {
    edge.dns.zone = { ...m.hostedZone };
    for (const n of names) edge.dns.records.push({ name: n, target: hasCdn ? 'cloudfront' : 'alb' });
    if (hasCdn && hasAlb) edge.dns.records.push({ name: originHost, target: 'alb' });
    decisions.push({
      topic: 'DNS',
      choice: `ACM validation and alias records in hosted zone ${m.hostedZone.name}`,
      why: 'the manifest names the hosted zone: certificates validate themselves and every name points at the edge',
    });
  } else {
    const certNames = edge.certificates.flatMap((c) => c.names);
    edge.dns.manualSteps.push(
      `while the stack creates, add the CNAME records ACM asks for (one per name: ${[...new Set(certNames)].join(', ')}); the deploy waits until they validate. See them in the CloudFormation events, or run: aws acm describe-certificate --certificate-arn <arn> --query Certificate.DomainValidationOptions`,
    );
    for (const n of names) {
      edge.dns.manualSteps.push(
        `point ${n} at the ${hasCdn ? 'CloudFront distribution (stack output DistributionDomainName)' : 'load balancer (stack output LoadBalancerDnsName)'} with a CNAME (or an ALIAS at the zone apex)`,
      );
    }
    if (hasCdn && hasAlb) {
      edge.dns.manualSteps.push(
        `point ${originHost} at the load balancer (stack output LoadBalancerDnsName) with a CNAME: CloudFront reaches the ALB by this name`,
      );
    }
    decisions.push({
      topic: 'DNS',
      choice: 'records added by hand (no hosted zone in the manifest)',
      why: 'stackplan cannot write to a DNS provider it does not manage: plan lists the records to add',
    });
  }
  if (m.waf && hasAlb) {
    edge.waf = {
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet'],
      rateLimitPer5Minutes: 2000,
      aggregateKey: hasCdn ? 'FORWARDED_IP' : 'IP',
    };
    decisions.push({
      topic: 'WAF',
      choice: 'AWS managed common rule set + 2000 requests per 5 minutes per client IP, on the ALB',
      why: `the manifest sets waf: true${hasCdn ? '; behind CloudFront the client IP is read from X-Forwarded-For, whose first address a client can forge (a web ACL on CloudFront itself, global scope in us-east-1, would see the real address)' : ''}`,
    });
  }
  if (m.availability !== 'single-instance') {
    const alarm = m.region === 'us-east-1';
    edge.healthCheck = {
      fqdn: m.domain,
      path: '/',
      alarm,
      why: `availability ${m.availability}: Route 53 checks https://${m.domain}/ from several regions${alarm ? '' : `; its metrics exist in us-east-1 only, so no alarm in ${m.region}`}`,
    };
  }
  return edge;
}

// --- Savings -------------------------------------------------------------------------------------

function planSavings(
  ctx: Ctx,
  p: Pick<EcsPlan, 'network' | 'services' | 'postgres' | 'redis' | 'search' | 'edge'>,
): EcsSaving[] {
  const { m } = ctx;
  const H = HOURS_PER_MONTH;
  const out: EcsSaving[] = [];
  const price = (service: string, item: string) => hourly(ctx, service, item);
  const ipv4 = price('vpc', 'public_ipv4_hour');
  const n = Math.max(1, p.network.natCount || (m.availability === 'multi-az-ha' ? 3 : 1));

  // Egress: NAT gateway vs NAT instance vs endpoints (fixed monthly parts; per-GB noted).
  const natGw = price('vpc', 'nat_gateway_hour');
  const nano = price('ec2', 'instance:t4g.nano');
  const gp3 = price('ebs', 'gp3_gb_month');
  const ifEndpoint = price('vpc', 'interface_endpoint_az_hour');
  const egressCost: Partial<Record<Manifest['egress'], number>> = {};
  if (natGw !== undefined && ipv4 !== undefined) egressCost['nat-gateway'] = n * (natGw + ipv4) * H;
  if (nano !== undefined && ipv4 !== undefined && gp3 !== undefined)
    egressCost['nat-instance'] = n * ((nano + ipv4) * H + 8 * gp3);
  if (ifEndpoint !== undefined) {
    const count = p.network.egress === 'endpoints' ? p.network.interfaceEndpoints.length : 5;
    egressCost.endpoints = count * p.network.azCount * ifEndpoint * H;
  }
  const label: Record<Manifest['egress'], string> = {
    'nat-gateway': `NAT gateway × ${n}`,
    'nat-instance': `NAT instance t4g.nano × ${n}`,
    endpoints: `interface endpoints in ${p.network.azCount} AZs`,
  };
  const chosenEgress = egressCost[m.egress];
  if (chosenEgress !== undefined) {
    for (const alt of ['nat-gateway', 'nat-instance', 'endpoints'] as const) {
      const altCost = egressCost[alt];
      if (alt === m.egress || altCost === undefined) continue;
      out.push({
        topic: 'egress',
        chosen: label[m.egress],
        alternative: `egress: ${alt} (${label[alt]})`,
        monthlyUsd: round2(altCost - chosenEgress),
        ...((alt === 'nat-gateway' || m.egress === 'nat-gateway') && {
          perUsage: `NAT gateway also charges $${price('vpc', 'nat_gateway_gb_processed') ?? 0.045} per GB processed`,
        }),
        basis:
          alt === 'endpoints'
            ? `${p.network.egress === 'endpoints' ? p.network.interfaceEndpoints.length : 5} interface endpoints (ECR api and dkr, Logs, Secrets Manager, SSM${p.network.interfaceEndpoints.includes('bedrock-runtime') ? ', Bedrock' : ''}) × ${p.network.azCount} AZs × $${ifEndpoint}/h; no internet at all`
            : alt === 'nat-instance'
              ? `t4g.nano $${nano}/h + 8 GB gp3 + public IPv4 $${ipv4}/h, × ${n}; you patch it`
              : `$${natGw}/h + public IPv4 $${ipv4}/h, × ${n}; managed, scales to 100 Gbps`,
      });
    }
  }
  const natPerGb = price('vpc', 'nat_gateway_gb_processed');
  if (m.egress === 'nat-gateway' && natPerGb !== undefined) {
    out.push({
      topic: 'S3 gateway endpoint',
      chosen: 'S3 gateway endpoint (free)',
      alternative: 'S3 traffic through the NAT gateway',
      perUsage: `$${natPerGb} per GB of S3 traffic (ECR image layers, app buckets) not charged`,
      basis: 'gateway endpoints for S3 are free; the NAT gateway charges per GB processed',
    });
  }

  // Graviton vs x86 on Fargate, per service group.
  const fg = (arch: Arch) => ({
    vcpu: price('fargate', arch === 'arm64' ? 'linux_arm_vcpu_hour' : 'linux_x86_vcpu_hour'),
    gb: price('fargate', arch === 'arm64' ? 'linux_arm_gb_hour' : 'linux_x86_gb_hour'),
  });
  const taskMonthly = (s: EcsService, arch: Arch): number | undefined => {
    const f = fg(arch);
    if (f.vcpu === undefined || f.gb === undefined) return undefined;
    return (s.size.vcpu * f.vcpu + (s.size.memoryMiB / 1024) * f.gb) * H * s.desired;
  };
  const onDemand = p.services.filter((s) => s.capacityProvider === 'FARGATE');
  for (const arch of ['arm64', 'x86_64'] as const) {
    const group = onDemand.filter((s) => s.arch === arch);
    if (!group.length) continue;
    const other: Arch = arch === 'arm64' ? 'x86_64' : 'arm64';
    const a = group.map((s) => taskMonthly(s, arch));
    const b = group.map((s) => taskMonthly(s, other));
    if (a.some((x) => x === undefined) || b.some((x) => x === undefined)) continue;
    const sum = (xs: Array<number | undefined>) => xs.reduce<number>((t, x) => t + (x ?? 0), 0);
    out.push({
      topic: 'Fargate architecture',
      chosen: `${arch} for ${group.map((s) => s.service.name).join(', ')}`,
      alternative: other,
      monthlyUsd: round2(sum(b) - sum(a)),
      basis: `desired tasks × (vCPU × $${fg(arch).vcpu} + GB × $${fg(arch).gb}) per hour on ${arch}, vs $${fg(other).vcpu} + $${fg(other).gb} on ${other}${arch === 'x86_64' ? '; set arm64: true on images published for arm64' : ''}`,
    });
  }
  const spot = p.services.filter((s) => s.capacityProvider === 'FARGATE_SPOT');
  if (spot.length) {
    const od = spot.map((s) => taskMonthly(s, s.arch)).reduce<number>((t, x) => t + (x ?? 0), 0);
    out.push({
      topic: 'Fargate Spot',
      chosen: `Fargate Spot for ${spot.map((s) => s.service.name).join(', ')}`,
      alternative: 'on-demand Fargate',
      basis: `Spot has no list price: up to 70% off the ${money(od)}/month on-demand price of these tasks, varying by hour; tasks may be stopped with 2 minutes' notice`,
    });
  }

  // Managed data stores on Graviton vs the same size on x86.
  const graviton = (
    topic: string,
    chosenType: string | undefined,
    arch: Arch | undefined,
    hourlyUsd: number | undefined,
    count: number,
    x86Type: (t: string) => string,
    item: (t: string) => [string, string],
  ) => {
    if (!chosenType || hourlyUsd === undefined || arch !== 'arm64') return;
    const alt = x86Type(chosenType);
    const altPrice = price(...item(alt));
    if (altPrice === undefined) return;
    out.push({
      topic,
      chosen: `${chosenType} (Graviton)`,
      alternative: alt,
      monthlyUsd: round2((altPrice - hourlyUsd) * H * count),
      basis: `$${hourlyUsd}/h vs $${altPrice}/h × ${count} node${count === 1 ? '' : 's'} × ${H} h`,
    });
  };
  const pg = p.postgres;
  if (pg) {
    const az = pg.multiAz ? 'multi-az' : 'single-az';
    graviton(
      'RDS architecture',
      pg.instanceClass,
      pg.arch,
      pg.hourlyUsd,
      1,
      (t) => t.replace(/^db\.t4g\./, 'db.t3.').replace(/^db\.(m|r)(7|6)g\./, 'db.$16i.'),
      (t) => ['rds', `instance:${t}:postgres:${az}`],
    );
  }
  const rd = p.redis;
  if (rd) {
    graviton(
      'ElastiCache architecture',
      rd.nodeType,
      rd.arch,
      rd.hourlyUsd,
      rd.replicas + 1,
      (t) => t.replace(/^cache\.t4g\./, 'cache.t3.').replace(/^cache\.(m|r)7g\./, 'cache.$15.'),
      (t) => ['elasticache', `node:${t}:${rd.engine}`],
    );
    if (rd.engine === 'valkey' && rd.hourlyUsd !== undefined) {
      const redisPrice = price('elasticache', `node:${rd.nodeType}:redis`);
      if (redisPrice !== undefined) {
        out.push({
          topic: 'ElastiCache engine',
          chosen: `Valkey ${rd.nodeType}`,
          alternative: 'Redis OSS (redis.engine: redis)',
          monthlyUsd: round2((redisPrice - rd.hourlyUsd) * H * (rd.replicas + 1)),
          basis: `$${rd.hourlyUsd}/h vs $${redisPrice}/h per node × ${rd.replicas + 1}`,
        });
      }
    }
  }
  const se = p.search;
  if (se && se.hourlyUsd !== undefined && se.arch === 'x86_64') {
    const gravitonType = 'm7g.medium.search';
    const gp = price('opensearch', `instance:${gravitonType}`);
    if (gp !== undefined) {
      out.push({
        topic: 'OpenSearch architecture',
        chosen: `${se.instanceType} (x86_64)`,
        alternative: `${gravitonType} (the smallest Graviton type)`,
        monthlyUsd: round2((gp - se.hourlyUsd) * H * se.nodes),
        basis: `$${se.hourlyUsd}/h vs $${gp}/h × ${se.nodes} node${se.nodes === 1 ? '' : 's'}: here x86 is the cheaper fit`,
      });
    }
  }

  // One ALB for every service.
  const albCount = p.services.filter((s) => s.exposure === 'alb').length;
  const alb = price('elb', 'alb_hour');
  if (albCount > 1 && alb !== undefined && ipv4 !== undefined) {
    const perAlb = (alb + p.network.azCount * ipv4) * H;
    out.push({
      topic: 'load balancers',
      chosen: `one ALB for ${albCount} services (listener rules by path)`,
      alternative: `one ALB per service (${albCount})`,
      monthlyUsd: round2(perAlb * (albCount - 1)),
      basis: `each ALB costs $${alb}/h plus a public IPv4 per AZ ($${ipv4}/h × ${p.network.azCount}), before LCUs`,
    });
  }
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

// --- The tier ------------------------------------------------------------------------------------

export function planEcs(m: Manifest, catalog: EcsCatalog): EcsPlan {
  const ctx: Ctx = { m, catalog, decisions: [] };
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
  const buckets = m.buckets.map((b) => ({
    key: b.key,
    ...(b.purpose !== undefined && { purpose: b.purpose }),
    versioned: b.versioned,
    envName: `BUCKET_${envKey(b.key)}`,
    clients: clientsOf(m, 'buckets'),
  }));
  const logs = { retentionDays: 30 };
  decisions.push({
    topic: 'logs',
    choice: `one log group per service, ${logs.retentionDays} days, stream prefix = service name`,
    why: 'awslogs ships container output without a sidecar; a month covers incident review, longer retention costs $0.03 per GB-month',
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
    tier: 'ecs',
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
    prerequisites: prerequisites(m, edge, search),
    decisions,
  };
  plan.savings = planSavings(ctx, plan);
  return plan;
}

/** What an AWS account needs once before this stack's first deploy. */
function prerequisites(m: Manifest, edge: EcsEdge, search: EcsSearch | undefined): string[] {
  const regions = [m.region, ...(edge.edgeStackRegion ? [edge.edgeStackRegion] : [])];
  const out = [`npx aws-cdk bootstrap ${regions.map((r) => `aws://<account>/${r}`).join(' ')}`];
  if (search) {
    out.push(
      'aws iam create-service-linked-role --aws-service-name opensearchservice.amazonaws.com (once per account: OpenSearch needs it to place a domain in a VPC; "has been taken" means it exists already)',
    );
  }
  const bedrock = m.integrations.bedrock?.models ?? [];
  if (bedrock.length && m.services.some((s) => s.uses.includes('bedrock'))) {
    out.push(
      `Bedrock model access in ${m.region} for ${bedrock.map((b) => b.id).join(', ')} (console: Bedrock → Model access; Anthropic models ask for a use-case form once)`,
    );
  }
  const ses = m.integrations.ses;
  if (ses && m.services.some((s) => s.uses.includes('ses'))) {
    out.push(
      `verify ${ses.sender.split('@')[1]} in SES ${m.region} and request production access (a new account can only send to verified addresses)`,
    );
  }
  return out;
}
