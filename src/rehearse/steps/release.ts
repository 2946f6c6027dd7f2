/**
 * Step 6, release: the rendered stackplan-release, run against the rehearsal's real nginx while a
 * bounded load loop (loopback only) asks for the API's health through nginx over HTTPS:
 *   1. a second version of the primary API is released: 0 failed requests, the new version serves;
 *   2. a broken version (its health never passes) is released: the command fails with the new
 *      version's last log lines, it is stopped, the previous version keeps serving, 0 failed requests;
 *   3. --rollback returns to the version before: 0 failed requests, that version serves.
 *
 * Containers are processes here: STACKPLAN_RUNTIME points stackplan-release at a small runtime
 * (written below) that starts the service's rehearse command on the slot's ports, with the
 * service's compose environment and APP_VERSION set to the released tag. The processes the start
 * step supervised are handed over to it first (nothing restarts them behind its back).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LeanService } from '../../model/lean.js';
import { pinnedParts } from '../../render/host/compose.js';
import { primaryApi, SCRIPTS, slotsKey } from '../../render/host/settings.js';
import { type Check, ms, type RehearsalContext, sleep } from '../context.js';
import { REHEARSAL_TAG } from '../environment.js';
import { request } from '../http.js';
import { freePorts } from '../ports.js';
import { appCommand, appCwd, appEnvironment } from '../processes.js';

export const RELEASE_TAGS = { next: 'rehearse-2', broken: 'rehearse-broken' } as const;

/** What the broken version prints before it serves an unhealthy health path. */
export const BROKEN_LOG_LINE = 'rehearse-broken: cannot reach the database (a broken release on purpose)';

/** The process runtime stackplan-release calls in rehearse (the same operations as docker). */
const RUNTIME = `#!/usr/bin/env bash
# stackplan rehearse: the container runtime of stackplan-release, with processes for containers.
# Operations as in stackplan-release: pull | start | ensure | stop | logs | migrate | healthy.
set -euo pipefail
dir="\${STACKPLAN_REHEARSE_RUNTIME_DIR:?}"
op="$1"
shift
pids() { compgen -G "$dir/run/$1-$2-*.pid" || true; }
stop_slot() {
  local file pid i
  for file in $(pids "$1" "$2"); do
    pid="$(cat -- "$file")"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f -- "$file"
  done
}
start_slot() {
  local service="$1" slot="$2" tag="$3" port="$4" copies="$5" cmd i
  cmd="$(cat -- "$dir/cmd/$service")"
  if [[ -f "$dir/cmd/$service@$tag" ]]; then
    cmd="$(cat -- "$dir/cmd/$service@$tag")"
  fi
  for ((i = 0; i < copies; i++)); do
    (
      cd "$(cat -- "$dir/cwd/$service")"
      while IFS= read -r -d '' kv; do
        export "\${kv?}"
      done <"$dir/env/$service"
      export PORT="$((port + i))" APP_VERSION="$tag"
      exec setsid bash -c "$cmd" >>"$dir/logs/$service-$slot.log" 2>&1 </dev/null
    ) &
    printf '%s\\n' "$!" >"$dir/run/$service-$slot-$i.pid"
  done
}
case "$op" in
pull | healthy) ;;
start)
  stop_slot "$1" "$2"
  : >"$dir/logs/$1-$2.log"
  start_slot "$@"
  ;;
ensure)
  if [[ -z "$(pids "$1" "$2")" ]]; then
    start_slot "$@"
  fi
  ;;
stop) stop_slot "$1" "$2" ;;
logs) tail -n 30 -- "$dir/logs/$1-$2.log" 2>/dev/null || true ;;
migrate)
  if [[ -x "$dir/migrate/$1" ]]; then
    "$dir/migrate/$1"
  else
    echo "rehearse: no migration to run for $1"
  fi
  ;;
*)
  echo "unknown runtime operation: $op" >&2
  exit 2
  ;;
esac
`;

interface LoadFigures {
  sent: number;
  failed: number;
  failures: string[];
  versions: Map<string, number>;
}

