/**
 * Engine versions and the end of their standard support, from the calendars in the price book
 * (rules `supportCalendars` and `eksStandardSupportEnds`, each with its AWS page and the date it
 * was read). Shared by SP-version-out-of-support and SP-version-support-ending.
 */
import type { EksSupportRule, PriceSource, SupportCalendarRule } from '../../price/book/types.js';
import type { RuleContext } from './context.js';

export interface VersionFact {
  logicalId: string;
  path: Array<string | number>;
  /** e.g. `RDS for PostgreSQL 13.13` */
  what: string;
  version: string;
  /** Last day of standard support, YYYY-MM-DD. */
  ends: string;
  /** Set when the version is not in the calendar but older than every version in it. */
  olderThan?: string;
  source?: PriceSource;
}

function parts(v: string): number[] {
  return (v.match(/\d+/g) ?? []).map(Number);
}

function compare(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * The end of standard support for `key` in a calendar; for a version older than every listed one
 * (of the same family, the part before `_`), the earliest listed date: AWS retires older versions
 * first.
 */
export function lookup(
  calendar: Record<string, string>,
  key: string,
): { ends: string; olderThan?: string } | undefined {
  const exact = calendar[key];
  if (exact) return { ends: exact };
  const family = key.includes('_') ? key.slice(0, key.indexOf('_')) : '';
  const same = Object.keys(calendar).filter(
    (k) => (k.includes('_') ? k.slice(0, k.indexOf('_')) : '') === family,
  );
  if (same.length === 0) return undefined;
  const oldest = same.reduce((a, b) => (compare(a, b) <= 0 ? a : b));
  if (compare(key, oldest) >= 0) return undefined;
  return { ends: calendar[oldest]!, olderThan: oldest };
}

/** The calendar key of an engine version: majors as each calendar lists them. */
function majorKey(calendar: string, version: string): string {
  const p = parts(version);
  switch (calendar) {
    case 'rds_postgres':
      return p[0]! < 10 ? `${p[0]}.${p[1] ?? 0}` : String(p[0]);
    case 'rds_mysql':
      return `${p[0]}.${p[1] ?? 0}`;
    case 'elasticache_redis':
      return String(p[0]);
    case 'eks_kubernetes':
      return `${p[0]}.${p[1] ?? 0}`;
    default:
      return version;
  }
}

export function versionFacts(ctx: RuleContext): VersionFact[] {
  const calendars = ctx.book.rule<Record<string, SupportCalendarRule>>('supportCalendars') ?? {};
  const eks = ctx.book.rule<EksSupportRule>('eksStandardSupportEnds');
  const out: VersionFact[] = [];
  const add = (
    logicalId: string,
    path: Array<string | number>,
    what: string,
    calendarName: string,
    version: string,
  ) => {
    const cal = calendarName === 'eks_kubernetes' ? eks : calendars[calendarName];
    if (!cal) return;
    const hit = lookup(cal.ends, majorKey(calendarName, version));
    if (!hit) return;
    const f: VersionFact = { logicalId, path, what: `${what} ${version}`, version, ends: hit.ends };
    if (hit.olderThan) f.olderThan = hit.olderThan;
    const src = ctx.book.source(cal.src);
    if (src) f.source = src;
    out.push(f);
  };
  for (const [id, r] of ctx.resources('AWS::RDS::DBInstance', 'AWS::RDS::DBCluster')) {
    const p = ctx.props(r);
    if (r.Type === 'AWS::RDS::DBInstance' && p.DBClusterIdentifier !== undefined) continue;
    const engine = ctx.str(p.Engine)?.toLowerCase();
    const version = ctx.str(p.EngineVersion);
    if (!version) continue;
    if (engine === 'postgres')
      add(id, ['Properties', 'EngineVersion'], 'RDS for PostgreSQL', 'rds_postgres', version);
    if (engine === 'mysql') add(id, ['Properties', 'EngineVersion'], 'RDS for MySQL', 'rds_mysql', version);
  }
  for (const [id, r] of ctx.resources(
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::ElastiCache::CacheCluster',
  )) {
    const p = ctx.props(r);
    const engine = (ctx.str(p.Engine) ?? 'redis').toLowerCase();
    const version = ctx.str(p.EngineVersion);
    if (engine === 'redis' && version)
      add(id, ['Properties', 'EngineVersion'], 'ElastiCache for Redis OSS', 'elasticache_redis', version);
  }
  for (const [id, r] of ctx.resources('AWS::OpenSearchService::Domain')) {
    const version = ctx.str(ctx.props(r).EngineVersion);
    if (version) add(id, ['Properties', 'EngineVersion'], 'OpenSearch Service', 'opensearch', version);
  }
  for (const [id, r] of ctx.resources('AWS::Elasticsearch::Domain')) {
    const version = ctx.str(ctx.props(r).ElasticsearchVersion);
    if (version)
      add(
        id,
        ['Properties', 'ElasticsearchVersion'],
        'OpenSearch Service',
        'opensearch',
        `Elasticsearch_${version}`,
      );
  }
  for (const [id, r] of ctx.resources('AWS::EKS::Cluster')) {
    const version = ctx.str(ctx.props(r).Version);
    if (version) add(id, ['Properties', 'Version'], 'EKS Kubernetes', 'eks_kubernetes', version);
  }
  for (const [id, r] of ctx.resources('Custom::AWSCDK-EKS-Cluster')) {
    const cfg = ctx.props(r).Config as Record<string, unknown> | undefined;
    const version = ctx.str(cfg?.version);
    if (version) add(id, ['Properties', 'Config', 'version'], 'EKS Kubernetes', 'eks_kubernetes', version);
  }
  return out;
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function sourceNote(f: VersionFact): string {
  return f.source ? ` (${f.source.url ?? f.source.source}, read ${f.source.asOf})` : '';
}

export const VERSION_REFERENCES = [
  'https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html',
  'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html',
  'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version',
  'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
  'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html',
];

export const VERSION_TYPES = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::CacheCluster',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::EKS::Cluster',
];
