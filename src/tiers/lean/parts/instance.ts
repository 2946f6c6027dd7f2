/**
 * The lean host itself: the rendered host files as a content-addressed asset that user data
 * installs at every boot, the instance (Amazon Linux 2023 resolved at launch, IMDSv2 with hop limit
 * 1, encrypted gp3 root and data volumes, the data volume kept on termination), its Elastic IP, and
 * A records in the hosted zone when the manifest names one.
 * A part of LeanStack, not a construct of its own: its resources are created in the stack's scope,
 * so their logical ids stay those the lean tier has always had (a changed id replaces a real
 * resource: a new Elastic IP, an empty bucket).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  Aws,
  Duration,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_route53 as route53,
  type Stack,
  aws_s3_assets as s3assets,
} from 'aws-cdk-lib';
import type { Manifest } from '../../../manifest/normalize.js';
import type { LeanPlan } from '../../../model/lean.js';
import type { HostFile } from '../../../render/host/contract.js';
import { detailedMonitoringMonthly } from '../../constructs/quotes.js';
import { acknowledge, acknowledgeAll } from '../../nag.js';
import { gzippedInstaller, leanUserData } from '../user-data.js';
import type { HostAccess } from './access.js';
import type { HostNetwork } from './network.js';
import type { HostStorage } from './storage.js';

export const AL2023_AMI_PARAMETER = {
  arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
} as const;

export interface HostInstanceProps {
  /** Host files rendered from the same plan (installed by user data). */
  readonly hostFiles: readonly HostFile[];
  readonly storage: HostStorage;
  readonly network: HostNetwork;
  readonly access: HostAccess;
}

export class HostInstance {
  public readonly instance: ec2.Instance;
  /** The Elastic IP the app answers on (point DNS here). */
  public readonly address: ec2.CfnEIP;

  constructor(stack: Stack, m: Manifest, lean: LeanPlan, props: HostInstanceProps) {
    const { storage, network, access } = props;
    const installerDir = mkdtempSync(path.join(tmpdir(), 'stackplan-host-'));
    let hostFiles: s3assets.Asset;
    try {
      const installerFile = path.join(installerDir, 'host-files.sh.gz');
      writeFileSync(installerFile, gzippedInstaller(props.hostFiles));
      // Staged into the cloud assembly at once; `cdk deploy` publishes it to the bootstrap bucket.
      hostFiles = new s3assets.Asset(stack, 'HostFiles', { path: installerFile });
    } finally {
      rmSync(installerDir, { recursive: true, force: true });
    }
    access.policy.addStatements(
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
        BACKUP_BUCKET: storage.backupBucket.bucketName,
        ARTIFACTS_BUCKET: storage.artifacts?.bucketName ?? '',
        ECR_REGISTRY: `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        PARAM_PREFIX: lean.params.prefix,
        LOG_GROUP: access.logGroup.logGroupName,
      },
      buckets: Object.fromEntries(
        lean.buckets.map((b) => [b.envName, storage.appBuckets.byKey.get(b.key)!.bucketName]),
      ),
    });
    this.instance = new ec2.Instance(stack, 'Host', {
      vpc: network.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: network.securityGroup,
      role: access.role,
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
      `basic 5-minute EC2 metrics plus the CloudWatch agent’s memory and disk metrics are enough for one host; detailed monitoring adds ${detailedMonitoringMonthly(stack)}`,
    );
    acknowledgeAll(
      host,
      ['AwsSolutions-EC29', 'NIST.800.53.R5-EC2InstanceTerminationProtection'],
      'one instance by design: status-check alarms recover it in place, its data volume survives termination, and backups are in a retained bucket; termination protection would block stack updates and deletion',
    );
    acknowledge(
      host,
      'CT.EC2.PR.19',
      `one instance, so there is no traffic between instances for Nitro's in-transit encryption to protect; clients reach nginx over TLS and PostgreSQL and Redis listen on the host itself. ${lean.instance.type} is the cheapest type that fits the manifest, and the types the control accepts (non-burstable Nitro families such as m6i or c6gn) cost more for the same load`,
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

    this.address = new ec2.CfnEIP(stack, 'Address', { domain: 'vpc', instanceId: host.instanceId });

    if (m.hostedZone) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: m.hostedZone.id,
        zoneName: m.hostedZone.name,
      });
      for (const name of [m.domain, ...m.aliases]) {
        new route53.ARecord(stack, `Record-${name}`, {
          zone,
          recordName: `${name}.`,
          target: route53.RecordTarget.fromIpAddresses(this.address.attrPublicIp),
          ttl: Duration.minutes(5),
        });
      }
    }
  }
}
