/**
 * An OpenSearch Service domain for the managed tiers: in the VPC's isolated subnets, encrypted
 * at rest, node-to-node TLS, HTTPS enforced (TLS 1.2+), slow and error logs to CloudWatch with a
 * retention, signed requests from the given roles only. Zone awareness only with more than one
 * node: a single node is never configured for replicas it could not place.
 */
import {
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_logs as logs,
  aws_opensearchservice as opensearch,
  RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeAll } from '../nag.js';
import { logRetentionOf } from './log-retention.js';
import { kmsKeyMonthly, logsIngestedPerGb } from './quotes.js';

export interface SearchDomainProps {
  readonly vpc: ec2.IVpc;
  /** Isolated subnets; the domain uses one per AZ it spans. */
  readonly subnets: ec2.SubnetSelection;
  /** 3-28 lowercase letters, digits and hyphens; fixes the domain's ARN. */
  readonly domainName: string;
  /** e.g. OpenSearch_2.19 */
  readonly engineVersion: string;
  /** e.g. t3.small.search */
  readonly instanceType: string;
  /** Data nodes. @default 1 */
  readonly nodes?: number;
  /** AZs the nodes spread over (2 or 3) when nodes > 1. @default 2 */
  readonly availabilityZoneCount?: number;
  readonly storageGbPerNode: number;
  /** Roles allowed to send signed HTTP requests (es:ESHttp*). */
  readonly clients: readonly iam.IRole[];
  /** Days the domain's logs are kept. @default 30 */
  readonly logRetentionDays?: number;
}

export class SearchDomain extends Construct {
  public readonly domain: opensearch.CfnDomain;
  public readonly securityGroup: ec2.SecurityGroup;
  /** arn:…:domain/<name> */
  public readonly domainArn: string;
  /** https://<endpoint> */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{2,27}$/.test(props.domainName)) {
      throw new Error(
        `${this.node.path}: domain name ${props.domainName} must be 3-28 lowercase letters, digits or -`,
      );
    }
    const nodes = props.nodes ?? 1;
    const zoneAware = nodes > 1;
    const azCount = zoneAware ? (props.availabilityZoneCount ?? 2) : 1;
    if (zoneAware && nodes % azCount !== 0) {
      throw new Error(`${this.node.path}: ${nodes} nodes cannot spread evenly over ${azCount} AZs`);
    }
    const stack = Stack.of(this);
    this.domainArn = stack.formatArn({ service: 'es', resource: 'domain', resourceName: props.domainName });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'OpenSearch: HTTPS from the services that use it, nothing out',
      allowAllOutbound: false,
    });
    const retention = props.logRetentionDays ?? logRetentionOf(this);
    const logTypes = ['SEARCH_SLOW_LOGS', 'INDEX_SLOW_LOGS', 'ES_APPLICATION_LOGS'] as const;
    const groups = logTypes.map((type) => {
      const group = new logs.LogGroup(this, `Logs-${type}`, {
        retention: retention as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        group,
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        `OpenSearch slow and error logs (query shapes, no documents); CloudWatch encrypts them at rest, a KMS key would add ${kmsKeyMonthly(this)}`,
      );
      return { type, group };
    });
    const logPolicy = new logs.CfnResourcePolicy(this, 'LogPolicy', {
      policyName: `${props.domainName}-opensearch-logs`,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'es.amazonaws.com' },
            Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
            Resource: groups.map((g) => `${g.group.logGroupArn}:*`),
            Condition: { StringEquals: { 'aws:SourceAccount': stack.account } },
          },
        ],
      }),
    });
    const subnetIds = props.vpc.selectSubnets(props.subnets).subnetIds.slice(0, azCount);
    this.domain = new opensearch.CfnDomain(this, 'Domain', {
      domainName: props.domainName,
      engineVersion: props.engineVersion,
      clusterConfig: {
        instanceType: props.instanceType,
        instanceCount: nodes,
        dedicatedMasterEnabled: false,
        zoneAwarenessEnabled: zoneAware,
        ...(zoneAware && { zoneAwarenessConfig: { availabilityZoneCount: azCount } }),
      },
      ebsOptions: { ebsEnabled: true, volumeType: 'gp3', volumeSize: props.storageGbPerNode },
      encryptionAtRestOptions: { enabled: true },
      nodeToNodeEncryptionOptions: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      vpcOptions: { subnetIds, securityGroupIds: [this.securityGroup.securityGroupId] },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
      logPublishingOptions: Object.fromEntries(
        groups.map((g) => [g.type, { enabled: true, cloudWatchLogsLogGroupArn: g.group.logGroupArn }]),
      ),
      // Without clients, no statement: nothing may call the domain.
      ...(props.clients.length > 0 && {
        accessPolicies: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: props.clients.map((r) => r.roleArn) },
              Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
              Resource: `${this.domainArn}/*`,
            },
          ],
        },
      }),
    });
    this.domain.node.addDependency(logPolicy);
    this.domain.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.url = `https://${this.domain.attrDomainEndpoint}`;

    acknowledgeAll(
      this.domain,
      ['AwsSolutions-OS4'],
      nodes >= 3
        ? 'data nodes also act as cluster managers: dedicated master nodes would add three instances for a domain this size'
        : `${nodes} data node${nodes === 1 ? '' : 's'}: dedicated master nodes would add three instances, more than the domain itself`,
    );
    acknowledge(
      this.domain,
      'AwsSolutions-OS3',
      'the domain is only reachable inside the VPC through its security group; IP allow-lists apply to public endpoints',
    );
    acknowledge(
      this.domain,
      'CT.OPENSEARCH.PR.15',
      'access is decided by IAM: the domain policy admits only the signed requests of the app’s task (ecs) or pod (eks) roles, inside the VPC; fine-grained access control adds a master user and an internal role mapping to run for one client application',
    );
    acknowledge(
      this.domain,
      'CT.OPENSEARCH.PR.13',
      `audit logs need fine-grained access control (not enabled: the IAM domain policy admits the app’s roles only); with it they would add CloudWatch Logs ingestion at ${logsIngestedPerGb(this)} for every logged request, while the slow and error logs are already published`,
    );
    acknowledge(
      this.domain,
      'CT.OPENSEARCH.PR.16',
      'TLSSecurityPolicy is Policy-Min-TLS-1-2-PFS-2023-10: TLS 1.2 or newer with forward-secret ciphers only, stricter than the Policy-Min-TLS-1-2-2019-07 the control lists',
    );
    if (!zoneAware || nodes < 3) {
      acknowledge(
        this.domain,
        'CT.OPENSEARCH.PR.14',
        `${nodes} data node${nodes === 1 ? '' : 's'}${zoneAware ? ' across two zones' : ' in one zone'}, sized by the manifest’s availability and search storage; three zone-aware data nodes would multiply the domain’s instance and storage price by ${3 / nodes === Math.round(3 / nodes) ? 3 / nodes : (3 / nodes).toFixed(1)}`,
      );
    }
    if (!zoneAware) {
      acknowledgeAll(
        this.domain,
        ['AwsSolutions-OS7'],
        'a single data node: zone awareness needs two or more, and replicas could never be assigned on one node',
      );
    }
  }

  /** Lets `peer` call the domain on 443. */
  public allowFrom(peer: ec2.IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(443), description);
  }

  /** IAM statement for a client role (identity side of the domain's access policy). */
  public accessStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
      resources: [`${this.domainArn}/*`],
    });
  }
}
