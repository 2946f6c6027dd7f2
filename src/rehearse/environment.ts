/**
 * The rehearsal's environment: the temporary root the rendered files are installed under, free
 * loopback ports, the stack env file user data would write on AWS (bucket names, region, parameter
 * prefix), the SSM parameters the stack would generate (in the local fake), and the environment
 * the rendered scripts run with — the documented variables of src/render/host/settings.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LeanPlan } from '../model/lean.js';
import type { Plan } from '../model/plan.js';
import { HOST_PATHS, primaryApi } from '../render/host/settings.js';
import { type RehearsalContext, secret } from './context.js';
import { freePorts, isPortFree } from './ports.js';

/** The tag the rehearsal's first release of a service built from source has. */
export const REHEARSAL_TAG = 'rehearsal';

/** The buckets the rehearsal serves from s3rver, and the stack env file that names them. */
export interface RehearsalStack {
  backupBucket: string;
  artifactsBucket: string;
  /** App buckets (`buckets:`): variable → bucket name. */
  appBuckets: Array<readonly [string, string]>;
  /** What user data writes to the stack env file on AWS. */
  stackEnv: Record<string, string>;
}

/** The stack env file's values for a rehearsal (on AWS, CloudFormation fills them in). */
export function rehearsalStack(plan: Plan, host: LeanPlan): RehearsalStack {
  const m = plan.manifest;
  const backupBucket = `${m.name}-backups-rehearsal`;
  const artifactsBucket = `${m.name}-artifacts-rehearsal`;
  const appBuckets = host.buckets.map((b) => [b.envName, `${m.name}-${b.key}-rehearsal`] as const);
  const stackEnv: Record<string, string> = {
    AWS_REGION: m.region,
    STACKPLAN_APP: m.name,
    STACKPLAN_STACK: `${m.name}-rehearsal`,
    BACKUP_BUCKET: backupBucket,
    ARTIFACTS_BUCKET: artifactsBucket,
    ECR_REGISTRY: `123456789012.dkr.ecr.${m.region}.amazonaws.com`,
    PARAM_PREFIX: host.params.prefix,
    LOG_GROUP: `/stackplan/${m.name}/rehearsal`,
  };
  for (const [name, bucket] of appBuckets) stackEnv[name] = bucket;
  return { backupBucket, artifactsBucket, appBuckets, stackEnv };
}

/** The rendered scripts and their shared library, installed under the rehearsal's root. */
function writeHostFiles(r: RehearsalContext): void {
  for (const f of r.files) {
    if (!f.path.startsWith(`${HOST_PATHS.bin}/`) && !f.path.startsWith(`${HOST_PATHS.lib}/`)) continue;
    const p = r.at(f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.content, { mode: f.mode });
  }
}

export interface PreparedEnvironment extends RehearsalStack {
  /** Loopback ports for the app processes, one per copy, in service order. */
  appPorts: number[];
}

/**
 * Prepares everything the processes need: directories, ports (in `r.ports`), the stack and relay
 * env files, the generated parameters (served by the started SSM fake) and `r.scriptEnv`.
 */
