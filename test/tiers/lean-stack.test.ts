import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifest } from '../../src/manifest/load.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplate } from '../../src/price/engine.js';
import { renderCompose } from '../../src/render/host/compose.js';
import type { HostFile } from '../../src/render/host/contract.js';
import { LeanStack, leanStackUsage } from '../../src/tiers/lean/stack.js';
import { fileInstaller } from '../../src/tiers/lean/user-data.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

const BASE = `
name: shop
domain: shop.example.com
aliases: [www.shop.example.com]
alarmEmail: ops@example.com
services:
  web: {kind: static, build: ./web}
  api:
    kind: api
    image: ghcr.io/acme/api:1.0.0
    port: 8080
    secrets: [JWT_SECRET]
postgres: true
redis: true
backups: {rpoHours: 6, retentionDays: 21}
integrations:
  bedrock: {models: [{id: amazon.nova-lite-v1:0}, {id: anthropic.claude-3-haiku-20240307-v1:0}]}
  ses: {sender: noreply@shop.example.com}
`;

function planFor(yaml: string): Plan {
  const r = parseManifest(yaml, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: '/app' });
}

const HOST_FILES: HostFile[] = [
  {
    path: '/opt/stackplan/bin/stackplan-bootstrap',
    mode: 0o755,
    content: '#!/bin/bash\nset -euo pipefail\n',
  },
  { path: '/etc/stackplan/compose.yml', mode: 0o644, content: 'services: {}\n' },
];

function synth(yaml: string): { template: Template; json: Record<string, any> } {
  const app = new App();
  const stack = new LeanStack(app, 'Test', {
    plan: planFor(yaml),
    hostFiles: HOST_FILES,
    env: { region: 'us-east-1' },
  });
  const template = Template.fromStack(stack);
  return { template, json: template.toJSON() };
}

function resources(json: Record<string, any>, type: string): Array<Record<string, any>> {
  return Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === type);
}

