/**
 * Conformance with the hand-written designs the examples encode: every component such a design
 * lists (described in words in each table below) maps to the resource(s) of the generated ecs
 * template that implement it — or, where the
 * seed's component is a flaw or not infrastructure, to what replaces it and why. One table per
 * example: support-analytics (seed 003), default-rate (seed 004) and cloud-consulting's
 * stackplan.ha.yaml (seed 001's multi-az-ha shape).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';
import { ecsPlanOf } from '../../src/model/ecs.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { renderGithubWorkflow } from '../../src/render/ci/github.js';
import { synthTier } from '../../src/synth/index.js';

type Json = Record<string, any>;
interface Ctx {
  plan: Plan;
  template: Json;
  workflow: string;
}

/** A seed component and the logical ids (or workflow jobs) that implement it. */
interface Component {
  component: string;
  /** The seed's own words. */
  seed: string;
  /** What implements it; must find at least one resource. */
  find: (c: Ctx) => string[];
  /** When the generated design deliberately differs from the seed: how and why. */
  differs?: string;
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-conformance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// --- Lookups over a template ------------------------------------------------------------------
const R = (c: Ctx) => Object.entries(c.template.Resources as Record<string, Json>);
const ofType = (c: Ctx, type: string, where: (p: Json, r: Json) => boolean = () => true) =>
  R(c)
    .filter(([, r]) => r.Type === type && where(r.Properties ?? {}, r))
    .map(([id]) => id);
const has = (v: unknown, needle: string) => String(JSON.stringify(v)).includes(needle);
const taskDef = (c: Ctx, family: string, where: (p: Json) => boolean = () => true) =>
  ofType(c, 'AWS::ECS::TaskDefinition', (p) => p.Family === family && where(p));
const serviceOf = (c: Ctx, family: string, where: (p: Json) => boolean = () => true) => {
  const [td] = taskDef(c, family);
  return ofType(c, 'AWS::ECS::Service', (p) => p.TaskDefinition?.Ref === td && where(p));
};
const desired = (p: Json) =>
  typeof p.DesiredCount === 'number' ? p.DesiredCount : p.DesiredCount?.['Fn::If']?.[1];
const ingressTo = (c: Ctx, port: number, fromIdPrefix: string) =>
  ofType(
    c,
    'AWS::EC2::SecurityGroupIngress',
    (p) =>
      p.FromPort === port && String(p.SourceSecurityGroupId?.['Fn::GetAtt']?.[0]).startsWith(fromIdPrefix),
  );
const alarmsOn = (c: Ctx, metric: string) =>
  ofType(
    c,
    'AWS::CloudWatch::Alarm',
    (p) => p.MetricName === metric || has(p.Metrics, `"MetricName":"${metric}"`),
  );
const subnetsOfType = (c: Ctx, type: string) =>
  ofType(c, 'AWS::EC2::Subnet', (p) =>
    p.Tags?.some((t: Json) => t.Key === 'aws-cdk:subnet-type' && t.Value === type),
  );
const policyWith = (c: Ctx, needle: string) =>
  ofType(c, 'AWS::IAM::ManagedPolicy', (p) => has(p.PolicyDocument, needle));
const workflowJob = (c: Ctx, job: string, needle: string) =>
  new RegExp(`^ {2}${job}:\\n(?: {4}.*\\n| {6,}.*\\n)*`, 'm').exec(c.workflow)?.[0].includes(needle)
    ? [`workflow job ${job}`]
    : [];

// --- Seed 003: Support Analytics ---------------------------------------------------------------
const SEED_003: Component[] = [
  {
    component: 'static frontend on S3 + CloudFront',
    seed: 'Internet → CloudFront (CDN) → S3 (Static Frontend); S3 bucket policies for CloudFront-only access',
    find: (c) => [
      ...ofType(c, 'AWS::CloudFront::Distribution'),
      ...ofType(c, 'AWS::CloudFront::OriginAccessControl'),
      ...ofType(c, 'AWS::S3::Bucket', (_p, r) => has(r, 'static-site/')),
    ],
  },
  {
    component: 'CloudFront gzip compression',
    seed: 'Gzip compression enabled; HTTP/2 and TLS 1.3',
    find: (c) =>
      ofType(
        c,
        'AWS::CloudFront::Distribution',
        (p) =>
          p.DistributionConfig.DefaultCacheBehavior.Compress === true &&
          p.DistributionConfig.HttpVersion === 'http2and3',
      ),
  },
  {
    component: 'Application Load Balancer with health checks',
    seed: 'ALB (Application Load Balancer); ALB configured with health checks',
    find: (c) => [
      ...ofType(c, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
      ...ofType(c, 'AWS::ElasticLoadBalancingV2::TargetGroup', (p) => p.HealthCheckPath === '/health'),
    ],
  },
  {
    component: 'ECS Fargate cluster',
    seed: 'ECS Fargate Cluster (Backend API)',
    find: (c) => ofType(c, 'AWS::ECS::Cluster'),
  },
  {
    component: 'backend API: 2 tasks @ 0.5 vCPU, 1 GB, auto-scaling on CPU 70%',
    seed: 'ECS Fargate (2 tasks @ 0.5 vCPU, 1GB RAM); ECS auto-scaling based on CPU (target: 70%)',
    find: (c) => [
      ...taskDef(c, 'support-analytics-api', (p) => p.Cpu === '512' && p.Memory === '1024'),
      ...serviceOf(c, 'support-analytics-api', (p) => desired(p) === 2),
      ...ofType(
        c,
        'AWS::ApplicationAutoScaling::ScalingPolicy',
        (p) =>
          p.TargetTrackingScalingPolicyConfiguration?.TargetValue === 70 && has(p.ScalingTargetId, 'Api'),
      ),
    ],
  },
  {
    component: 'ML service: 1 task @ 1 vCPU, 2 GB',
    seed: 'ML Service - ECS Fargate (1 task @ 1 vCPU, 2GB RAM)',
    find: (c) => [
      ...taskDef(c, 'support-analytics-ml', (p) => p.Cpu === '1024' && p.Memory === '2048'),
      ...serviceOf(c, 'support-analytics-ml', (p) => desired(p) === 1),
      ...ofType(c, 'AWS::ServiceDiscovery::Service', (p) => p.Name === 'ml'),
    ],
    differs: 'reached at ml.support-analytics.internal (Cloud Map), as the seed’s ML_SERVICE_URL says',
  },
  {
    component: 'Celery workers on Spot, Redis as broker',
    seed: 'Celery uses Redis for both broker and backend; Use Spot Instances for ECS',
    find: (c) => [
      ...taskDef(
        c,
        'support-analytics-worker',
        (p) => has(p.ContainerDefinitions, 'celery') && has(p.ContainerDefinitions, 'REDIS_URL'),
      ),
      ...serviceOf(c, 'support-analytics-worker', (p) => has(p.CapacityProviderStrategy, 'FARGATE_SPOT')),
    ],
  },
  {
    component: 'RDS PostgreSQL db.t4g.small (Graviton2), 20 GB',
    seed: 'RDS PostgreSQL db.t4g.small (Graviton2); Storage: 20GB SSD',
    find: (c) =>
      ofType(
        c,
        'AWS::RDS::DBInstance',
        (p) => p.DBInstanceClass === 'db.t4g.small' && p.AllocatedStorage === '20' && p.StorageType === 'gp3',
      ),
  },
  {
    component: 'ElastiCache Redis cache.t4g.micro',
    seed: 'ElastiCache Redis cache.t4g.micro',
    find: (c) =>
      ofType(c, 'AWS::ElastiCache::ReplicationGroup', (p) => p.CacheNodeType === 'cache.t4g.micro'),
    differs:
      'Valkey (the Redis OSS 7.2 protocol, 20% cheaper) with a replica: the seed’s single node as the only Celery broker is a listed flaw',
  },
  {
    component: 'OpenSearch t3.small.search, 1 node, 10 GB',
    seed: 'OpenSearch t3.small.search (1 node); 10GB EBS storage',
    find: (c) =>
      ofType(
        c,
        'AWS::OpenSearchService::Domain',
        (p) =>
          p.ClusterConfig.InstanceType === 't3.small.search' &&
          p.ClusterConfig.InstanceCount === 1 &&
          p.EBSOptions.VolumeSize === 10,
      ),
    differs:
      'no replicas on a single node (OPENSEARCH_REPLICAS=0): the seed’s 1 replica on one node is a listed flaw',
  },
  {
    component: 'Bedrock Claude 3 Haiku for NLQ',
    seed: 'AWS Bedrock (Claude 3 Haiku) for NLQ; BEDROCK_MODEL_ID=anthropic.claude-3-haiku-20240307-v1:0',
    find: (c) => policyWith(c, 'foundation-model/anthropic.claude-3-haiku-20240307-v1:0'),
  },
  {
    component: 'VPC with NAT gateway',
    seed: 'VPC with NAT Gateway',
    find: (c) => [...ofType(c, 'AWS::EC2::VPC'), ...ofType(c, 'AWS::EC2::NatGateway')],
  },
  {
    component: 'VPC endpoints for S3/ECR',
    seed: 'Use VPC Endpoints for S3/ECR to reduce NAT costs; Use S3 Gateway Endpoint',
    find: (c) =>
      ofType(c, 'AWS::EC2::VPCEndpoint', (p) => p.VpcEndpointType === 'Gateway' && has(p.ServiceName, '.s3')),
    differs:
      'the free S3 gateway endpoint carries ECR image layers (stored in S3); ECR API interface endpoints ($14.60/month each over 2 AZs) cost more than the NAT traffic they would save here',
  },
  {
    component: 'private subnets for RDS, Redis, OpenSearch',
    seed: 'Private subnets for RDS, Redis, OpenSearch',
    find: (c) => [
      ...subnetsOfType(c, 'Isolated'),
      ...ofType(c, 'AWS::RDS::DBSubnetGroup', (p) => has(p.SubnetIds, 'dataSubnet')),
      ...ofType(c, 'AWS::ElastiCache::SubnetGroup', (p) => has(p.SubnetIds, 'dataSubnet')),
      ...ofType(c, 'AWS::OpenSearchService::Domain', (p) => has(p.VPCOptions, 'dataSubnet')),
    ],
  },
  {
    component: 'security groups with least privilege',
    seed: 'Security groups with least privilege',
    find: (c) => [
      ...ingressTo(c, 5432, 'ServicesApi'),
      ...ingressTo(c, 6379, 'ServicesWorker'),
      ...ingressTo(c, 443, 'ServicesApi'),
    ],
  },
  {
    component: 'secrets in Secrets Manager',
    seed: 'Store secrets in AWS Secrets Manager (DATABASE_URL, REDIS_URL, JWT_SECRET)',
    find: (c) => [
      ...ofType(c, 'AWS::SecretsManager::Secret', (p) => has(p.SecretString, 'postgresql://')),
      ...ofType(c, 'AWS::SecretsManager::Secret', (p) => has(p.SecretString, 'rediss://')),
      ...ofType(c, 'Custom::SecureParameters', (p) => has(p.Names, 'JWT_SECRET')),
    ],
    differs:
      'JWT_SECRET is generated into SSM Parameter Store (SecureString, free); the URLs carry no literal password',
  },
  {
    component: 'IAM roles for ECS tasks',
    seed: 'Use IAM roles for ECS tasks (no hardcoded credentials)',
    find: (c) =>
      ofType(c, 'AWS::IAM::Role', (p) => has(p.AssumeRolePolicyDocument, 'ecs-tasks.amazonaws.com')),
  },
  {
    component: 'encryption: RDS at rest, ElastiCache in transit, OpenSearch at rest + node-to-node, S3',
    seed: 'RDS encryption at rest; ElastiCache encryption in transit; OpenSearch encryption at rest + node-to-node TLS; S3 bucket encryption (AES-256)',
    find: (c) => [
      ...ofType(c, 'AWS::RDS::DBInstance', (p) => p.StorageEncrypted === true),
      ...ofType(
        c,
        'AWS::ElastiCache::ReplicationGroup',
        (p) => p.TransitEncryptionEnabled && p.AtRestEncryptionEnabled,
      ),
      ...ofType(
        c,
        'AWS::OpenSearchService::Domain',
        (p) => p.EncryptionAtRestOptions.Enabled && p.NodeToNodeEncryptionOptions.Enabled,
      ),
      ...ofType(c, 'AWS::S3::Bucket', (p) => has(p.BucketEncryption, 'AES256')),
    ],
  },
  {
    component: 'uploads bucket',
    seed: 'CSV upload and processing works',
    find: (c) => ofType(c, 'AWS::S3::Bucket', (_p, r) => has(r, 'app-buckets/uploads/')),
  },
  {
    component: 'ECR repositories for the backend and ML images',
    seed: 'Push Docker images to ECR; Backend Docker image in ECR; ML service Docker image in ECR',
    find: (c) =>
      ofType(c, 'AWS::ECR::Repository', (p) =>
        ['support-analytics/api', 'support-analytics/ml'].includes(p.RepositoryName),
      ),
  },
  {
    component: 'GitHub Actions: build, push, update ECS',
    seed: 'deploy-backend: Build Docker image, Push to ECR, Update ECS service',
    find: (c) => [
      ...ofType(c, 'AWS::IAM::OIDCProvider'),
      ...policyWith(c, 'ecr:PutImage'),
      ...workflowJob(c, 'images', 'docker buildx build'),
      ...workflowJob(c, 'deploy', 'aws-cdk@2 deploy'),
    ],
    differs: 'OIDC instead of the long-lived keys seed 003 kept in CI; images tagged with the commit SHA',
  },
  {
    component: 'GitHub Actions: upload the React build to S3, invalidate CloudFront',
    seed: 'deploy-frontend: Build React app, Upload to S3, Invalidate CloudFront cache',
    find: (c) => [
      ...policyWith(c, 'cloudfront:CreateInvalidation'),
      ...workflowJob(c, 'static', 'create-invalidation'),
    ],
  },
  {
    component: 'GitHub Actions: run Alembic migrations',
    seed: 'run-migrations: Run Alembic migrations on RDS',
    find: (c) => [
      ...taskDef(c, 'support-analytics-migrate', (p) => has(p.ContainerDefinitions, 'alembic')),
      ...workflowJob(c, 'migrate', 'aws ecs run-task'),
    ],
  },
  {
    component: 'CloudWatch dashboards, alarms and logs',
    seed: 'CloudWatch Dashboards for all services; CloudWatch Alarms for CPU, memory, disk; CloudWatch Logs',
    find: (c) => [
      ...ofType(c, 'AWS::CloudWatch::Dashboard'),
      ...alarmsOn(c, 'CPUUtilization'),
      ...alarmsOn(c, 'DatabaseMemoryUsagePercentage'),
      ...alarmsOn(c, 'FreeStorageSpace'),
      ...ofType(c, 'AWS::Logs::LogGroup', (p) =>
        String(p.LogGroupName).startsWith('/stackplan/support-analytics/ecs/'),
      ),
    ],
  },
  {
    component: 'WAF (optional)',
    seed: 'ALB with WAF for DDoS protection (optional, +$5/mo)',
    find: (c) =>
      c.plan.manifest.waf
        ? ofType(c, 'AWS::WAFv2::WebACL')
        : ['waf: false in the manifest (acknowledged on the ALB)'],
    differs: 'off unless the manifest sets waf: true (the seed calls it optional)',
  },
  {
    component: 'Route 53 DNS (optional)',
    seed: 'Set up Route53 DNS (optional)',
    find: (c) =>
      ecsPlanOf(c.plan)!.edge.dns.manualSteps.length ? ['plan prints the DNS records to add by hand'] : [],
    differs:
      'the example names no hosted zone, so plan lists the records; with hostedZone the stack creates them',
  },
];

// --- Seed 004: Default Rate --------------------------------------------------------------------
const SEED_004: Component[] = [
  {
    component: 'VPC over 2 AZs: public and private subnets, internet gateway, one NAT gateway',
    seed: 'VPC 10.0.0.0/16; Public Subnets (2 AZs); Private Subnets (2 AZs); Internet Gateway + NAT Gateway (1 only)',
    find: (c) => [
      ...ofType(c, 'AWS::EC2::VPC', (p) => p.CidrBlock === '10.0.0.0/16'),
      ...subnetsOfType(c, 'Public'),
      ...subnetsOfType(c, 'Private'),
      ...ofType(c, 'AWS::EC2::InternetGateway'),
      ...(ofType(c, 'AWS::EC2::NatGateway').length === 1 ? ofType(c, 'AWS::EC2::NatGateway') : []),
    ],
    differs: 'isolated subnets added for RDS and Redis (no route out of the VPC)',
  },
  {
    component: 'ALB-SG: 80 and 443 from the internet',
    seed: 'ALB-SG: 80,443 from internet',
    find: (c) =>
      ofType(
        c,
        'AWS::EC2::SecurityGroup',
        (p) => has(p.SecurityGroupIngress, '"FromPort":443') && has(p.SecurityGroupIngress, '"FromPort":80'),
      ),
  },
  {
    component: 'ECS-SG: 8000 from the ALB',
    seed: 'ECS-SG: 8000 from ALB',
    find: (c) => ingressTo(c, 8000, 'EdgeLoadBalancer'),
  },
  {
    component: 'RDS-SG: 5432 from ECS only',
    seed: 'RDS-SG: 5432 from ECS only',
    find: (c) => ingressTo(c, 5432, 'ServicesApp'),
  },
  {
    component: 'Redis-SG: 6379 from ECS only',
    seed: 'Redis-SG: 6379 from ECS only',
    find: (c) => ingressTo(c, 6379, 'ServicesApp'),
  },
  {
    component: 'RDS PostgreSQL micro, 20 GB, Single-AZ, 7-day backups',
    seed: 'Instance: db.t3.micro; Storage: 20GB; Single-AZ deployment; Automated backups: 7 days',
    find: (c) =>
      ofType(
        c,
        'AWS::RDS::DBInstance',
        (p) =>
          p.DBInstanceClass === 'db.t4g.micro' &&
          p.AllocatedStorage === '20' &&
          p.MultiAZ === false &&
          p.BackupRetentionPeriod === 7,
      ),
    differs: 'db.t4g.micro: the Graviton class of the same size is $1.46/month cheaper',
  },
  {
    component: 'ElastiCache Redis micro',
    seed: 'ElastiCache Redis: cache.t3.micro, Single node (no replication initially), private subnet',
    find: (c) =>
      ofType(c, 'AWS::ElastiCache::ReplicationGroup', (p) => p.CacheNodeType === 'cache.t4g.micro'),
    differs:
      'Graviton Valkey with a replica: Redis is the Celery broker, and one node as the only broker loses queued jobs',
  },
  {
    component: 'S3 bucket for ML models',
    seed: 'S3 Bucket: default-rate-ml-models-prod',
    find: (c) => ofType(c, 'AWS::S3::Bucket', (_p, r) => has(r, 'app-buckets/models/')),
  },
  {
    component: 'ECR repository',
    seed: 'aws ecr create-repository --repository-name default-rate-app',
    find: (c) =>
      ofType(
        c,
        'AWS::ECR::Repository',
        (p) => p.ImageTagMutability === 'IMMUTABLE' && p.ImageScanningConfiguration.ScanOnPush === true,
      ),
    differs:
      'immutable tags and scan on push (the seed pushed :latest to a mutable repository, a listed flaw)',
  },
  {
    component: 'ECS cluster (Fargate)',
    seed: 'ECS Cluster: default-rate-cluster (Fargate)',
    find: (c) => ofType(c, 'AWS::ECS::Cluster'),
  },
  {
    component: 'one service, 0.5 vCPU / 1 GB, 1-5 tasks on 70% CPU',
    seed: 'Min Tasks: 1; Max Tasks: 5; CPU: 512; Memory: 1024; Target Tracking CPU 70%, scale in cooldown 300 s',
    find: (c) => [
      ...taskDef(c, 'default-rate-app', (p) => p.Cpu === '512' && p.Memory === '1024'),
      ...ofType(
        c,
        'AWS::ApplicationAutoScaling::ScalableTarget',
        (p) => has(p.MinCapacity, '1') && has(p.MaxCapacity, '5'),
      ),
      ...ofType(
        c,
        'AWS::ApplicationAutoScaling::ScalingPolicy',
        (p) =>
          p.TargetTrackingScalingPolicyConfiguration?.TargetValue === 70 &&
          p.TargetTrackingScalingPolicyConfiguration?.ScaleInCooldown === 300,
      ),
    ],
  },
  {
    component: 'task definition: secrets from Parameter Store, awslogs',
    seed: 'secrets DATABASE_URL, REDIS_URL, SECRET_KEY valueFrom /default-rate/...; logDriver awslogs',
    find: (c) =>
      taskDef(
        c,
        'default-rate-app',
        (p) =>
          has(p.ContainerDefinitions, ':parameter/stackplan/default-rate/ecs/secrets/SECRET_KEY') &&
          has(p.ContainerDefinitions, '"awslogs-stream-prefix":"app"'),
      ),
    differs:
      'awslogs-stream-prefix set and no curl health check in the image (both listed flaws); URLs in Secrets Manager',
  },
  {
    component: 'ALB, target group HTTP 8000 with /health, 80 → 443, HTTPS forward',
    seed: 'Target Group Protocol: HTTP, Port: 8000, Health Check: /health; HTTP (80): Redirect to HTTPS; HTTPS (443): Forward',
    find: (c) => [
      ...ofType(
        c,
        'AWS::ElasticLoadBalancingV2::TargetGroup',
        (p) => p.Port === 8000 && p.HealthCheckPath === '/health',
      ),
      ...ofType(
        c,
        'AWS::ElasticLoadBalancingV2::Listener',
        (p) => p.Port === 80 && has(p.DefaultActions, 'redirect'),
      ),
      ...ofType(
        c,
        'AWS::ElasticLoadBalancingV2::Listener',
        (p) =>
          p.Port === 443 &&
          p.SslPolicy === 'ELBSecurityPolicy-TLS13-1-2-2021-06' &&
          has(p.DefaultActions, 'forward'),
      ),
    ],
  },
  {
    component: 'ACM certificate with DNS validation',
    seed: 'AWS Certificate Manager: Validation: DNS',
    find: (c) => ofType(c, 'AWS::CertificateManager::Certificate', (p) => p.ValidationMethod === 'DNS'),
  },
  {
    component: 'CloudWatch log group with retention',
    seed: 'Log Groups: /ecs/default-rate (retention: 7 days)',
    find: (c) =>
      ofType(
        c,
        'AWS::Logs::LogGroup',
        (p) => p.LogGroupName === '/stackplan/default-rate/ecs/app' && p.RetentionInDays > 0,
      ),
    differs: '30 days: a month covers incident review',
  },
  {
    component: 'alarm: running tasks < 1',
    seed: 'ECS Service Health - Metric: Running task count < 1 - Action: SNS notification',
    find: (c) => alarmsOn(c, 'RunningTaskCount'),
    differs: 'running below desired, not just below 1',
  },
  {
    component: 'alarm: ALB target health',
    seed: 'ALB Health - Metric: Target health < 1',
    find: (c) => alarmsOn(c, 'UnHealthyHostCount'),
  },
  {
    component: 'alarm: database connections',
    seed: 'Database Health - Metric: Database connections',
    find: (c) => alarmsOn(c, 'DatabaseConnections'),
  },
  {
    component: 'SNS notification for alarms',
    seed: 'Action: SNS notification',
    find: (c) => ofType(c, 'AWS::SNS::Subscription', (p) => p.Protocol === 'email'),
  },
  {
    component: 'SSM Parameter Store secrets',
    seed: 'aws ssm put-parameter --name "/default-rate/secret-key" --type "SecureString"',
    find: (c) => ofType(c, 'Custom::SecureParameters', (p) => has(p.Names, 'SECRET_KEY')),
    differs: 'generated at deploy time inside AWS, never typed into a shell',
  },
  {
    component: 'GitHub Actions deploy on push to prod',
    seed: 'on: push: branches: [prod]; Build and push; Deploy to ECS',
    find: (c) => [
      ...ofType(c, 'AWS::IAM::Role', (p) =>
        has(p.AssumeRolePolicyDocument, 'repo:default-rate/default-rate-backend:ref:refs/heads/prod'),
      ),
      ...(c.workflow.includes('branches: [prod]') ? ['workflow on: push: prod'] : []),
      ...workflowJob(c, 'images', 'default-rate/app:$IMAGE_TAG'),
    ],
    differs:
      'OIDC role for the repository and branch instead of AWS_ACCESS_KEY_ID secrets; commit-SHA tags, never :latest',
  },
];

// --- Seed 001: Cloud Consulting, multi-az-ha -----------------------------------------------------
const SEED_001: Component[] = [
  {
    component: 'VPC over 3 AZs with public, private and database subnets',
    seed: 'Availability Zones: 3 AZs; Public Subnets ×3 (ALB, NAT Gateways); Private ×3; Database Subnets ×3 (RDS, ElastiCache)',
    find: (c) => {
      const ids = [
        ...subnetsOfType(c, 'Public'),
        ...subnetsOfType(c, 'Private'),
        ...subnetsOfType(c, 'Isolated'),
      ];
      return ids.length === 9 ? ids : [];
    },
  },
  {
    component: 'a NAT gateway per AZ',
    seed: 'nat: gateway: HighlyAvailable',
    find: (c) => (ofType(c, 'AWS::EC2::NatGateway').length === 3 ? ofType(c, 'AWS::EC2::NatGateway') : []),
  },
  {
    component: 'backend replicas across AZs, scaling 3-10',
    seed: 'managedNodeGroups minSize 2, maxSize 10; backend replicas: 3',
    find: (c) => [
      ...serviceOf(c, 'cloud-consulting-api', (p) => desired(p) === 3),
      ...ofType(
        c,
        'AWS::ApplicationAutoScaling::ScalableTarget',
        (p) => p.MinCapacity === 3 && p.MaxCapacity === 10,
      ),
    ],
    differs:
      'Fargate tasks instead of EKS pods on a node group (ecs is the cheaper tier meeting multi-az-ha; force tier: eks for Kubernetes)',
  },
  {
    component: 'RDS PostgreSQL Multi-AZ, encrypted, 7-day backups, deletion protection, 100 GB',
    seed: 'Engine postgres; MultiAZ: true; StorageEncrypted: true; BackupRetentionPeriod: 7; DeletionProtection: true; AllocatedStorage: 100',
    find: (c) =>
      ofType(
        c,
        'AWS::RDS::DBInstance',
        (p) =>
          p.MultiAZ === true &&
          p.StorageEncrypted === true &&
          p.BackupRetentionPeriod === 7 &&
          p.DeletionProtection === true &&
          p.AllocatedStorage === '100' &&
          p.EngineVersion === '16' &&
          p.StorageType === 'gp3',
      ),
    differs: 'PostgreSQL 16 on gp3 (the seed pinned 13.13, out of standard support, on gp2)',
  },
  {
    component: 'ElastiCache with encryption at rest and in transit',
    seed: 'AtRestEncryptionEnabled: true; TransitEncryptionEnabled: true',
    find: (c) =>
      ofType(
        c,
        'AWS::ElastiCache::ReplicationGroup',
        (p) =>
          p.AtRestEncryptionEnabled &&
          p.TransitEncryptionEnabled &&
          p.MultiAZEnabled &&
          p.NumCacheClusters === 3,
      ),
    differs:
      'a node per AZ with automatic failover, an AUTH token, and rediss:// (the seed used redis:// with TLS on)',
  },
  {
    component: 'ALB with /api/* routing, 80 → 443, TLS 1.3 policy',
    seed: 'Rules: path-pattern /api/* → backend-tg; Port 80 redirect HTTPS; SslPolicy: ELBSecurityPolicy-TLS-1-2-2017-01',
    find: (c) => [
      ...ofType(c, 'AWS::ElasticLoadBalancingV2::ListenerRule', (p) => has(p.Conditions, '/api/*')),
      ...ofType(
        c,
        'AWS::ElasticLoadBalancingV2::Listener',
        (p) => p.SslPolicy === 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      ),
      ...ofType(
        c,
        'AWS::ElasticLoadBalancingV2::Listener',
        (p) => p.Port === 80 && has(p.DefaultActions, 'HTTP_301'),
      ),
    ],
    differs: 'ELBSecurityPolicy-TLS13-1-2-2021-06 (the seed’s 2017 policy is a listed flaw)',
  },
  {
    component: 'ACM certificate for the apex, www and api, DNS-validated in the zone',
    seed: 'DomainName: cloudpartner.pro; SubjectAlternativeNames: www, api; ValidationMethod: DNS',
    find: (c) =>
      ofType(
        c,
        'AWS::CertificateManager::Certificate',
        (p) =>
          p.DomainName === 'cloudpartner.pro' &&
          has(p.SubjectAlternativeNames, 'www.cloudpartner.pro') &&
          has(p.SubjectAlternativeNames, 'api.cloudpartner.pro') &&
          has(p.DomainValidationOptions, 'Z04512345CLOUDPARTNER'),
      ),
  },
  {
    component: 'Route 53 records for the apex, www and api',
    seed: 'Records: cloudpartner.pro A alias; api.cloudpartner.pro A alias; www CNAME',
    find: (c) =>
      ofType(
        c,
        'AWS::Route53::RecordSet',
        (p) =>
          p.Type === 'A' &&
          ['cloudpartner.pro.', 'www.cloudpartner.pro.', 'api.cloudpartner.pro.'].includes(p.Name),
      ),
  },
  {
    component: 'Route 53 health check',
    seed: 'HealthChecks: backend-health, HTTPS, FailureThreshold 3',
    find: (c) => [
      ...ofType(
        c,
        'AWS::Route53::HealthCheck',
        (p) => p.HealthCheckConfig.Type === 'HTTPS' && p.HealthCheckConfig.FailureThreshold === 3,
      ),
      ...alarmsOn(c, 'HealthCheckStatus'),
    ],
  },
  {
    component: 'secrets in Secrets Manager',
    seed: 'AWS Secrets Manager Configuration: database-url, redis-url, jwt-secret',
    find: (c) => [
      ...ofType(c, 'AWS::SecretsManager::Secret', (p) => has(p.SecretString, 'postgresql://')),
      ...ofType(c, 'AWS::SecretsManager::Secret', (p) => has(p.SecretString, 'rediss://')),
      ...ofType(c, 'Custom::SecureParameters', (p) => has(p.Names, 'JWT_SECRET')),
    ],
    differs: 'no AWS keys in any secret (task roles instead), and no literal password in a connection string',
  },
  {
    component: 'IAM scoped to the Bedrock model and the SES sender',
    seed: 'bedrock:InvokeModel on foundation-model/amazon.nova-lite-v1:0; ses:SendEmail',
    find: (c) => [
      ...policyWith(c, 'foundation-model/amazon.nova-lite-v1:0'),
      ...policyWith(c, '"ses:FromAddress":"info@cloudpartner.pro"'),
    ],
    differs: 'SES only from the sender (the seed allowed "*")',
  },
  {
    component: 'CloudWatch dashboard and alarms (RDS CPU > 80, 5xx)',
    seed: 'CloudWatch Dashboards (ALB, RDS, ElastiCache); CPUAlarm RDS > 80; ErrorRateAlarm HTTPCode_Target_5XX_Count',
    find: (c) => [
      ...ofType(c, 'AWS::CloudWatch::Dashboard'),
      ...ofType(
        c,
        'AWS::CloudWatch::Alarm',
        (p) => p.MetricName === 'CPUUtilization' && p.Threshold === 80 && p.Namespace === 'AWS/RDS',
      ),
      ...alarmsOn(c, 'HTTPCode_Target_5XX_Count'),
    ],
  },
  {
    component: 'log shipping (Fluent Bit)',
    seed: 'Fluent Bit configuration for log forwarding to CloudWatch',
    find: (c) =>
      taskDef(c, 'cloud-consulting-api', (p) => has(p.ContainerDefinitions, '"LogDriver":"awslogs"')),
    differs: 'Fargate ships container output with the awslogs driver: no Fluent Bit sidecar to run',
  },
  {
    component: 'VPC flow logs',
    seed: 'VPC Flow Logs enabled for network monitoring',
    find: (c) => ofType(c, 'AWS::EC2::FlowLog'),
  },
  {
    component: 'React frontend',
    seed: 'Frontend Deployment (React) replicas: 2',
    find: (c) => [
      ...ofType(c, 'AWS::CloudFront::Distribution'),
      ...ofType(c, 'AWS::CloudFront::OriginAccessControl'),
    ],
    differs: 'a static build needs no pods: S3 + CloudFront serves it',
  },
  {
    component: 'k6 load test',
    seed: 'K6 load test configuration (ConfigMap load-test-script)',
    find: () => ['not infrastructure: a test run against the deployed app, outside the template'],
    differs: 'not generated',
  },
];

const EXAMPLES: Array<[string, string, Component[]]> = [
  ['support-analytics/stackplan.yaml', 'seed 003', SEED_003],
  ['default-rate/stackplan.yaml', 'seed 004', SEED_004],
  ['cloud-consulting/stackplan.ha.yaml', 'seed 001', SEED_001],
];

describe.each(EXAMPLES)('%s implements %s', (file, _seed, components) => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    const r = loadManifest(path.join('examples', file));
    if (!r.ok) throw new Error(`${file} is invalid`);
    ctx.plan = planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir });
    const synth = await synthTier(ctx.plan, 'ecs', {
      assemblyDir: path.join(work, file.replace(/\W/g, '-')),
      nag: false,
    });
    ctx.template = JSON.parse(readFileSync(synth.templateFile, 'utf8'));
    ctx.workflow = ecsPlanOf(ctx.plan)!.ci ? renderGithubWorkflow(ctx.plan).content : '';
  });

  it('is planned on the ecs tier', () => {
    expect(ctx.plan.recommended).toBe('ecs');
  });

  it.each(components.map((c) => [c.component, c] as const))('%s', (_name, c) => {
    const found = c.find(ctx);
    expect(found, `${c.component} (seed: ${c.seed})`).not.toEqual([]);
    if (c.differs) expect(c.differs.length).toBeGreaterThan(5);
  });
});
