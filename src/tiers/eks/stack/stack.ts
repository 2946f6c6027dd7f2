/**
 * The eks tier: an EKS cluster in a VPC over two or three AZs; the app as Kubernetes objects that
 * `cdk deploy` applies (so the deploy ends with the app serving); RDS PostgreSQL, an ElastiCache
 * replication group and OpenSearch in isolated subnets (the ecs tier's constructs, unchanged); a Pod
 * Identity role per service that calls AWS; the ALB made by the ingress controller, found afterwards
 * for alarms and DNS; static frontends on CloudFront; alarms, a dashboard and the CI role. Built
 * from the plan only: every size, name and version below comes from the EksPlan.
 */

import { createHash } from 'node:crypto';
import {
  type aws_certificatemanager as acm,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  CfnResource,
  Duration,
  aws_ecr as ecr,
  aws_eks_v2 as eks,
  aws_eks as eksL1,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
} from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import type { Manifest } from '../../../manifest/normalize.js';
import type { Usage } from '../../../price/usage.js';
import { AlarmTopic } from '../../constructs/alarm-topic.js';
import { AppBuckets } from '../../constructs/app-buckets.js';
import { LogBucket } from '../../constructs/buckets.js';
import { CacheReplicationGroup } from '../../constructs/cache.js';
import { GeneratedParameters } from '../../constructs/generated-parameters.js';
import { GitHubDeployRole } from '../../constructs/github-deploy-role.js';
import { setLogRetention } from '../../constructs/log-retention.js';
import { AppNetwork } from '../../constructs/network.js';
import { PostgresDatabase } from '../../constructs/postgres.js';
import { setPriceQuotes } from '../../constructs/quotes.js';
import { SearchDomain } from '../../constructs/search.js';
import { acknowledge, acknowledgeWildcard } from '../../nag.js';
import { buildObjects, type EksRefs, type K8sObject, toPlain } from '../k8s/objects.js';
import type { EksPlan, EksWorkload } from '../plan/types.js';
import { EksCluster, podIdentityRole } from './cluster.js';
import { EksEdge } from './edge.js';
import { acknowledgeEksInternals } from './nag.js';
import { EksOperations } from './operations.js';

export interface EksStackProps extends StackProps {
  readonly manifest: Manifest;
  readonly eks: EksPlan;
  /** CloudFront's certificate from a us-east-1 stack (apps outside us-east-1 with static frontends). */
  readonly cloudFrontCertificate?: acm.ICertificate;
}

/** The CloudFormation resource a custom-resource construct writes. */
function cfnOf(c: Construct): CfnResource {
  const r = c.node.findAll().find((x): x is CfnResource => x instanceof CfnResource);
  if (!r) throw new Error(`${c.node.path} has no CloudFormation resource`);
  return r;
}

