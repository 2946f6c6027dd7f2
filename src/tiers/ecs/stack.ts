/**
 * The ecs tier: ECS on Fargate behind one ALB in a VPC over two or three AZs; static frontends on
 * S3 + CloudFront; RDS PostgreSQL, an ElastiCache replication group and OpenSearch in isolated
 * subnets; app buckets; alarms to an email topic and a dashboard; the role GitHub Actions deploys
 * with. Built from the plan only: every size, name and choice below comes from the ecs plan.
 */
import {
  type aws_certificatemanager as acm,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  aws_ecs as ecs,
  Fn,
  aws_iam as iam,
  Lazy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ecsPlanOf } from '../../model/ecs.js';
import type { Plan } from '../../model/plan.js';
import type { Usage } from '../../price/usage.js';
import { AlarmTopic } from '../constructs/alarm-topic.js';
import { AppBuckets } from '../constructs/app-buckets.js';
import { LogBucket } from '../constructs/buckets.js';
import { CacheReplicationGroup } from '../constructs/cache.js';
import { GeneratedParameters } from '../constructs/generated-parameters.js';
import { GitHubDeployRole } from '../constructs/github-deploy-role.js';
import { setLogRetention } from '../constructs/log-retention.js';
import { AppNetwork } from '../constructs/network.js';
import { PostgresDatabase } from '../constructs/postgres.js';
import { setPriceQuotes } from '../constructs/quotes.js';
import { SearchDomain } from '../constructs/search.js';
import { acknowledge, acknowledgeWildcard } from '../nag.js';
import { Edge } from './edge.js';
import { Operations } from './operations.js';
import { AppServices } from './services.js';

export interface EcsStackProps extends StackProps {
  /** The plan; must contain an ecs plan. */
  readonly plan: Plan;
  /** CloudFront's certificate from the us-east-1 edge stack (apps outside us-east-1 with static frontends). */
  readonly cloudFrontCertificate?: acm.ICertificate;
}

export class EcsStack extends Stack {
  public readonly network: AppNetwork;
  public readonly cluster: ecs.Cluster;
  public readonly services: AppServices;
  public readonly edge: Edge;
  public readonly operations: Operations;
  public readonly postgres?: PostgresDatabase;
  public readonly redis?: CacheReplicationGroup;
  public readonly search?: SearchDomain;
  public readonly deployRole?: GitHubDeployRole;
  public readonly buckets: AppBuckets;

