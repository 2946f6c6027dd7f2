/**
 * `stackplan rehearse`: the lean tier on this machine, without Docker. Real PostgreSQL, Redis and
 * nginx run as local processes on free loopback ports in a temporary directory; s3rver stands in
 * for the buckets, a local fake for SSM and CloudWatch, a self-signed certificate for Let's
 * Encrypt, and a supervisor for Docker's restart policy. nginx runs the rendered config and the
 * scripts are the rendered scripts: only paths, ports and endpoints differ, through the documented
 * variables (src/render/host/settings.ts) and the nginx rebase (src/render/host/rebase.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { selfSignedCert } from '../check/tls.js';
import type { LeanPlan, LeanService } from '../model/lean.js';
import type { Plan } from '../model/plan.js';
import { postgresSettings, redisArguments, serviceEnvironment } from '../render/host/compose.js';
import type { HostFile } from '../render/host/contract.js';
import { renderHostFiles } from '../render/host/index.js';
import { rebaseNginxFiles } from '../render/host/rebase.js';
import { TABLE_STATS } from '../render/host/scripts/common.js';
import { staticServices } from '../render/host/scripts/ops.js';
import { HOST_PATHS, leanOf, primaryApi, SCRIPTS, type ScriptName } from '../render/host/settings.js';
import { FakeAws } from './fake-aws.js';
import { type Endpoint, request, tlsHandshake } from './http.js';
import { freePorts, isPortFree } from './ports.js';
import { pidAlive, Supervised } from './supervisor.js';
import { findAwsCli, findPostgresBin, findS3rver } from './tools.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface StepResult {
  step: string;
  ok: boolean;
  skipped?: boolean;
  ms: number;
  summary: string;
  checks: Check[];
}

export interface RehearseFigures {
  coldStartMs?: number;
  rows?: number;
  writeRowsMs?: number;
  backupMs?: number;
  restoreMs?: number;
  swapRestoreMs?: number;
  recoveryMs: Record<string, number>;
  detectMs: Record<string, number>;
}

export interface RehearseReport {
  app: string;
  manifest: string;
  startedAt: string;
  ok: boolean;
  interrupted: boolean;
  tmpDir: string;
  kept: boolean;
  steps: StepResult[];
  figures: RehearseFigures;
}

export interface RehearseOptions {
  /** The manifest file, for the report. @default the manifest's directory */
  manifestFile?: string;
  /** Commands per service name, overriding the manifest's `rehearse.command`. */
  serviceCommands?: Record<string, string>;
  /** Rows written through the API. @default 1000 */
  rows?: number;
  keep?: boolean;
  signal?: AbortSignal;
  onStepStart?: (step: string) => void;
  onStep?: (result: StepResult) => void;
}

export const STEPS = ['start', 'smoke', 'rows', 'backup-restore', 'faults', 'teardown'] as const;

class Interrupted extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function secret(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}

interface AppProcess {
  service: LeanService;
  copy: number;
  port: number;
  proc: Supervised;
}

/** A rehearsal run: owns the temp dir and every process; `run()` always tears down. */
export class Rehearsal {
  readonly plan: Plan;
  readonly lean: LeanPlan;
  readonly opts: RehearseOptions;
  readonly tmp: string;
  readonly root: string;
  readonly files: HostFile[];
  readonly fake = new FakeAws();
  readonly procs: Supervised[] = [];
  readonly apps: AppProcess[] = [];
  readonly figures: RehearseFigures = { recoveryMs: {}, detectMs: {} };
  private ports = new Map<string, number>();
  private allPorts: number[] = [];
  private scriptEnv: NodeJS.ProcessEnv = {};
  private appEnv = new Map<string, string>();
  private endpoint!: Endpoint;
  private postgres?: Supervised;
  private redis?: Supervised;
  private expected?: { count: number; checksum: string };
  private pgIds?: { uid: number; gid: number };

  constructor(plan: Plan, opts: RehearseOptions = {}) {
    this.plan = plan;
    this.lean = leanOf(plan);
    this.opts = opts;
    this.tmp = mkdtempSync(path.join(tmpdir(), `stackplan-rehearse-${plan.manifest.name}-`));
    chmodSync(this.tmp, 0o755);
    this.root = path.join(this.tmp, 'root');
    this.files = renderHostFiles(plan);
  }

  private at(hostPath: string): string {
    return path.join(this.root, hostPath);
  }

  private checkSignal(): void {
    if (this.opts.signal?.aborted) throw new Interrupted('interrupted');
  }

