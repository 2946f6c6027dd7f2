/**
 * The app's Fargate services, one per manifest service: a task definition on the planned size and
 * architecture, a task role scoped to what the service uses, an execution role that pulls exactly
 * its image, writes its log group and reads its secrets (customer-managed policies: NIST flags
 * inline ones), circuit breaker with rollback, CPU target tracking, Fargate Spot for workers that
 * allow it, and a one-off migration task definition.
 */
import {
  Aws,
  type aws_applicationautoscaling as appscaling,
  type CfnCondition,
  type CfnParameter,
  Duration,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
  aws_secretsmanager as secretsmanager,
  aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Manifest } from '../../manifest/normalize.js';
import type { EcsPlan, EcsService } from '../../model/ecs.js';
import type { AppBuckets } from '../constructs/app-buckets.js';
import type { CacheReplicationGroup } from '../constructs/cache.js';
import type { PostgresDatabase } from '../constructs/postgres.js';
import { kmsKeyMonthly } from '../constructs/quotes.js';
import { acknowledge, acknowledgeWildcard } from '../nag.js';

export interface AppServicesProps {
  readonly manifest: Manifest;
  readonly ecs: EcsPlan;
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** CI's image tag (build services), and whether one has been published yet. */
  readonly imageTag?: { parameter: CfnParameter; published: CfnCondition };
  readonly postgres?: PostgresDatabase;
  readonly redis?: CacheReplicationGroup;
  readonly buckets: AppBuckets;
  /** https:// URL of the search domain (a Lazy when the domain is created after the services). */
  readonly searchUrl?: string;
}

/** One deployed service and what other parts of the stack attach to it. */
export interface DeployedService {
  plan: EcsService;
  service: ecs.FargateService;
  taskDefinition: ecs.FargateTaskDefinition;
  taskRole: iam.Role;
  /** The task role's policy; undefined when the service calls no AWS API. */
  taskPolicy?: iam.ManagedPolicy;
  executionRole: iam.Role;
  securityGroup: ec2.SecurityGroup;
  logGroup: logs.LogGroup;
}

/** Uses that mean AWS API calls from the app's code (the rest are network access only). */
const AWS_USES: readonly string[] = ['bedrock', 'ses', 'buckets', 'search'];

const ENV_REASON =
  'only the manifest’s non-secret settings (PORT, region, bucket names, URLs without credentials); every secret is injected from Secrets Manager or SSM Parameter Store';

export class AppServices extends Construct {
  public readonly services: DeployedService[] = [];
  public readonly repositories = new Map<string, ecr.Repository>();
  public readonly migration?: {
    taskDefinition: ecs.FargateTaskDefinition;
    securityGroup: ec2.SecurityGroup;
    executionRole: iam.Role;
    taskRole: iam.Role;
  };
  private readonly props: AppServicesProps;