function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export class EksStack extends Stack {
  public readonly network: AppNetwork;
  public readonly eksCluster: EksCluster;
  public readonly edge: EksEdge;
  public readonly operations: EksOperations;
  public readonly postgres?: PostgresDatabase;
  public readonly redis?: CacheReplicationGroup;
  public readonly search?: SearchDomain;
  /** The app's buckets (`buckets:` in the manifest). */
  public readonly buckets: AppBuckets;
  public readonly deployRole?: GitHubDeployRole;
  public readonly repositories = new Map<string, ecr.Repository>();
  /** Pod Identity role of each service that calls AWS or reads secrets. */
  public readonly podRoles = new Map<string, iam.Role>();
  /** The Kubernetes manifests the stack applies, by group. */
  public readonly manifests = new Map<string, eks.KubernetesManifest>();

  constructor(scope: Construct, id: string, props: EksStackProps) {
    super(scope, id, props);
    const { eks: p, manifest: m } = props;
    setPriceQuotes(this, p.quotes);
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
    this.eksCluster = new EksCluster(this, 'Eks', { plan: p, network: this.network });
    const cluster = this.eksCluster.cluster;
    // The ingress controller writes the ALB's access logs to the log bucket.
    logBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlbAccessLogs',
        principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [logBucket.arnForObjects('alb/AWSLogs/*')],
      }),
    );
    const elbAccount = this.regionalElbAccount(p.region);
    if (elbAccount) {
      logBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AlbAccessLogsLegacyRegion',
          principals: [new iam.AccountPrincipal(elbAccount)],
          actions: ['s3:PutObject'],
          resources: [logBucket.arnForObjects('alb/AWSLogs/*')],
        }),
      );
    }

    // --- Image tag CI deploys (build services) ------------------------------------------------------
    let imageTag: CfnParameter | undefined;
    let published: CfnCondition | undefined;
    if (p.imageTagParameter) {
      imageTag = new CfnParameter(this, p.imageTagParameter, {
        type: 'String',
        default: 'none',
        allowedPattern: '^(none|[0-9a-f]{7,40})$',
        description:
          'Commit SHA of the images CI built and pushed to ECR. "none" until the first CI run: services built from source are not deployed until then.',
      });
      published = new CfnCondition(this, 'ImagesPublished', {
        expression: Fn.conditionNot(Fn.conditionEquals(imageTag.valueAsString, 'none')),
      });
    }
    for (const r of p.repositories) {
      this.repositories.set(
        r.name,
        new ecr.Repository(this, `Repository-${r.services[0]}`, {
          repositoryName: r.name,
          imageScanOnPush: true,
          imageTagMutability: ecr.TagMutability.IMMUTABLE,
          encryption: ecr.RepositoryEncryption.AES_256,
          removalPolicy: RemovalPolicy.RETAIN,
          lifecycleRules: [{ description: 'keep the last 30 images (rollbacks)', maxImageCount: 30 }],
        }),
      );
    }

    // --- Secrets generated at deploy time -----------------------------------------------------
    const appSecrets = [
      ...new Set(
        p.workloads.flatMap((w) =>
          w.secrets.filter((s) => s.source === 'app-secret').map((s) => s.objectName),
        ),
      ),
    ].sort();
    const generated = appSecrets.length
      ? new GeneratedParameters(this, 'GeneratedParameters', {
          prefix: p.secretNames.parameterPrefix,
          names: appSecrets,
          notInVpcReason:
            'the function only calls the SSM API during deploys and touches nothing in the VPC; outside it needs no ENI or endpoint',
        })
      : undefined;

    // --- Data stores ----------------------------------------------------------------------------
    if (p.postgres) {
      this.postgres = new PostgresDatabase(this, 'Postgres', {
        vpc,
        subnets: this.network.isolatedSubnets,
        instanceIdentifier: `${m.name}-eks`,
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
      // A fixed name, so the SecretProviderClass (and the plain YAML) can name it.
      this.postgres.urlSecret.name = p.secretNames.databaseUrl;
      this.postgres.allowFrom(cluster.clusterSecurityGroup, 'pods of the cluster');
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
      this.redis.urlSecret.name = p.secretNames.redisUrl;
      this.redis.allowFrom(cluster.clusterSecurityGroup, 'pods of the cluster');
    }
    const buckets = new AppBuckets(this, 'Buckets', { buckets: p.buckets, logBucket });
    this.buckets = buckets;

    // --- Pod Identity: one role per service that calls AWS or reads secrets ---------------------
    const policies = new Map<string, iam.ManagedPolicy>();
    for (const w of p.workloads) {
      if (!w.awsUses.length && !w.secrets.length) continue;
      const id = pascal(w.name);
      const role = podIdentityRole(
        this,
        `${id}PodRole`,
        `${m.name} ${w.name}: what its pods may call in AWS`,
      );
      const policy = new iam.ManagedPolicy(this, `${id}PodPolicy`, {
        description: `AWS APIs ${w.name} calls: ${[...w.awsUses, ...(w.secrets.length ? ['its secrets'] : [])].join(', ')}`,
        roles: [role],
        statements: this.podStatements(m, w, buckets),
      });
      if (w.awsUses.includes('buckets')) {
        for (const [key, bucket] of buckets.byKey) {
          acknowledgeWildcard(
            policy,
            bucket.arnForObjects('*'),
            `objects of the app's ${key} bucket, which ${w.name} reads and writes by key at run time`,
          );
        }
      }
      new eksL1.CfnPodIdentityAssociation(this, `${id}PodIdentity`, {
        clusterName: cluster.clusterName,
        namespace: p.namespace,
        serviceAccount: w.name,
        roleArn: role.roleArn,
      });
      this.podRoles.set(w.name, role);
      policies.set(w.name, policy);
    }
    if (p.search) {
      const clients = p.search.clients.map((n) => this.podRoles.get(n)).filter((r): r is iam.Role => !!r);
      this.search = new SearchDomain(this, 'Search', {
        vpc,
        subnets: this.network.isolatedSubnets,
        domainName: p.search.domainName,
        engineVersion: p.search.engineVersion,
        instanceType: p.search.instanceType,
        nodes: p.search.nodes,
        availabilityZoneCount: p.search.azCount,
        storageGbPerNode: p.search.storageGb,
        clients,
        logRetentionDays: p.logs.retentionDays,
      });
      this.search.allowFrom(cluster.clusterSecurityGroup, 'pods of the cluster');
      for (const name of p.search.clients) {
        const policy = policies.get(name);
        if (!policy) continue;
        policy.addStatements(this.search.accessStatement());
        acknowledgeWildcard(
          policy,
          `${this.search.domainArn}/*`,
          'index and document paths of the app’s own search domain, named by the app at run time',
        );
      }
    }

    // --- Edge -------------------------------------------------------------------------------------
    this.edge = new EksEdge(this, 'Edge', {
      plan: p,
      logBucket,
      ...(props.cloudFrontCertificate && { cloudFrontCertificate: props.cloudFrontCertificate }),
    });

    // --- The app on the cluster ------------------------------------------------------------------
    const refs: EksRefs = {
      region: this.region,
      certificateArn: this.edge.albCertificate?.certificateArn ?? '',
      logBucket: logBucket.bucketName,
      ...(this.edge.webAcl && { webAclArn: this.edge.webAcl.attrArn }),
      image: (w: EksWorkload) => {
        if (w.image.kind === 'pinned') return w.image.ref;
        const repo = this.repositories.get(w.image.repository);
        if (!repo || !imageTag) throw new Error(`${this.node.path}: no repository ${w.image.repository}`);
        return `${repo.repositoryUri}:${imageTag.valueAsString}`;
      },
      ...(this.search && { searchUrl: this.search.url }),
      bucketName: (key: string) => {
        const b = buckets.byKey.get(key);
        if (!b) throw new Error(`${this.node.path}: no bucket ${key}`);
        return b.bucketName;
      },
      migrationSuffix: this.migrationSuffix(p, imageTag),
      // Built from source: 0 replicas until CI published an image. kubectl apply's three-way merge
      // leaves replicas alone while this value does not change, so the HPA keeps its count.
      replicas: (w: EksWorkload) =>
        w.image.kind === 'ecr' && published
          ? Token.asNumber(Fn.conditionIf(published.logicalId, w.replicas.min, 0))
          : undefined,
    };
    const objects = buildObjects(p, refs);
    const apply = (id: string, objs: K8sObject[], opts: { ecr?: boolean } = {}) => {
      const manifest = new eks.KubernetesManifest(this, id, {
        cluster,
        manifest: objs.map(toPlain),
        // Field validation happens in the tests against the Kubernetes schema; the handler's
        // client-side validation would need CRDs installed in its own process.
        skipValidation: false,
      });
      if (opts.ecr && published) {
        cfnOf(manifest).cfnOptions.condition = published;
      }
      this.manifests.set(id, manifest);
      return manifest;
    };
    const ec = this.eksCluster;
    const namespace = apply('Namespace', objects.namespace);
    if (ec.nodegroup) namespace.node.addDependency(ec.nodegroup);
    let ingressClass: eks.KubernetesManifest | undefined;
    if (objects.ingressClass.length) {
      ingressClass = apply('IngressClass', objects.ingressClass);
      if (ec.loadBalancerController) ingressClass.node.addDependency(ec.loadBalancerController);
    }
    const csi = ec.addons.get('aws-secrets-store-csi-driver-provider');
    let migrationDone: eks.KubernetesObjectValue | undefined;
    let migrationConditional = false;
    if (objects.migration && p.migration) {
      const owner = p.workloads.find((w) => w.name === p.migration!.service)!;
      migrationConditional = owner.image.kind === 'ecr';
      const job = apply('MigrationJob', [objects.migration], { ecr: migrationConditional });
      job.node.addDependency(namespace);
      if (csi) job.node.addDependency(csi);
      if (generated) job.node.addDependency(generated);
      const jobPrereqs = this.workloadPrereqs(owner.name);
      for (const d of jobPrereqs) job.node.addDependency(d);
      // Wait for the Job to succeed: a failed migration fails the deploy before any Deployment changes.
      migrationDone = new eks.KubernetesObjectValue(this, 'MigrationSucceeded', {
        cluster,
        objectType: 'job',
        objectName: objects.migration.metadata!.name!,
        objectNamespace: p.namespace,
        jsonPath: '.status.succeeded',
        timeout: Duration.minutes(p.migration.timeoutMinutes),
      });
      migrationDone.node.addDependency(job);
      if (owner.image.kind === 'ecr' && published) {
        cfnOf(migrationDone).cfnOptions.condition = published;
      }
    }
    const workloadManifests: eks.KubernetesManifest[] = [];
    for (const [name, objs] of objects.workloads) {
      const w = p.workloads.find((x) => x.name === name)!;
      // The workload is always applied (at 0 replicas until its image exists); its HPA, which would
      // scale it up, only once the image is published. Nothing depends on the conditional parts.
      const hpa = objs.filter((o) => o.kind === 'HorizontalPodAutoscaler');
      const mf = apply(
        `Workload-${pascal(name)}`,
        objs.filter((o) => o.kind !== 'HorizontalPodAutoscaler'),
      );
      mf.node.addDependency(namespace);
      if (csi) mf.node.addDependency(csi);
      if (generated) mf.node.addDependency(generated);
      if (ec.loadBalancerController) mf.node.addDependency(ec.loadBalancerController);
      for (const d of this.workloadPrereqs(name)) mf.node.addDependency(d);
      if (migrationDone) {
        const gate = migrationDone.value;
        const cr = cfnOf(mf);
        // A conditional migration cannot be a DependsOn target; a reference inside Fn::If orders the
        // Deployments after the Job succeeded whenever the Job exists.
        cr.addPropertyOverride(
          'MigrationSucceeded',
          migrationConditional && published ? Fn.conditionIf(published.logicalId, gate, 'none') : gate,
        );
      }
      if (hpa.length) {
        const h = apply(`Autoscaler-${pascal(name)}`, hpa, { ecr: w.image.kind === 'ecr' });
        // The HPA needs the Deployment it scales; a conditional resource may depend on an unconditional one.
        h.node.addDependency(mf);
      }
      workloadManifests.push(mf);
    }
    if (objects.ingress.length) {
      const ingress = apply('Ingress', objects.ingress);
      if (ingressClass) ingress.node.addDependency(ingressClass);
      for (const mf of workloadManifests) ingress.node.addDependency(mf);
      this.edge.findLoadBalancer(cluster, ingress);
    } else {
      this.edge.recordsWithoutLoadBalancer();
    }

    // --- Operations -----------------------------------------------------------------------------
    const topic = new AlarmTopic(this, 'Alarms', { email: m.alarmEmail });
    this.operations = new EksOperations(this, 'Operations', {
      plan: p,
      topic,
      clusterName: cluster.clusterName,
      network: this.network,
      edge: this.edge,
      ...(this.postgres && { postgres: this.postgres }),
      ...(this.redis && { redis: this.redis }),
      ...(this.search && { search: this.search }),
    });
    // Container Insights log groups, created first so they have a retention (the agent would create
    // them without one).
    for (const kind of ['application', 'dataplane', 'host', 'performance']) {
      const group = new logs.LogGroup(this, `ContainerInsights-${kind}`, {
        logGroupName: `/aws/containerinsights/${p.clusterName}/${kind}`,
        retention: p.logs.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        group,
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        `Container Insights ${kind} logs (container output and performance events); CloudWatch encrypts them at rest, a KMS key would add $1/month and a key policy for the agent`,
      );
      const observability = ec.addons.get('amazon-cloudwatch-observability');
      if (observability) observability.node.addDependency(group);
    }

    // --- CI -------------------------------------------------------------------------------------
    if (p.ci) {
      const ci = new GitHubDeployRole(this, 'Deploy', {
        repository: p.ci.repository,
        branch: p.ci.branch,
        oidcProvider: p.ci.oidcProvider,
      });
      this.deployRole = ci;
      const repos = [...this.repositories.values()];
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
        acknowledge(
          ci.policy,
          'AwsSolutions-IAM5[Resource::*]',
          'ecr:GetAuthorizationToken has no resource-level permissions; what CI can push is limited to the app repositories',
        );
      }
      const bucket = this.edge.staticBucket;
      const cdn = this.edge.distribution;
      if (bucket && cdn) {
        const objectsArn = bucket.arnForObjects('*');
        ci.addStatements(
          new iam.PolicyStatement({
            sid: 'ListStaticSite',
            actions: ['s3:ListBucket'],
            resources: [bucket.bucketArn],
          }),
          new iam.PolicyStatement({
            sid: 'SyncStaticSite',
            actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            resources: [objectsArn],
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
          objectsArn,
          'every object of the static-site bucket, which CI replaces on each deploy (aws s3 sync --delete)',
        );
      }
      acknowledgeWildcard(
        ci.policy,
        this.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${this.stackName}/*` }),
        'this stack by name; the suffix is the stack id AWS assigns',
      );
    }

    // --- Outputs --------------------------------------------------------------------------------
    const out = (id: string, value: string, description?: string) =>
      new CfnOutput(this, id, { value, ...(description && { description }) });
    out('Url', `https://${m.domain}/`, 'where the app answers once DNS points at the edge');
    out('ClusterName', cluster.clusterName);
    out(
      'KubernetesVersion',
      p.kubernetes.version,
      `in EKS standard support until ${p.kubernetes.standardSupportEnds}`,
    );
    out(
      'AdminRoleArn',
      ec.adminRole.roleArn,
      'assume it (with MFA) for kubectl: aws eks update-kubeconfig --role-arn',
    );
    out('LogBucketName', logBucket.bucketName);
    if (this.edge.albCertificate) out('CertificateArn', this.edge.albCertificate.certificateArn);
    if (this.edge.webAcl) out('WebAclArn', this.edge.webAcl.attrArn);
    if (this.edge.loadBalancer) {
      out(
        'LoadBalancerDnsName',
        this.edge.loadBalancer.dnsName,
        `point ${p.edge.alb?.hostName ?? m.domain} here`,
      );
    }
    if (this.edge.distribution) {
      out('DistributionDomainName', this.edge.distribution.distributionDomainName, `point ${m.domain} here`);
      out('DistributionId', this.edge.distribution.distributionId);
    }
    if (this.edge.staticBucket) out('StaticBucketName', this.edge.staticBucket.bucketName);
    if (this.search) out('SearchUrl', this.search.url);
    for (const b of p.buckets) out(b.envName.replace(/_/g, ''), buckets.byKey.get(b.key)!.bucketName);
    for (const [name, repo] of this.repositories) {
      out(`RepositoryUri${name.split('/')[1]!.replace(/[^A-Za-z0-9]/g, '')}`, repo.repositoryUri);
    }
    if (this.deployRole)
      out('DeployRoleArn', this.deployRole.role.roleArn, 'set as the GitHub variable AWS_DEPLOY_ROLE_ARN');
    out('Dashboard', `https://console.aws.amazon.com/cloudwatch/home#dashboards:name=${m.name}-eks`);
    acknowledgeEksInternals(this);
  }

  /** What a workload's pods need before they start: their Pod Identity association. */
  private workloadPrereqs(name: string): Construct[] {
    const assoc = this.node.tryFindChild(`${pascal(name)}PodIdentity`);
    return assoc ? [assoc] : [];
  }

  /** A new Job name per image: the image tag for ECR images, a digest of the image and command otherwise. */
  private migrationSuffix(p: EksPlan, imageTag: CfnParameter | undefined): string {
    const mig = p.migration;
    if (!mig) return 'none';
    const owner = p.workloads.find((w) => w.name === mig.service)!;
    if (owner.image.kind === 'ecr' && imageTag) return imageTag.valueAsString;
    const ref = owner.image.kind === 'pinned' ? owner.image.ref : owner.image.repository;
    return createHash('sha256')
      .update(`${ref}\n${mig.command.join('\0')}`)
      .digest('hex')
      .slice(0, 12);
  }

  /** Regions launched before August 2022 deliver ALB logs from a regional ELB account. */
  private regionalElbAccount(region: string): string | undefined {
    return RegionInfo.get(region).elbv2Account;
  }

  /** What a workload's code may call in AWS, and the secrets it reads at start. */
  private podStatements(m: Manifest, w: EksWorkload, buckets: AppBuckets): iam.PolicyStatement[] {
    const statements: iam.PolicyStatement[] = [];
    if (w.awsUses.includes('bedrock') && m.integrations.bedrock) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'InvokeNamedModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: m.integrations.bedrock.models.map((model) =>
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
    if (w.awsUses.includes('ses') && m.integrations.ses) {
      const sender = m.integrations.ses.sender;
      statements.push(
        new iam.PolicyStatement({
          sid: 'SendFromSender',
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: sender }),
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: sender.split('@')[1]! }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': sender } },
        }),
      );
    }
    if (w.awsUses.includes('buckets')) statements.push(...buckets.accessStatements());
    const secretArns: string[] = [];
    for (const s of w.secrets) {
      if (s.source === 'database-url' && this.postgres) secretArns.push(this.postgres.urlSecret.ref);
      if (s.source === 'redis-url' && this.redis) secretArns.push(this.redis.urlSecret.ref);
    }
    if (secretArns.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadConnectionSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: secretArns,
        }),
      );
    }
    const params = w.secrets.filter((s) => s.objectType === 'ssmparameter');
    if (params.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadAppSecrets',
          actions: ['ssm:GetParameters'],
          resources: params.map((s) =>
            this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: s.objectName.slice(1) }),
          ),
        }),
      );
    }
    return statements;
  }
}

/** Usage only this stack can key: each app bucket's expected storage, by its logical id. */
export function eksStackUsage(stack: EksStack): Usage {
  const resources = stack.buckets.storageUsage();
  return Object.keys(resources).length ? { resources } : {};
}
