/**
 * Step 4, backup and restore: the rendered backup script to s3rver (and its metrics), a restore
 * into a fresh database verified table by table, then the real swap in place of the live one.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { TABLE_STATS } from '../../render/host/scripts/common.js';
import { primaryApi } from '../../render/host/settings.js';
import { type Check, ms, type RehearsalContext } from '../context.js';
import { request } from '../http.js';
import { rowStats } from './rows.js';

async function tableStats(rh: RehearsalContext, database: string): Promise<string> {
  const rows = await rh.sql<{ table_name: string; row_count: string; checksum: string }>(
    database,
    TABLE_STATS,
  );
  return rows.map((r) => `${r.table_name}|${r.row_count}|${r.checksum}`).join('\n');
}

export async function backupRestore(rh: RehearsalContext): Promise<Check[]> {
  const checks: Check[] = [];
  const lean = rh.host;
  const db = lean.postgres!.database;
  const m = lean.metrics;
  let t0 = performance.now();
  const key = (await rh.script('backup')).trim().split('\n').pop() ?? '';
  rh.figures.backupMs = ms(t0);
  if (lean.redis?.persistence) {
    const rdb = path.join(rh.at(lean.host.backupDir), key.split('/').pop() ?? '', 'redis.rdb');
    let size = 0;
    try {
      size = statSync(rdb).size;
    } catch {
      // reported below
    }
    checks.push({ name: 'Redis snapshot in the backup', ok: size > 0, detail: `redis.rdb ${size} bytes` });
  }
  const success = rh.fake.metrics.filter((x) => x.namespace === m.namespace && x.name === m.backupSuccess);
  const size = rh.fake.metrics.find((x) => x.namespace === m.namespace && x.name === m.backupSizeBytes);
  checks.push({
    name: 'backup',
    ok: /^backups\/\d{8}T\d{6}Z$/.test(key),
    detail: `stackplan-backup → s3://…/${key}/ in ${rh.figures.backupMs} ms`,
  });
  checks.push({
    name: `${m.backupSuccess} published`,
    ok: success.at(-1)?.value === 1 && (size?.value ?? 0) > 0,
    detail: `${m.namespace} ${m.backupSuccess}=${success.at(-1)?.value ?? 'none'}, ${m.backupSizeBytes}=${size?.value ?? 'none'}`,
  });

  t0 = performance.now();
  const scratch =
    (await rh.script('restore', ['--dry-run', '--keep-scratch', '--key', key])).trim().split('\n').pop() ??
    '';
  rh.figures.restoreMs = ms(t0);
  const [live, restored] = await Promise.all([tableStats(rh, db), tableStats(rh, scratch)]);
  const rowsLine = live.split('\n').find((l) => l.startsWith('public.rows|')) ?? '';
  checks.push({
    name: 'restore into a fresh database',
    ok: scratch.startsWith(`${db}_restore_`) && live === restored && live.length > 0,
    detail: `${scratch}: ${live === restored ? 'row counts and checksums equal' : `differs:\nlive:\n${live}\nrestored:\n${restored}`} (${rowsLine}) in ${rh.figures.restoreMs} ms`,
  });
  await rh.sql('postgres', `DROP DATABASE "${scratch}"`);

  // The real thing: restore swaps the verified copy in place of the live database.
  t0 = performance.now();
  await rh.script('restore', ['--key', key]);
  rh.figures.swapRestoreMs = ms(t0);
  const healthPath = primaryApi(lean)?.service.health ?? '/';
  await rh.wait('health after the swap', 15_000, async () =>
    (await request(rh.endpoint, healthPath)).status === 200 ? true : undefined,
  );
  const after = await rowStats(rh);
  checks.push({
    name: 'restore swaps the live database',
    ok: after.count === rh.expected!.count && after.checksum === rh.expected!.checksum,
    detail: `${after.count} rows after the swap (expected ${rh.expected!.count}), healthy again, in ${rh.figures.swapRestoreMs} ms`,
  });
  const previous = await rh.sql<{ datname: string }>(
    'postgres',
    `SELECT datname FROM pg_database WHERE datname LIKE '${db}_before_%'`,
  );
  for (const r of previous) await rh.sql('postgres', `DROP DATABASE "${r.datname}"`);
  return checks;
}
