// The example API that stands in for an app's backend in `stackplan rehearse`.
//
// GET  <HEALTH_PATH>        deep health: writes and reads PostgreSQL and Redis (each within 1 s);
//                           200 {"status":"ok"} or 503 with what failed.
// POST <anything>/rows?count=N   inserts N rows in one transaction; 201 {"inserted":N,"total":T}.
// GET  <anything>/rows/stats     {"count":C,"checksum":"…"} (the same checksum as table-stats.sql).
// GET  anything else         200 {"service":…,"path":…,"forwardedFor":…} (the X-Forwarded-For it got)
//
// Every answer names APP_VERSION (the version `stackplan rehearse` released; null when unset).
//
// Settings: PORT (default 8080), DATABASE_URL, REDIS_URL (each optional: what is not configured is
// not checked; each may instead be a file named by DATABASE_URL_FILE or REDIS_URL_FILE, as on the
// lean host, where secrets are files), HEALTH_PATH (default /health), SERVICE_NAME, HOST (default
// 127.0.0.1).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';
import { createClient } from 'redis';

const port = Number(process.env.PORT ?? 8080);
const healthPath = process.env.HEALTH_PATH ?? '/health';
const serviceName = process.env.SERVICE_NAME ?? 'api';
const version = process.env.APP_VERSION ?? null;
const TIMEOUT_MS = 1000;

/** A setting from the environment, or from the file its NAME_FILE variable names (how secrets arrive). */
function setting(name) {
  if (process.env[name] !== undefined) return process.env[name];
  const file = process.env[`${name}_FILE`];
  return file ? readFileSync(file, 'utf8') : undefined;
}
const databaseUrl = setting('DATABASE_URL');
const redisUrl = setting('REDIS_URL');

const pool = databaseUrl
  ? new pg.Pool({
      connectionString: databaseUrl,
      max: 5,
      connectionTimeoutMillis: TIMEOUT_MS,
      idleTimeoutMillis: 10_000,
    })
  : undefined;
// A pooled client whose server went away emits 'error'; the pool replaces it on the next query.
pool?.on('error', () => {});

const redis = redisUrl
  ? createClient({
      url: redisUrl,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: TIMEOUT_MS,
        reconnectStrategy: (retries) => Math.min(100 + retries * 100, 1000),
      },
    })
  : undefined;
redis?.on('error', () => {});
redis?.connect().catch(() => {});

let schemaReady;
function ensureSchema() {
  schemaReady ??= pool
    .query(
      `CREATE TABLE IF NOT EXISTS rows (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
       CREATE TABLE IF NOT EXISTS health_probe (id int PRIMARY KEY, at timestamptz NOT NULL)`,
    )
    .catch((e) => {
      schemaReady = undefined;
      throw e;
    });
  return schemaReady;
}

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out`)), TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

let probes = 0;
async function health() {
  const checks = {};
  if (pool) {
    try {
      await withTimeout(
        (async () => {
          await ensureSchema();
          await pool.query(
            'INSERT INTO health_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
          );
          await pool.query('SELECT at FROM health_probe WHERE id = 1');
        })(),
        'postgres',
      );
      checks.postgres = 'ok';
    } catch (e) {
      checks.postgres = String(e.message ?? e);
    }
  }
  if (redis) {
    try {
      // A key of its own per probe: concurrent probes (several copies, a release under load) must
      // not read back each other's value.
      const value = String(Date.now());
      const key = `health:probe:${process.pid}:${++probes}`;
      await withTimeout(redis.set(key, value, { PX: 10_000 }), 'redis');
      const read = await withTimeout(redis.get(key), 'redis');
      checks.redis = read === value ? 'ok' : 'read back a different value';
    } catch (e) {
      checks.redis = String(e.message ?? e);
    }
  }
  const ok = Object.values(checks).every((v) => v === 'ok');
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'unhealthy', version, ...checks } };
}

async function insertRows(count) {
  await ensureSchema();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO rows (payload) SELECT md5(random()::text || g::text) || repeat('x', 64) FROM generate_series(1, $1) AS g",
      [count],
    );
    const { rows } = await client.query('SELECT count(*)::bigint AS total FROM rows');
    await client.query('COMMIT');
    if (redis?.isReady) await redis.incrBy('rows:written', count).catch(() => {});
    return Number(rows[0].total);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function rowStats() {
  await ensureSchema();
  const { rows } = await pool.query(
    "SELECT count(*)::bigint AS count, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text AS checksum FROM rows AS t",
  );
  return { count: Number(rows[0].count), checksum: rows[0].checksum };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (req.method === 'GET' && url.pathname === healthPath) {
      const h = await health();
      return send(res, h.status, h.body);
    }
    if (pool && req.method === 'POST' && url.pathname.endsWith('/rows')) {
      const count = Number(url.searchParams.get('count') ?? 1);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) {
        return send(res, 400, { error: 'count must be a whole number from 1 to 100000' });
      }
      const total = await insertRows(count);
      return send(res, 201, { inserted: count, total });
    }
    if (pool && req.method === 'GET' && url.pathname.endsWith('/rows/stats')) {
      return send(res, 200, await rowStats());
    }
    return send(res, 200, {
      service: serviceName,
      version,
      path: url.pathname,
      forwardedFor: req.headers['x-forwarded-for'] ?? null,
    });
  } catch (e) {
    return send(res, 503, { error: String(e.message ?? e) });
  }
});

server.keepAliveTimeout = 65_000;
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  process.stdout.write(`${serviceName} listening on ${host}:${port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    Promise.allSettled([pool?.end(), redis?.quit()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
