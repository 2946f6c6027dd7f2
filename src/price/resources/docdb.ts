/**
 * Amazon DocumentDB. AWS::DocDB::DBInstance: instance hours by class (the cluster's instances are
 * each a resource). AWS::DocDB::DBCluster: storage, I/O and backup storage beyond the cluster's
 * size (usage); I/O-Optimized clusters have other prices, not in the book.
 */
import { NotResolvable } from '../template.js';
import { hourly, type Pricer, per, usage } from './common.js';

export const docDbInstance: Pricer = (ctx) => {
  const cls = ctx.props.str('DBInstanceClass');
  if (!cls) throw new NotResolvable('DBInstanceClass', 'not set');
  return {
    components: [hourly(`Instance (on-demand, ${cls})`, 'hours', 1, 'docdb', `instance:${cls}`)],
  };
};

export const docDbCluster: Pricer = (ctx) => {
  const u = ctx.usage;
  const ioOptimized = ctx.props.str('StorageType', 'standard') === 'iopt1';
  const item = (k: string) => (ioOptimized ? `iopt1_${k}` : k);
  const components = [
    usage('Storage', 'GB-months', u.storageGb, 'docdb', item('storage_gb_month')),
    ...(ioOptimized
      ? []
      : [usage('I/O requests', '1M I/Os', per(u.ioRequests, 1e6), 'docdb', 'io_per_million')]),
    usage(
      'Backup storage (beyond the cluster’s size)',
      'GB-months',
      u.backupStorageGb,
      'docdb',
      'backup_gb_month',
    ),
  ];
  return {
    components,
    notes: ['the cluster’s instances are priced on their AWS::DocDB::DBInstance resources'],
  };
};