/** A bounded load loop: `workers` sequential clients asking for `urlPath` through nginx until stopped. */
function loadLoop(r: RehearsalContext, urlPath: string, workers = 3, cap = 20_000) {
  const f: LoadFigures = { sent: 0, failed: 0, failures: [], versions: new Map() };
  let stopped = false;
  let firstVersionAt = new Map<string, number>();
  const loop = async () => {
    while (!stopped && f.sent < cap) {
      f.sent++;
      try {
        const res = await request(r.endpoint, urlPath, { timeoutMs: 10_000 });
        let version = '?';
        try {
          version = String((JSON.parse(res.body) as { version?: unknown }).version);
        } catch {}
        if (res.status !== 200) {
          f.failed++;
          if (f.failures.length < 5) f.failures.push(`${res.status} ${res.body.slice(0, 120)}`);
        } else {
          f.versions.set(version, (f.versions.get(version) ?? 0) + 1);
          if (!firstVersionAt.has(version)) firstVersionAt.set(version, performance.now());
        }
      } catch (e) {
        f.failed++;
        if (f.failures.length < 5) f.failures.push((e as Error).message);
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, loop));
  return {
    figures: f,
    firstVersionAt: () => firstVersionAt,
    reset: () => {
      f.sent = 0;
      f.failed = 0;
      f.failures = [];
      f.versions = new Map();
      firstVersionAt = new Map();
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

interface ScriptRun {
  code: number;
  stderr: string;
  /** performance.now() when the script said it was switching nginx. */
  switchingAt?: number;
}

/** stackplan-release with the rehearsal's environment, its stderr watched as it runs. */
function runRelease(r: RehearsalContext, args: string[]): Promise<ScriptRun> {
  const file = r.at(`/opt/stackplan/bin/${SCRIPTS.release}`);
  return new Promise((resolve) => {
    const child = spawn('bash', [file, ...args], { env: r.scriptEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let switchingAt: number | undefined;
    child.stdout.on('data', () => {});
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (switchingAt === undefined && /switching nginx/.test(stderr)) switchingAt = performance.now();
    });
    child.on('close', (code) => {
      writeFileSync(path.join(r.tmp, 'logs', `${SCRIPTS.release}.log`), stderr, { flag: 'a' });
      resolve({ code: code ?? 1, stderr, ...(switchingAt !== undefined && { switchingAt }) });
    });
  });
}

/** The tag the rehearsal started the service with: what CI released first, or the manifest's tag. */
function startingTag(s: LeanService): string {
  return s.image.kind === 'pinned' ? (pinnedParts(s.image.ref).tag ?? REHEARSAL_TAG) : REHEARSAL_TAG;
}

export async function release(r: RehearsalContext): Promise<Check[]> {
  const api = primaryApi(r.host);
  if (!api?.service.health || api.hostPort === undefined) throw new Error('no API with a health path');
  const name = api.service.name;
  const copies = r.apps.filter((a) => a.service === api);
  const runtimeDir = path.join(r.tmp, 'runtime');
  for (const d of ['run', 'logs', 'cmd', 'cwd', 'env', 'migrate']) {
    mkdirSync(path.join(runtimeDir, d), { recursive: true });
  }
  const runtime = path.join(runtimeDir, 'stackplan-rehearse-runtime');
  writeFileSync(runtime, RUNTIME, { mode: 0o755 });
  const env = appEnvironment(r, api);
  writeFileSync(
    path.join(runtimeDir, 'env', name),
    Object.entries(env)
      .filter(([k, v]) => v !== undefined && k !== 'PORT')
      .map(([k, v]) => `${k}=${v}\0`)
      .join(''),
  );
  writeFileSync(path.join(runtimeDir, 'cmd', name), appCommand(r, api));
  // The broken version starts, logs why, and answers its health path 503 (its database is unreachable).
  writeFileSync(
    path.join(runtimeDir, 'cmd', `${name}@${RELEASE_TAGS.broken}`),
    `echo '${BROKEN_LOG_LINE}' >&2; DATABASE_URL=postgres://broken@127.0.0.1:1/broken exec ${appCommand(r, api)}`,
  );
  writeFileSync(path.join(runtimeDir, 'cwd', name), appCwd(r, api));

  const slotB = await freePorts(copies.length);
  r.allPorts.push(...slotB);
  Object.assign(r.scriptEnv, {
    STACKPLAN_RUNTIME: runtime,
    STACKPLAN_REHEARSE_RUNTIME_DIR: runtimeDir,
    [slotsKey(name)]: `${copies[0]!.port} ${slotB[0]}`,
    STACKPLAN_RELEASE_DRAIN_SECONDS: '2',
    STACKPLAN_RELEASE_TIMEOUT: '8',
  });
  // Hand the running copies (slot a) over to the runtime: stackplan-release stops them when it switches.
  for (const a of copies) {
    a.proc.detach();
    writeFileSync(path.join(runtimeDir, 'run', `${name}-a-${a.copy}.pid`), `${a.proc.pid}\n`);
  }

  const checks: Check[] = [];
  const healthPath = api.service.health;
  const first = startingTag(api);
  const load = loadLoop(r, healthPath);
  const figures = load.figures;
  const report = (what: string, extra = '') =>
    `${figures.sent} requests, ${figures.failed} failed${figures.failures.length ? ` (${figures.failures.join('; ')})` : ''}; served: ${[
      ...figures.versions,
    ]
      .map(([v, n]) => `${v} ×${n}`)
      .join(', ')}${extra}${what ? `; ${what}` : ''}`;
  try {
    await sleep(500);
    // 1. A second version.
    const t0 = performance.now();
    const next = await runRelease(r, [name, RELEASE_TAGS.next]);
    const releaseMs = ms(t0);
    await sleep(500);
    const served = await request(r.endpoint, healthPath);
    const nextAt = load.firstVersionAt().get(RELEASE_TAGS.next);
    const switchMs =
      next.switchingAt !== undefined && nextAt !== undefined
        ? Math.max(0, Math.round(nextAt - next.switchingAt))
        : -1;
    r.figures.release = { requests: figures.sent, failed: figures.failed, releaseMs, switchMs };
    checks.push({
      name: `release ${RELEASE_TAGS.next}: 0 failed requests`,
      ok: next.code === 0 && figures.failed === 0 && figures.sent > 0,
      detail:
        next.code === 0
          ? report(
              '',
              `; released in ${(releaseMs / 1000).toFixed(1)} s, new version served ${switchMs} ms after the switch began`,
            )
          : `stackplan-release exited ${next.code}: ${next.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    });
    checks.push({
      name: `release ${RELEASE_TAGS.next}: the new version serves`,
      ok: served.status === 200 && served.body.includes(`"version":"${RELEASE_TAGS.next}"`),
      detail: `${healthPath} → ${served.status} ${served.body.slice(0, 120)}`,
    });

    // 2. A broken version: health never passes.
    load.reset();
    const t1 = performance.now();
    const broken = await runRelease(r, [name, RELEASE_TAGS.broken]);
    const brokenMs = ms(t1);
    await sleep(300);
    const still = await request(r.endpoint, healthPath);
    r.figures.failedRelease = { requests: figures.sent, failed: figures.failed, releaseMs: brokenMs };
    checks.push({
      name: `release ${RELEASE_TAGS.broken}: refused with its log lines`,
      ok: broken.code !== 0 && broken.stderr.includes(BROKEN_LOG_LINE) && /keeps serving/.test(broken.stderr),
      detail: `exit ${broken.code} after ${(brokenMs / 1000).toFixed(1)} s: ${broken.stderr.trim().split('\n').slice(-1)[0] ?? ''}`,
    });
    checks.push({
      name: `release ${RELEASE_TAGS.broken}: the old version keeps serving, 0 failed requests`,
      ok:
        figures.failed === 0 &&
        !figures.versions.has(RELEASE_TAGS.broken) &&
        still.body.includes(`"version":"${RELEASE_TAGS.next}"`),
      detail: report(''),
    });

    // 3. Back to the version before.
    load.reset();
    const t2 = performance.now();
    const back = await runRelease(r, ['--rollback', name]);
    const rollbackMs = ms(t2);
    await sleep(500);
    const after = await request(r.endpoint, healthPath);
    r.figures.rollback = { requests: figures.sent, failed: figures.failed, releaseMs: rollbackMs };
    checks.push({
      name: `rollback to ${first}: 0 failed requests, ${first} serves`,
      ok: back.code === 0 && figures.failed === 0 && after.body.includes(`"version":"${first}"`),
      detail:
        back.code === 0
          ? report(`${healthPath} → ${after.body.slice(0, 80)}`)
          : `exit ${back.code}: ${back.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    });
  } finally {
    await load.stop();
    for (const slot of ['a', 'b']) {
      await new Promise<void>((resolve) =>
        spawn(runtime, ['stop', name, slot], {
          env: { ...r.scriptEnv, STACKPLAN_REHEARSE_RUNTIME_DIR: runtimeDir },
          stdio: 'ignore',
        }).on('close', () => resolve()),
      );
    }
  }
  return checks;
}
