/**
 * What the lean host may do in AWS: the app's generated secrets (SSM SecureString parameters), the
 * host's log group, its ECR repositories, and the instance role with exactly what the app and the
 * host's scripts use — its parameter path, the backups prefix, the static bundles, the app buckets
 * (when a service uses them), the named Bedrock models, SES from the sender, its logs and metrics.
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import { aws_ecr as ecr, aws_iam as iam, aws_logs as logs, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type { Manifest } from '../../../manifest/normalize.js';
import type { LeanPlan } from '../../../model/lean.js';
import { GeneratedParameters } from '../../constructs/generated-parameters.js';
import { logRetentionOf } from '../../constructs/log-retention.js';
import { kmsKeyMonthly } from '../../constructs/quotes.js';
import { acknowledge, acknowledgeWildcard } from '../../nag.js';
import type { HostStorage } from './storage.js';

/**
 * What the host role may never do to the backup bucket, denied in its bucket policy: delete an
 * object or a version, lift or shorten a lock, or change what keeps the backups (the Object Lock
 * configuration, lifecycle, versioning, replication, the policy itself, the bucket).
 */
export const HOST_DENIED_BACKUP_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutReplicationConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
] as const;

export class HostAccess {
  /** The app's secrets, generated at deploy time under its parameter path. */
  public readonly parameters: GeneratedParameters;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;
  /** The host's customer-managed policy (the stack adds what only it knows, e.g. its host files). */
  public readonly policy: iam.ManagedPolicy;
  /** ECR repositories of the services built from source. */
  public readonly repositories: ecr.Repository[];

