#!/usr/bin/env node
// npm run bench (or node bench/check.mjs): `stackplan check` on a generated 500-resource
// CloudFormation template (a web app's worth of networking, compute, data stores, queues,
// storage, IAM and monitoring, some of it flawed so findings are rendered too), whole process,
// median of 5 runs, default packs, against the target (< 3000 ms). Also reports the opt-in
// control-tower pack on the same template, informational, and what that pack costs `plan` per tier.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, RUNS, root, timedStackplan, yardstick } from '../scripts/bench-lib.mjs';

const RESOURCES = 500;
const TARGET_MS = 3000;

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/check.mjs: run `npm run build` first');
  process.exit(1);
}

/** One group of resources per kind; `i` keeps logical ids unique. */
const KINDS = [
  (i) => ({
    [`Sg${i}`]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `web tier ${i}`,
        VpcId: 'vpc-0123456789abcdef0',
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            CidrIp: i % 4 === 0 ? '0.0.0.0/0' : '203.0.113.7/32',
          },
        ],
      },
    },
    [`Web${i}`]: {
      Type: 'AWS::EC2::Instance',
      Properties: {
        InstanceType: ['t3.micro', 't2.small', 'm7g.large'][i % 3],
        ImageId: 'ami-0123456789abcdef0',
        SecurityGroupIds: [{ Ref: `Sg${i}` }],
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: i % 2 ? 'gp2' : 'gp3' } },
        ],
      },
    },
  }),
  (i) => ({
    [`Bucket${i}`]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    },
    [`BucketPolicy${i}`]: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: `Bucket${i}` },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [
                { 'Fn::GetAtt': [`Bucket${i}`, 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [`Bucket${i}`, 'Arn'] }, '/*']] },
              ],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  }),
  (i) => ({
    [`Role${i}`]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    },
    [`Task${i}`]: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: '512',
        Memory: '1024',
        TaskRoleArn: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        ContainerDefinitions: [
          {
            Name: 'app',
            Image: i % 5 === 0 ? 'ghcr.io/acme/app:latest' : `ghcr.io/acme/app:1.${i}.0`,
            Environment: [
              { Name: 'LOG_LEVEL', Value: 'info' },
              ...(i % 7 === 0 ? [{ Name: 'DB_PASSWORD', Value: 'hunter2hunter2' }] : []),
            ],
          },
        ],
      },
    },
  }),
  (i) => ({
    [`Db${i}`]: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        Engine: 'postgres',
        EngineVersion: ['16.4', '13.13', '17.2'][i % 3],
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        StorageEncrypted: true,
        MultiAZ: i % 2 === 0,
        MasterUsername: 'app',
        ManageMasterUserPassword: true,
      },
    },
    [`DbCpu${i}`]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/RDS',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: { Ref: `Db${i}` } }],
        Statistic: 'Average',
        Period: 300,
        EvaluationPeriods: 2,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        ...(i % 3 ? { AlarmActions: [{ Ref: 'AlarmTopic' }] } : {}),
      },
    },
  }),
  (i) => ({
    [`Logs${i}`]: { Type: 'AWS::Logs::LogGroup', Properties: i % 2 ? { RetentionInDays: 30 } : {} },
    [`Queue${i}`]: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
  }),
];

function template() {
  const Resources = { AlarmTopic: { Type: 'AWS::SNS::Topic', Properties: {} } };
  for (let i = 0; Object.keys(Resources).length < RESOURCES; i++) {
    Object.assign(Resources, KINDS[i % KINDS.length](i));
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Description: 'stackplan check benchmark', Resources };
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-check-'));
try {
  const file = path.join(work, 'big.template.json');
  const t = template();
  writeFileSync(file, `${JSON.stringify(t, null, 2)}\n`);
  const n = Object.keys(t.Resources).length;
  // Exit 3 (findings) is the expected outcome: --fail-on none keeps the process successful.
  const args = ['check', file, '--fail-on', 'none', '--format', 'json', '--as-of', '2026-12-01'];
  const runs = Array.from({ length: RUNS }, () => timedStackplan(args));
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  console.log(
    `stackplan check, ${n}-resource template, default packs, whole process, median of ${RUNS} (target < ${TARGET_MS} ms wall)`,
  );
  console.log(
    `  ${'default packs'.padEnd(24)} ${wall.toFixed(0).padStart(6)} ms wall ${cpu.toFixed(0).padStart(6)} ms CPU (all threads)  ${wall < TARGET_MS ? 'ok' : 'OVER TARGET'}  (wall runs: ${runs.map((x) => x.wall.toFixed(0)).join(', ')})`,
  );
  const ct = Array.from({ length: 3 }, () => timedStackplan([...args, '--pack', 'control-tower']));
  console.log(
    `  ${'control-tower only'.padEnd(24)} ${median(ct.map((r) => r.wall))
      .toFixed(0)
      .padStart(6)} ms wall ${median(ct.map((r) => r.cpu))
      .toFixed(0)
      .padStart(6)} ms CPU (median of 3; opt-in pack, informational)`,
  );
  // What the Control Tower pack adds to `plan`: it runs once per tier on the tier's templates.
  // Measured on each example tier's main template (test/golden/templates), as the pack's own
  // in-process time (cfn-guard included, Node's start-up not), median of 3.
  const goldens = path.join(root, 'test', 'golden', 'templates');
  console.log("plan's Control Tower pack, once per tier (each example tier's main template), median of 3");
  for (const f of readdirSync(goldens)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const secs = Array.from({ length: 3 }, () => {
      const r = spawnSync(
        process.execPath,
        [
          path.join(root, 'bin', 'stackplan.js'),
          'check',
          path.join(goldens, f),
          '--pack',
          'control-tower',
          '--format',
          'json',
          '--fail-on',
          'none',
        ],
        { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      const pack = JSON.parse(r.stdout).packs[0];
      return { ms: pack.seconds * 1000, rules: pack.rules };
    });
    console.log(
      `  ${f.replace(/\.json$/, '').padEnd(28)} ${median(secs.map((x) => x.ms))
        .toFixed(0)
        .padStart(6)} ms  (${secs[0].rules} controls evaluated)`,
    );
  }
  // Node itself, as a yardstick: on an idle machine `node -e 0` takes about 40 ms.
  const y = Array.from({ length: RUNS }, () => yardstick());
  console.log(
    `  ${'node -e 0 (yardstick)'.padEnd(24)} ${median(y.map((r) => r.wall))
      .toFixed(0)
      .padStart(6)} ms wall ${median(y.map((r) => r.cpu))
      .toFixed(0)
      .padStart(6)} ms CPU`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