  private async wait<T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<T | undefined>,
    everyMs = 100,
  ): Promise<T> {
    const until = performance.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      this.checkSignal();
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        last = e;
      }
      if (performance.now() > until) {
        throw new Error(
          `${what} not within ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`,
        );
      }
      await sleep(everyMs);
    }
  }

  /** Runs a rendered script with the rehearsal's environment; resolves with its stdout. */
  script(name: ScriptName, args: string[] = []): Promise<string> {
    const file = this.at(`${HOST_PATHS.bin}/${SCRIPTS[name]}`);
    return new Promise((resolve, reject) => {
      execFile(
        'bash',
        [file, ...args],
        { env: this.scriptEnv, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
        (err, stdout, stderr) => {
          writeFileSync(path.join(this.tmp, 'logs', `${SCRIPTS[name]}.log`), `${stdout}${stderr}`, {
            flag: 'a',
          });
          if (err)
            reject(
              new Error(
                `${SCRIPTS[name]} ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-6).join(' | ')}`,
              ),
            );
          else resolve(stdout);
        },
      );
    });
  }

  private supervise(spec: ConstructorParameters<typeof Supervised>[0]): Supervised {
    const p = new Supervised(spec);
    this.procs.push(p);
    p.start();
    return p;
  }

  private pgClient(database: string): pg.Client {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.ports.get('postgres'),
      user: this.lean.postgres!.user,
      password: this.appEnv.get('POSTGRES_PASSWORD'),
      database,
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => {});
    return client;
  }

  private async sql<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
    const c = this.pgClient(database);
    await c.connect();
    try {
      return (await c.query<T>(text)).rows;
    } finally {
      await c.end().catch(() => {});
    }
  }

  // ---- step 1: start ------------------------------------------------------------------------

  private writeHostFiles(): void {
    for (const f of this.files) {
      if (!f.path.startsWith(`${HOST_PATHS.bin}/`) && !f.path.startsWith(`${HOST_PATHS.lib}/`)) continue;
      const p = this.at(f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
    }
  }

  private async start(): Promise<Check[]> {
    const t0 = performance.now();
    const checks: Check[] = [];
    const lean = this.lean;
    const m = this.plan.manifest;
    const pgBin = findPostgresBin();
    const aws = findAwsCli();
    const s3rver = findS3rver();
    if (!aws || !s3rver || (lean.postgres && !pgBin)) {
      throw new Error('missing tools: run stackplan doctor');
    }
    for (const d of ['logs', 's3', 'aws']) mkdirSync(path.join(this.tmp, d), { recursive: true });
    writeFileSync(path.join(this.tmp, 'aws', 'config'), '');
    this.writeHostFiles();

    const appPorts = lean.services.filter((s) => s.image.kind !== 'none').reduce((n, s) => n + s.copies, 0);
    const ports = await freePorts(6 + appPorts);
    this.allPorts = ports;
    const [http, https, pgPort, redisPort, s3Port, fakePort, ...rest] = ports as [
      number,
      number,
      number,
      number,
      number,
      number,
      ...number[],
    ];
    this.ports = new Map([
      ['http', http],
      ['https', https],
      ['postgres', pgPort],
      ['redis', redisPort],
      ['s3', s3Port],
      ['fake-aws', fakePort],
    ]);

    // Deploy-time values (user data writes these on AWS) and the SSM parameters the stack generates.
    const region = m.region;
    const backupBucket = `${m.name}-backups-rehearsal`;
    const artifactsBucket = `${m.name}-artifacts-rehearsal`;
    const stackEnv: Record<string, string> = {
      AWS_REGION: region,
      STACKPLAN_APP: m.name,
      STACKPLAN_STACK: `${m.name}-rehearsal`,
      BACKUP_BUCKET: backupBucket,
      ARTIFACTS_BUCKET: artifactsBucket,
      ECR_REGISTRY: `123456789012.dkr.ecr.${region}.amazonaws.com`,
      PARAM_PREFIX: lean.params.prefix,
      LOG_GROUP: `/stackplan/${m.name}/rehearsal`,
    };
    // The app's buckets live in s3rver too; user data would write their names here on AWS.
    const appBuckets = lean.buckets.map((b) => [b.envName, `${m.name}-${b.key}-rehearsal`] as const);
    for (const [name, bucket] of appBuckets) stackEnv[name] = bucket;
    const stackEnvFile = this.at(HOST_PATHS.stackEnv);
    mkdirSync(path.dirname(stackEnvFile), { recursive: true });
    writeFileSync(
      stackEnvFile,
      Object.entries(stackEnv)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    writeFileSync(this.at(HOST_PATHS.relayEnv), `RELAY_TOKEN=${randomBytes(32).toString('hex')}\n`, {
      mode: 0o600,
    });

    const p = lean.params;
    if (lean.postgres) this.fake.parameters.set(p.postgresPassword, secret());
    if (lean.redis) this.fake.parameters.set(p.redisPassword, secret());
    for (const s of lean.services) {
      for (const name of s.service.secrets) this.fake.parameters.set(`${p.secrets}${name}`, secret());
      if (s.image.kind === 'ecr')
        this.fake.parameters.set(`${p.prefix}release/${s.service.name}`, 'rehearsal');
    }
    await this.fake.start(fakePort);

    const api = primaryApi(lean);
    const staticDir = this.at(lean.host.staticDir);
    this.scriptEnv = {
      PATH: process.env.PATH,
      HOME: this.tmp,
      LANG: 'C.UTF-8',
      STACK_ENV_FILE: stackEnvFile,
      STACKPLAN_LIB: this.at(HOST_PATHS.lib),
      STACKPLAN_ENV_FILE: this.at(lean.host.envFile),
      STACKPLAN_RELAY_ENV_FILE: this.at(HOST_PATHS.relayEnv),
      STACKPLAN_DATA: this.at(lean.host.data),
      STACKPLAN_BACKUP_DIR: this.at(lean.host.backupDir),
      STACKPLAN_STATIC_DIR: staticDir,
      STACKPLAN_AWS_CLI: aws.path,
      STACKPLAN_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      STACKPLAN_SSM_ENDPOINT: this.fake.endpoint,
      STACKPLAN_CLOUDWATCH_ENDPOINT: this.fake.endpoint,
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
      AWS_CONFIG_FILE: path.join(this.tmp, 'aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(this.tmp, 'aws', 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
    for (const d of [
      lean.host.data,
      lean.host.backupDir,
      lean.host.staticDir,
      path.dirname(lean.host.envFile),
    ]) {
      mkdirSync(this.at(d), { recursive: true });
    }

    // s3rver for the backup, artifacts and app buckets.
    this.supervise({
      name: 's3',
      command: process.execPath,
      args: [
        s3rver,
        '-d',
        path.join(this.tmp, 's3'),
        '-a',
        '127.0.0.1',
        '-p',
        String(s3Port),
        '--silent',
        '--configure-bucket',
        backupBucket,
        '--configure-bucket',
        artifactsBucket,
        ...appBuckets.flatMap(([, bucket]) => ['--configure-bucket', bucket]),
      ],
      logFile: path.join(this.tmp, 'logs', 's3rver.log'),
    });

    // Secrets: the rendered script reads the fake SSM and writes the app env file.
    await this.wait('the fake SSM', 5000, async () => ((await isPortFree(fakePort)) ? undefined : true));
    await this.script('secrets');
    const envText = readFileSync(this.at(lean.host.envFile), 'utf8');
    for (const line of envText.split('\n')) {
      const mm = /^([A-Za-z_][A-Za-z0-9_]*)='(.*)'$/.exec(line);
      if (mm) this.appEnv.set(mm[1]!, mm[2]!);
    }
    for (const [k, v] of Object.entries(stackEnv)) if (!this.appEnv.has(k)) this.appEnv.set(k, v);
    checks.push({
      name: 'secrets',
      ok: true,
      detail: `stackplan-secrets wrote ${this.appEnv.size} values from SSM`,
    });

    const starting: Array<Promise<unknown>> = [];
    if (lean.postgres) starting.push(this.startPostgres(pgBin!.bindir, pgPort));
    if (lean.redis) starting.push(this.startRedis(redisPort));
    starting.push(this.wait('s3rver', 15_000, async () => ((await isPortFree(s3Port)) ? undefined : true)));
    await Promise.all(starting);
    checks.push({
      name: 'data stores',
      ok: true,
      detail: `${[lean.postgres && `PostgreSQL ${pgBin!.version}`, lean.redis && 'Redis'].filter(Boolean).join(', ') || 'none'} ready`,
    });

    // Static bundles: uploaded as CI would, installed by the rendered sync script.
    for (const name of staticServices(this.plan)) {
      const svc = lean.services.find((s) => s.service.name === name)!.service;
      const dir = path.resolve(this.plan.manifestDir, svc.build ?? '.', svc.output ?? 'dist');
      await new Promise<void>((resolve, reject) =>
        execFile(
          aws.path,
          [
            '--region',
            region,
            '--endpoint-url',
            `http://127.0.0.1:${s3Port}`,
            's3',
            'sync',
            '--only-show-errors',
            dir,
            `s3://${artifactsBucket}/static/${name}/`,
          ],
          { env: this.scriptEnv },
          (err, _o, stderr) => (err ? reject(new Error(`uploading ${dir}: ${stderr.trim()}`)) : resolve()),
        ),
      );
    }
    if (staticServices(this.plan).length) {
      await this.script('syncStatic');
      checks.push({
        name: 'static bundles',
        ok: true,
        detail: `stackplan-sync-static installed ${staticServices(this.plan).join(', ')}`,
      });
    }

    // App services, supervised, each on its own loopback port.
    let i = 0;
    const upstreamPorts = new Map<number, number>();
    for (const s of lean.services) {
      if (s.image.kind === 'none') continue;
      for (let copy = 0; copy < s.copies; copy++) {
        const port = rest[i++]!;
        if (s.hostPort !== undefined) upstreamPorts.set(s.hostPort + copy, port);
        this.apps.push({ service: s, copy, port, proc: this.startApp(s, copy, port) });
      }
    }

    // The monitor checks the primary API on its own port, as on the host (127.0.0.1:<hostPort>).
    const apiProcess = this.apps.find((a) => a.service === api);
    if (apiProcess) {
      this.scriptEnv.STACKPLAN_HEALTH_URL = `http://127.0.0.1:${apiProcess.port}${api!.service.health ?? '/'}`;
    }

    // nginx: the rendered config, rebased; a self-signed certificate for the domain and aliases.
    const names = [m.domain, ...m.aliases];
    const cert = selfSignedCert(this.at(HOST_PATHS.tls), names);
    const asRoot = process.getuid?.() === 0;
    const rebased = rebaseNginxFiles(this.plan, this.files, {
      root: this.root,
      httpPort: http,
      httpsPort: https,
      upstreamPorts,
      ...(asRoot && { user: 'nobody nogroup' }),
    });
    for (const f of rebased) {
      mkdirSync(path.dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.content, { mode: f.mode });
    }
    for (const d of [HOST_PATHS.nginxLogs, HOST_PATHS.nginxTemp, '/run', HOST_PATHS.acmeWebroot]) {
      mkdirSync(this.at(d), { recursive: true });
    }
    this.endpoint = { host: m.domain, httpPort: http, httpsPort: https, ca: readFileSync(cert.cert, 'utf8') };
    const conf = this.at(HOST_PATHS.nginxConf);
    execFileSync(
      'nginx',
      ['-t', '-q', '-c', conf, '-p', `${this.root}/`, '-e', this.at(`${HOST_PATHS.nginxLogs}error.log`)],
      { stdio: 'pipe' },
    );
    this.supervise({
      name: 'nginx',
      command: 'nginx',
      args: [
        '-c',
        conf,
        '-p',
        `${this.root}/`,
        '-e',
        this.at(`${HOST_PATHS.nginxLogs}error.log`),
        '-g',
        'daemon off;',
      ],
      logFile: path.join(this.tmp, 'logs', 'nginx.log'),
      stopSignal: 'SIGQUIT',
    });

    // Healthy: every app service directly, then the primary API's health through nginx over HTTPS.
    for (const a of this.apps) {
      const h = a.service.service.health;
      if (!h) continue;
      await this.wait(`${a.service.service.name} healthy`, 30_000, async () => {
        const r = await fetch(`http://127.0.0.1:${a.port}${h}`, { signal: AbortSignal.timeout(2000) });
        return r.ok ? true : undefined;
      }).catch((e: Error) => {
        throw new Error(`${e.message}\n${a.proc.logTail()}`);
      });
    }
    const healthPath = api?.service.health ?? '/';
    await this.wait('health through nginx', 15_000, async () =>
      (await request(this.endpoint, healthPath)).status === 200 ? true : undefined,
    );
    this.figures.coldStartMs = ms(t0);
    checks.push({
      name: 'healthy',
      ok: true,
      detail: `${this.apps.map((a) => a.service.service.name).join(', ') || 'static only'} healthy; https://${m.domain}${healthPath} 200 through nginx`,
    });
    return checks;
  }

  private pgIdentity(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) return undefined;
    if (!this.pgIds) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      this.pgIds = { uid, gid };
    }
    return this.pgIds;
  }

  private async startPostgres(bindir: string, port: number): Promise<void> {
    const pgDir = path.join(this.tmp, 'postgres');
    const data = path.join(pgDir, 'data');
    const sock = path.join(pgDir, 'sock');
    mkdirSync(sock, { recursive: true });
    const pwfile = path.join(pgDir, 'pwfile');
    writeFileSync(pwfile, `${this.appEnv.get('POSTGRES_PASSWORD')}\n`, { mode: 0o600 });
    const ids = this.pgIdentity();
    const logFile = path.join(this.tmp, 'logs', 'postgres.log');
    writeFileSync(logFile, '');
    if (ids) for (const p of [pgDir, sock, pwfile, logFile]) chownSync(p, ids.uid, ids.gid);
    execFileSync(
      path.join(bindir, 'initdb'),
      [
        '-D',
        data,
        '-U',
        this.lean.postgres!.user,
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--no-sync',
        '--locale=C',
      ],
      { stdio: 'pipe', ...(ids && { uid: ids.uid, gid: ids.gid }), cwd: pgDir },
    );
    this.postgres = this.supervise({
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
        ...postgresSettings(this.lean).flatMap((x) => ['-c', x]),
      ],
      cwd: pgDir,
      logFile,
      stopSignal: 'SIGINT',
      ...(ids && { uid: ids.uid, gid: ids.gid }),
    });
    await this.wait('PostgreSQL accepting connections', 20_000, async () => {
      await this.sql('postgres', 'SELECT 1');
      return true;
    });
    await this.sql('postgres', `CREATE DATABASE "${this.lean.postgres!.database}"`);
  }

  private async startRedis(port: number): Promise<void> {
    const dir = path.join(this.tmp, 'redis');
    mkdirSync(dir, { recursive: true });
    this.redis = this.supervise({
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
        this.appEnv.get('REDIS_PASSWORD') ?? '',
        ...redisArguments(this.lean),
      ],
      logFile: path.join(this.tmp, 'logs', 'redis.log'),
    });
    await this.wait('Redis ready', 10_000, async () => {
      const out = await new Promise<string>((resolve) =>
        execFile(
          'redis-cli',
          ['-h', '127.0.0.1', '-p', String(port), 'ping'],
          { env: { ...process.env, REDISCLI_AUTH: this.appEnv.get('REDIS_PASSWORD') ?? '' } },
          (_e, o) => resolve(o),
        ),
      );
      return out.trim() === 'PONG' ? true : undefined;
    });
  }

  /** One redis-cli command against the rehearsal Redis; resolves with its trimmed output. */
  private redisCli(...args: string[]): Promise<string> {
    return new Promise((resolve) =>
      execFile(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(this.ports.get('redis')), ...args],
        { env: { ...process.env, REDISCLI_AUTH: this.appEnv.get('REDIS_PASSWORD') ?? '' } },
        (_e, o) => resolve(String(o).trim()),
      ),
    );
  }

  private startApp(s: LeanService, copy: number, port: number): Supervised {
    const svc = s.service;
    const command = this.opts.serviceCommands?.[svc.name] ?? svc.rehearse?.command;
    if (!command) throw new Error(`no rehearse command for ${svc.name}`);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of serviceEnvironment(this.lean, s)) {
      if (e.name.startsWith('AWS_CONTAINER_')) continue; // no instance role here (see docs/rehearse.md)
      env[e.name] = e.value.kind === 'literal' ? e.value.text : (this.appEnv.get(e.value.key) ?? '');
    }
    env.PORT = String(port);
    env.HEALTH_PATH = svc.health ?? '/';
    env.SERVICE_NAME = svc.name;
    const cwd = path.resolve(this.plan.manifestDir, svc.rehearse?.cwd ?? '.');
    return this.supervise({
      name: `${svc.name}${s.copies > 1 ? `-${copy + 1}` : ''}`,
      command: 'bash',
      args: ['-c', command],
      cwd,
      env,
      logFile: path.join(this.tmp, 'logs', `${svc.name}-${copy + 1}.log`),
    });
  }

  // ---- step 2: smoke ------------------------------------------------------------------------

  private async smoke(): Promise<Check[]> {
    const ep = this.endpoint;
    const checks: Check[] = [];
    const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
    const m = this.plan.manifest;
    const lean = this.lean;
    const api = primaryApi(lean);

    for (const [version, expectOk] of [
      ['TLSv1', false],
      ['TLSv1.1', false],
      ['TLSv1.2', true],
      ['TLSv1.3', true],
    ] as const) {
      const r = await tlsHandshake(ep, version);
      check(`${version} ${expectOk ? 'accepted' : 'refused'}`, r.ok === expectOk, r.detail);
    }

    for (const host of [m.domain, ...m.aliases]) {
      const r = await request({ ...ep, host }, '/some/path?x=1', { scheme: 'http' });
      const want = `https://${host}/some/path?x=1`;
      check(
        `http://${host} redirects`,
        r.status === 301 && r.headers.location === want,
        `${r.status} → ${r.headers.location ?? '(no Location)'}`,
      );
    }
    const unknown = await request({ ...ep, host: 'unknown.invalid' }, '/', { scheme: 'http' }).catch(
      (e: Error) => e,
    );
    check(
      'unknown host refused',
      unknown instanceof Error,
      unknown instanceof Error ? `connection closed (${unknown.message})` : `${unknown.status}`,
    );

    const headerChecks = (what: string, r: { headers: Record<string, unknown> }) => {
      const h = r.headers;
      const missing = [
        'strict-transport-security',
        'x-content-type-options',
        'x-frame-options',
        'content-security-policy',
        'referrer-policy',
        'permissions-policy',
      ].filter((k) => !h[k]);
      check(
        `${what}: security headers`,
        missing.length === 0,
        missing.length ? `missing ${missing.join(', ')}` : 'all present',
      );
      check(`${what}: server version hidden`, h.server === 'nginx', `Server: ${String(h.server)}`);
    };

    for (const s of lean.services) {
      const route = s.service.route;
      if (!route || (s.hostPort === undefined && s.image.kind !== 'none')) continue;
      const r = await request(ep, route);
      check(`${route} (${s.service.name})`, r.status >= 200 && r.status < 400, `${r.status}`);
      headerChecks(`${route}`, r);
      if (s.image.kind === 'none') {
        const dir = path.resolve(this.plan.manifestDir, s.service.build ?? '.', s.service.output ?? 'dist');
        const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
        check(
          `${route} serves index.html`,
          r.body === html,
          r.body === html ? 'identical to the bundle' : 'differs from the bundle',
        );
        const fallback = await request(ep, `${route}deep/client/route`);
        check(
          `${route} SPA fallback`,
          fallback.status === 200 && fallback.body === html,
          `${fallback.status}`,
        );
        const asset = /(?:src|href)="([^"]+\.(?:js|css))"/.exec(html)?.[1];
        if (asset) {
          const a = await request(ep, asset.startsWith('/') ? asset : `${route}${asset}`, {
            headers: { 'accept-encoding': 'gzip' },
          });
          const cc = String(a.headers['cache-control'] ?? '');
          check(
            `${asset} cached a year`,
            a.status === 200 && cc.includes('max-age=31536000') && cc.includes('immutable'),
            `${a.status} Cache-Control: ${cc}`,
          );
          headerChecks(asset, a);
          if (Number(a.headers['content-length'] ?? 2000) >= 1024 || a.headers['content-encoding']) {
            check(
              `${asset} gzip`,
              a.headers['content-encoding'] === 'gzip',
              `Content-Encoding: ${String(a.headers['content-encoding'])}`,
            );
          }
        }
        const index = await request(ep, route, { headers: { 'accept-encoding': 'gzip' } });
        check(
          `${route} gzip`,
          index.headers['content-encoding'] === 'gzip',
          `Content-Encoding: ${String(index.headers['content-encoding'])}`,
        );
        check(
          `${route} revalidated`,
          String(index.headers['cache-control']).includes('no-cache'),
          `Cache-Control: ${String(index.headers['cache-control'])}`,
        );
      }
    }
    if (api?.service.health) {
      const r = await request(ep, api.service.health);
      check(`${api.service.health} (health)`, r.status === 200, `${r.status} ${r.body.slice(0, 120)}`);
    }
    // The monitor script publishes HealthOk (to the local CloudWatch fake).
    await this.script('monitor');
    const healthOk = this.fake.metrics.filter(
      (x) => x.namespace === lean.metrics.namespace && x.name === lean.metrics.healthOk,
    );
    check(
      `stackplan-monitor publishes ${lean.metrics.healthOk}`,
      healthOk.at(-1)?.value === 1,
      `${lean.metrics.namespace} ${lean.metrics.healthOk}=${healthOk.at(-1)?.value ?? 'none'}`,
    );
    // Rate limiting on the API: a burst beyond the zone's allowance gets 429s, then it recovers.
    const apiRoute = lean.services.find(
      (s) =>
        (s.service.kind === 'api' || s.service.kind === 'ml') && s.service.route && s.hostPort !== undefined,
    );
    if (apiRoute) {
      const results = await Promise.all(
        Array.from({ length: 60 }, () =>
          request(ep, apiRoute.service.route!).then(
            (r) => r.status,
            () => 0,
          ),
        ),
      );
      const limited = results.filter((s) => s === 429).length;
      check(
        `${apiRoute.service.route} rate limited per IP`,
        limited > 0,
        `${limited} of 60 burst requests got 429`,
      );
      await sleep(2500);
    }
    return checks;
  }

  // ---- step 3: rows -------------------------------------------------------------------------

  private rowsPath(): string | undefined {
    const api = primaryApi(this.lean);
    if (!api || !this.lean.postgres || !api.service.uses.includes('postgres')) return undefined;
    return `${api.service.route ?? '/'}rows`;
  }

  private async rowStats(): Promise<{ count: number; checksum: string }> {
    const r = await request(this.endpoint, `${this.rowsPath()}/stats`);
    if (r.status !== 200) throw new Error(`row stats: ${r.status} ${r.body}`);
    return JSON.parse(r.body) as { count: number; checksum: string };
  }

  private async writeRows(n: number): Promise<void> {
    const p = this.rowsPath()!;
    let left = n;
    while (left > 0) {
      this.checkSignal();
      const k = Math.min(left, 10_000);
      const r = await request(this.endpoint, `${p}?count=${k}`, { method: 'POST', timeoutMs: 30_000 });
      if (r.status === 429) {
        await sleep(200);
        continue;
      }
      if (r.status !== 201) throw new Error(`POST ${p}?count=${k}: ${r.status} ${r.body}`);
      left -= k;
    }
  }

  private async rows(): Promise<Check[]> {
    const n = this.opts.rows ?? 1000;
    const t0 = performance.now();
    const before = await this.rowStats();
    await this.writeRows(n);
    this.figures.writeRowsMs = ms(t0);
    this.figures.rows = n;
    const after = await this.rowStats();
    this.expected = after;
    return [
      {
        name: `${n} rows through ${this.rowsPath()}`,
        ok: after.count === before.count + n,
        detail: `${before.count} → ${after.count} rows over HTTPS in ${this.figures.writeRowsMs} ms`,
      },
    ];
  }

  // ---- step 4: backup and restore -----------------------------------------------------------

  private async tableStats(database: string): Promise<string> {
    const rows = await this.sql<{ table_name: string; row_count: string; checksum: string }>(
      database,
      TABLE_STATS,
    );
    return rows.map((r) => `${r.table_name}|${r.row_count}|${r.checksum}`).join('\n');
  }

  private async backupRestore(): Promise<Check[]> {
    const checks: Check[] = [];
    const lean = this.lean;
    const db = lean.postgres!.database;
    const m = lean.metrics;
    let t0 = performance.now();
    const key = (await this.script('backup')).trim().split('\n').pop() ?? '';
    this.figures.backupMs = ms(t0);
    if (lean.redis?.persistence) {
      const rdb = path.join(this.at(lean.host.backupDir), key.split('/').pop() ?? '', 'redis.rdb');
      let size = 0;
      try {
        size = statSync(rdb).size;
      } catch {
        // reported below
      }
      checks.push({ name: 'Redis snapshot in the backup', ok: size > 0, detail: `redis.rdb ${size} bytes` });
    }
    const success = this.fake.metrics.filter(
      (x) => x.namespace === m.namespace && x.name === m.backupSuccess,
    );
    const size = this.fake.metrics.find((x) => x.namespace === m.namespace && x.name === m.backupSizeBytes);
    checks.push({
      name: 'backup',
      ok: /^backups\/\d{8}T\d{6}Z$/.test(key),
      detail: `stackplan-backup → s3://…/${key}/ in ${this.figures.backupMs} ms`,
    });
    checks.push({
      name: `${m.backupSuccess} published`,
      ok: success.at(-1)?.value === 1 && (size?.value ?? 0) > 0,
      detail: `${m.namespace} ${m.backupSuccess}=${success.at(-1)?.value ?? 'none'}, ${m.backupSizeBytes}=${size?.value ?? 'none'}`,
    });

    t0 = performance.now();
    const scratch =
      (await this.script('restore', ['--dry-run', '--keep-scratch', '--key', key]))
        .trim()
        .split('\n')
        .pop() ?? '';
    this.figures.restoreMs = ms(t0);
    const [live, restored] = await Promise.all([this.tableStats(db), this.tableStats(scratch)]);
    const rowsLine = live.split('\n').find((l) => l.startsWith('public.rows|')) ?? '';
    checks.push({
      name: 'restore into a fresh database',
      ok: scratch.startsWith(`${db}_restore_`) && live === restored && live.length > 0,
      detail: `${scratch}: ${live === restored ? 'row counts and checksums equal' : `differs:\nlive:\n${live}\nrestored:\n${restored}`} (${rowsLine}) in ${this.figures.restoreMs} ms`,
    });
    await this.sql('postgres', `DROP DATABASE "${scratch}"`);

    // The real thing: restore swaps the verified copy in place of the live database.
    t0 = performance.now();
    await this.script('restore', ['--key', key]);
    this.figures.swapRestoreMs = ms(t0);
    const healthPath = primaryApi(lean)?.service.health ?? '/';
    await this.wait('health after the swap', 15_000, async () =>
      (await request(this.endpoint, healthPath)).status === 200 ? true : undefined,
    );
    const after = await this.rowStats();
    checks.push({
      name: 'restore swaps the live database',
      ok: after.count === this.expected!.count && after.checksum === this.expected!.checksum,
      detail: `${after.count} rows after the swap (expected ${this.expected!.count}), healthy again, in ${this.figures.swapRestoreMs} ms`,
    });
    const previous = await this.sql<{ datname: string }>(
      'postgres',
      `SELECT datname FROM pg_database WHERE datname LIKE '${db}_before_%'`,
    );
    for (const r of previous) await this.sql('postgres', `DROP DATABASE "${r.datname}"`);
    return checks;
  }

  // ---- step 5: fault drills -----------------------------------------------------------------

  private async healthStatus(): Promise<number> {
    const healthPath = primaryApi(this.lean)?.service.health ?? '/';
    return request(this.endpoint, healthPath, { timeoutMs: 2000 }).then(
      (r) => r.status,
      () => 0,
    );
  }

  private async faults(): Promise<Check[]> {
    const checks: Check[] = [];
    const targets: Array<[string, Supervised | undefined]> = [
      ['api', this.apps.find((a) => a.service === primaryApi(this.lean))?.proc],
      ['postgres', this.postgres],
      ['redis', this.redis],
    ];
    for (const [name, proc] of targets) {
      if (!proc) continue;
      this.checkSignal();
      const restartsBefore = proc.restarts;
      const persistent = name === 'redis' && this.lean.redis?.persistence;
      if (persistent) {
        await this.redisCli('SET', 'rehearse:durable', 'kept');
        await sleep(1100); // appendfsync everysec: what a crash may lose is the last second
      }
      const t0 = performance.now();
      await proc.crash();
      let detectMs = -1;
      try {
        await this.wait(
          `${name} down reported`,
          5000,
          async () => ((await this.healthStatus()) !== 200 ? true : undefined),
          50,
        );
        detectMs = ms(t0);
      } catch {
        // reported below
      }
      let recoverMs = -1;
      try {
        await this.wait(
          `${name} recovered`,
          60_000,
          async () => ((await this.healthStatus()) === 200 ? true : undefined),
          100,
        );
        recoverMs = ms(t0);
      } catch {
        // reported below
      }
      this.figures.detectMs[name] = detectMs;
      this.figures.recoveryMs[name] = recoverMs;
      checks.push({
        name: `kill ${name}: unhealthy within 5 s`,
        ok: detectMs >= 0 && detectMs <= 5000,
        detail: detectMs >= 0 ? `${detectMs} ms` : 'health stayed 200',
      });
      checks.push({
        name: `kill ${name}: restarted, healthy again`,
        ok: recoverMs >= 0 && proc.restarts > restartsBefore,
        detail:
          recoverMs >= 0
            ? `${recoverMs} ms, ${proc.restarts - restartsBefore} restart(s)`
            : `not healthy after 60 s\n${proc.logTail(8)}`,
      });
      if (persistent && recoverMs >= 0) {
        const value = await this.redisCli('GET', 'rehearse:durable');
        checks.push({
          name: 'kill redis: data kept (append-only file)',
          ok: value === 'kept',
          detail:
            value === 'kept' ? 'a key written before the kill survived the restart' : `read back "${value}"`,
        });
      }
      if (this.expected && recoverMs >= 0) {
        const now = await this.rowStats();
        checks.push({
          name: `kill ${name}: no committed row lost`,
          ok: now.count === this.expected.count && now.checksum === this.expected.checksum,
          detail: `${now.count} rows (expected ${this.expected.count}), checksum ${now.checksum === this.expected.checksum ? 'equal' : 'differs'}`,
        });
        await this.writeRows(1);
        this.expected = await this.rowStats();
      }
    }
    return checks;
  }

  // ---- step 6: teardown ---------------------------------------------------------------------

  async teardown(): Promise<Check[]> {
    const checks: Check[] = [];
    const order = [...this.procs].reverse();
    await Promise.all(order.filter((p) => p !== this.postgres && p !== this.redis).map((p) => p.stop()));
    await Promise.all([this.postgres?.stop(), this.redis?.stop()]);
    await this.fake.stop();
    const alive = this.procs.flatMap((p) => p.pids.filter(pidAlive).map((pid) => `${p.spec.name}:${pid}`));
    checks.push({
      name: 'nothing left running',
      ok: alive.length === 0,
      detail: alive.length ? `still running: ${alive.join(', ')}` : `${this.procs.length} processes stopped`,
    });
    const busy: number[] = [];
    for (const port of this.allPorts) if (!(await isPortFree(port))) busy.push(port);
    checks.push({
      name: 'ports free',
      ok: busy.length === 0,
      detail: busy.length ? `still bound: ${busy.join(', ')}` : `${this.allPorts.length} ports free`,
    });
    if (!this.opts.keep) {
      rmSync(this.tmp, { recursive: true, force: true });
      checks.push({ name: 'temp dir removed', ok: true, detail: this.tmp });
    } else {
      checks.push({ name: 'temp dir kept', ok: true, detail: `${this.tmp} (--keep)` });
    }
    return checks;
  }

  // ---- the run ------------------------------------------------------------------------------

  async run(): Promise<RehearseReport> {
    const startedAt = new Date().toISOString();
    const steps: StepResult[] = [];
    let interrupted = false;
    let failed = false;
    const record = (step: string, t0: number, checks: Check[], error?: Error, skipped?: string) => {
      const ok = !error && checks.every((c) => c.ok);
      const bad = checks.filter((c) => !c.ok).length;
      const result: StepResult = {
        step,
        ok,
        ...(skipped && { skipped: true }),
        ms: ms(t0),
        summary:
          skipped ??
          (error ? error.message.split('\n')[0]! : `${checks.length - bad}/${checks.length} checks passed`),
        checks: error ? [...checks, { name: 'error', ok: false, detail: error.message }] : checks,
      };
      steps.push(result);
      this.opts.onStep?.(result);
      return ok;
    };
    const body: Array<[string, () => Promise<Check[]>, string | undefined]> = [
      ['start', () => this.start(), undefined],
      ['smoke', () => this.smoke(), undefined],
      ['rows', () => this.rows(), this.rowsPath() ? undefined : 'skipped: no API using PostgreSQL'],
      ['backup-restore', () => this.backupRestore(), this.rowsPath() ? undefined : 'skipped: no PostgreSQL'],
      ['faults', () => this.faults(), undefined],
    ];
    for (const [name, fn, skip] of body) {
      if (failed || interrupted) break;
      const t0 = performance.now();
      this.opts.onStepStart?.(name);
      if (skip) {
        record(name, t0, [], undefined, skip);
        continue;
      }
      try {
        this.checkSignal();
        if (!record(name, t0, await fn())) failed = name === 'start';
      } catch (e) {
        if (e instanceof Interrupted || this.opts.signal?.aborted) {
          interrupted = true;
          record(name, t0, [], new Error('interrupted (Ctrl-C)'));
        } else {
          record(name, t0, [], e as Error);
          if (name === 'start') failed = true;
        }
      }
    }
    const t0 = performance.now();
    this.opts.onStepStart?.('teardown');
    try {
      record('teardown', t0, await this.teardown());
    } catch (e) {
      record('teardown', t0, [], e as Error);
    }
    return {
      app: this.plan.manifest.name,
      manifest: this.opts.manifestFile ?? this.plan.manifestDir,
      startedAt,
      ok: !interrupted && steps.length === STEPS.length && steps.every((s) => s.ok),
      interrupted,
      tmpDir: this.tmp,
      kept: Boolean(this.opts.keep),
      steps,
      figures: this.figures,
    };
  }
}

/** The services that need a command to run locally (everything but static bundles). */
export function servicesNeedingCommands(plan: Plan, overrides: Record<string, string> = {}): string[] {
  return leanOf(plan)
    .services.filter(
      (s) => s.image.kind !== 'none' && !overrides[s.service.name] && !s.service.rehearse?.command,
    )
    .map((s) => s.service.name);
}
