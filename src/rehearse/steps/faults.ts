/**
 * Step 5, fault drills: kill the API, PostgreSQL and Redis in turn; each must be reported unhealthy
 * within 5 s, be restarted, and come back healthy without losing a committed row (or, for a
 * persistent Redis, a written key).
 */
import { primaryApi } from '../../render/host/settings.js';
import { type Check, ms, type RehearsalContext, sleep } from '../context.js';
import { request } from '../http.js';
import type { Supervised } from '../supervisor.js';
import { rowStats, writeRows } from './rows.js';

async function healthStatus(rh: RehearsalContext): Promise<number> {
  const healthPath = primaryApi(rh.host)?.service.health ?? '/';
  return request(rh.endpoint, healthPath, { timeoutMs: 2000 }).then(
    (r) => r.status,
    () => 0,
  );
}

export async function faults(rh: RehearsalContext): Promise<Check[]> {
  const checks: Check[] = [];
  const targets: Array<[string, Supervised | undefined]> = [
    ['api', rh.apps.find((a) => a.service === primaryApi(rh.host))?.proc],
    ['postgres', rh.postgres],
    ['redis', rh.redis],
  ];
  for (const [name, proc] of targets) {
    if (!proc) continue;
    rh.checkSignal();
    const restartsBefore = proc.restarts;
    const persistent = name === 'redis' && rh.host.redis?.persistence;
    if (persistent) {
      await rh.redisCli('SET', 'rehearse:durable', 'kept');
      await sleep(1100); // appendfsync everysec: what a crash may lose is the last second
    }
    const t0 = performance.now();
    await proc.crash();
    let detectMs = -1;
    try {
      await rh.wait(
        `${name} down reported`,
        5000,
        async () => ((await healthStatus(rh)) !== 200 ? true : undefined),
        50,
      );
      detectMs = ms(t0);
    } catch {
      // reported below
    }
    let recoverMs = -1;
    try {
      await rh.wait(
        `${name} recovered`,
        60_000,
        async () => ((await healthStatus(rh)) === 200 ? true : undefined),
        100,
      );
      recoverMs = ms(t0);
    } catch {
      // reported below
    }
    rh.figures.detectMs[name] = detectMs;
    rh.figures.recoveryMs[name] = recoverMs;
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
      const value = await rh.redisCli('GET', 'rehearse:durable');
      checks.push({
        name: 'kill redis: data kept (append-only file)',
        ok: value === 'kept',
        detail:
          value === 'kept' ? 'a key written before the kill survived the restart' : `read back "${value}"`,
      });
    }
    if (rh.expected && recoverMs >= 0) {
      const now = await rowStats(rh);
      checks.push({
        name: `kill ${name}: no committed row lost`,
        ok: now.count === rh.expected.count && now.checksum === rh.expected.checksum,
        detail: `${now.count} rows (expected ${rh.expected.count}), checksum ${now.checksum === rh.expected.checksum ? 'equal' : 'differs'}`,
      });
      await writeRows(rh, 1);
      rh.expected = await rowStats(rh);
    }
  }
  return checks;
}
