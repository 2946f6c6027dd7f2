/**
 * What an image is, from its reference alone: the data stores stackplan provides (PostgreSQL and
 * its extension-carrying variants, Redis and its forks, Elasticsearch/OpenSearch, MinIO), stores
 * it does not provide, development-only tools and reverse proxies that stackplan replaces.
 */

export interface ImageRef {
  /** As written. */
  ref: string;
  registry?: string;
  /** Repository path without registry and without the implicit `library/`, lowercased. */
  repository: string;
  /** Last path segment of the repository. */
  base: string;
  tag?: string;
  digest?: string;
}

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift();
  let repository = parts.join('/').toLowerCase();
  if (repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return {
    ref,
    ...(registry !== undefined && { registry }),
    repository,
    base: repository.split('/').pop() ?? repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

export type ImageRole =
  | { role: 'postgres'; extensions: string[] }
  | { role: 'redis'; flavour: 'redis' | 'valkey' | 'keydb' | 'dragonfly' | 'redis-stack' }
  | { role: 'search'; engine: 'elasticsearch' | 'opensearch' }
  | { role: 'bucket' }
  | { role: 'unsupported-store'; what: string; suggestion: string }
  | { role: 'dev-tool'; what: string }
  | { role: 'proxy'; what: string };

const NOT_A_STORE =
  /(exporter|pgadmin|pgbouncer|pgbackrest|pgpool|postgrest|pgweb|backup|wal-g|commander|insight|dashboards?|sentinel|kibana|operator|cli$|^mc$)/;

/** Extensions an image family brings, by a pattern on its repository path or tag. */
const POSTGRES_FAMILIES: Array<{ pattern: RegExp; extensions: string[] }> = [
  { pattern: /timescale/, extensions: ['timescaledb'] },
  { pattern: /postgis/, extensions: ['postgis'] },
  { pattern: /pgvecto-?rs|vectors/, extensions: ['pgvecto.rs'] },
  { pattern: /vectorchord|vchord/, extensions: ['vectorchord'] },
  { pattern: /pgvector|(^|\/)ankane\//, extensions: ['pgvector'] },
  { pattern: /^supabase\/postgres$/, extensions: ['pgvector', 'postgis', 'pg_net', 'pgsodium'] },
];

function postgresExtensions(img: ImageRef): string[] {
  const haystack = `${img.repository}:${img.tag ?? ''}`;
  const out: string[] = [];
  for (const f of POSTGRES_FAMILIES) {
    if (f.pattern.test(haystack)) for (const e of f.extensions) if (!out.includes(e)) out.push(e);
  }
  return out;
}

const UNSUPPORTED: Array<{ pattern: RegExp; what: string; suggestion: string }> = [
  {
    pattern: /^(mysql|mariadb|percona|percona-server)$/,
    what: 'MySQL/MariaDB',
    suggestion:
      'stackplan runs PostgreSQL only: move the app to PostgreSQL, or run MySQL yourself (e.g. Amazon RDS for MySQL) and give its URL as a secret',
  },
  {
    pattern: /^(mongo|mongodb|mongodb-community-server)$/,
    what: 'MongoDB',
    suggestion: 'run it yourself (e.g. MongoDB Atlas or Amazon DocumentDB) and give its URL as a secret',
  },
  {
    pattern: /clickhouse/,
    what: 'ClickHouse',
    suggestion: 'run it yourself (e.g. ClickHouse Cloud) and give its URL as a secret',
  },
  {
    pattern: /^(kafka|cp-kafka|redpanda|zookeeper|cp-zookeeper)$/,
    what: 'Kafka',
    suggestion: 'run it yourself (e.g. Amazon MSK) and give its address as a secret',
  },
  {
    pattern: /^rabbitmq$/,
    what: 'RabbitMQ',
    suggestion:
      'queue through Redis instead (Celery, Sidekiq and BullMQ all support it), or run RabbitMQ yourself (Amazon MQ)',
  },
  { pattern: /^memcached$/, what: 'Memcached', suggestion: 'use Redis as the cache (redis: true)' },
  { pattern: /^nats$/, what: 'NATS', suggestion: 'run it yourself and give its address as a secret' },
  {
    pattern: /^(cassandra|scylla|neo4j|influxdb|etcd|couchdb|arangodb|surrealdb|cockroach|questdb)$/,
    what: 'a database stackplan does not run',
    suggestion: 'run it yourself and give its address as a secret',
  },
  {
    pattern: /^(qdrant|weaviate|milvus|chroma|meilisearch|typesense|solr)$/,
    what: 'a search or vector store stackplan does not run',
    suggestion:
      'use search: (OpenSearch) or PostgreSQL with pgvector, or run it yourself and give its URL as a secret',
  },
];

const DEV_TOOLS: Array<{ pattern: RegExp; what: string }> = [
  {
    pattern: /^(mailhog|mailpit|maildev|mailcatcher|smtp4dev|inbucket|greenmail|mailcrab|fake-smtp-server)$/,
    what: 'a development mail catcher',
  },
  {
    pattern:
      /^(jaeger|all-in-one|jaeger-all-in-one|zipkin|opentelemetry-collector(-contrib)?|otel-collector|tempo|prometheus|grafana|loki|promtail|cadvisor|node-exporter|alertmanager|.*-exporter)$/,
    what: 'local observability (stackplan sends logs and metrics to CloudWatch)',
  },
  {
    pattern:
      /^(pgadmin4?|adminer|phpmyadmin|redis-commander|redisinsight|mongo-express|kibana|opensearch-dashboards|flower|portainer|portainer-ce|dozzle|pgweb)$/,
    what: 'an admin UI for local development',
  },
  { pattern: /^(playwright|cypress|included|selenium|standalone-chrome|k6|locust)$/, what: 'test tooling' },
  { pattern: /^localstack$/, what: 'an AWS emulator for development (the real AWS services replace it)' },
  { pattern: /^(watchtower|autoheal|docker-socket-proxy|ofelia)$/, what: 'a Docker host utility' },
];

const PROXIES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /^(traefik)$/, what: 'Traefik' },
  { pattern: /^(nginx|nginx-unprivileged|openresty|nginx-proxy|swag)$/, what: 'nginx' },
  { pattern: /^(caddy)$/, what: 'Caddy' },
  { pattern: /^(haproxy)$/, what: 'HAProxy' },
  { pattern: /^(envoy)$/, what: 'Envoy' },
  {
    pattern: /^(acme-companion|letsencrypt-nginx-proxy-companion|certbot)$/,
    what: 'a TLS certificate helper',
  },
  { pattern: /^(cloudflared|ngrok)$/, what: 'a tunnel' },
];

/** Names of services (built from source, so without a telling image) that are dev-only. */
const DEV_NAMES =
  /^(playwright|cypress|e2e|tests?|selenium|mailhog|mailpit|maildev|mailcatcher|adminer|pgadmin|flower|storybook)$/;

export function classifyImage(
  img: ImageRef | undefined,
  serviceName: string,
  command: string,
): ImageRole | undefined {
  if (!img) {
    if (DEV_NAMES.test(serviceName)) return { role: 'dev-tool', what: 'development or test tooling' };
    return undefined;
  }
  const { base, repository } = img;
  if (/\bcelery\b.*\bflower\b/.test(command))
    return { role: 'dev-tool', what: 'the Celery monitoring UI (Flower)' };
  for (const d of DEV_TOOLS) if (d.pattern.test(base)) return { role: 'dev-tool', what: d.what };
  if (/^(mher\/flower|dpage\/pgadmin4|jaegertracing\/.+|otel\/.+|grafana\/.+|prom\/.+)$/.test(repository)) {
    return { role: 'dev-tool', what: 'a development or observability tool' };
  }
  for (const p of PROXIES) if (p.pattern.test(base)) return { role: 'proxy', what: p.what };
  if (/^(jwilder|nginxproxy)\/nginx-proxy$/.test(repository)) return { role: 'proxy', what: 'nginx-proxy' };
  if (!NOT_A_STORE.test(base)) {
    if (/postgres|postgis|pgvector|timescale|pgvecto|pgautoupgrade/.test(repository)) {
      return { role: 'postgres', extensions: postgresExtensions(img) };
    }
    if (/^(redis|redis-stack|redis-stack-server)$/.test(base)) {
      return { role: 'redis', flavour: base === 'redis' ? 'redis' : 'redis-stack' };
    }
    if (base === 'valkey') return { role: 'redis', flavour: 'valkey' };
    if (base === 'keydb') return { role: 'redis', flavour: 'keydb' };
    if (/^dragonfly(db)?$/.test(base)) return { role: 'redis', flavour: 'dragonfly' };
    if (base === 'elasticsearch') return { role: 'search', engine: 'elasticsearch' };
    if (base === 'opensearch') return { role: 'search', engine: 'opensearch' };
    if (base === 'minio') return { role: 'bucket' };
    if (repository === 'mssql/server') {
      return {
        role: 'unsupported-store',
        what: 'SQL Server',
        suggestion: 'run it yourself (e.g. Amazon RDS for SQL Server) and give its URL as a secret',
      };
    }
    for (const u of UNSUPPORTED) {
      if (u.pattern.test(base)) return { role: 'unsupported-store', what: u.what, suggestion: u.suggestion };
    }
  }
  if (DEV_NAMES.test(serviceName)) return { role: 'dev-tool', what: 'development or test tooling' };
  return undefined;
}

/** The PostgreSQL major version an image tag names (`14-alpine`, `pg16`, `latest-pg17`, `16.4`). */
export function postgresMajor(img: ImageRef): number | undefined {
  const tag = img.tag ?? '';
  const pg = /(?:^|[^a-z])pg-?(\d{1,2})(?:\D|$)/i.exec(tag);
  if (pg) return Number(pg[1]);
  const lead = /^(\d{1,2})(?:[.\-_]|$)/.exec(tag);
  if (lead) {
    const n = Number(lead[1]);
    if (n >= 9 && n <= 30) return n;
  }
  return undefined;
}

/** Images that move under you: no tag, or `latest`. */
export function isUnpinned(img: ImageRef): boolean {
  if (img.digest) return false;
  return img.tag === undefined || img.tag === 'latest';
}
