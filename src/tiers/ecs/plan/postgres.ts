/** RDS PostgreSQL: the cheapest class with the memory the manifest asks for, Multi-AZ by availability. */
import type { EcsPostgres } from '../../../model/ecs.js';
import { formatHours } from '../../../model/plan.js';
import { rdsHourly } from '../../../price/estimates.js';
import { type Ctx, chooseCheapest, clientsOf, EcsDoesNotFit, pricedPool } from './context.js';

const RDS_FAMILIES = ['t4g', 't3', 'm7g', 'm6g', 'm6i', 'r7g', 'r6g', 'r6i'];

export function planPostgres(ctx: Ctx, migrationService?: string): EcsPostgres | undefined {
  const { m, catalog, decisions } = ctx;
  const pg = m.postgres;
  if (!pg) return undefined;
  const multiAz = m.availability !== 'single-instance';
  const az = multiAz ? 'multi-az' : 'single-az';
  const pool = pricedPool(
    catalog.specs('rds'),
    RDS_FAMILIES,
    (t) => t.split('.')[1],
    (t) => rdsHourly(ctx.prices, t, az),
  );
  const priced = pool.filter((c) => c.hourlyUsd !== undefined);
  const { chosen, candidates } = chooseCheapest(priced.length ? priced : pool, (c) =>
    c.memoryMiB >= pg.memoryMb
      ? { ok: true, why: `fits: ${c.memoryMiB} MiB ≥ ${pg.memoryMb} MiB` }
      : { ok: false, why: `${c.memoryMiB} MiB < the ${pg.memoryMb} MiB the manifest asks for` },
  );
  if (!chosen) throw new EcsDoesNotFit(`no RDS class has ${pg.memoryMb} MiB`);
  const backupRetentionDays = Math.min(35, Math.max(7, m.backups.retentionDays));
  const maxConnections = Math.min(5000, Math.floor((chosen.memoryMiB * 1048576) / 9531392));
  const clients = clientsOf(m, 'postgres');
  decisions.push({
    topic: 'postgres',
    choice: `${chosen.type} (${chosen.arch}, ${chosen.memoryMiB} MiB)${multiAz ? ' Multi-AZ' : ' Single-AZ'}, PostgreSQL ${pg.version}, ${pg.storageGb} GB gp3`,
    why: `cheapest ${priced.length ? 'priced ' : ''}class with ${pg.memoryMb} MiB${chosen.hourlyUsd !== undefined ? `: $${chosen.hourlyUsd}/h ${az} in ${m.region}` : ` (no ${m.region} price in the book: chosen by spec)`}; ${multiAz ? `availability ${m.availability}: a synchronous standby in a second AZ takes over in about a minute` : 'availability single-instance: one instance; a failure restores from the automated backups'}`,
  });
  decisions.push({
    topic: 'postgres backups',
    choice: `automated, ${backupRetentionDays} days, point-in-time recovery`,
    why: `RPO ${formatHours(m.backups.rpoHours)} is met by transaction logs shipped every 5 minutes; retention ${m.backups.retentionDays === backupRetentionDays ? 'from the manifest' : `${m.backups.retentionDays} days clamped to RDS's 7-35`}`,
  });
  return {
    engineVersion: pg.version,
    instanceClass: chosen.type,
    vcpu: chosen.vcpu,
    memoryMiB: chosen.memoryMiB,
    arch: chosen.arch,
    ...(chosen.hourlyUsd !== undefined && { hourlyUsd: chosen.hourlyUsd }),
    candidates,
    multiAz,
    storageGb: pg.storageGb,
    maxStorageGb: pg.storageGb * 2,
    backupRetentionDays,
    database: pg.database,
    username: 'app',
    port: 5432,
    maxConnections,
    clients: [...clients, ...(migrationService ? ['migration'] : [])],
  };
}
