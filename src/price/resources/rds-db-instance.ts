/**
 * AWS::RDS::DBInstance: instance hours by class, engine and Single/Multi-AZ; storage by type and
 * size; backup storage beyond the free amount (usage). Aurora instances: hours only (storage is
 * the cluster's).
 */
import { NotResolvable } from '../template.js';
import type { CostComponent } from '../types.js';
import { hourly, monthly, type Pricer, usage } from './common.js';

const ENGINES: Record<string, [string, string]> = {
  postgres: ['postgres', 'PostgreSQL'],
  mysql: ['mysql', 'MySQL'],
  mariadb: ['mariadb', 'MariaDB'],
  'aurora-postgresql': ['aurora-postgresql', 'Aurora PostgreSQL'],
  'aurora-mysql': ['aurora-mysql', 'Aurora MySQL'],
  aurora: ['aurora-mysql', 'Aurora MySQL'],
};

export const rdsDbInstance: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const cls = p.str('DBInstanceClass');
  if (!cls) throw new NotResolvable('DBInstanceClass', 'not set');
  const raw = p.str('Engine');
  if (!raw) throw new NotResolvable('Engine', 'not set (restored from a snapshot?)');
  const [engine, label] = ENGINES[raw.toLowerCase()] ?? [raw.toLowerCase(), raw];
  const aurora = engine.startsWith('aurora');
  const multiAz = !aurora && p.bool('MultiAZ', false);
  const dep = multiAz ? 'multi-az' : 'single-az';
  const depLabel = multiAz ? 'Multi-AZ' : 'Single-AZ';
  const components: CostComponent[] = [
    hourly(
      `Database instance (${label}, ${aurora ? 'Aurora' : depLabel}, on-demand, ${cls})`,
      'hours',
      1,
      'rds',
      `instance:${cls}:${engine}:${dep}`,
      {
        meter: `rds.hours:${cls}:${engine}:${dep}`,
        savings: { kind: 'rds', type: cls, engine, deployment: dep },
      },
    ),
  ];
  if (aurora) {
    notes.push('Aurora storage and I/O are billed on the cluster (not priced)');
    return { components, notes };
  }
  const size = p.num('AllocatedStorage');
  if (size === undefined) throw new NotResolvable('AllocatedStorage', 'not set');
  let storage = p.str('StorageType');
  if (!storage) {
    storage = p.has('Iops') ? 'io1' : 'gp3';
    notes.push(`StorageType not set: RDS's default is ${storage}`);
  }
  const s = storage.toLowerCase();
  const depKey = multiAz ? 'multi_az' : 'single_az';
  // The book's RDS storage prices are the PostgreSQL page's; MySQL and MariaDB list the same rates.
  const storageNote = engine === 'postgres' ? undefined : 'storage priced at the RDS for PostgreSQL rate';
  components.push(
    monthly(
      `Storage (${s}, ${depLabel})`,
      'GB-months',
      size,
      'rds_postgresql_storage',
      `${s}_${depKey}_gb_month`,
      {
        meter: `rds.storage.gb:${s}:${dep}`,
        ...(storageNote && { note: storageNote }),
      },
    ),
  );
  const iops = p.num('Iops');
  if (s === 'gp3' && iops !== undefined && iops > 3000 && size >= 400) {
    components.push(
      monthly(
        `Provisioned IOPS (gp3, above 3,000, ${depLabel})`,
        'IOPS-months',
        iops - 3000,
        'rds_postgresql_storage',
        `gp3_iops_${depKey}_month`,
      ),
    );
  } else if ((s === 'io1' || s === 'io2') && iops !== undefined) {
    components.push(
      monthly(
        `Provisioned IOPS (${s}, ${depLabel})`,
        'IOPS-months',
        iops,
        'rds_postgresql_storage',
        `${s}_iops_${depKey}_month`,
      ),
    );
  }
  if (p.num('BackupRetentionPeriod', 1) > 0) {
    components.push(
      usage(
        'Backup storage (beyond provisioned storage)',
        'GB-months',
        ctx.usage.backupStorageGb,
        'rds_postgresql_storage',
        'backup_gb_month',
        {
          meter: 'rds.backup.gb',
        },
      ),
    );
  }
  return { components, notes };
};
