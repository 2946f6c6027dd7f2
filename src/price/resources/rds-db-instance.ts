/**
 * AWS::RDS::DBInstance: instance hours by class, engine and Single/Multi-AZ; storage by type and
 * size; backup storage beyond the free amount (usage). Aurora instances: hours only (storage is
 * the cluster's). A read replica (`SourceDBInstanceIdentifier`) takes what it does not set —
 * engine, class, storage — from its source: the source's resource when it is in the template,
 * else the `properties` a usage file gives for the replica.
 */
import { NotResolvable, type Props } from '../template.js';
import type { CostComponent } from '../types.js';
import { ctxProps, hourly, monthly, type Pricer, type PricerContext, usage } from './common.js';

const ENGINES: Record<string, [string, string]> = {
  postgres: ['postgres', 'PostgreSQL'],
  mysql: ['mysql', 'MySQL'],
  mariadb: ['mariadb', 'MariaDB'],
  'aurora-postgresql': ['aurora-postgresql', 'Aurora PostgreSQL'],
  'aurora-mysql': ['aurora-mysql', 'Aurora MySQL'],
  aurora: ['aurora-mysql', 'Aurora MySQL'],
};

/** The chain of sources of a read replica in the template (nearest first), and whether it ends outside. */
function replicaSources(ctx: PricerContext): { sources: Props[]; names: string[]; external?: string } {
  const sources: Props[] = [];
  const names: string[] = [];
  let p = ctx.props;
  for (let depth = 0; depth < 5 && p.has('SourceDBInstanceIdentifier'); depth++) {
    const id = p.ref('SourceDBInstanceIdentifier');
    if (!id || ctx.index.resource(id)?.Type !== 'AWS::RDS::DBInstance') {
      let external: string;
      try {
        external = p.str('SourceDBInstanceIdentifier', '?');
      } catch (e) {
        external = (e as NotResolvable).why ?? 'an unresolvable value';
      }
      return { sources, names, external };
    }
    names.push(id);
    p = ctxProps(ctx, id)!;
    sources.push(p);
  }
  return { sources, names };
}

export const rdsDbInstance: Pricer = (ctx) => {
  const own = ctx.props;
  const notes: string[] = [];
  const replica = own.has('SourceDBInstanceIdentifier') ? replicaSources(ctx) : undefined;
  const fill = `properties.${ctx.logicalId}`;
  /** A property of the instance, or of its nearest source that sets it. */
  const p = {
    str(path: string): string | undefined {
      for (const x of [own, ...(replica?.sources ?? [])]) if (x.has(path)) return x.str(path);
      return undefined;
    },
    num(path: string): number | undefined {
      for (const x of [own, ...(replica?.sources ?? [])]) if (x.has(path)) return x.num(path);
      return undefined;
    },
  };
  const missing = (prop: string, otherwise: string): NotResolvable =>
    replica?.external !== undefined
      ? new NotResolvable(
          prop,
          `the read replica's source ${replica.external} is not in this template; give its Engine, DBInstanceClass and AllocatedStorage under ${fill} in a usage file`,
        )
      : new NotResolvable(prop, otherwise);
  if (replica) {
    notes.push(
      replica.names.length
        ? `read replica of ${replica.names.join(' ← ')}: engine, class and storage from it unless set here`
        : `read replica of ${replica.external}, outside this template`,
    );
  }
  const cls = p.str('DBInstanceClass');
  if (!cls) throw missing('DBInstanceClass', 'not set');
  const raw = p.str('Engine');
  if (!raw)
    throw missing('Engine', `not set (restored from a snapshot?); give it under ${fill} in a usage file`);
  const [engine, label] = ENGINES[raw.toLowerCase()] ?? [raw.toLowerCase(), raw];
  const aurora = engine.startsWith('aurora');
  if (aurora && cls === 'db.serverless') return auroraServerlessV2(ctx, label, notes);
  const multiAz = !aurora && own.bool('MultiAZ', false);
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
  if (size === undefined) throw missing('AllocatedStorage', 'not set');
  let storage = p.str('StorageType');
  if (!storage) {
    storage = p.num('Iops') !== undefined ? 'io1' : 'gp3';
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
  // Replicas keep no automated backups unless BackupRetentionPeriod says so.
  if (own.num('BackupRetentionPeriod', replica ? 0 : 1) > 0) {
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

/**
 * An Aurora Serverless v2 instance (`db.serverless`): ACU-hours, by default the cluster's minimum
 * capacity (what it costs idle), or `acus` from usage.
 */
function auroraServerlessV2(ctx: PricerContext, label: string, notes: string[]) {
  const clusterId = ctx.props.ref('DBClusterIdentifier');
  const cluster = clusterId ? ctxProps(ctx, clusterId) : undefined;
  const min = cluster?.num('ServerlessV2ScalingConfiguration.MinCapacity');
  const iopt = cluster?.str('StorageType', 'aurora') === 'aurora-iopt1';
  let acus = ctx.usage.acus;
  if (acus !== undefined) notes.push(`${acus} ACUs on average (usage)`);
  else if (min !== undefined) {
    acus = min;
    notes.push(`priced at the cluster's minimum capacity, ${min} ACUs: give acus in usage for the average`);
  }
  return {
    components: [
      usage(
        `Aurora Serverless v2 capacity (${label}${iopt ? ', I/O-Optimized' : ''})`,
        'ACU-hours',
        acus === undefined ? undefined : acus * 730,
        'aurora',
        iopt ? 'serverless_v2_iopt_acu_hour' : 'serverless_v2_acu_hour',
      ),
    ],
    notes,
  };
}