  constructor(scope: Construct, id: string, props: EcsStackProps) {
    super(scope, id, props);
    const { plan } = props;
    const p = ecsPlanOf(plan);
    if (!p)
      throw new Error(`${this.node.path}: the plan has no ecs tier (it is not eligible for this manifest)`);
    setPriceQuotes(this, p.quotes);
    const m = plan.manifest;
    setLogRetention(this, m.logs.retentionDays);

    // --- Logs, network, cluster ----------------------------------------------------------------
    const logBucket = new LogBucket(this, 'AccessLogs', { retentionDays: p.network.flowLogs.retentionDays })
      .bucket;
    this.network = new AppNetwork(this, 'Network', {
      cidr: p.network.cidr,
      azCount: p.network.azCount,
      subnetMasks: p.network.subnetMasks,
      egress: p.network.egress,
      natCount: p.network.natCount,
      ...(p.network.natInstanceType && { natInstanceType: p.network.natInstanceType }),
      interfaceEndpoints: p.network.interfaceEndpoints,
      flowLogBucket: logBucket,
      flowLogTraffic: p.network.flowLogs.traffic,
    });
    const vpc = this.network.vpc;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    if (p.services.some((s) => s.exposure === 'internal')) {
      this.cluster.addDefaultCloudMapNamespace({ name: `${m.name}.internal`, vpc });
    }

    // --- Image tag CI deploys (build services) ----------------------------------------------
    let imageTag: { parameter: CfnParameter; published: CfnCondition } | undefined;
    if (p.imageTagParameter) {
      const parameter = new CfnParameter(this, p.imageTagParameter, {
        type: 'String',
        default: 'none',
        allowedPattern: '^(none|[0-9a-f]{7,40})$',
        description:
          'Commit SHA of the images CI built and pushed to ECR. "none" until the first CI run: services built from source stay at 0 tasks.',
      });
      const published = new CfnCondition(this, 'ImagesPublished', {
        expression: Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, 'none')),
      });
      imageTag = { parameter, published };
    }

    // --- Secrets generated at deploy time -----------------------------------------------------
    const appSecrets = [
      ...new Set(
        p.services.flatMap((s) =>
          s.secrets.flatMap((x) => (x.source.kind === 'app-secret' ? [x.source.parameter] : [])),
        ),
      ),
    ].sort();
    let generated: GeneratedParameters | undefined;
    if (appSecrets.length) {
      generated = new GeneratedParameters(this, 'GeneratedParameters', {
        prefix: p.params.prefix,
        names: appSecrets,
        notInVpcReason:
          'the function only calls the SSM API during deploys and touches nothing in the VPC; outside it needs no ENI or endpoint',
      });
    }

    // --- Data stores ----------------------------------------------------------------------------
    if (p.postgres) {
      this.postgres = new PostgresDatabase(this, 'Postgres', {
        vpc,
        subnets: this.network.isolatedSubnets,
        instanceIdentifier: `${m.name}-ecs`,
        majorVersion: p.postgres.engineVersion,
        instanceClass: p.postgres.instanceClass,
        multiAz: p.postgres.multiAz,
        allocatedStorageGb: p.postgres.storageGb,
        maxAllocatedStorageGb: p.postgres.maxStorageGb,
        backupRetentionDays: p.postgres.backupRetentionDays,
        databaseName: p.postgres.database,
        username: p.postgres.username,
        logRetentionDays: p.logs.retentionDays,
      });
    }
    if (p.redis) {
      this.redis = new CacheReplicationGroup(this, 'Cache', {
        vpc,
        subnets: this.network.isolatedSubnets,
        engine: p.redis.engine,
        engineVersion: p.redis.engineVersion,
        parameterFamily: p.redis.parameterFamily,
        nodeType: p.redis.nodeType,
        replicas: p.redis.replicas,
        snapshotRetentionDays: p.redis.snapshotRetentionDays,
        maxmemoryPolicy: p.redis.maxmemoryPolicy,
        urlQuery: p.redis.urlQuery,
      });
    }
    const buckets = new AppBuckets(this, 'Buckets', { buckets: p.buckets, logBucket });
    this.buckets = buckets;

    // --- Services -------------------------------------------------------------------------------
    let search: SearchDomain | undefined;
    this.services = new AppServices(this, 'Services', {
      manifest: m,
      ecs: p,
      cluster: this.cluster,
      vpc,
      subnets: this.network.privateSubnets,
      ...(imageTag && { imageTag }),
      ...(this.postgres && { postgres: this.postgres }),
      ...(this.redis && { redis: this.redis }),
      buckets,
      ...(p.search && { searchUrl: Lazy.string({ produce: () => search!.url }) }),
    });
    const deployed = this.services.services;
    // Tasks read the generated parameters at start: they must exist before any service runs.
    if (generated) {
      for (const d of deployed) d.service.node.addDependency(generated);
      if (this.services.migration) this.services.migration.taskDefinition.node.addDependency(generated);
    }
    const byName = new Map(deployed.map((d) => [d.plan.service.name, d]));
    if (p.search) {
      const clients = p.search.clients.map((n) => byName.get(n)!).filter(Boolean);
      search = new SearchDomain(this, 'Search', {
        vpc,
        subnets: this.network.isolatedSubnets,
        domainName: p.search.domainName,
        engineVersion: p.search.engineVersion,
        instanceType: p.search.instanceType,
        nodes: p.search.nodes,
        availabilityZoneCount: p.search.azCount,
        storageGbPerNode: p.search.storageGb,
        clients: clients.map((d) => d.taskRole),
        logRetentionDays: p.logs.retentionDays,
      });
      this.search = search;
      for (const d of clients) {
        if (d.taskPolicy) {
          d.taskPolicy.addStatements(search.accessStatement());
          acknowledgeWildcard(
            d.taskPolicy,
            `${search.domainArn}/*`,
            'index and document paths of the app’s own search domain, named by the app at run time',
          );
        }
        search.allowFrom(d.securityGroup, `${d.plan.service.name} queries search`);
      }
    }
    // Network access to the data stores: only from the services that use them.
    for (const name of p.postgres?.clients ?? []) {
      if (name === 'migration') {
        if (this.services.migration)
          this.postgres!.allowFrom(this.services.migration.securityGroup, 'migration task');
        continue;
      }
      const d = byName.get(name);
      if (d) this.postgres!.allowFrom(d.securityGroup, `${name} uses postgres`);
    }
    for (const name of p.redis?.clients ?? []) {
      const d = byName.get(name);
      if (d) this.redis!.allowFrom(d.securityGroup, `${name} uses ${p.redis!.engine}`);
    }

    // --- Edge -----------------------------------------------------------------------------------
    this.edge = new Edge(this, 'Edge', {
      appName: m.name,
      region: m.region,
      ecs: p,
      vpc,
      logBucket,
      services: deployed,
      ...(props.cloudFrontCertificate && { cloudFrontCertificate: props.cloudFrontCertificate }),
    });

    // --- Operations -----------------------------------------------------------------------------
    const topic = new AlarmTopic(this, 'Alarms', { email: m.alarmEmail });
    this.operations = new Operations(this, 'Operations', {
      appName: m.name,
      ecs: p,
      topic,
      clusterName: this.cluster.clusterName,
      network: this.network,
      edge: this.edge,
      services: deployed,
      ...(this.postgres && { postgres: this.postgres }),
      ...(this.redis && { redis: this.redis }),
      ...(this.search && { search: this.search }),
    });

    // --- CI -------------------------------------------------------------------------------------
    if (p.ci) {
      const ci = new GitHubDeployRole(this, 'Deploy', {
        repository: p.ci.repository,
        branch: p.ci.branch,
        oidcProvider: p.ci.oidcProvider,
        ...(p.edge.edgeStackRegion && { bootstrapRegions: [m.region, p.edge.edgeStackRegion] }),
      });
      this.deployRole = ci;
      const repos = [...this.services.repositories.values()];
      if (repos.length) {
        ci.addStatements(
          new iam.PolicyStatement({
            sid: 'PushImages',
            actions: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:BatchGetImage',
              'ecr:CompleteLayerUpload',
              'ecr:InitiateLayerUpload',
              'ecr:PutImage',
              'ecr:UploadLayerPart',
            ],
            resources: repos.map((r) => r.repositoryArn),
          }),
          new iam.PolicyStatement({
            sid: 'RegistryLogin',
            actions: ['ecr:GetAuthorizationToken'],
            resources: ['*'],
          }),
        );
      }
      const mig = this.services.migration;
      if (mig && p.migration) {
        const family = this.formatArn({
          service: 'ecs',
          resource: 'task-definition',
          resourceName: `${p.migration.family}:*`,
        });
        const tasks = this.formatArn({
          service: 'ecs',
          resource: 'task',
          resourceName: `${this.cluster.clusterName}/*`,
        });
        ci.addStatements(
          new iam.PolicyStatement({
            sid: 'RegisterMigrationRevision',
            actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'RunMigration',
            actions: ['ecs:RunTask'],
            resources: [family],
            conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
          }),
          new iam.PolicyStatement({
            sid: 'WatchMigration',
            actions: ['ecs:DescribeTasks'],
            resources: [tasks],
          }),
          new iam.PolicyStatement({
            sid: 'PassMigrationRoles',
            actions: ['iam:PassRole'],
            resources: [mig.executionRole.roleArn, mig.taskRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
        );
        acknowledgeWildcard(
          ci.policy,
          family,
          'revisions of the migration task family only, which CI registers per deploy',
        );
        acknowledgeWildcard(
          ci.policy,
          tasks,
          'tasks of this cluster; the migration task’s id is only known when it starts',
        );
      }
      const bucket = this.edge.staticBucket;
      const cdn = this.edge.distribution;
      if (bucket && cdn) {
        const objects = bucket.arnForObjects('*');
        ci.addStatements(
          new iam.PolicyStatement({
            sid: 'ListStaticSite',
            actions: ['s3:ListBucket'],
            resources: [bucket.bucketArn],
          }),
          new iam.PolicyStatement({
            sid: 'SyncStaticSite',
            actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            resources: [objects],
          }),
          new iam.PolicyStatement({
            sid: 'InvalidateCdn',
            actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
            resources: [
              this.formatArn({
                service: 'cloudfront',
                region: '',
                resource: 'distribution',
                resourceName: cdn.distributionId,
              }),
            ],
          }),
        );
        acknowledgeWildcard(
          ci.policy,
          objects,
          'every object of the static-site bucket, which CI replaces on each deploy (aws s3 sync --delete)',
        );
      }
      const stackArn = this.formatArn({
        service: 'cloudformation',
        resource: 'stack',
        resourceName: `${this.stackName}/*`,
      });
      acknowledgeWildcard(ci.policy, stackArn, 'this stack by name; the suffix is the stack id AWS assigns');
      const star = [
        'ecr:GetAuthorizationToken',
        ...(mig ? ['ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition'] : []),
      ];
      if (repos.length || mig) {
        acknowledge(
          ci.policy,
          'AwsSolutions-IAM5[Resource::*]',
          `${star.join(', ')} have no resource-level permissions; what CI can run or push is limited by the other statements`,
        );
      }
    }

    // --- Outputs --------------------------------------------------------------------------------
    const out = (id: string, value: string, description?: string) =>
      new CfnOutput(this, id, { value, ...(description && { description }) });
    out('Url', `https://${m.domain}/`, 'where the app answers once DNS points at the edge');
    out('ClusterName', this.cluster.clusterName);
    out('PrivateSubnetIds', vpc.selectSubnets(this.network.privateSubnets).subnetIds.join(','));
    if (this.edge.loadBalancer)
      out(
        'LoadBalancerDnsName',
        this.edge.loadBalancer.loadBalancerDnsName,
        `point ${p.edge.alb!.hostName} here`,
      );
    if (this.edge.distribution) {
      out('DistributionDomainName', this.edge.distribution.distributionDomainName, `point ${m.domain} here`);
      out('DistributionId', this.edge.distribution.distributionId);
    }
    if (this.edge.staticBucket) out('StaticBucketName', this.edge.staticBucket.bucketName);
    if (this.services.migration && p.migration) {
      out('MigrationTaskFamily', p.migration.family);
      out('MigrationSecurityGroupId', this.services.migration.securityGroup.securityGroupId);
    }
    for (const [name, repo] of this.services.repositories) {
      out(`RepositoryUri${name.split('/')[1]!.replace(/[^A-Za-z0-9]/g, '')}`, repo.repositoryUri);
    }
    if (this.deployRole)
      out('DeployRoleArn', this.deployRole.role.roleArn, 'set as the GitHub variable AWS_DEPLOY_ROLE_ARN');
    out('Dashboard', `https://console.aws.amazon.com/cloudwatch/home#dashboards:name=${m.name}-ecs`);
  }
}

/** Usage only this stack can key: each app bucket's expected storage, by its logical id. */
export function ecsStackUsage(stack: EcsStack): Usage {
  const resources = stack.buckets.storageUsage();
  return Object.keys(resources).length ? { resources } : {};
}
