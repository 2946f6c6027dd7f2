/**
 * The buckets a manifest declares for the app (uploads, model files…): private, encrypted,
 * TLS-only, access-logged, retained with the stack, and handed to services by name.
 */
import { Duration, aws_iam as iam, Stack, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { PrivateBucket } from './buckets.js';

export interface AppBucketsProps {
  /** One bucket per key. */
  readonly buckets: ReadonlyArray<{
    readonly key: string;
    readonly versioned: boolean;
    readonly purpose?: string;
    /** Expected GB stored (priced through `storageUsage()`). */
    readonly storageGb?: number;
  }>;
  /** Bucket receiving their server access logs. */
  readonly logBucket: s3.IBucket;
}

export class AppBuckets extends Construct {
  /** Buckets by manifest key. */
  public readonly byKey = new Map<string, s3.Bucket>();
  private readonly props: AppBucketsProps;

  constructor(scope: Construct, id: string, props: AppBucketsProps) {
    super(scope, id);
    this.props = props;
    for (const b of props.buckets) {
      const bucket = new PrivateBucket(this, b.key, {
        logBucket: props.logBucket,
        logPrefix: `app-buckets/${b.key}/`,
        versioned: b.versioned,
        noObjectLockReason: `${b.purpose ?? `the app's ${b.key} bucket`}: the app replaces and deletes its objects${b.versioned ? ', and old versions are kept 30 days' : ''}; Object Lock would refuse those deletes for the lock period and cannot be turned off once the bucket exists`,
        holds: b.purpose ?? `the app's ${b.key} objects`,
        noReplicationReason: `${b.purpose ?? `the app's ${b.key} bucket`}: S3 stores objects in at least three AZs; a copy in another region doubles storage for a regional outage the tier does not design for`,
        lifecycleRules: b.versioned
          ? [
              { id: 'old-versions', noncurrentVersionExpiration: Duration.days(30) },
              { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
            ]
          : [{ id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      }).bucket;
      if (!b.versioned) {
        acknowledge(
          bucket,
          'NIST.800.53.R5-S3BucketVersioningEnabled',
          `the manifest sets versioned: false for ${b.key}: objects are replaced in place and old copies are not kept`,
        );
      }
      this.byKey.set(b.key, bucket);
    }
  }

  /**
   * The storage the manifest expects in each bucket, by the bucket's logical id: usage for the
   * cost engine (`AWS::S3::Bucket` storageGb), which a usage file can still override.
   */
  public storageUsage(): Record<string, { storageGb: number }> {
    const out: Record<string, { storageGb: number }> = {};
    for (const b of this.props.buckets) {
      const bucket = this.byKey.get(b.key);
      if (b.storageGb === undefined || !bucket) continue;
      const cfn = bucket.node.defaultChild as s3.CfnBucket;
      out[Stack.of(this).resolve(cfn.logicalId) as string] = { storageGb: b.storageGb };
    }
    return out;
  }

  /** Read, write and delete objects and list every app bucket (services that use buckets). */
  public accessStatements(): iam.PolicyStatement[] {
    const buckets = [...this.byKey.values()];
    if (!buckets.length) return [];
    return [
      new iam.PolicyStatement({
        sid: 'AppBucketObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: buckets.map((b) => b.arnForObjects('*')),
      }),
      new iam.PolicyStatement({
        sid: 'ListAppBuckets',
        actions: ['s3:ListBucket'],
        resources: buckets.map((b) => b.bucketArn),
      }),
    ];
  }
}
