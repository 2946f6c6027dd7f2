/**
 * Step 1, start: everything the host runs, up and healthy — the environment, s3rver, the app env
 * file written by the rendered secrets script from the SSM fake, PostgreSQL and Redis, the static
 * bundles, every app service, and nginx — timed as the cold start.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { secretConsumers } from '../../render/host/compose.js';
import { HOST_PATHS, primaryApi } from '../../render/host/settings.js';
import { type Check, ms, type RehearsalContext } from '../context.js';
import { pointMonitorAtApi, prepareEnvironment } from '../environment.js';
import { request } from '../http.js';
import { isPortFree } from '../ports.js';
import {
  installStaticBundles,
  startApps,
  startNginx,
  startPostgres,
  startRedis,
  startS3rver,
} from '../processes.js';
import { findAwsCli, findPostgresBin, findS3rver } from '../tools.js';

export async function start(r: RehearsalContext): Promise<Check[]> {
  const t0 = performance.now();
  const checks: Check[] = [];
  const host = r.host;
  const m = r.plan.manifest;
  const pgBin = findPostgresBin();
  const aws = findAwsCli();
  const s3rver = findS3rver();
  if (!aws || !s3rver || (host.postgres && !pgBin)) {
    throw new Error('missing tools: run stackplan doctor');
  }
  const env = await prepareEnvironment(r, aws.path);
  startS3rver(r, s3rver, env);

  // Secrets: the rendered script reads the fake SSM and writes the app env file.
  await r.script('secrets');
  const envText = readFileSync(r.at(host.host.envFile), 'utf8');
  for (const line of envText.split('\n')) {
    const mm = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (mm) r.appEnv.set(mm[1]!, mm[2]!);
  }
  for (const [k, v] of Object.entries(env.stackEnv)) if (!r.appEnv.has(k)) r.appEnv.set(k, v);
  // The data stores' passwords, from the secret files stackplan-secrets wrote for their containers.
  const secretsDir = r.at(HOST_PATHS.secrets);
  const secretFiles = secretConsumers(host).flatMap((c) => c.files.map((f) => path.join(c.name, f.name)));
  for (const [consumer, key] of [
    ['postgres', 'POSTGRES_PASSWORD'],
    ['redis', 'REDIS_PASSWORD'],
  ] as const) {
    const file = path.join(secretsDir, consumer, key);
    if (existsSync(file)) r.appEnv.set(key, readFileSync(file, 'utf8'));
  }
  checks.push({
    name: 'secrets',
    ok: secretFiles.every((f) => existsSync(path.join(secretsDir, f))),
    detail: `stackplan-secrets wrote ${secretFiles.length} secret files from SSM`,
  });

  const s3Port = r.ports.get('s3')!;
  const starting: Array<Promise<unknown>> = [];
  if (host.postgres) starting.push(startPostgres(r, pgBin!.bindir, r.ports.get('postgres')!));
  if (host.redis) starting.push(startRedis(r, r.ports.get('redis')!));
  starting.push(r.wait('s3rver', 15_000, async () => ((await isPortFree(s3Port)) ? undefined : true)));
  await Promise.all(starting);
  checks.push({
    name: 'data stores',
    ok: true,
    detail: `${[host.postgres && `PostgreSQL ${pgBin!.version}`, host.redis && 'Redis'].filter(Boolean).join(', ') || 'none'} ready`,
  });

  const statics = await installStaticBundles(r, aws.path, env);
  if (statics.length) {
    checks.push({
      name: 'static bundles',
      ok: true,
      detail: `stackplan-sync-static installed ${statics.join(', ')}`,
    });
  }

  const upstreamPorts = startApps(r, env.appPorts);
  pointMonitorAtApi(r);
  startNginx(r, upstreamPorts);

  // Healthy: every app service directly, then the primary API's health through nginx over HTTPS.
  for (const a of r.apps) {
    const h = a.service.service.health;
    if (!h) continue;
    await r
      .wait(`${a.service.service.name} healthy`, 30_000, async () => {
        const res = await fetch(`http://127.0.0.1:${a.port}${h}`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? true : undefined;
      })
      .catch((e: Error) => {
        throw new Error(`${e.message}\n${a.proc.logTail()}`);
      });
  }
  const healthPath = primaryApi(host)?.service.health ?? '/';
  await r.wait('health through nginx', 15_000, async () =>
    (await request(r.endpoint, healthPath)).status === 200 ? true : undefined,
  );
  r.figures.coldStartMs = ms(t0);
  checks.push({
    name: 'healthy',
    ok: true,
    detail: `${r.apps.map((a) => a.service.service.name).join(', ') || 'static only'} healthy; https://${m.domain}${healthPath} 200 through nginx`,
  });
  return checks;
}
