/**
 * AWS::EFS::FileSystem: storage by class (usage: Standard or One Zone, and Infrequent Access),
 * Elastic throughput reads and writes (usage), or Provisioned throughput by the month.
 */
import type { CostComponent } from '../types.js';
import { monthly, type Pricer, usage } from './common.js';

export const efsFileSystem: Pricer = (ctx) => {
  const p = ctx.props;
  const u = ctx.usage;
  const notes: string[] = [];
  const oneZone = p.has('AvailabilityZoneName');
  const components: CostComponent[] = [
    usage(
      `Storage (${oneZone ? 'One Zone' : 'Standard'})`,
      'GB-months',
      u.storageGb,
      'efs',
      oneZone ? 'one_zone_gb_month' : 'standard_gb_month',
      oneZone ? {} : { meter: 'efs.standard.gb' },
    ),
  ];
  if (p.list('LifecyclePolicies').length || u.iaStorageGb !== undefined) {
    if (oneZone) notes.push('One Zone-IA storage is not in the book');
    else
      components.push(
        usage('Storage (Infrequent Access)', 'GB-months', u.iaStorageGb, 'efs', 'standard_ia_gb_month'),
      );
  }
  const mode = p.str('ThroughputMode', 'bursting');
  if (mode === 'elastic') {
    components.push(
      usage('Elastic throughput, data read', 'GB', u.readGb, 'efs', 'elastic_read_gb'),
      usage('Elastic throughput, data written', 'GB', u.writeGb, 'efs', 'elastic_write_gb'),
    );
  } else if (mode === 'provisioned') {
    const mibps = p.num('ProvisionedThroughputInMibps', 0);
    components.push(
      monthly(
        `Provisioned throughput (${mibps} MiB/s)`,
        'MiB/s-months',
        mibps,
        'efs',
        'provisioned_mibps_month',
      ),
    );
    notes.push(
      'Provisioned throughput is billed only above what the Standard storage includes: priced in full here',
    );
  } else notes.push('Bursting throughput: included in the storage price');
  return { components, notes };
};
