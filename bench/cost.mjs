#!/usr/bin/env node
// npm run bench (or node bench/cost.mjs): `stackplan cost` on generated templates of 500 and
// 5,000 resources mixing every priced type with free and unknown ones, in JSON and in YAML, whole
// process, median of 5 runs (wall and CPU), each against its goal (issue 12 §4): 500 resources
// < 300 ms, 5,000 < 1 s, YAML within 1.5× of JSON. Then a CPU profile of the 5,000-resource runs:
// where the time goes, by function and by module. Runs the built CLI, so it measures what users run.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { bin, median, RUNS, root, topOfProfile } from '../scripts/bench-lib.mjs';

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

export function template(n) {
  const Resources = {};
  for (let i = 0; Object.keys(Resources).length < n; i++)
    Object.assign(Resources, KINDS[i % KINDS.length](i));
  return { Description: `${n} generated resources`, Resources };
}

/** Wall and CPU (user + system) milliseconds of one `stackplan ARGS` process. */
function timed(args) {
  const r = spawnSync(
    'bash',
    ['-c', 'TIMEFORMAT="%R %U %S"; time "$@" >/dev/null', 'bash', process.execPath, bin, ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [real, user, sys] = last.split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(real))
    throw new Error(`stackplan ${args.join(' ')} failed:\n${r.stderr}`);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

function measure(args) {
  const runs = Array.from({ length: RUNS }, () => timed(args));
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), runs };
}

const GOAL = { 500: 300, 5000: 1000 };
const YAML_RATIO = 1.5;

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-cost-'));
let failed = false;
try {
  const files = {};
  for (const n of [500, 5000]) {
    const t = template(n);
    files[`${n} json`] = path.join(work, `t${n}.template.json`);
    files[`${n} yaml`] = path.join(work, `t${n}.template.yaml`);
    writeFileSync(files[`${n} json`], JSON.stringify(t));
    writeFileSync(files[`${n} yaml`], stringify(t));
  }
  console.log(`stackplan cost, whole process, median of ${RUNS} (wall; CPU = user + system)`);
  const results = {};
  for (const n of [500, 5000]) {
    for (const fmt of ['json', 'yaml']) {
      const m = measure(['cost', files[`${n} ${fmt}`]]);
      results[`${n} ${fmt}`] = m;
      const goal =
        fmt === 'json'
          ? { ok: m.wall < GOAL[n], text: `target < ${GOAL[n]} ms` }
          : {
              ok: m.wall < YAML_RATIO * results[`${n} json`].wall,
              text: `target < ${YAML_RATIO}× JSON: ${(m.wall / results[`${n} json`].wall).toFixed(2)}×`,
            };
      failed ||= !goal.ok;
      console.log(
        `  ${`${n} resources, ${fmt.toUpperCase()}`.padEnd(22)} ${m.wall.toFixed(0).padStart(6)} ms wall ${m.cpu.toFixed(0).padStart(6)} ms CPU  ${goal.text}  ${goal.ok ? 'ok' : 'OVER TARGET'}  (wall runs: ${m.runs.map((r) => r.wall.toFixed(0)).join(', ')})`,
      );
    }
  }
  const base = measure(['cost', '--help']);
  console.log(
    `  ${'start-up (cost --help)'.padEnd(22)} ${base.wall.toFixed(0).padStart(6)} ms wall ${base.cpu.toFixed(0).padStart(6)} ms CPU`,
  );
  // Node itself, as a yardstick: on an idle machine `node -e 0` takes about 40 ms.
  const yard = Array.from({ length: RUNS }, () => {
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time "$0" -e 0', process.execPath], {
      encoding: 'utf8',
    });
    const [real, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    return { wall: real * 1000, cpu: (user + sys) * 1000 };
  });
  console.log(
    `  ${'node -e 0 (yardstick)'.padEnd(22)} ${median(yard.map((r) => r.wall))
      .toFixed(0)
      .padStart(6)} ms wall ${median(yard.map((r) => r.cpu))
      .toFixed(0)
      .padStart(6)} ms CPU`,
  );
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `  (load average ${load} on this machine while measuring: wall times grow with it, CPU times much less)`,
  );

  // Where the time goes: one profiled run of each 5,000-resource template.
  for (const fmt of ['json', 'yaml']) {
    const dir = path.join(work, `prof-${fmt}`);
    mkdirSync(dir);
    // Unbundled, so the profile names source modules rather than bundle chunks.
    spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, bin, 'cost', files[`5000 ${fmt}`]], {
      env: { ...process.env, STACKPLAN_UNBUNDLED: '1' },
      cwd: root,
      stdio: 'ignore',
    });
    const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!prof) continue;
    const top = topOfProfile(path.join(dir, prof));
    console.log(
      `\n  profile, 5,000 resources ${fmt.toUpperCase()} (node --cpu-prof, ${top.total.toFixed(0)} ms sampled), self time by module:`,
    );
    for (const l of top.modules) console.log(`    ${l}`);
    console.log('  …and by function:');
    for (const l of top.functions) console.log(`    ${l}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
