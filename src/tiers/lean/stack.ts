/**
 * The lean tier: one EC2 instance on Amazon Linux 2023 in a public subnet (no NAT), serving the
 * app through nginx with TLS; PostgreSQL and Redis run beside the app under Docker Compose; backups
 * go to S3. Built from the plan only: every size, name and path below comes from the lean plan.
 *
 * The stack puts together its parts (./parts): storage, network, access (secrets, logs, role and
 * policy), the instance with its Elastic IP and DNS, and the alarms. The parts create their
 * resources in the stack's own scope, so logical ids are those the tier has always deployed.
 */

import type { aws_s3 as s3 } from 'aws-cdk-lib';
import {
  Aws,
  CfnOutput,
  type aws_cloudwatch as cw,
  type aws_ec2 as ec2,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import type { Usage } from '../../price/usage.js';
import type { HostFile } from '../../render/host/contract.js';
import type { AppBuckets } from '../constructs/app-buckets.js';
import { setLogRetention } from '../constructs/log-retention.js';
import { setPriceQuotes } from '../constructs/quotes.js';
import { HostAccess } from './parts/access.js';
import { HostAlarms } from './parts/alarms.js';
import { leanDeployRole } from './parts/deploy.js';
import { HostInstance } from './parts/instance.js';
import { HostNetwork } from './parts/network.js';
import { HostStorage } from './parts/storage.js';

export { AL2023_AMI_PARAMETER } from './parts/instance.js';

export interface LeanStackProps extends StackProps {
  /** The plan; must contain a lean plan. */
  readonly plan: Plan;
  /** Host files rendered from the same plan (installed by user data). */
  readonly hostFiles: readonly HostFile[];
}

export class LeanStack extends Stack {
  public readonly instance: ec2.Instance;
  public readonly backupBucket: s3.Bucket;
  public readonly alarms: cw.Alarm[];
  public readonly appBuckets: AppBuckets;

  constructor(scope: Construct, id: string, props: LeanStackProps) {
    super(scope, id, props);
    const { plan } = props;
    const lean = leanPlanOf(plan);
    if (!lean)
      throw new Error(`${this.node.path}: the plan has no lean tier (it is not eligible for this manifest)`);
    setPriceQuotes(this, lean.quotes);
    const m = plan.manifest;
    setLogRetention(this, m.logs.retentionDays);

    const storage = new HostStorage(this, lean);
    const network = new HostNetwork(this, lean, storage.logBucket);
    const access = new HostAccess(this, m, lean, storage);
    const host = new HostInstance(this, m, lean, { hostFiles: props.hostFiles, storage, network, access });
    this.alarms = new HostAlarms(this, m, lean, host.instance).alarms;
    leanDeployRole(this, lean, { instance: host.instance, access, storage });
    this.instance = host.instance;
    this.backupBucket = storage.backupBucket;
    this.appBuckets = storage.appBuckets;

    // --- Outputs -------------------------------------------------------------------------------
    new CfnOutput(this, 'Url', {
      value: `https://${m.domain}/`,
      description: 'where the app answers once DNS points here',
    });
    new CfnOutput(this, 'PublicIp', {
      value: host.address.attrPublicIp,
      description: 'Elastic IP of the host (point DNS here)',
    });
    new CfnOutput(this, 'InstanceId', { value: host.instance.instanceId });
    new CfnOutput(this, 'SessionCommand', {
      value: `aws ssm start-session --region ${Aws.REGION} --target ${host.instance.instanceId}`,
      description: 'shell on the host without SSH',
    });
    new CfnOutput(this, 'BackupBucket', { value: storage.backupBucket.bucketName });
    if (storage.artifacts) new CfnOutput(this, 'ArtifactsBucket', { value: storage.artifacts.bucketName });
    for (const b of lean.buckets) {
      new CfnOutput(this, `Bucket-${b.key}`, {
        value: storage.appBuckets.byKey.get(b.key)!.bucketName,
        description: `the app's ${b.key} bucket (${b.envName} in the services that use buckets)`,
      });
    }
    new CfnOutput(this, 'ParameterPrefix', { value: lean.params.prefix });
    for (const repo of access.repositories)
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
