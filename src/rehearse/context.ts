/**
 * What every rehearsal step shares: the plan, the temporary directory and every process started,
 * the values the environment resolved (ports, env files, the HTTPS endpoint), and small helpers
 * (waiting, running a rendered script, SQL and redis-cli against the rehearsal's stores).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import type { LeanPlan, LeanService } from '../model/lean.js';
import type { Plan } from '../model/plan.js';
import type { HostFile } from '../render/host/contract.js';
import { renderHostFiles } from '../render/host/index.js';
import { HOST_PATHS, leanOf, SCRIPTS, type ScriptName } from '../render/host/settings.js';
import { FakeAws } from './fake-aws.js';
import type { Endpoint } from './http.js';
import { Supervised } from './supervisor.js';

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
  /** The release of a second API version under load: requests sent and failed, the time it took. */
  release?: { requests: number; failed: number; releaseMs: number; switchMs: number };
  /** The release of a version whose health never passes. */
  failedRelease?: { requests: number; failed: number; releaseMs: number };
  rollback?: { requests: number; failed: number; releaseMs: number };
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

export const STEPS = ['start', 'smoke', 'rows', 'backup-restore', 'faults', 'release', 'teardown'] as const;

/** Thrown between steps once the run is aborted (Ctrl-C). */
export class Interrupted extends Error {}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A random password the rehearsal generates where AWS would. */
export function secret(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x');
}

/** Milliseconds since `since` (a performance.now() value). */
export function ms(since: number): number {
  return Math.round(performance.now() - since);
}

export interface AppProcess {
  service: LeanService;
  copy: number;
  port: number;
  proc: Supervised;
}

export class RehearsalContext {
  readonly plan: Plan;
  /** The lean plan: the host being rehearsed. */
  readonly host: LeanPlan;
  readonly opts: RehearseOptions;
  readonly tmp: string;
  readonly root: string;
  readonly files: HostFile[];
  readonly fake = new FakeAws();
  readonly procs: Supervised[] = [];
  readonly apps: AppProcess[] = [];
  readonly figures: RehearseFigures = { recoveryMs: {}, detectMs: {} };
  /** Loopback ports by role (http, https, postgres, redis, s3, fake-aws). */
  ports = new Map<string, number>();
  allPorts: number[] = [];
  /** The environment the rendered scripts run with. */
  scriptEnv: NodeJS.ProcessEnv = {};
  /** The app env file's values (and the stack env file's), as compose would interpolate them. */
  appEnv = new Map<string, string>();
  endpoint!: Endpoint;
  postgres?: Supervised;
  redis?: Supervised;
  /** Row count and checksum the data should have (after the rows step). */
  expected?: { count: number; checksum: string };

  constructor(plan: Plan, opts: RehearseOptions = {}) {
    this.plan = plan;
    this.host = leanOf(plan);
    this.opts = opts;
    this.tmp = mkdtempSync(path.join(tmpdir(), `stackplan-rehearse-${plan.manifest.name}-`));
    chmodSync(this.tmp, 0o755);
    this.root = path.join(this.tmp, 'root');
    this.files = renderHostFiles(plan);
  }

  /** Where a host path lives under the rehearsal's root. */
  at(hostPath: string): string {
    return path.join(this.root, hostPath);
  }

  checkSignal(): void {
    if (this.opts.signal?.aborted) throw new Interrupted('interrupted');
  }

  /** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
  async wait<T>(
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

  supervise(spec: ConstructorParameters<typeof Supervised>[0]): Supervised {
    const p = new Supervised(spec);
    this.procs.push(p);
    p.start();
    return p;
  }

  pgClient(database: string): pg.Client {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.ports.get('postgres'),
      user: this.host.postgres!.user,
      password: this.appEnv.get('POSTGRES_PASSWORD'),
      database,
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => {});
    return client;
  }

  async sql<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
    const c = this.pgClient(database);
    await c.connect();
    try {
      return (await c.query<T>(text)).rows;
    } finally {
      await c.end().catch(() => {});
    }
  }

  /** One redis-cli command against the rehearsal Redis; resolves with its trimmed output. */
  redisCli(...args: string[]): Promise<string> {
    return new Promise((resolve) =>
      execFile(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(this.ports.get('redis')), ...args],
        { env: { ...process.env, REDISCLI_AUTH: this.appEnv.get('REDIS_PASSWORD') ?? '' } },
        (_e, o) => resolve(String(o).trim()),
      ),
    );
  }
}