describe('lean stack', () => {
  const { template, json } = synth(BASE);

  it('requires IMDSv2 with a hop limit of 1 and keeps detailed monitoring off', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
      Monitoring: false,
      ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    });
  });

  it('encrypts gp3 volumes and keeps the data volume when the instance goes', () => {
    const [instance] = resources(json, 'AWS::EC2::Instance');
    const mappings = instance!.Properties.BlockDeviceMappings as Array<{ DeviceName: string; Ebs: any }>;
    expect(mappings).toHaveLength(2);
    for (const m of mappings) {
      expect(m.Ebs.Encrypted).toBe(true);
      expect(m.Ebs.VolumeType).toBe('gp3');
    }
    expect(mappings.find((m) => m.DeviceName === '/dev/sdf')!.Ebs.DeleteOnTermination).toBe(false);
  });

  it('has no NAT gateway and one Elastic IP on the host', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', InstanceId: Match.anyValue() });
  });

  it('opens 80 and 443 to the internet and nothing else, without an admin CIDR', () => {
    const [sg] = resources(json, 'AWS::EC2::SecurityGroup');
    const ingress = sg!.Properties.SecurityGroupIngress as Array<{ FromPort: number; CidrIp: string }>;
    expect(ingress.map((r) => [r.FromPort, r.CidrIp]).sort()).toEqual([
      [443, '0.0.0.0/0'],
      [80, '0.0.0.0/0'],
    ]);
  });

  it('allows 22 only from the admin CIDR when one is given', () => {
    const { json: withSsh } = synth(`${BASE}\nadminCidr: 203.0.113.7/32\n`);
    const rules = resources(withSsh, 'AWS::EC2::SecurityGroup').flatMap(
      (sg) =>
        sg.Properties.SecurityGroupIngress as Array<{ FromPort: number; ToPort: number; CidrIp: string }>,
    );
    const ssh = rules.filter((r) => r.FromPort <= 22 && r.ToPort >= 22);
    expect(ssh).toEqual([expect.objectContaining({ CidrIp: '203.0.113.7/32' })]);
  });

  it('makes the backup bucket private, encrypted, versioned, TLS-only, expiring by retention', () => {
    const buckets = resources(json, 'AWS::S3::Bucket');
    const backup = buckets.find((b) =>
      (b.Properties.LifecycleConfiguration?.Rules ?? []).some((r: any) => r.Prefix === 'backups/'),
    )!;
    expect(backup).toBeDefined();
    expect(backup.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(backup.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(
      backup.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    const rule = backup.Properties.LifecycleConfiguration.Rules.find((r: any) => r.Prefix === 'backups/');
    expect(rule.ExpirationInDays).toBe(21);
    expect(backup.DeletionPolicy).toBe('Retain');
    // Every bucket policy denies plain HTTP.
    for (const policy of resources(json, 'AWS::S3::BucketPolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  describe('backups survive a compromised host', () => {
    const bucketId = Object.entries(json.Resources as Record<string, any>).find(
      ([, r]) =>
        r.Type === 'AWS::S3::Bucket' &&
        (r.Properties.LifecycleConfiguration?.Rules ?? []).some((x: any) => x.Prefix === 'backups/'),
    )![0];
    const roleId = Object.entries(json.Resources as Record<string, any>).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' &&
        r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'ec2.amazonaws.com',
    )![0];
    const mentionsBucket = (v: unknown) => JSON.stringify(v).includes(`"${bucketId}"`);

    it('locks every backup version for the retention, in governance mode', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 21 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'backups/', ExpirationInDays: 21 })]),
        },
      });
      // The retention is the manifest's, not a constant.
      const { template: longer } = synth(BASE.replace('retentionDays: 21', 'retentionDays: 35'));
      longer.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 35 } } },
      });
    });

    it('keeps noncurrent (overwritten or expired) versions for the retention, not a day', () => {
      const rules = json.Resources[bucketId].Properties.LifecycleConfiguration.Rules as any[];
      const rule = rules.find((r) => r.Prefix === 'backups/');
      expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 21 });
      for (const r of rules) {
        if (r.NoncurrentVersionExpiration)
          expect(r.NoncurrentVersionExpiration.NoncurrentDays).toBeGreaterThanOrEqual(21);
      }
    });

    it('says in the cost report that locked versions are stored for the retention and kept as long again', () => {
      const cost = priceTemplate(json, { freeTier: 'none', asOf: '2026-11-22', book: loadPriceBook() });
      const row = cost.stacks[0]!.resources.find((r) => r.logicalId === bucketId)!;
      expect(row.notes.join('\n')).toContain(
        'Object Lock (governance) keeps every version written for 21 days, and cannot be deleted sooner',
      );
      expect(row.notes.join('\n')).toContain('up to 42 days of writes in all');
    });

    it('lets the host role only put, get and list under backups/', () => {
      const granted = Object.values(json.Resources as Record<string, any>)
        .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
        .filter((r) => JSON.stringify(r.Properties.Roles ?? []).includes(`"${roleId}"`))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as any[])
        .filter((st) => st.Effect === 'Allow' && mentionsBucket(st.Resource));
      expect(granted.flatMap((st) => [st.Action].flat()).sort()).toEqual([
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
      ]);
      for (const st of granted) expect(JSON.stringify(st)).toContain('backups/');
      // The role has no other S3 grant that could reach the bucket ("s3:*" or a "*" resource).
      const all = Object.values(json.Resources as Record<string, any>)
        .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => r.Properties.PolicyDocument.Statement as any[]);
      for (const st of all) {
        if ([st.Resource].flat().includes('*')) {
          expect([st.Action].flat().some((a: string) => a.startsWith('s3:'))).toBe(false);
        }
      }
    });

    it('denies the host role, in the bucket policy, every delete, bypass and configuration change', () => {
      const policy = Object.values(json.Resources as Record<string, any>).find(
        (r) => r.Type === 'AWS::S3::BucketPolicy' && mentionsBucket(r.Properties.Bucket),
      )!;
      const deny = (policy.Properties.PolicyDocument.Statement as any[]).find(
        (st) => st.Sid === 'HostCannotDestroyBackups',
      );
      expect(deny.Effect).toBe('Deny');
      expect(deny.Principal).toEqual({ AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      expect(deny.Action).toEqual(
        expect.arrayContaining([
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:BypassGovernanceRetention',
          's3:PutObjectRetention',
          's3:PutBucketObjectLockConfiguration',
          's3:PutLifecycleConfiguration',
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:PutBucketVersioning',
        ]),
      );
      // The whole bucket and every object, not only the backups/ prefix.
      expect(deny.Resource).toEqual([
        { 'Fn::GetAtt': [bucketId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      ]);
    });
  });

  it('scopes the instance policy to named resources', () => {
    const policies = resources(json, 'AWS::IAM::ManagedPolicy');
    const host = policies.find((p) => String(p.Properties.Description).includes('host'))!;
    const statements = host.Properties.PolicyDocument.Statement as Array<any>;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.InvokeNamedModels.Resource).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'],
        ],
      },
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
          ],
        ],
      },
    ]);
    expect(bySid.SendFromSender.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'noreply@shop.example.com' },
    });
    expect(JSON.stringify(bySid.WriteAndReadBackups.Resource)).toContain('/backups/*');
    expect(bySid.WriteAndReadBackups.Action).not.toContain('s3:DeleteObject');
    // The lean prefix is its own: it must not also cover the ecs tier's /stackplan/shop/ecs/ parameters.
    const ssm = JSON.stringify(bySid.ReadOwnParameters.Resource);
    expect(ssm).toContain(':parameter/stackplan/shop/lean/*');
    expect(ssm).not.toMatch(/:parameter\/stackplan\/shop\/\*/);
    // No action wildcards, and "*" resources only where AWS offers no resource-level permission.
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
      if ([s.Resource].flat().includes('*')) expect(['PublishMetrics', 'RegistryLogin']).toContain(s.Sid);
    }
    expect(bySid.PublishMetrics.Condition.StringEquals['cloudwatch:namespace']).toEqual([
      'Stackplan/shop',
      'CWAgent',
    ]);
  });

  it('gives every alarm an action, and recovers the instance on a system status failure', () => {
    const alarms = resources(json, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions?.length ?? 0).toBeGreaterThan(0);
      expect(a.Properties.OKActions?.length ?? 0).toBeGreaterThan(0);
    }
    const system = alarms.find((a) => a.Properties.MetricName === 'StatusCheckFailed_System')!;
    expect(JSON.stringify(system.Properties.AlarmActions)).toContain(':automate:');
    const backup = alarms.find((a) => a.Properties.MetricName === 'BackupSuccess')!;
    // Every 6 hours → alarm after 7 hours without a success; missing data counts as failure.
    expect(backup.Properties.EvaluationPeriods).toBe(7);
    expect(backup.Properties.Period).toBe(3600);
    expect(backup.Properties.TreatMissingData).toBe('breaching');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('generates secrets into SecureString parameters and never puts a value in the template', () => {
    const [params] = resources(json, 'Custom::SecureParameters');
    expect(params!.Properties.Names).toEqual([
      '/stackplan/shop/lean/postgres/password',
      '/stackplan/shop/lean/redis/password',
      '/stackplan/shop/lean/secrets/JWT_SECRET',
    ]);
    const [fn] = resources(json, 'AWS::Lambda::Function').filter((f) =>
      String(f.Properties.Code?.ZipFile ?? '').includes('SecureString'),
    );
    expect(fn).toBeDefined();
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    expect(JSON.stringify(json)).not.toMatch(/AKIA[0-9A-Z]{16}|SecureString"/);
  });

  it('puts no secret in user data: deploy-time names, and the host files as a content-addressed asset', () => {
    const [instance] = resources(json, 'AWS::EC2::Instance');
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(instance!.Properties.UserData);
    const userData = strings.join('');
    expect(userData).toContain('/etc/stackplan/stack.env');
    expect(userData).toMatch(/aws s3 cp --only-show-errors "s3:\/\/.*\/[0-9a-f]{64}\.gz"/);
    expect(userData).not.toMatch(/PASSWORD=|JWT_SECRET=|SecretAccessKey/);
  });

  it('publishes exactly the rendered files, and lets only this host read them', () => {
    const app = new App();
    const stack = new LeanStack(app, 'Assets', {
      plan: planFor(BASE),
      hostFiles: HOST_FILES,
      env: { region: 'us-east-1' },
    });
    const dir = app.synth().directory;
    const asset = readdirSync(dir).find((f) => f.startsWith('asset.') && f.endsWith('.gz'))!;
    expect(gunzipSync(readFileSync(path.join(dir, asset))).toString('utf8')).toBe(fileInstaller(HOST_FILES));
    const policy =
      Template.fromStack(stack).toJSON().Resources.HostPolicy7FE16A3A.Properties.PolicyDocument.Statement;
    const fetch = policy.find((s: any) => s.Sid === 'FetchHostFiles');
    expect(JSON.stringify(fetch.Resource)).toContain(asset.replace(/^asset\./, ''));
  });

  it('creates DNS records for the domain and aliases only when a hosted zone is given', () => {
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const { template: withZone } = synth(`${BASE}\nhostedZone: {id: Z0123456789ABCDEF, name: example.com}\n`);
    withZone.resourceCountIs('AWS::Route53::RecordSet', 2);
    withZone.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.shop.example.com.', Type: 'A' });
  });
});

