/**
 * The lean tier's storage: the access-log bucket, the backup bucket (retention by lifecycle), the
 * artifacts bucket CI uploads static bundles to, and the app's own buckets (`buckets:`).
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import { Duration, type Stack, type aws_s3 as s3 } from 'aws-cdk-lib';
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
    this.backupBucket = new PrivateBucket(stack, 'Backups', {
      logBucket,
      logPrefix: 'backup-bucket/',
      noReplicationReason:
        'backups are a second copy of the data on the instance; a replica in another region would double their cost, and the lean tier accepts a regional outage',
      lifecycleRules: [
        {
          id: 'backup-retention',
          prefix: lean.backup.prefix,
          expiration: Duration.days(lean.backup.retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
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
          lifecycleRules: [{ id: 'old-bundles', noncurrentVersionExpiration: Duration.days(30) }],
        }).bucket
      : undefined;
    // The app's own buckets (`buckets:`), named in the stack env file as BUCKET_<KEY>.
    this.appBuckets = new AppBuckets(stack, 'Buckets', { buckets: lean.buckets, logBucket });
  }
}
