/**
 * The lean tier: one EC2 instance on Amazon Linux 2023 in a public subnet (no NAT), serving the
 * app through nginx with TLS; PostgreSQL and Redis run beside the app under Docker Compose; backups
 * go to S3. Built from the plan only: every size, name and path below comes from the lean plan.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  Aws,
  CfnOutput,
  aws_cloudwatch as cw,
  aws_cloudwatch_actions as cwActions,
  Duration,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  aws_route53 as route53,
  Stack,
  type StackProps,
  type aws_s3 as s3,
  aws_s3_assets as s3assets,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import type { Usage } from '../../price/usage.js';
import type { HostFile } from '../../render/host/contract.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { AppBuckets } from '../constructs/app-buckets.js';
import { LogBucket, PrivateBucket } from '../constructs/buckets.js';
import { GeneratedParameters } from '../constructs/generated-parameters.js';
import { detailedMonitoringMonthly, kmsKeyMonthly, setPriceQuotes } from '../constructs/quotes.js';
import { acknowledge, acknowledgeAll, acknowledgeWildcard } from '../nag.js';
import { gzippedInstaller, leanUserData } from './user-data.js';

export interface LeanStackProps extends StackProps {
  /** The plan; must contain a lean plan. */
  readonly plan: Plan;
  /** Host files rendered from the same plan (installed by user data). */
  readonly hostFiles: readonly HostFile[];
}

export const AL2023_AMI_PARAMETER = {
  arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
} as const;

export class LeanStack extends Stack {
  public readonly instance: ec2.Instance;
  public readonly backupBucket: s3.Bucket;
  public readonly alarms: cw.Alarm[] = [];
  public readonly appBuckets: AppBuckets;

  constructor(scope: Construct, id: string, props: LeanStackProps) {
    super(scope, id, props);
    const { plan } = props;
    const lean = leanPlanOf(plan);
    if (!lean)
      throw new Error(`${this.node.path}: the plan has no lean tier (it is not eligible for this manifest)`);
    setPriceQuotes(this, lean.quotes);
    const m = plan.manifest;

    // --- Storage for logs, backups and static bundles -----------------------------------------
    const logBucket = new LogBucket(this, 'AccessLogs').bucket;
    this.backupBucket = new PrivateBucket(this, 'Backups', {
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
    const artifacts = hasStatic
      ? new PrivateBucket(this, 'Artifacts', {
          logBucket,
          logPrefix: 'artifacts-bucket/',
          retain: false,
          noReplicationReason:
            'static bundles are rebuilt by CI from the repository; the repository is the copy',
          lifecycleRules: [{ id: 'old-bundles', noncurrentVersionExpiration: Duration.days(30) }],
        }).bucket
      : undefined;
    // The app's own buckets (`buckets:`), named in the stack env file as BUCKET_<KEY>.
    this.appBuckets = new AppBuckets(this, 'Buckets', { buckets: lean.buckets, logBucket });

    // --- Network: one public subnet, no NAT; rejected traffic logged -------------------------
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/24'),
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
      ],
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toS3(logBucket, 'vpc-flow-logs/'),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    // Free; lets the host reach S3 (host files, dnf repositories, backups) before its Elastic IP is attached.
    vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const subnet of vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(
          route,
          'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          'the lean host serves the internet directly from this subnet; inbound is limited by its security group to 80/443 (and 22 from the admin CIDR)',
        );
      }
    }

