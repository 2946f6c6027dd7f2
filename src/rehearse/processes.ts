/**
 * The processes a rehearsal runs in place of the host's containers and AWS: s3rver for the buckets,
 * PostgreSQL and Redis of this machine, each app service from its rehearse command, and nginx with
 * the rendered (rebased) configuration — each supervised like Docker's restart policy would.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { localNginxNeedsLegacyHttp2 } from '../check/host.js';
import { selfSignedCert } from '../check/tls.js';
import type { LeanService } from '../model/lean.js';
import { postgresSettings, redisArguments, serviceEnvironment } from '../render/host/compose.js';
import { rebaseNginxFiles } from '../render/host/rebase.js';
import { staticServices } from '../render/host/scripts/ops.js';
import { HOST_PATHS } from '../render/host/settings.js';
import type { RehearsalContext } from './context.js';
import { type PreparedEnvironment, REHEARSAL_TAG } from './environment.js';
import type { Supervised } from './supervisor.js';

/** s3rver on its loopback port, serving the backup, artifacts and app buckets. */
export function startS3rver(r: RehearsalContext, s3rver: string, env: PreparedEnvironment): Supervised {
  return r.supervise({
    name: 's3',
    command: process.execPath,
    args: [
      s3rver,
      '-d',
      path.join(r.tmp, 's3'),
      '-a',
      '127.0.0.1',
      '-p',
      String(r.ports.get('s3')),
      '--silent',
      '--configure-bucket',
      env.backupBucket,
      '--configure-bucket',
      env.artifactsBucket,
      ...env.appBuckets.flatMap(([, bucket]) => ['--configure-bucket', bucket]),
    ],
    logFile: path.join(r.tmp, 'logs', 's3rver.log'),
  });
}

let pgIds: { uid: number; gid: number } | undefined;

/** As root, PostgreSQL runs as the postgres user (it refuses to run as root). */
function pgIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (!pgIds) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    pgIds = { uid, gid };
  }
  return pgIds;
}

/** PostgreSQL of this machine, initialized for the plan's user and database, supervised. */
export async function startPostgres(r: RehearsalContext, bindir: string, port: number): Promise<void> {
  const pgDir = path.join(r.tmp, 'postgres');
  const data = path.join(pgDir, 'data');
  const sock = path.join(pgDir, 'sock');
  mkdirSync(sock, { recursive: true });
  const pwfile = path.join(pgDir, 'pwfile');
  writeFileSync(pwfile, `${r.appEnv.get('POSTGRES_PASSWORD')}\n`, { mode: 0o600 });
  const ids = pgIdentity();
  const logFile = path.join(r.tmp, 'logs', 'postgres.log');
  writeFileSync(logFile, '');
  if (ids) for (const p of [pgDir, sock, pwfile, logFile]) chownSync(p, ids.uid, ids.gid);
  execFileSync(
    path.join(bindir, 'initdb'),
    [
      '-D',
      data,
      '-U',
      r.host.postgres!.user,
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--no-sync',
      '--locale=C',
    ],
    { stdio: 'pipe', ...(ids && { uid: ids.uid, gid: ids.gid }), cwd: pgDir },
  );
  r.postgres = r.supervise({
    name: 'postgres',
    command: path.join(bindir, 'postgres'),
    args: [
      '-D',
      data,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `port=${port}`,
      '-c',
      `unix_socket_directories=${sock}`,
      ...postgresSettings(r.host).flatMap((x) => ['-c', x]),
    ],
    cwd: pgDir,
    logFile,
    stopSignal: 'SIGINT',
    ...(ids && { uid: ids.uid, gid: ids.gid }),
  });
  await r.wait('PostgreSQL accepting connections', 20_000, async () => {
    await r.sql('postgres', 'SELECT 1');
    return true;
  });
  await r.sql('postgres', `CREATE DATABASE "${r.host.postgres!.database}"`);
}

/** redis-server with the plan's persistence and eviction, supervised. */
export async function startRedis(r: RehearsalContext, port: number): Promise<void> {
  const dir = path.join(r.tmp, 'redis');
  mkdirSync(dir, { recursive: true });
  r.redis = r.supervise({
    name: 'redis',
    command: 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--requirepass',
      r.appEnv.get('REDIS_PASSWORD') ?? '',
      ...redisArguments(r.host),
    ],
    logFile: path.join(r.tmp, 'logs', 'redis.log'),
  });
  await r.wait('Redis ready', 10_000, async () => {
    const out = await new Promise<string>((resolve) =>
      execFile(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(port), 'ping'],
        { env: { ...process.env, REDISCLI_AUTH: r.appEnv.get('REDIS_PASSWORD') ?? '' } },
        (_e, o) => resolve(o),
      ),
    );
    return out.trim() === 'PONG' ? true : undefined;
  });
}

/** The rehearse command of an app service (the --service override, or the manifest's). */
export function appCommand(r: RehearsalContext, s: LeanService): string {
  const command = r.opts.serviceCommands?.[s.service.name] ?? s.service.rehearse?.command;
  if (!command) throw new Error(`no rehearse command for ${s.service.name}`);
  return command;
}