export async function prepareEnvironment(r: RehearsalContext, awsCli: string): Promise<PreparedEnvironment> {
  const host = r.host;
  for (const d of ['logs', 's3', 'aws']) mkdirSync(path.join(r.tmp, d), { recursive: true });
  writeFileSync(path.join(r.tmp, 'aws', 'config'), '');
  writeHostFiles(r);

  const appCount = host.services.filter((s) => s.image.kind !== 'none').reduce((n, s) => n + s.copies, 0);
  const ports = await freePorts(6 + appCount);
  r.allPorts = ports;
  const [http, https, pgPort, redisPort, s3Port, fakePort, ...appPorts] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    ...number[],
  ];
  r.ports = new Map([
    ['http', http],
    ['https', https],
    ['postgres', pgPort],
    ['redis', redisPort],
    ['s3', s3Port],
    ['fake-aws', fakePort],
  ]);

  // Deploy-time values (user data writes these on AWS) and the SSM parameters the stack generates.
  const stack = rehearsalStack(r.plan, host);
  const stackEnvFile = r.at(HOST_PATHS.stackEnv);
  mkdirSync(path.dirname(stackEnvFile), { recursive: true });
  writeFileSync(
    stackEnvFile,
    Object.entries(stack.stackEnv)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  writeFileSync(r.at(HOST_PATHS.relayEnv), `RELAY_TOKEN=${randomBytes(32).toString('hex')}\n`, {
    mode: 0o600,
  });

  const p = host.params;
  if (host.postgres) r.fake.parameters.set(p.postgresPassword, secret());
  if (host.redis) r.fake.parameters.set(p.redisPassword, secret());
  for (const s of host.services) {
    for (const name of s.service.secrets) r.fake.parameters.set(`${p.secrets}${name}`, secret());
    // What CI's first release records for what is built from source (images and static bundles).
    if (s.image.kind !== 'pinned')
      r.fake.parameters.set(`${p.prefix}release/${s.service.name}`, REHEARSAL_TAG);
  }
  await r.fake.start(fakePort);

  r.scriptEnv = {
    PATH: process.env.PATH,
    HOME: r.tmp,
    LANG: 'C.UTF-8',
    STACK_ENV_FILE: stackEnvFile,
    STACKPLAN_LIB: r.at(HOST_PATHS.lib),
    STACKPLAN_ENV_FILE: r.at(host.host.envFile),
    STACKPLAN_SECRETS_DIR: r.at(HOST_PATHS.secrets),
    // The processes here run as the invoking user, who keeps the files.
    STACKPLAN_SECRETS_CHOWN: '0',
    STACKPLAN_RELAY_ENV_FILE: r.at(HOST_PATHS.relayEnv),
    STACKPLAN_DATA: r.at(host.host.data),
    STACKPLAN_BACKUP_DIR: r.at(host.host.backupDir),
    STACKPLAN_STATIC_DIR: r.at(host.host.staticDir),
    STACKPLAN_RELEASES_DIR: r.at(HOST_PATHS.releases),
    STACKPLAN_NGINX_UPSTREAMS: r.at(HOST_PATHS.nginxUpstreams),
    STACKPLAN_NGINX_CONF: r.at(HOST_PATHS.nginxConf),
    STACKPLAN_NGINX_PREFIX: `${r.root}/`,
    STACKPLAN_NGINX_ERROR_LOG: r.at(`${HOST_PATHS.nginxLogs}error.log`),
    STACKPLAN_AWS_CLI: awsCli,
    STACKPLAN_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    STACKPLAN_SSM_ENDPOINT: r.fake.endpoint,
    STACKPLAN_CLOUDWATCH_ENDPOINT: r.fake.endpoint,
    PGHOST: '127.0.0.1',
    PGPORT: String(pgPort),
    STACKPLAN_REDIS_HOST: '127.0.0.1',
    STACKPLAN_REDIS_PORT: String(redisPort),
    STACKPLAN_REDIS_CLI: 'redis-cli',
    STACKPLAN_APP_POSTGRES_HOST: '127.0.0.1',
    STACKPLAN_APP_POSTGRES_PORT: String(pgPort),
    STACKPLAN_APP_REDIS_HOST: '127.0.0.1',
    STACKPLAN_APP_REDIS_PORT: String(redisPort),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_CONFIG_FILE: path.join(r.tmp, 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(r.tmp, 'aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  for (const d of [
    host.host.data,
    host.host.backupDir,
    host.host.staticDir,
    path.dirname(host.host.envFile),
  ]) {
    mkdirSync(r.at(d), { recursive: true });
  }
  await r.wait('the fake SSM', 5000, async () => ((await isPortFree(fakePort)) ? undefined : true));
  return { ...stack, appPorts };
}

/** The monitor checks the primary API on its own port, as on the host (127.0.0.1:<hostPort>). */
export function pointMonitorAtApi(r: RehearsalContext): void {
  const api = primaryApi(r.host);
  const apiProcess = r.apps.find((a) => a.service === api);
  if (apiProcess) {
    r.scriptEnv.STACKPLAN_HEALTH_URL = `http://127.0.0.1:${apiProcess.port}${api!.service.health ?? '/'}`;
  }
}
