/**
 * The lean tier's storage: the access-log bucket, the backup bucket (immutable for the retention:
 * S3 Object Lock, and a lifecycle that keeps old versions as long; see HostAccess for the bucket
 * policy that denies the host every way around it), the
 * artifacts bucket CI uploads static bundles to, and the app's own buckets (`buckets:`).
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import { Duration, type Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import type { LeanPlan } from '../../../model/lean.js';
import { AppBuckets } from '../../constructs/app-buckets.js';
import { LogBucket, PrivateBucket } from '../../constructs/buckets.js';

export class HostStorage {
  public readonly logBucket: s3.Bucket;
  public readonly backupBucket: s3.Bucket;
  /** Static bundles CI uploads (only when the app has a static service). */
  public readonly artifacts?: s3.Bucket;
  /** The app's buckets, named in the stack env file as BUCKET_<KEY>. */
  public readonly appBuckets: AppBuckets;

  constructor(stack: Stack, lean: LeanPlan) {
    this.logBucket = new LogBucket(stack, 'AccessLogs').bucket;
    const logBucket = this.logBucket;
    const retention = Duration.days(lean.backup.retentionDays);
    this.backupBucket = new PrivateBucket(stack, 'Backups', {
      logBucket,
      logPrefix: 'backup-bucket/',
      // Every version of every backup object is locked for the retention from the moment it is
      // written: overwriting a key only adds a version, and no delete (by the host, the lifecycle
      // or anyone without s3:BypassGovernanceRetention) removes a locked version. Governance mode,
      // not compliance: an administrator can still lift a wrong lock on purpose (BACKUP_LOCK_MODE
      // in src/tiers/lean/plan/backup.ts says why).
      objectLock:
        lean.backup.lockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      noReplicationReason:
        'backups are a second copy of the data on the instance; a replica in another region would double their cost, and the lean tier accepts a regional outage',
      holds: 'database and volume backups written by the host on a timer and read by restores',
      lifecycleRules: [
        {
          id: 'backup-retention',
          prefix: lean.backup.prefix,
          expiration: retention,
          // A version made noncurrent (by an overwrite, or by the expiration above) is kept as long
          // again: after a compromise, every backup the attacker overwrote stays restorable for the
          // full retention from the attack, not only until its own lock runs out.
          noncurrentVersionExpiration: retention,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'clean-delete-markers', expiredObjectDeleteMarker: true },
      ],
    }).bucket;
    const hasStatic = lean.services.some((s) => s.service.kind === 'static');
    this.artifacts = hasStatic
      ? new PrivateBucket(stack, 'Artifacts', {
          logBucket,
          logPrefix: 'artifacts-bucket/',
          retain: false,
          noReplicationReason:
            'static bundles are rebuilt by CI from the repository; the repository is the copy',
          noObjectLockReason:
            'each deploy uploads a new static bundle the host syncs and old versions expire after 30 days; the repository is the record, so locking versions would only keep stale bundles',
          holds: 'the static bundles CI uploads for the host to sync',
          lifecycleRules: [{ id: 'old-bundles', noncurrentVersionExpiration: Duration.days(30) }],
        }).bucket
      : undefined;
    // The app's own buckets (`buckets:`), named in the stack env file as BUCKET_<KEY>.
    this.appBuckets = new AppBuckets(stack, 'Buckets', { buckets: lean.buckets, logBucket });
  }
}
