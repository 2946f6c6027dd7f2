/**
 * Sorting a service's environment into what the manifest can hold: values that look like secrets
 * (by name, or credentials in a URL, or well-known token shapes) become secret names whose values
 * are never copied; settings that point at a data store stackplan provides are dropped, since
 * stackplan sets DATABASE_URL, REDIS_URL and OPENSEARCH_URL itself; the rest stay plain env.
 */

/** Name segments that mark a secret (split on _ . -). */
const SECRET_SEGMENTS = new Set([
  'PASSWORD',
  'PASSWD',
  'PWD',
  'PASS',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'KEY',
  'KEYS',
  'APIKEY',
  'DSN',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATE',
  'SALT',
  'PEPPER',
  'PASSPHRASE',
  'SIGNING',
]);

/** Suffixes that make a secret-looking name a setting about the secret, not the secret. */
const NOT_SECRET_SUFFIX =
  /_(FILE|PATH|ENABLED|ENABLE|DISABLED|LENGTH|LEN|TTL|EXPIRY|EXPIRES|EXPIRE|EXPIRATION|LIFETIME|SIZE|HEADER|ALGORITHM|ALGO|TYPE|MODE|PREFIX|ID|FIELD|COOKIE_NAME|PARAM|URL_PATH|ROTATION)$/;

/** Segments that together with a secret word still name something public. */
const PUBLIC_MARKERS = /(^|_)(PUBLIC|PUBLISHABLE|SITE_KEY|PUBKEY)(_|$)/;

export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (PUBLIC_MARKERS.test(upper) && !/SECRET|PRIVATE/.test(upper)) return false;
  if (NOT_SECRET_SUFFIX.test(upper)) return false;
  const segments = upper.split(/[_.-]+/);
  if (segments.some((s) => SECRET_SEGMENTS.has(s))) return true;
  return /PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|PRIVATEKEY/.test(upper.replace(/[_.-]/g, ''));
}

/** Credentials inside a URL (`scheme://user:password@host`), or well-known token shapes. */
export function looksLikeSecretValue(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return true;
  return /^(sk_live_|sk_test_|rk_live_|ghp_|gho_|github_pat_|xox[abpr]-|AKIA[0-9A-Z]{16}$|AIza[0-9A-Za-z_-]{35}$|glpat-|SG\.[\w-]{20,}\.)/.test(
    value,
  );
}

/** AWS credentials are never configured: every tier gives the service a role. */
export const AWS_KEYS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

export type StoreKind = 'postgres' | 'redis' | 'search' | 'bucket';

/** What stackplan provides for each store, for the report. */
export const PROVIDED: Record<StoreKind, string> = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
  search: 'OPENSEARCH_URL (ecs, eks)',
  bucket: 'BUCKET_<KEY> (the bucket name; access through the service role)',
};

const STORE_WORDS: Record<StoreKind, RegExp> = {
  postgres: /^(POSTGRES|POSTGRESQL|POSTGRESDB|PG|PSQL|DB|DATABASE|DBHOST|DBPORT|DBNAME|DBUSER|DBPASS|SQL)$/,
  redis: /^(REDIS|VALKEY|KEYDB|CACHE|BROKER|CELERY|QUEUE|BULL|RQ|SIDEKIQ)$/,
  search: /^(ELASTICSEARCH|ELASTIC|ES|OPENSEARCH|SEARCH)$/,
  bucket: /^(S3|MINIO|BUCKET|OBJECT|STORAGE|AWS)$/,
};

const CONNECTION_WORDS =
  /^(HOST|HOSTNAME|HOSTS|PORT|USER|USERNAME|PASSWORD|PASS|PASSWD|NAME|DATABASE|DB|DBINDEX|INDEX|URL|URLS|URI|SERVER|SERVERS|DSN|SSLMODE|SSL|ENDPOINT|ADDRESS|ADDR|SOCKET|NODES|BACKEND|SCHEMA|DBHOST|DBPORT|DBNAME|DBUSER|DBPASS)$/;

/**
 * Does this variable configure the connection to a store of this kind? By name (a store word
 * and a connection word, e.g. DB_HOST, REDIS_URL, CELERY_BROKER_URL) — callers also check the
 * value for the store's host name.
 */
export function isConnectionName(name: string, kind: StoreKind): boolean {
  const segs = name.toUpperCase().split(/[_.-]+/);
  if (kind === 'bucket') {
    return (
      segs.some((s) => /^(S3|MINIO|BUCKET|OBJECT)$/.test(s)) &&
      segs.some((s) =>
        /^(ENDPOINT|URL|HOST|PORT|REGION|BUCKET|KEY|SECRET|ACCESS|NAME|SSL|ADDRESSING|STYLE|PATH|USE)$/.test(
          s,
        ),
      )
    );
  }
  // PGHOST, DBHOST, DBNAME…: store and attribute in one word.
  if (
    segs.some((s) => /^(PG|DB)(HOST|PORT|USER|PASSWORD|PASS|DATABASE|NAME)$/.test(s)) &&
    kind === 'postgres'
  )
    return true;
  const store = segs.findIndex((s) => STORE_WORDS[kind].test(s));
  if (store < 0) return false;
  return segs.some((s, i) => i !== store && CONNECTION_WORDS.test(s));
}

/** Attributes that name where a store is (the value must then point at the store to count). */
export function isLocationName(name: string): boolean {
  return /(^|[_.-])(HOST|HOSTNAME|HOSTS|URL|URLS|URI|SERVER|SERVERS|ENDPOINT|ADDRESS|ADDR|SOCKET|NODES|BACKEND|DSN)$/i.test(
    name,
  );
}

/**
 * Host names a value mentions: URL hosts and `host:port`; with `bareHost` (the variable's name says
 * it holds a host) also a bare `host`.
 */
export function hostsIn(value: string, bareHost = true): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/(?:[^/\s@]*@)?([A-Za-z0-9_.-]+)(?::\d+)?/gi))
    out.push(m[1]!);
  const bare = /^([A-Za-z0-9_.-]+)(:\d+)?(?:\/\d+)?$/.exec(value.trim());
  if (bare && !/^\d+(\.\d+)*$/.test(bare[1]!) && (bareHost || bare[2])) out.push(bare[1]!);
  for (const m of value.matchAll(/(?:^|[\s,;])([A-Za-z0-9_.-]+):(\d{2,5})(?=$|[\s,;/])/g)) out.push(m[1]!);
  return [...new Set(out.map((h) => h.toLowerCase()))];
}

/** `svc:port` references to the given service names in any text (env values, config files). */
export function portReferences(
  text: string,
  names: readonly string[],
): Array<{ service: string; port: number }> {
  const out: Array<{ service: string; port: number }> = [];
  for (const name of names) {
    const re = new RegExp(
      `(?:^|[^A-Za-z0-9_.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d{2,5})(?![0-9])`,
      'g',
    );
    for (const m of text.matchAll(re)) {
      const port = Number(m[1]);
      if (port > 0 && port < 65536 && !out.some((o) => o.service === name && o.port === port))
        out.push({ service: name, port });
    }
  }
  return out;
}

/** Values that point at the developer's machine. */
export function pointsAtLocalhost(value: string): boolean {
  return /(^|[/@\s,])(localhost|127\.0\.0\.1|0\.0\.0\.0)(:\d+)?([/\s,]|$)/.test(value);
}
