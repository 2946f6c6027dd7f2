/**
 * What the design document says about an ecs deployment: the controls, RDS and ElastiCache
 * backups with the point-in-time restore, failure modes across Availability Zones, runbooks, and
 * how data enters RDS and ElastiCache (the upgrade path from a smaller tier).
 */
import type { DataMove, TierDesign, TierDesignContext } from '../../model/design.js';
import { stackOutput } from '../../model/design.js';
import type { EcsPlan } from '../../model/ecs.js';
import type { Plan } from '../../model/plan.js';

/** The first logical id of `type` that starts with `prefix` (CDK ids: construct path + hash). */
function logicalId(template: Record<string, unknown>, type: string, prefix: string): string | undefined {
  const resources = (template.Resources ?? {}) as Record<string, { Type: string }>;
  return Object.keys(resources)
    .sort()
    .find((id) => id.startsWith(prefix) && resources[id]?.Type === type);
}

export function ecsDesign(plan: Plan, ecs: EcsPlan, ctx: TierDesignContext): TierDesign {
  const m = plan.manifest;
  const region = m.region;
  const out = (key: string) => stackOutput(ctx.stackName, region, key);
  const physical = (id: string) =>
    `$(aws cloudformation describe-stack-resource --region ${region} --stack-name ${ctx.stackName} --logical-resource-id ${id} --query StackResourceDetail.PhysicalResourceId --output text)`;
  const all = ecs.edge.edgeStackRegion ? ' --all' : '';
  const pg = ecs.postgres;
  const dbId = logicalId(ctx.template, 'AWS::RDS::DBInstance', 'Postgres');
  const urlSecret = logicalId(ctx.template, 'AWS::SecretsManager::Secret', 'PostgresUrl');
  const redisUrl = logicalId(ctx.template, 'AWS::SecretsManager::Secret', 'CacheUrl');
  const services = ecs.services.map((s) => s.service.name);
  const dataIn: DataMove = {};
  if (pg && urlSecret) {
    dataIn.postgres = [
      {
        say: 'Upload the dump (./postgres.dump) to a bucket the temporary instance can read',
        run: 'aws s3 cp ./postgres.dump s3://<transfer bucket>/postgres.dump',
      },
      {
        say: 'The database sits in isolated subnets: restore from a temporary instance inside the VPC. Start one in a private subnet with the migration task’s security group (it may reach PostgreSQL), reachable by SSM (it needs an instance profile with AmazonSSMManagedInstanceCore)',
        run: `aws ec2 run-instances --region ${region} --instance-type t3.micro --image-id resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 --subnet-id $(echo ${out('PrivateSubnetIds')} | cut -d, -f1) --security-group-ids ${ecs.migration ? out('MigrationSecurityGroupId') : '<a security group the database accepts>'} --iam-instance-profile Name=<your SSM instance profile>`,
      },
      {
        say: `On that instance: install the PostgreSQL ${pg.engineVersion.split('.')[0]} client, fetch the dump, and restore it into ${pg.database} (the connection URL is in Secrets Manager)`,
        run: `sudo dnf install -y postgresql${pg.engineVersion.split('.')[0]}\naws s3 cp s3://<transfer bucket>/postgres.dump .\nDATABASE_URL=$(aws secretsmanager get-secret-value --region ${region} --secret-id ${physical(urlSecret)} --query SecretString --output text)\npg_restore --no-owner --no-acl --exit-on-error --dbname "$DATABASE_URL" postgres.dump`,
      },
      {
        say: 'Terminate the temporary instance',
        run: `aws ec2 terminate-instances --region ${region} --instance-ids <its id>`,
      },
    ];
  }
  if (ecs.redis) {
    dataIn.redis = [
      {
        say: `ElastiCache cannot load an RDB file into a running cluster: start ${ecs.redis.engine} empty (a cache refills; queued jobs drain on the old tier before the cutover)`,
      },
    ];
  }
  if (ecs.buckets.length) {
    dataIn.buckets = ecs.buckets.map((b) => ({
      say: `Copy the objects of bucket ${b.key} into the new tier's bucket`,
      run: `aws s3 sync s3://<old ${b.key} bucket>/ s3://${out(`Bucket${b.key.replace(/[^A-Za-z0-9]/g, '')}`)}/`,
    }));
  }
  return {
    rto: {
      hours: pg?.multiAz ? 0.1 : 0.5,
      basis: pg?.multiAz
        ? 'Fargate replaces failed tasks in another AZ and RDS Multi-AZ fails over in one to two minutes'
        : 'Fargate replaces failed tasks in minutes; a single-AZ database is restored to a point in time in about half an hour',
    },
    enforced: [
      `TLS at the edge: ${ecs.edge.alb ? `the load balancer's ${ecs.edge.alb.sslPolicy}` : ''}${ecs.edge.cdn ? `${ecs.edge.alb ? '; ' : ''}CloudFront ${ecs.edge.cdn.minimumProtocolVersion}` : ''}; HTTP redirected to HTTPS`,
      'No SSH and no instances to log into: Fargate tasks in private subnets, reached only through the load balancer',
      `Secrets in Secrets Manager and Parameter Store (${ecs.params.secrets}), injected into tasks by ECS; never in the template or images`,
      'One task role per service, allowed only the buckets, queues and parameters it uses',
      'Encryption at rest for RDS, ElastiCache, S3 and logs; TLS to ElastiCache; databases in isolated subnets',
      ...(ecs.edge.waf
        ? [
            `AWS WAF: ${ecs.edge.waf.managedRuleGroups.join(', ')}, and a rate limit of ${ecs.edge.waf.rateLimitPer5Minutes} requests per 5 minutes per client`,
          ]
        : []),
      `VPC flow logs (${ecs.network.flowLogs.traffic} traffic, ${ecs.network.flowLogs.retentionDays} days)`,
    ],
    backups: [
      ...(pg
        ? [
            {
              what: `RDS PostgreSQL ${pg.engineVersion} (${pg.database}): daily automated snapshots and transaction logs`,
              schedule:
                'daily snapshot in the backup window; transaction logs every 5 minutes (point-in-time recovery)',
              retention: `${pg.backupRetentionDays} days`,
              where: 'RDS automated backups, in the region, encrypted',
              verified:
                'RDS checks each snapshot; restore to a point in time into a new instance (below) to test',
            },
          ]
        : []),
      ...(ecs.redis && ecs.redis.snapshotRetentionDays > 0
        ? [
            {
              what: `ElastiCache ${ecs.redis.engine} snapshots`,
              schedule: 'daily',
              retention: `${ecs.redis.snapshotRetentionDays} days`,
              where: 'ElastiCache snapshots, in the region',
              verified: 'restore a snapshot into a new cluster to test',
            },
          ]
        : []),
    ],
    restore:
      pg && dbId
        ? [
            {
              say: 'Restore the database to a point in time (here: the latest restorable) into a new instance in the same subnets and security groups',
              run: `db=${physical(dbId)}\naws rds describe-db-instances --region ${region} --db-instance-identifier $db --query "DBInstances[0].[DBSubnetGroup.DBSubnetGroupName,join(',',VpcSecurityGroups[].VpcSecurityGroupId)]" --output text\naws rds restore-db-instance-to-point-in-time --region ${region} --source-db-instance-identifier $db --target-db-instance-identifier $db-restored --use-latest-restorable-time --db-subnet-group-name <subnet group above> --vpc-security-group-ids <security groups above>${pg.multiAz ? ' --multi-az' : ''}\naws rds wait db-instance-available --region ${region} --db-instance-identifier $db-restored`,
            },
            {
              say: 'Check the restored data, then swap the names so the app’s connection URL (which names the endpoint) reaches the restored instance; the old one stays, renamed',
              run: `aws rds modify-db-instance --region ${region} --db-instance-identifier $db --new-db-instance-identifier $db-old --apply-immediately\naws rds wait db-instance-available --region ${region} --db-instance-identifier $db-old\naws rds modify-db-instance --region ${region} --db-instance-identifier $db-restored --new-db-instance-identifier $db --apply-immediately`,
            },
            {
              say: 'Restart the services so they reconnect',
              run: services
                .map(
                  (s) =>
                    `aws ecs update-service --region ${region} --cluster ${out('ClusterName')} --service <${s} service> --force-new-deployment`,
                )
                .join('\n'),
            },
          ]
        : [],
    failureModes: [
      {
        failure: 'A task crashes or fails its health check',
        response: 'ECS replaces it; the load balancer stops sending it requests',
        recovery: 'a minute or two',
      },
      {
        failure: 'An Availability Zone goes down',
        response: `tasks run in ${ecs.network.azCount} AZs and are replaced in the others${pg ? (pg.multiAz ? '; RDS fails over to its standby' : '; the single-AZ database is down until the zone returns or it is restored to a point in time in another zone') : ''}`,
        recovery: pg?.multiAz ? '1–2 minutes' : 'until the zone returns, or about half an hour to restore',
      },
      ...(pg
        ? [
            {
              failure: 'The database instance fails',
              response: pg.multiAz
                ? 'RDS fails over to the synchronous standby (same endpoint)'
                : 'RDS replaces the instance; data since the last transaction log (5 minutes) may be lost',
              recovery: pg.multiAz ? '1–2 minutes' : 'tens of minutes',
            },
          ]
        : []),
      {
        failure: 'A deploy breaks the app',
        response: 'the ECS deployment circuit breaker rolls back to the last working task definition',
        recovery: 'minutes',
      },
    ],
    runbook: {
      first: [
        ...ecs.prerequisites.map((p) => ({ say: p })),
        { say: 'Deploy', run: `npx aws-cdk deploy --app ${ctx.assemblyDir}${all}` },
        ...ecs.edge.dns.manualSteps.map((s) => ({ say: s })),
        ...(ecs.ci
          ? [
              {
                say: `Push to ${ecs.ci.branch}: the workflow ${ecs.ci.workflowFile} builds the images, publishes their tag and deploys`,
              },
            ]
          : []),
      ],
      update: [
        {
          say: 'Review the change, then deploy',
          run: `npx aws-cdk diff --app ${ctx.assemblyDir}${all}\nnpx aws-cdk deploy --app ${ctx.assemblyDir}${all}`,
        },
      ],
      rollback: [
        ...(ecs.imageTagParameter
          ? [
              {
                say: 'Put the previous image tag back and redeploy',
                run: `aws ssm put-parameter --region ${region} --overwrite --type String --name ${ecs.imageTagParameter} --value '<previous tag>'\nnpx aws-cdk deploy --app ${ctx.assemblyDir}${all}`,
              },
            ]
          : []),
        {
          say: 'Infrastructure: re-plan from the previous manifest (git) and deploy it; CloudFormation rolls back a failed deploy by itself',
        },
      ],
      rotateSecrets: [
        {
          say: 'App secrets: write the new value, then start new tasks (ECS reads secrets when a task starts)',
          run: `aws ssm put-parameter --region ${region} --overwrite --type SecureString --name ${ecs.params.secrets}<NAME> --value '<new value>'\naws ecs update-service --region ${region} --cluster ${out('ClusterName')} --service <service> --force-new-deployment`,
        },
      ],
      destroy: [{ say: 'Destroy the stacks', run: `npx aws-cdk destroy --app ${ctx.assemblyDir}${all}` }],
      survives: pg ? [`a final snapshot of the database (taken on delete)`] : [],
    },
    dataOut: {
      ...(pg && urlSecret
        ? {
            postgres: [
              {
                say: 'Dump the database from a temporary instance inside the VPC (as in the restore)',
                run: `pg_dump --format=custom --file=postgres.dump "$DATABASE_URL"`,
              },
            ],
          }
        : {}),
      ...(redisUrl
        ? { redis: [{ say: 'Caches and queues are not moved: drain queued jobs before the cutover' }] }
        : {}),
    },
    dataIn,
    dnsTarget: ecs.edge.cdn
      ? 'CloudFront (output DistributionDomainName)'
      : 'the load balancer (output LoadBalancerDnsName)',
  };
}