  constructor(stack: Stack, m: Manifest, lean: LeanPlan, storage: HostStorage) {
    const secretNames = [
      ...(lean.postgres ? [lean.params.postgresPassword] : []),
      ...(lean.redis ? [lean.params.redisPassword] : []),
      ...[...new Set(m.services.flatMap((s) => s.secrets))].map((n) => `${lean.params.secrets}${n}`),
    ].sort();
    this.parameters = new GeneratedParameters(stack, 'GeneratedParameters', {
      prefix: lean.params.prefix,
      names: secretNames,
    });
    this.logGroup = new logs.LogGroup(stack, 'HostLogs', {
      retention: logRetentionOf(stack),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const hostLogs = this.logGroup;
    acknowledge(
      hostLogs,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      `nginx error and backup/monitor logs without request bodies or secrets; encrypted at rest by CloudWatch; a KMS key would add ${kmsKeyMonthly(stack)}`,
    );
    this.role = new iam.Role(stack, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `lean host of ${m.name}: the app's AWS access and the host's own scripts`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'AWS-maintained minimum for Session Manager, which replaces SSH; writing it by hand would miss its updates',
    );
    const paramPath = lean.params.prefix.replace(/\/$/, '');
    const statements: iam.PolicyStatement[] = [];
    const wildcards: Array<[string, string]> = [];
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadOwnParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: paramPath.slice(1) }),
          this.parameters.parameterArnPattern,
        ],
      }),
    );
    wildcards.push([
      this.parameters.parameterArnPattern,
      'the app’s own parameter path: its generated secrets and release tags',
    ]);
    // The backups must outlive a compromised host. The role may only put, get and list them (below);
    // the bucket policy also denies it, explicitly, everything that could destroy or shorten them,
    // so a broader policy attached to the role later (AmazonS3FullAccess …) cannot either.
    storage.backupBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'HostCannotDestroyBackups',
        effect: iam.Effect.DENY,
        principals: [new iam.ArnPrincipal(this.role.roleArn)],
        actions: [...HOST_DENIED_BACKUP_ACTIONS],
        resources: [storage.backupBucket.bucketArn, storage.backupBucket.arnForObjects('*')],
      }),
    );
    // stackplan-release records each released tag (SSM keeps every version: the release history).
    const releaseTags = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${paramPath.slice(1)}/release/*`,
    });
    statements.push(
      new iam.PolicyStatement({
        sid: 'RecordReleases',
        actions: ['ssm:PutParameter'],
        resources: [releaseTags],
      }),
    );
    wildcards.push([releaseTags, 'one release-tag parameter per service, written by stackplan-release']);
    const backupObjects = storage.backupBucket.arnForObjects(`${lean.backup.prefix}*`);
    statements.push(
      new iam.PolicyStatement({
        sid: 'WriteAndReadBackups',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [backupObjects],
      }),
      new iam.PolicyStatement({
        sid: 'ListBackups',
        actions: ['s3:ListBucket'],
        resources: [storage.backupBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${lean.backup.prefix}*`] } },
      }),
    );
    wildcards.push([
      backupObjects,
      'dated backup objects under the backups/ prefix only; no delete (Object Lock and the lifecycle rule keep them for the retention)',
    ]);
    const artifacts = storage.artifacts;
    if (artifacts) {
      const bundles = artifacts.arnForObjects('static/*');
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadStaticBundles',
          actions: ['s3:GetObject'],
          resources: [bundles],
        }),
        new iam.PolicyStatement({
          sid: 'ListStaticBundles',
          actions: ['s3:ListBucket'],
          resources: [artifacts.bucketArn],
          conditions: { StringLike: { 's3:prefix': ['static/*'] } },
        }),
      );
      wildcards.push([bundles, 'read-only access to the static bundles CI uploads under static/']);
    }
    statements.push(
      new iam.PolicyStatement({
        sid: 'PublishMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'cloudwatch:namespace': [lean.metrics.namespace, lean.metrics.agentNamespace] },
        },
      }),
    );
    const logStreams = `${hostLogs.logGroupArn}:*`;
    statements.push(
      new iam.PolicyStatement({
        sid: 'ShipHostLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [hostLogs.logGroupArn, logStreams],
      }),
    );
    wildcards.push([logStreams, 'log streams of the host’s own log group, named by the CloudWatch agent']);
    this.repositories = lean.services
      .filter((s) => s.image.kind === 'ecr')
      .map(
        (s) =>
          new ecr.Repository(stack, `Repository-${s.service.name}`, {
            repositoryName: s.image.kind === 'ecr' ? s.image.repository : s.service.name,
            imageScanOnPush: true,
            imageTagMutability: ecr.TagMutability.IMMUTABLE,
            encryption: ecr.RepositoryEncryption.AES_256,
            removalPolicy: RemovalPolicy.RETAIN,
            lifecycleRules: [{ description: 'keep the last 20 images', maxImageCount: 20 }],
          }),
      );
    if (this.repositories.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'PullAppImages',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          resources: this.repositories.map((r) => r.repositoryArn),
        }),
        new iam.PolicyStatement({
          sid: 'RegistryLogin',
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        }),
      );
    }
    // App buckets: only when a service uses them, and only those buckets (the relay hands the
    // role's credentials to exactly the containers that use AWS).
    const bucketUsers = lean.services.filter((s) => s.service.uses.includes('buckets'));
    if (bucketUsers.length) {
      statements.push(...storage.appBuckets.accessStatements());
      for (const [key, bucket] of storage.appBuckets.byKey) {
        wildcards.push([
          bucket.arnForObjects('*'),
          `objects of the app's ${key} bucket, which ${bucketUsers.map((s) => s.service.name).join(' and ')} read${bucketUsers.length === 1 ? 's' : ''} and write${bucketUsers.length === 1 ? 's' : ''} by key at run time`,
        ]);
      }
    }
    const bedrockModels = m.integrations.bedrock?.models ?? [];
    if (bedrockModels.length && m.services.some((s) => s.uses.includes('bedrock'))) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'InvokeNamedModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: bedrockModels.map((model) =>
            stack.formatArn({
              service: 'bedrock',
              account: '',
              resource: 'foundation-model',
              resourceName: model.id,
            }),
          ),
        }),
      );
    }
    const ses = m.integrations.ses;
    if (ses && m.services.some((s) => s.uses.includes('ses'))) {
      const senderDomain = ses.sender.split('@')[1]!;
      statements.push(
        new iam.PolicyStatement({
          sid: 'SendFromSender',
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: ses.sender }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': ses.sender } },
        }),
      );
    }
    this.policy = new iam.ManagedPolicy(stack, 'HostPolicy', {
      description: `what the ${m.name} host and its containers may do in AWS`,
      roles: [this.role],
      statements,
    });
    for (const [resource, reason] of wildcards) acknowledgeWildcard(this.policy, resource, reason);
    acknowledge(
      this.policy,
      'AwsSolutions-IAM5[Resource::*]',
      this.repositories.length
        ? 'PutMetricData and ecr:GetAuthorizationToken have no resource-level permissions; metrics are limited to the app and agent namespaces by condition'
        : 'PutMetricData has no resource-level permissions; it is limited to the app and agent namespaces by condition',
    );
  }
}