    const sg = new ec2.SecurityGroup(this, 'WebSecurityGroup', {
      vpc,
      description: lean.ssh.enabled
        ? 'HTTP/HTTPS from anywhere, SSH from the admin CIDR'
        : 'HTTP/HTTPS from anywhere; no SSH',
      allowAllOutbound: true,
    });
    sg.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP: redirects to HTTPS and answers ACME challenges',
    );
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    if (lean.ssh.enabled && lean.ssh.cidr) {
      sg.addIngressRule(ec2.Peer.ipv4(lean.ssh.cidr), ec2.Port.tcp(22), 'SSH from the admin CIDR only');
    }
    acknowledge(
      sg,
      'AwsSolutions-EC23',
      'a public web server: 0.0.0.0/0 is allowed on ports 80 and 443 only',
    );

    // --- Secrets, generated at deploy time --------------------------------------------------
    const secretNames = [
      ...(lean.postgres ? [lean.params.postgresPassword] : []),
      ...(lean.redis ? [lean.params.redisPassword] : []),
      ...[...new Set(m.services.flatMap((s) => s.secrets))].map((n) => `${lean.params.secrets}${n}`),
    ].sort();
    const params = new GeneratedParameters(this, 'GeneratedParameters', {
      prefix: lean.params.prefix,
      names: secretNames,
    });

    // --- Instance role: exactly what the app and its scripts use ------------------------------
    const hostLogs = new logs.LogGroup(this, 'HostLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      hostLogs,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      `nginx error and backup/monitor logs without request bodies or secrets; encrypted at rest by CloudWatch; a KMS key would add ${kmsKeyMonthly(this)}`,
    );
    const role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `lean host of ${m.name}: the app's AWS access and the host's own scripts`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    acknowledge(
      role,
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
          this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: paramPath.slice(1) }),
          params.parameterArnPattern,
        ],
      }),
    );
    wildcards.push([
      params.parameterArnPattern,
      'the app’s own parameter path: its generated secrets and release tags',
    ]);
    const backupObjects = this.backupBucket.arnForObjects(`${lean.backup.prefix}*`);
    statements.push(
      new iam.PolicyStatement({
        sid: 'WriteAndReadBackups',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [backupObjects],
      }),
      new iam.PolicyStatement({
        sid: 'ListBackups',
        actions: ['s3:ListBucket'],
        resources: [this.backupBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${lean.backup.prefix}*`] } },
      }),
    );
    wildcards.push([
      backupObjects,
      'dated backup objects under the backups/ prefix only; no delete (retention is the lifecycle rule)',
    ]);
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
    const repositories = lean.services
      .filter((s) => s.image.kind === 'ecr')
      .map(
        (s) =>
          new ecr.Repository(this, `Repository-${s.service.name}`, {
            repositoryName: s.image.kind === 'ecr' ? s.image.repository : s.service.name,
            imageScanOnPush: true,
            imageTagMutability: ecr.TagMutability.IMMUTABLE,
            encryption: ecr.RepositoryEncryption.AES_256,
            removalPolicy: RemovalPolicy.RETAIN,
            lifecycleRules: [{ description: 'keep the last 20 images', maxImageCount: 20 }],
          }),
      );
    if (repositories.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'PullAppImages',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          resources: repositories.map((r) => r.repositoryArn),
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
      statements.push(...this.appBuckets.accessStatements());
      for (const [key, bucket] of this.appBuckets.byKey) {
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
            this.formatArn({
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
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: ses.sender }),
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': ses.sender } },
        }),
      );
    }
    const hostPolicy = new iam.ManagedPolicy(this, 'HostPolicy', {
      description: `what the ${m.name} host and its containers may do in AWS`,
      roles: [role],
      statements,
    });
    for (const [resource, reason] of wildcards) acknowledgeWildcard(hostPolicy, resource, reason);
    acknowledge(
      hostPolicy,
      'AwsSolutions-IAM5[Resource::*]',
      repositories.length
        ? 'PutMetricData and ecr:GetAuthorizationToken have no resource-level permissions; metrics are limited to the app and agent namespaces by condition'
        : 'PutMetricData has no resource-level permissions; it is limited to the app and agent namespaces by condition',
    );

    // --- The host -----------------------------------------------------------------------------
    const installerDir = mkdtempSync(path.join(tmpdir(), 'stackplan-host-'));
    let hostFiles: s3assets.Asset;
    try {
      const installerFile = path.join(installerDir, 'host-files.sh.gz');
      writeFileSync(installerFile, gzippedInstaller(props.hostFiles));
      // Staged into the cloud assembly at once; `cdk deploy` publishes it to the bootstrap bucket.
      hostFiles = new s3assets.Asset(this, 'HostFiles', { path: installerFile });
    } finally {
      rmSync(installerDir, { recursive: true, force: true });
    }
    hostPolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'FetchHostFiles',
        actions: ['s3:GetObject'],
        resources: [hostFiles.bucket.arnForObjects(hostFiles.s3ObjectKey)],
      }),
    );
    const userData = leanUserData({
      installer: { bucket: hostFiles.s3BucketName, key: hostFiles.s3ObjectKey },
      stackEnv: {
        AWS_REGION: Aws.REGION,
        STACKPLAN_APP: m.name,
        STACKPLAN_STACK: Aws.STACK_NAME,
        BACKUP_BUCKET: this.backupBucket.bucketName,
        ARTIFACTS_BUCKET: artifacts?.bucketName ?? '',
        ECR_REGISTRY: `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        PARAM_PREFIX: lean.params.prefix,
        LOG_GROUP: hostLogs.logGroupName,
      },
      buckets: Object.fromEntries(
        lean.buckets.map((b) => [b.envName, this.appBuckets.byKey.get(b.key)!.bucketName]),
      ),
    });
    this.instance = new ec2.Instance(this, 'Host', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: sg,
      role,
      instanceType: new ec2.InstanceType(lean.instance.type),
      machineImage: ec2.MachineImage.resolveSsmParameterAtLaunch(AL2023_AMI_PARAMETER[lean.arch], {
        os: ec2.OperatingSystemType.LINUX,
      }),
      httpTokens: ec2.HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: false,
      ebsOptimized: true,
      userData,
      userDataCausesReplacement: false,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(lean.volumes.root.sizeGb, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
        {
          deviceName: lean.host.dataDevice,
          volume: ec2.BlockDeviceVolume.ebs(lean.volumes.data.sizeGb, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: false,
          }),
        },
      ],
    });
    const host = this.instance;
    acknowledgeAll(
      host,
      ['AwsSolutions-EC28', 'NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled'],
      `basic 5-minute EC2 metrics plus the CloudWatch agent’s memory and disk metrics are enough for one host; detailed monitoring adds ${detailedMonitoringMonthly(this)}`,
    );
    acknowledgeAll(
      host,
      ['AwsSolutions-EC29', 'NIST.800.53.R5-EC2InstanceTerminationProtection'],
      'one instance by design: status-check alarms recover it in place, its data volume survives termination, and backups are in a retained bucket; termination protection would block stack updates and deletion',
    );
    acknowledge(
      host,
      'NIST.800.53.R5-EC2InstanceNoPublicIp',
      'the lean host serves the web directly on its Elastic IP; a load balancer in front is what the ecs tier adds',
    );
    acknowledge(
      host,
      'NIST.800.53.R5-EC2EBSInBackupPlan',
      'PostgreSQL and Redis are backed up logically to S3 on the RPO schedule (restore drilled by stackplan rehearse); volume snapshots would not be transaction-consistent',
    );

    acknowledge(
      host,
      'CloudFormation-Validate::E1152',
      'ImageId is EC2’s resolve:ssm: form, resolved at launch so a new AMI never replaces the host; the schema validator only knows literal AMI ids',
    );

    const address = new ec2.CfnEIP(this, 'Address', { domain: 'vpc', instanceId: host.instanceId });

    // --- DNS ----------------------------------------------------------------------------------
    if (m.hostedZone) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: m.hostedZone.id,
        zoneName: m.hostedZone.name,
      });
      for (const name of [m.domain, ...m.aliases]) {
        new route53.ARecord(this, `Record-${name}`, {
          zone,
          recordName: `${name}.`,
          target: route53.RecordTarget.fromIpAddresses(address.attrPublicIp),
          ttl: Duration.minutes(5),
        });
      }
    }

    // --- Alarms, each with an action -----------------------------------------------------------
    const topic = new AlarmTopic(this, 'Alarms', { email: m.alarmEmail });
    const instanceDim = { InstanceId: host.instanceId };
    const add = (id: string, props: cw.AlarmProps, extra: cw.IAlarmAction[] = []): cw.Alarm => {
      const alarm = topic.notify(new cw.Alarm(this, id, props));
      for (const a of extra) alarm.addAlarmAction(a);
      this.alarms.push(alarm);
      return alarm;
    };
    add(
      'SystemStatusAlarm',
      {
        alarmDescription:
          'AWS hardware or network failed under the host: EC2 recovers the instance onto new hardware (same IP, same volumes)',
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'StatusCheckFailed_System',
          dimensionsMap: instanceDim,
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2,
      },
      [new cwActions.Ec2Action(cwActions.Ec2InstanceAction.RECOVER)],
    );
    add(
      'InstanceStatusAlarm',
      {
        alarmDescription:
          'the operating system stopped answering status checks for 3 minutes: EC2 reboots it',
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'StatusCheckFailed_Instance',
          dimensionsMap: instanceDim,
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 3,
      },
      [new cwActions.Ec2Action(cwActions.Ec2InstanceAction.REBOOT)],
    );
    add('CpuAlarm', {
      alarmDescription: 'CPU above 90% for 15 minutes: the instance type is too small for the load',
      metric: new cw.Metric({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensionsMap: instanceDim,
        statistic: 'Average',
        period: Duration.minutes(5),
      }),
      threshold: 90,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    if (lean.instance.baselineVcpu !== undefined) {
      const perHour = Math.round(lean.instance.baselineVcpu * 60);
      add('CpuCreditAlarm', {
        alarmDescription: `CPU credit balance below ${perHour * 2} (two hours of what ${lean.instance.type} earns): sustained load above baseline; unlimited mode starts charging surplus credits`,
        metric: new cw.Metric({
          namespace: 'AWS/EC2',
          metricName: 'CPUCreditBalance',
          dimensionsMap: instanceDim,
          statistic: 'Minimum',
          period: Duration.minutes(5),
        }),
        threshold: perHour * 2,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
      });
    }
    add('MemoryAlarm', {
      alarmDescription: 'memory above 90% for 10 minutes (CloudWatch agent): containers risk the OOM killer',
      metric: new cw.Metric({
        namespace: lean.metrics.agentNamespace,
        metricName: lean.metrics.memUsedPercent,
        dimensionsMap: instanceDim,
        statistic: 'Average',
        period: Duration.minutes(5),
      }),
      threshold: 90,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    for (const [id, path] of [
      ['RootDiskAlarm', '/'],
      ['DataDiskAlarm', lean.host.data],
    ] as const) {
      add(id, {
        alarmDescription: `disk ${path} above 85% full (CloudWatch agent): grow the volume before writes fail`,
        metric: new cw.Metric({
          namespace: lean.metrics.agentNamespace,
          metricName: lean.metrics.diskUsedPercent,
          dimensionsMap: { ...instanceDim, path },
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 85,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
    }
    add('BackupFreshnessAlarm', {
      alarmDescription: `no successful backup for ${lean.backup.alarmAfterHours} hours (backups run every ${lean.backup.intervalHours} h): the RPO is no longer met`,
      metric: new cw.Metric({
        namespace: lean.metrics.namespace,
        metricName: lean.metrics.backupSuccess,
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: lean.backup.alarmAfterHours,
      datapointsToAlarm: lean.backup.alarmAfterHours,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
    add('HealthAlarm', {
      alarmDescription: 'the app’s health endpoint failed (or stopped reporting) for 3 minutes',
      metric: new cw.Metric({
        namespace: lean.metrics.namespace,
        metricName: lean.metrics.healthOk,
        statistic: 'Minimum',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cw.TreatMissingData.BREACHING,
    });

    // --- Outputs -------------------------------------------------------------------------------
    new CfnOutput(this, 'Url', {
      value: `https://${m.domain}/`,
      description: 'where the app answers once DNS points here',
    });
    new CfnOutput(this, 'PublicIp', {
      value: address.attrPublicIp,
      description: 'Elastic IP of the host (point DNS here)',
    });
    new CfnOutput(this, 'InstanceId', { value: host.instanceId });
    new CfnOutput(this, 'SessionCommand', {
      value: `aws ssm start-session --region ${Aws.REGION} --target ${host.instanceId}`,
      description: 'shell on the host without SSH',
    });
    new CfnOutput(this, 'BackupBucket', { value: this.backupBucket.bucketName });
    if (artifacts) new CfnOutput(this, 'ArtifactsBucket', { value: artifacts.bucketName });
    for (const b of lean.buckets) {
      new CfnOutput(this, `Bucket-${b.key}`, {
        value: this.appBuckets.byKey.get(b.key)!.bucketName,
        description: `the app's ${b.key} bucket (${b.envName} in the services that use buckets)`,
      });
    }
    new CfnOutput(this, 'ParameterPrefix', { value: lean.params.prefix });
    for (const repo of repositories)
      new CfnOutput(this, `RepositoryUri-${repo.node.id.replace(/^Repository-/, '')}`, {
        value: repo.repositoryUri,
      });
  }
}

/** Usage only this stack can key: each app bucket's expected storage, by its logical id. */
export function leanStackUsage(stack: LeanStack): Usage {
  const resources = stack.appBuckets.storageUsage();
  return Object.keys(resources).length ? { resources } : {};
}