  constructor(scope: Construct, id: string, props: AppServicesProps) {
    super(scope, id);
    this.props = props;
    const { ecs: plan, manifest: m } = props;
    const stack = Stack.of(this);

    for (const r of plan.repositories) {
      const repo = new ecr.Repository(this, `Repository-${r.services[0]}`, {
        repositoryName: r.name,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.AES_256,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [{ description: 'keep the last 30 images (rollbacks)', maxImageCount: 30 }],
      });
      this.repositories.set(r.name, repo);
    }

    const appSecretArn = (parameter: string) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameter.slice(1) });

    /** The container, roles and policies of one task definition. */
    const container = (
      s: EcsService,
      td: ecs.FargateTaskDefinition,
      executionPolicy: iam.ManagedPolicy,
      logGroup: logs.LogGroup,
      streamPrefix: string,
      command: string[] | undefined,
    ) => {
      const environment: Record<string, string> = {};
      for (const e of s.environment) {
        switch (e.value.kind) {
          case 'literal':
            environment[e.name] = e.value.value;
            break;
          case 'region':
            environment[e.name] = Aws.REGION;
            break;
          case 'search-url':
            if (!props.searchUrl)
              throw new Error(`${this.node.path}: ${s.service.name} uses search but no domain exists`);
            environment[e.name] = props.searchUrl;
            break;
          case 'bucket-name': {
            const bucket = props.buckets.byKey.get(e.value.bucket);
            if (!bucket) throw new Error(`${this.node.path}: no bucket ${e.value.bucket}`);
            environment[e.name] = bucket.bucketName;
            break;
          }
        }
      }
      const secrets: Record<string, ecs.Secret> = {};
      const statements: iam.PolicyStatement[] = [];
      const ssmArns: string[] = [];
      for (const sec of s.secrets) {
        switch (sec.source.kind) {
          case 'database-url': {
            const pg = props.postgres;
            if (!pg)
              throw new Error(`${this.node.path}: ${s.service.name} uses postgres but no database exists`);
            secrets[sec.name] = ecs.Secret.fromSecretsManager(
              secretsmanager.Secret.fromSecretCompleteArn(td, `Secret-${sec.name}`, pg.urlSecret.ref),
            );
            statements.push(pg.readUrlStatement());
            break;
          }
          case 'redis-url': {
            const r = props.redis;
            if (!r) throw new Error(`${this.node.path}: ${s.service.name} uses redis but no cache exists`);
            secrets[sec.name] = ecs.Secret.fromSecretsManager(
              secretsmanager.Secret.fromSecretCompleteArn(td, `Secret-${sec.name}`, r.urlSecret.ref),
            );
            statements.push(r.readUrlStatement());
            break;
          }
          case 'app-secret': {
            const param = ssm.StringParameter.fromSecureStringParameterAttributes(td, `Secret-${sec.name}`, {
              parameterName: sec.source.parameter,
            });
            secrets[sec.name] = ecs.Secret.fromSsmParameter(param);
            ssmArns.push(appSecretArn(sec.source.parameter));
            break;
          }
        }
      }
      if (ssmArns.length) {
        statements.push(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: ssmArns }));
      }
      let image: ecs.ContainerImage;
      if (s.image.kind === 'pinned') {
        image = ecs.ContainerImage.fromRegistry(s.image.ref);
      } else {
        const repo = this.repositories.get(s.image.repository);
        if (!repo || !props.imageTag)
          throw new Error(`${this.node.path}: no repository ${s.image.repository}`);
        image = ecs.ContainerImage.fromEcrRepository(repo, props.imageTag.parameter.valueAsString);
        statements.push(
          new iam.PolicyStatement({
            actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            resources: [repo.repositoryArn],
          }),
          new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        );
        acknowledge(
          executionPolicy,
          'AwsSolutions-IAM5[Resource::*]',
          'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are limited to this service’s repository',
        );
      }
      const logStreams = `${logGroup.logGroupArn}:*`;
      statements.push(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logStreams],
        }),
      );
      acknowledgeWildcard(
        executionPolicy,
        logStreams,
        'log streams of this service’s own log group, named by ECS per task',
      );
      for (const st of statements) executionPolicy.addStatements(st);
      const svc = s.service;
      if (!svc.readonlyRootFilesystem)
        acknowledge(
          td,
          'CT.ECS.PR.6',
          `the manifest sets services.${svc.name}.readonlyRootFilesystem: false — the ${svc.name} image writes to its own filesystem at run time, so its container cannot be read-only; set it back to true once the image writes only to /tmp`,
        );
      td.addContainer(svc.name, {
        image,
        essential: true,
        // The task's only container: its hard memory limit is the task's (Control Tower CT.ECS.PR.7
        // asks for one on the container, which Fargate's task size alone does not show).
        memoryLimitMiB: s.size.memoryMiB,
        // Least privilege, as on the lean host: the manifest's non-root uid:gid (never the image's
        // root default), no Linux capabilities, and the image read-only (Control Tower CT.ECS.PR.3
        // and CT.ECS.PR.6) with an in-memory /tmp (Fargate tmpfs, world-writable like any /tmp,
        // so the non-root user can write it; a bind-mount volume would be root-owned 0755).
        user: `${svc.user.uid}:${svc.user.gid}`,
        readonlyRootFilesystem: svc.readonlyRootFilesystem,
        linuxParameters: leastPrivilegeLinux(td, s.size.memoryMiB, svc.readonlyRootFilesystem),
        ...(svc.healthCommand && {
          healthCheck: {
            command: ['CMD', ...svc.healthCommand],
            interval: Duration.seconds(15),
            timeout: Duration.seconds(5),
            retries: 3,
            startPeriod: Duration.seconds(60),
          },
        }),
        ...(command && { command }),
        ...(Object.keys(environment).length > 0 && { environment }),
        ...(Object.keys(secrets).length > 0 && { secrets }),
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix }),
        ...(s.service.port !== undefined &&
          streamPrefix !== 'migrate' && {
            portMappings: [{ containerPort: s.service.port, name: s.service.name }],
          }),
      });
      acknowledge(td, 'AwsSolutions-ECS2', ENV_REASON);
    };

    const newRoles = (id: string, purpose: string) => {
      const executionRole = new iam.Role(this, `${id}ExecutionRole`, {
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        description: `${m.name} ${purpose}: pull the image, write logs, read secrets at task start`,
      });
      const executionPolicy = new iam.ManagedPolicy(this, `${id}ExecutionPolicy`, {
        description: `what ECS may do to start ${purpose}`,
        roles: [executionRole],
      });
      return { executionRole, executionPolicy };
    };

    for (const s of plan.services) {
      const name = s.service.name;
      const id = pascal(name);
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        logGroupName: s.logGroupName,
        retention: plan.logs.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        logGroup,
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        `${name}'s container output; CloudWatch encrypts logs at rest, a KMS key would add ${kmsKeyMonthly(this)} and a key policy for ECS`,
      );
      const taskRole = new iam.Role(this, `${id}TaskRole`, {
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        description: `${m.name} ${name}: what the app code may call in AWS`,
      });
      const awsUses = s.service.uses.filter((u) => AWS_USES.includes(u));
      const taskPolicy = awsUses.length
        ? new iam.ManagedPolicy(this, `${id}TaskPolicy`, {
            description: `AWS APIs ${name} calls: ${awsUses.join(', ')}`,
            roles: [taskRole],
            statements: this.awsStatements(s),
          })
        : undefined;
      if (taskPolicy && s.service.uses.includes('buckets')) {
        for (const [key, bucket] of props.buckets.byKey) {
          acknowledgeWildcard(
            taskPolicy,
            bucket.arnForObjects('*'),
            `objects of the app's ${key} bucket, which ${name} reads and writes by key at run time`,
          );
        }
      }
      const { executionRole, executionPolicy } = newRoles(id, name);
      const td = new ecs.FargateTaskDefinition(this, `${id}Task`, {
        family: `${m.name}-${name}`,
        cpu: s.size.cpuUnits,
        memoryLimitMiB: s.size.memoryMiB,
        runtimePlatform: {
          cpuArchitecture: s.arch === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
        taskRole: taskRole.withoutPolicyUpdates(),
        executionRole: executionRole.withoutPolicyUpdates(),
      });
      container(s, td, executionPolicy, logGroup, s.logStreamPrefix, s.service.command);
      const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
        vpc: props.vpc,
        description: `${name} tasks: ${s.exposure === 'alb' ? `${s.service.port} from the load balancer` : s.exposure === 'internal' ? `${s.service.port} from the other app services` : 'no inbound'}; out to the data stores and AWS APIs`,
        allowAllOutbound: true,
      });
      const service = new ecs.FargateService(this, `${id}Service`, {
        cluster: props.cluster,
        taskDefinition: td,
        desiredCount: s.desired,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { enable: true, rollback: true },
        ...(s.healthCheckGraceSeconds !== undefined && {
          healthCheckGracePeriod: Duration.seconds(s.healthCheckGraceSeconds),
        }),
        vpcSubnets: props.subnets,
        securityGroups: [securityGroup],
        assignPublicIp: false,
        platformVersion: ecs.FargatePlatformVersion.LATEST,
        propagateTags: ecs.PropagatedTagSource.SERVICE,
        enableECSManagedTags: true,
        ...(s.capacityProvider === 'FARGATE_SPOT' && {
          capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        }),
        ...(s.exposure === 'internal' && {
          cloudMapOptions: { name, dnsTtl: Duration.seconds(10) },
        }),
      });
      if (s.scaling) {
        const scaling = service.autoScaleTaskCount({ minCapacity: s.min, maxCapacity: s.max });
        scaling.scaleOnCpuUtilization('Cpu', {
          targetUtilizationPercent: s.scaling.cpuTargetPercent,
          scaleInCooldown: Duration.seconds(s.scaling.scaleInCooldownSeconds),
          scaleOutCooldown: Duration.seconds(s.scaling.scaleOutCooldownSeconds),
        });
        if (s.image.kind === 'ecr' && props.imageTag) {
          const target = scaling.node.findChild('Target').node.defaultChild as appscaling.CfnScalableTarget;
          target.addPropertyOverride(
            'MinCapacity',
            Fn.conditionIf(props.imageTag.published.logicalId, s.min, 0),
          );
          target.addPropertyOverride(
            'MaxCapacity',
            Fn.conditionIf(props.imageTag.published.logicalId, s.max, 0),
          );
        }
      }
      if (s.image.kind === 'ecr' && props.imageTag) {
        (service.node.defaultChild as ecs.CfnService).addPropertyOverride(
          'DesiredCount',
          Fn.conditionIf(props.imageTag.published.logicalId, s.desired, 0),
        );
      }
      this.services.push({
        plan: s,
        service,
        taskDefinition: td,
        taskRole,
        ...(taskPolicy && { taskPolicy }),
        executionRole,
        securityGroup,
        logGroup,
      });
    }

    // Internal services accept their port from the app's other services only.
    for (const d of this.services) {
      if (d.plan.exposure !== 'internal' || d.plan.service.port === undefined) continue;
      for (const other of this.services) {
        if (other === d) continue;
        d.securityGroup.addIngressRule(
          other.securityGroup,
          ec2.Port.tcp(d.plan.service.port),
          `${other.plan.service.name} calls ${d.plan.service.name}`,
        );
      }
    }

    // The one-off migration task: the migrating service's image, configuration and task role.
    if (plan.migration) {
      const owner = this.services.find((d) => d.plan.service.name === plan.migration!.service);
      if (!owner)
        throw new Error(`${this.node.path}: migration service ${plan.migration.service} is not deployed`);
      const logGroup = new logs.LogGroup(this, 'MigrationLogs', {
        logGroupName: `/stackplan/${m.name}/ecs/migrate`,
        retention: plan.logs.retentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        logGroup,
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        `migration output (schema changes applied); CloudWatch encrypts logs at rest, a KMS key would add ${kmsKeyMonthly(this)}`,
      );
      const { executionRole, executionPolicy } = newRoles('Migration', 'migration task');
      const td = new ecs.FargateTaskDefinition(this, 'MigrationTask', {
        family: plan.migration.family,
        cpu: owner.plan.size.cpuUnits,
        memoryLimitMiB: owner.plan.size.memoryMiB,
        runtimePlatform: {
          cpuArchitecture:
            owner.plan.arch === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
        taskRole: owner.taskRole.withoutPolicyUpdates(),
        executionRole: executionRole.withoutPolicyUpdates(),
      });
      container(owner.plan, td, executionPolicy, logGroup, 'migrate', plan.migration.command);
      const securityGroup = new ec2.SecurityGroup(this, 'MigrationSecurityGroup', {
        vpc: props.vpc,
        description: 'one-off migration tasks: no inbound; out to the database',
        allowAllOutbound: true,
      });
      this.migration = { taskDefinition: td, securityGroup, executionRole, taskRole: owner.taskRole };
    }
  }

  /** What a service's code may call in AWS: named Bedrock models, SES from the sender, app buckets, search. */
  private awsStatements(s: EcsService): iam.PolicyStatement[] {
    const { manifest: m, buckets } = this.props;
    const stack = Stack.of(this);
    const statements: iam.PolicyStatement[] = [];
    if (s.service.uses.includes('bedrock') && m.integrations.bedrock) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'InvokeNamedModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: m.integrations.bedrock.models.map((model) =>
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
    if (s.service.uses.includes('ses') && m.integrations.ses) {
      const sender = m.integrations.ses.sender;
      statements.push(
        new iam.PolicyStatement({
          sid: 'SendFromSender',
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: sender }),
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: sender.split('@')[1]! }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': sender } },
        }),
      );
    }
    if (s.service.uses.includes('buckets')) statements.push(...buckets.accessStatements());
    // The search statement is added by the stack once the domain exists (it needs these roles).
    return statements;
  }
}

/** No capabilities, and (with a read-only image) a private in-memory /tmp counted in the task's memory. */
function leastPrivilegeLinux(
  td: ecs.FargateTaskDefinition,
  memoryMiB: number,
  readOnly: boolean,
): ecs.LinuxParameters {
  const linux = new ecs.LinuxParameters(td, 'LinuxParameters'); // one container per task definition
  linux.dropCapabilities(ecs.Capability.ALL);
  if (readOnly) {
    linux.addTmpfs({
      containerPath: '/tmp',
      size: tmpSizeMiB(memoryMiB),
      mountOptions: [ecs.TmpfsMountOption.NOSUID, ecs.TmpfsMountOption.NODEV],
    });
  }
  return linux;
}

/** The size of the in-memory /tmp: a quarter of the memory, 16 to 256 MiB (as on the lean host). */
export function tmpSizeMiB(memoryMiB: number): number {
  return Math.min(256, Math.max(16, Math.floor(memoryMiB / 4)));
}

export function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