describe('lean stack with app buckets (buckets:)', () => {
  const yaml = `${BASE.replace(
    '    secrets: [JWT_SECRET]\n',
    '    secrets: [JWT_SECRET]\n  jobs: {kind: worker, image: ghcr.io/acme/jobs:1.0.0, uses: [postgres]}\n',
  )}buckets:\n  uploads: {purpose: user uploads, storageGb: 12}\n  cold-archive: {versioned: false}\n`;
  const plan = planFor(yaml);
  const app = new App();
  const stack = new LeanStack(app, 'Test', {
    plan,
    hostFiles: HOST_FILES,
    env: { region: 'us-east-1' },
  });
  const json = Template.fromStack(stack).toJSON();
  const idOf = (key: string) =>
    stack.resolve((stack.appBuckets.byKey.get(key)!.node.defaultChild as CfnElement).logicalId) as string;

  it('creates one private, encrypted, TLS-only bucket per key, versioned as the manifest says', () => {
    const uploads = json.Resources[idOf('uploads')];
    const archive = json.Resources[idOf('cold-archive')];
    for (const b of [uploads, archive]) {
      expect(b.Type).toBe('AWS::S3::Bucket');
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({ SSEAlgorithm: 'AES256' });
    }
    expect(uploads.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(archive.Properties.VersioningConfiguration).toBeUndefined();
    for (const key of ['uploads', 'cold-archive']) {
      const policy = resources(json, 'AWS::S3::BucketPolicy').find(
        (p) => p.Properties.Bucket.Ref === idOf(key),
      )!;
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('lets the host role reach those buckets only', () => {
    const host = resources(json, 'AWS::IAM::ManagedPolicy').find((p) =>
      String(p.Properties.Description).includes('host'),
    )!;
    const bySid = Object.fromEntries(
      (host.Properties.PolicyDocument.Statement as Array<any>).map((s) => [s.Sid, s]),
    );
    expect(bySid.AppBucketObjects.Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    const objects = JSON.stringify(bySid.AppBucketObjects.Resource);
    const listed = JSON.stringify(bySid.ListAppBuckets.Resource);
    for (const key of ['uploads', 'cold-archive']) {
      expect(objects).toContain(`{"Fn::GetAtt":["${idOf(key)}","Arn"]},"/*"`);
      expect(listed).toContain(`{"Fn::GetAtt":["${idOf(key)}","Arn"]}`);
    }
    expect(bySid.AppBucketObjects.Resource).toHaveLength(2);
    expect(bySid.ListAppBuckets.Resource).toHaveLength(2);
  });

  it('names each bucket in the stack env file as BUCKET_<KEY>, for the services that use buckets', () => {
    const userData = JSON.stringify(resources(json, 'AWS::EC2::Instance')[0]!.Properties.UserData);
    expect(userData).toContain(`BUCKET_UPLOADS=",{"Ref":"${idOf('uploads')}"}`);
    expect(userData).toContain(`BUCKET_COLD_ARCHIVE=",{"Ref":"${idOf('cold-archive')}"}`);
    const compose = parse(renderCompose(plan)) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(compose.services.api!.environment).toMatchObject({
      BUCKET_UPLOADS: `\${BUCKET_UPLOADS:?run stackplan-secrets}`,
      BUCKET_COLD_ARCHIVE: `\${BUCKET_COLD_ARCHIVE:?run stackplan-secrets}`,
    });
    expect(Object.keys(compose.services.jobs!.environment ?? {})).not.toContain('BUCKET_UPLOADS');
  });

  it('prices each bucket with the storage the manifest expects', () => {
    const usage = leanStackUsage(stack);
    expect(usage).toEqual({ resources: { [idOf('uploads')]: { storageGb: 12 } } });
    const cost = priceTemplate(json, { usage, freeTier: 'none', asOf: '2026-11-22', book: loadPriceBook() });
    const line = cost.stacks[0]!.resources.find((r) => r.logicalId === idOf('uploads'))!.components.find(
      (c) => c.name === 'Storage (Standard)',
    )!;
    expect(line.monthlyQuantity).toBe(12);
    expect(line.monthlyUsd).toBeGreaterThan(0);
  });

  it('gives no container bucket access when no service uses buckets', () => {
    const p = planFor(
      `${BASE.replace('    secrets: [JWT_SECRET]\n', '    secrets: [JWT_SECRET]\n    uses: [postgres]\n')}buckets:\n  uploads: {}\n`,
    );
    const s = new LeanStack(new App(), 'Test', {
      plan: p,
      hostFiles: HOST_FILES,
      env: { region: 'us-east-1' },
    });
    const statements = JSON.stringify(Template.fromStack(s).toJSON());
    expect(statements).not.toContain('AppBucketObjects');
    expect(resources(Template.fromStack(s).toJSON(), 'AWS::S3::Bucket').length).toBe(
      resources(json, 'AWS::S3::Bucket').length - 1,
    );
  });
});

describe('lean user data', () => {
  it('writes files with their modes through temporary names', () => {
    const script = fileInstaller([{ path: '/etc/x/a.conf', mode: 0o600, content: 'a=1\n' }]);
    expect(script).toContain("install -d -m 0755 '/etc/x'");
    expect(script).toContain("chmod 0600 '/etc/x/a.conf.stackplan-new'");
    expect(script).toContain("mv -f '/etc/x/a.conf.stackplan-new' '/etc/x/a.conf'");
    expect(Buffer.from('YT0xCg==', 'base64').toString()).toBe('a=1\n');
    expect(script).toContain('YT0xCg==');
  });
  it('refuses paths that could escape', () => {
    expect(() => fileInstaller([{ path: 'etc/x', mode: 0o644, content: '' }])).toThrow(/absolute/);
    expect(() => fileInstaller([{ path: '/etc/../x', mode: 0o644, content: '' }])).toThrow(/absolute/);
  });
});
