/**
 * AWS Backup. AWS::Backup::BackupPlan is free: the backups it takes are billed as storage in
 * their vault. AWS::Backup::BackupVault: warm storage by the kind of resource backed up and cold
 * storage (usage); without usage, one line at the EBS/EFS warm rate says what a GB costs.
 */
import type { CostComponent } from '../types.js';
import { type Pricer, usage } from './common.js';

export const backupPlan: Pricer = (ctx) => {
  const cold = ctx.props
    .subs('BackupPlan.BackupPlanRule')
    .some((r) => r.has('Lifecycle.MoveToColdStorageAfterDays'));
  return {
    components: [],
    free: `the plan itself is free; its backups are priced as storage in their vault${cold ? ' (some move to cold storage)' : ''}`,
  };
};

const KINDS: Array<[key: string, label: string, item: string]> = [
  ['ebsWarmGb', 'EBS snapshots', 'ebs_warm_gb_month'],
  ['efsWarmGb', 'EFS', 'efs_warm_gb_month'],
  ['rdsWarmGb', 'RDS snapshots', 'rds_warm_gb_month'],
  ['dynamodbWarmGb', 'DynamoDB', 'dynamodb_warm_gb_month'],
  ['s3WarmGb', 'S3', 's3_warm_gb_month'],
];

export const backupVault: Pricer = (ctx) => {
  const u = ctx.usage;
  const components: CostComponent[] = [];
  for (const [key, label, item] of KINDS) {
    if (u[key] !== undefined)
      components.push(usage(`Warm storage (${label})`, 'GB-months', u[key], 'backup', item));
  }
  if (u.coldGb !== undefined)
    components.push(usage('Cold storage', 'GB-months', u.coldGb, 'backup', 'cold_gb_month'));
  if (components.length === 0) {
    components.push(
      usage('Warm storage (EBS snapshots, EFS)', 'GB-months', undefined, 'backup', 'ebs_warm_gb_month'),
    );
    return {
      components,
      notes: [
        'give the GB backed up by kind: ebsWarmGb, efsWarmGb, rdsWarmGb, dynamodbWarmGb, s3WarmGb, coldGb',
      ],
    };
  }
  return { components };
};
