/**
 * AWS::RDS::DBCluster (Aurora): storage, I/O (Aurora Standard) and backup beyond the cluster's
 * size (usage); I/O-Optimized storage includes its I/O. The cluster's instances are priced on
 * their AWS::RDS::DBInstance resources. Multi-AZ DB clusters of MySQL/PostgreSQL (not Aurora)
 * are not priced.
 */
import { NotResolvable } from '../template.js';
import { type Pricer, per, usage } from './common.js';

export const rdsDbCluster: Pricer = (ctx) => {
  const p = ctx.props;
  const engine = p.str('Engine');
  if (!engine) throw new NotResolvable('Engine', 'not set');
  if (!engine.startsWith('aurora'))
    throw new NotResolvable(
      'Engine',
      `${engine}: Multi-AZ DB clusters (not Aurora) are not in the price book`,
    );
  const u = ctx.usage;
  const iopt = p.str('StorageType', 'aurora') === 'aurora-iopt1';
  const notes = ['the cluster’s instances are priced on their AWS::RDS::DBInstance resources'];
  if (p.str('EngineMode', 'provisioned') === 'serverless')
    notes.push('Aurora Serverless v1 is billed per ACU-hour (not priced; it has reached end of life)');
  return {
    components: [
      usage(
        `Storage (Aurora ${iopt ? 'I/O-Optimized' : 'Standard'})`,
        'GB-months',
        u.storageGb,
        'aurora',
        iopt ? 'iopt_storage_gb_month' : 'standard_storage_gb_month',
      ),
      ...(iopt
        ? []
        : [usage('I/O requests', '1M I/Os', per(u.ioRequests, 1e6), 'aurora', 'standard_io_per_million')]),
      usage(
        'Backup storage (beyond the cluster’s size)',
        'GB-months',
        u.backupStorageGb,
        'aurora',
        'backup_gb_month',
      ),
    ],
    notes,
  };
};
