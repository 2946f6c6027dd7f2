#!/usr/bin/env node
// npm run bench (or node bench/cost.mjs): `stackplan cost` on a generated 500-resource template
// mixing every priced type with free and unknown ones, whole process, median of 5 runs, against
// the target (< 300 ms). Runs the built CLI, so it measures what users run.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, RUNS, root, timeStackplan } from '../scripts/bench-lib.mjs';

const RESOURCES = 500;
const TARGET_MS = 300;

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/cost.mjs: run `npm run build` first');
  process.exit(1);
}

/** One group of resources per kind; `i` keeps logical ids unique. */
const KINDS = [
  (i) => ({
    [`Subnet${i}`]: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', MapPublicIpOnLaunch: true },
    },
    [`Web${i}`]: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        InstanceType: ['t3.micro', 't4g.small', 'm7i.large'][i % 3],
        SubnetId: { Ref: `Subnet${i}` },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } }],
      },
    },
  }),
  (i) => ({
    [`Lt${i}`]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { InstanceType: 'c7g.large' } },
    },
    [`Asg${i}`]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '1',
        MaxSize: '4',
        DesiredCapacity: '2',
        LaunchTemplate: { LaunchTemplateId: { Ref: `Lt${i}` }, Version: '1' },
      },
    },
  }),
  (i) => ({
    [`Ip${i}`]: { Type: 'AWS::EC2::EIP' },
    [`Nat${i}`]: {
      Type: 'AWS::EC2::NatGateway',
      Properties: { AllocationId: { 'Fn::GetAtt': [`Ip${i}`, 'AllocationId'] } },
    },
  }),
  (i) => ({
    [`Vol${i}`]: {
      Type: 'AWS::EC2::Volume',
      Properties: { Size: 100, VolumeType: 'gp3', Iops: 4000, AvailabilityZone: 'us-east-1a' },
    },
    [`Endpoint${i}`]: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcEndpointType: 'Interface', SubnetIds: ['subnet-a', 'subnet-b'] },
    },
  }),
  (i) => ({
    [`Alb${i}`]: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Subnets: ['subnet-a', 'subnet-b'] },
    },
    [`Listener${i}`]: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: `Alb${i}` } },
    },
  }),
  (i) => ({
    [`Db${i}`]: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        MultiAZ: i % 2 === 0,
      },
    },
    [`Cache${i}`]: {
      Type: 'AWS::ElastiCache::CacheCluster',
      Properties: { CacheNodeType: 'cache.t4g.micro', Engine: 'redis' },
    },
  }),
  (i) => ({
    [`Group${i}`]: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        ReplicationGroupDescription: 'g',
        CacheNodeType: 'cache.m6g.large',
        Engine: 'valkey',
        NumNodeGroups: 1,
        ReplicasPerNodeGroup: 1,
      },
    },
    [`Serverless${i}`]: { Type: 'AWS::ElastiCache::ServerlessCache', Properties: { Engine: 'valkey' } },
  }),
  (i) => ({
    [`Search${i}`]: {
      Type: 'AWS::OpenSearchService::Domain',
      Properties: {
        ClusterConfig: { InstanceType: 't3.small.search', InstanceCount: 2 },
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 20 },
      },
    },
    [`Logs${i}`]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
  }),
  (i) => ({
    [`Task${i}`]: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '256', Memory: '512' } },
    [`Service${i}`]: {
      Type: 'AWS::ECS::Service',
      Properties: { LaunchType: 'FARGATE', DesiredCount: 2, TaskDefinition: { Ref: `Task${i}` } },
    },
  }),
  (i) => ({
    [`Eks${i}`]: { Type: 'AWS::EKS::Cluster', Properties: { Version: '1.33' } },
    [`Nodes${i}`]: {
      Type: 'AWS::EKS::Nodegroup',
      Properties: { InstanceTypes: ['m7g.large'], ScalingConfig: { DesiredSize: 2 } },
    },
  }),
  (i) => ({
    [`Bucket${i}`]: { Type: 'AWS::S3::Bucket' },
    [`Cdn${i}`]: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { Enabled: true } },
    },
  }),
  (i) => ({
    [`Zone${i}`]: { Type: 'AWS::Route53::HostedZone', Properties: { Name: `z${i}.example.com` } },
    [`Check${i}`]: {
      Type: 'AWS::Route53::HealthCheck',
      Properties: { HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'example.com' } },
    },
  }),
  (i) => ({
    [`Alarm${i}`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Period: 60, MetricName: 'CPU', Namespace: 'AWS/EC2' },
    },
    [`Board${i}`]: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } },
  }),
  (i) => ({
    [`Secret${i}`]: { Type: 'AWS::SecretsManager::Secret' },
    [`Param${i}`]: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Type: 'String', Value: 'x', Tier: i % 2 ? 'Advanced' : 'Standard' },
    },
  }),
  (i) => ({
    [`Key${i}`]: { Type: 'AWS::KMS::Key' },
    [`Acl${i}`]: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ Name: 'r', Priority: 0 }] } },
  }),
  (i) => ({
    [`Repo${i}`]: { Type: 'AWS::ECR::Repository' },
    [`Fn${i}`]: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 256 } },
  }),
  (i) => ({
    [`Topic${i}`]: { Type: 'AWS::SNS::Topic' },
    [`Role${i}`]: { Type: 'AWS::IAM::Role', Properties: {} },
  }),
  (i) => ({
    [`Sg${i}`]: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'sg' } },
    [`Queue${i}`]: { Type: 'AWS::SQS::Queue' },
  }),
];

function template() {
  const Resources = {};
  for (let i = 0; Object.keys(Resources).length < RESOURCES; i++)
    Object.assign(Resources, KINDS[i % KINDS.length](i));
  return { Description: `${RESOURCES} generated resources`, Resources };
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-cost-'));
try {
  const file = path.join(work, 'big.template.json');
  const t = template();
  writeFileSync(file, JSON.stringify(t));
  console.log(
    `stackplan cost on ${Object.keys(t.Resources).length} resources, whole process, median of ${RUNS} (target < ${TARGET_MS} ms)`,
  );
  for (const [label, extra] of [
    ['table', []],
    ['json, profile medium', ['--format', 'json', '--profile', 'medium']],
  ]) {
    const runs = Array.from({ length: RUNS }, () => timeStackplan(['cost', file, ...extra]));
    const m = median(runs);
    console.log(
      `  ${label.padEnd(22)} ${m.toFixed(0).padStart(6)} ms  ${m < TARGET_MS ? 'ok' : 'OVER TARGET'}  (runs: ${runs.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