/** Where an app service's rehearse command runs. */
export function appCwd(r: RehearsalContext, s: LeanService): string {
  return path.resolve(r.plan.manifestDir, s.service.rehearse?.cwd ?? '.');
}

/** The environment of an app process: its compose environment, resolved as compose would. */
export function appEnvironment(r: RehearsalContext, s: LeanService): NodeJS.ProcessEnv {
  const svc = s.service;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of serviceEnvironment(r.host, s)) {
    if (e.name.startsWith('AWS_CONTAINER_')) continue; // no instance role here (see docs/rehearse.md)
    env[e.name] =
      e.value.kind === 'literal'
        ? e.value.text
        : e.value.kind === 'key'
          ? (r.appEnv.get(e.value.key) ?? '')
          : path.join(r.at(HOST_PATHS.secrets), svc.name, e.value.secret);
  }
  env.HEALTH_PATH = svc.health ?? '/';
  env.SERVICE_NAME = svc.name;
  return env;
}

/** One copy of an app service, from its rehearse command, with its compose environment. */
export function startApp(r: RehearsalContext, s: LeanService, copy: number, port: number): Supervised {
  const svc = s.service;
  const command = appCommand(r, s);
  const env = { ...appEnvironment(r, s), PORT: String(port) };
  const cwd = appCwd(r, s);
  return r.supervise({
    name: `${svc.name}${s.copies > 1 ? `-${copy + 1}` : ''}`,
    command: 'bash',
    args: ['-c', command],
    cwd,
    env,
    logFile: path.join(r.tmp, 'logs', `${svc.name}-${copy + 1}.log`),
  });
}

/** The static bundles, uploaded as CI would, then installed by the rendered sync script. */
export async function installStaticBundles(
  r: RehearsalContext,
  awsCli: string,
  env: PreparedEnvironment,
): Promise<string[]> {
  const names = staticServices(r.plan);
  for (const name of names) {
    const svc = r.host.services.find((s) => s.service.name === name)!.service;
    const dir = path.resolve(r.plan.manifestDir, svc.build ?? '.', svc.output ?? 'dist');
    await new Promise<void>((resolve, reject) =>
      execFile(
        awsCli,
        [
          '--region',
          r.plan.manifest.region,
          '--endpoint-url',
          `http://127.0.0.1:${r.ports.get('s3')}`,
          's3',
          'sync',
          '--only-show-errors',
          dir,
          `s3://${env.artifactsBucket}/static/${name}/${REHEARSAL_TAG}/`,
        ],
        { env: r.scriptEnv },
        (err, _o, stderr) => (err ? reject(new Error(`uploading ${dir}: ${stderr.trim()}`)) : resolve()),
      ),
    );
  }
  if (names.length) await r.script('syncStatic');
  return names;
}

/** Every copy of every app service on its own loopback port; returns host port → rehearsal port. */
export function startApps(r: RehearsalContext, appPorts: readonly number[]): Map<number, number> {
  let i = 0;
  const upstreamPorts = new Map<number, number>();
  for (const s of r.host.services) {
    if (s.image.kind === 'none') continue;
    for (let copy = 0; copy < s.copies; copy++) {
      const port = appPorts[i++]!;
      if (s.hostPort !== undefined) upstreamPorts.set(s.hostPort + copy, port);
      r.apps.push({ service: s, copy, port, proc: startApp(r, s, copy, port) });
    }
  }
  return upstreamPorts;
}

/** nginx: the rendered config, rebased; a self-signed certificate for the domain and aliases. */
export function startNginx(r: RehearsalContext, upstreamPorts: Map<number, number>): void {
  const m = r.plan.manifest;
  const http = r.ports.get('http')!;
  const https = r.ports.get('https')!;
  const cert = selfSignedCert(r.at(HOST_PATHS.tls), [m.domain, ...m.aliases]);
  const asRoot = process.getuid?.() === 0;
  const rebased = rebaseNginxFiles(r.plan, r.files, {
    root: r.root,
    httpPort: http,
    httpsPort: https,
    upstreamPorts,
    ...(asRoot && { user: 'nobody nogroup' }),
    legacyHttp2: localNginxNeedsLegacyHttp2(),
  });
  for (const f of rebased) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content, { mode: f.mode });
  }
  for (const d of [HOST_PATHS.nginxLogs, HOST_PATHS.nginxTemp, '/run', HOST_PATHS.acmeWebroot]) {
    mkdirSync(r.at(d), { recursive: true });
  }
  r.endpoint = { host: m.domain, httpPort: http, httpsPort: https, ca: readFileSync(cert.cert, 'utf8') };
  const conf = r.at(HOST_PATHS.nginxConf);
  const errorLog = r.at(`${HOST_PATHS.nginxLogs}error.log`);
  execFileSync('nginx', ['-t', '-q', '-c', conf, '-p', `${r.root}/`, '-e', errorLog], { stdio: 'pipe' });
  r.supervise({
    name: 'nginx',
    command: 'nginx',
    args: ['-c', conf, '-p', `${r.root}/`, '-e', errorLog, '-g', 'daemon off;'],
    logFile: path.join(r.tmp, 'logs', 'nginx.log'),
    stopSignal: 'SIGQUIT',
  });
}
