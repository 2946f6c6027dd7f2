/**
 * Buckets every tier uses: private, encrypted, TLS-only, versioned, with access logs. The log
 * bucket receives server access logs and VPC flow logs; it cannot log to itself.
 */
import { Duration, RemovalPolicy, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../nag.js';
import { kmsKeyMonthly } from './quotes.js';

/** Why SSE-S3 and not a customer-managed key, with the key's price from the plan. */
function sseS3Reason(scope: Construct): string {
  return `SSE-S3 (AES-256) encrypts every object; a customer-managed KMS key would add ${kmsKeyMonthly(scope)} plus per-request charges and a key policy to run, for data only this app reads`;
}

export interface LogBucketProps {
  /** Days log objects are kept. @default 90 */
  readonly retentionDays?: number;
}

/** Destination of server access logs and flow logs. */
export class LogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(props.retentionDays ?? 90),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    acknowledgeAll(
      this.bucket,
      ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
      'this is the access-log bucket itself; logging it to itself would loop, and a second log bucket would only move the problem',
    );
    acknowledge(
      this.bucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'logs expire after their retention; cross-region replication would double their storage for data that is diagnostic only',
    );
    acknowledge(this.bucket, 'NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3Reason(this));
    acknowledge(
      this.bucket,
      'CT.S3.PR.9',
      'server access logs and flow logs expire after their retention by lifecycle rule; Object Lock would keep every delivered log object past a deletion, for diagnostic data only',
    );
    acknowledge(
      this.bucket,
      'CT.S3.PR.4',
      noEventsReason('access logs and flow logs, read only when investigating'),
    );
  }
}

/** Why a bucket sends no event notifications: nothing in the design reacts to its objects. */
function noEventsReason(holds: string): string {
  return `holds ${holds}; no part of the app reacts to its object changes, and a notification configuration (EventBridge or a queue) would be written by an aws-cdk-lib custom-resource function with nothing subscribed`;
}

export interface PrivateBucketProps {
  /** Bucket receiving this bucket's server access logs. */
  readonly logBucket: s3.IBucket;
  /** Prefix of this bucket's access logs in the log bucket. */
  readonly logPrefix: string;
  /** Lifecycle rules (retention is enforced here, never by scripts). @default none */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /** Keep the bucket (and its data) when the stack is deleted. @default true */
  readonly retain?: boolean;
  /** Why this bucket is not replicated to another region (shown to reviewers). */
  readonly noReplicationReason: string;
  /** Keep old versions of objects. @default true */
  readonly versioned?: boolean;
  /**
   * S3 Object Lock default retention: every new object version is locked this long. Object Lock
   * needs versioning (contradicts `versioned: false`) and is enabled when the bucket is created.
   * @default no Object Lock
   */
  readonly objectLock?: s3.ObjectLockRetention;
  /** Why the bucket has no Object Lock (AWS Control Tower CT.S3.PR.9); required without `objectLock`. */
  readonly noObjectLockReason?: string;
  /** What the bucket holds, for the reason it sends no event notifications (CT.S3.PR.4). */
  readonly holds: string;
}

/** A private, encrypted, TLS-only, versioned (unless asked otherwise) bucket with access logs. */
export class PrivateBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    if (props.objectLock && props.versioned === false) {
      throw new Error(`${this.node.path}: S3 Object Lock needs versioning; remove versioned: false`);
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: props.versioned ?? true,
      ...(props.objectLock && { objectLockEnabled: true, objectLockDefaultRetention: props.objectLock }),
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: props.logPrefix,
      removalPolicy: props.retain === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      lifecycleRules: props.lifecycleRules ?? [],
    });
    acknowledge(this.bucket, 'NIST.800.53.R5-S3BucketReplicationEnabled', props.noReplicationReason);
    acknowledge(this.bucket, 'NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3Reason(this));
    if (!props.objectLock) {
      if (!props.noObjectLockReason) {
        throw new Error(`${this.node.path}: a bucket without Object Lock needs noObjectLockReason`);
      }
      acknowledge(this.bucket, 'CT.S3.PR.9', props.noObjectLockReason);
    }
    acknowledge(this.bucket, 'CT.S3.PR.4', noEventsReason(props.holds));
  }
}
