/**
 * The cost engine against figures worked out by hand from the published unit prices (730 hours a
 * month): the known prices of issue 3, free-tier regimes, regions without prices, unknown types,
 * unresolvable intrinsics, usage, savings and staleness.
 */
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { isStale, priceTemplate, priceTemplates } from '../../src/price/engine.js';
import { renderCostReport } from '../../src/price/render.js';
import type { ComponentCost, CostReport, FreeTierMode, ResourceCost } from '../../src/price/types.js';
import type { Usage } from '../../src/price/usage.js';

const AS_OF = '2026-11-22';
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;

function price(
  resources: Resources,
  opts: {
    usage?: Usage;
    freeTier?: FreeTierMode;
    region?: string;
    asOf?: string;
    extra?: Record<string, unknown>;
  } = {},
): CostReport {
  return priceTemplate(
    { Resources: resources, ...opts.extra },
    {
      asOf: opts.asOf ?? AS_OF,
      book: loadPriceBook(),
      freeTier: opts.freeTier ?? 'none',
      ...(opts.usage && { usage: opts.usage }),
      ...(opts.region && { region: opts.region }),
    },
  );
}

function resource(r: CostReport, id: string): ResourceCost {
  const found = r.stacks.flatMap((s) => s.resources).find((x) => x.logicalId === id);
  if (!found) throw new Error(`no resource ${id}`);
  return found;
}

function line(r: CostReport, id: string, name: RegExp): ComponentCost {
  const c = resource(r, id).components.find((x) => name.test(x.name));
  if (!c)
    throw new Error(
      `no line ${name} on ${id}: ${resource(r, id)
        .components.map((x) => x.name)
        .join(', ')}`,
    );
  return c;
}

const closeTo = (actual: number | null | undefined, expected: number) =>
  expect(actual).toBeCloseTo(expected, 6);

/** A public subnet (MapPublicIpOnLaunch) and a private one. */
const NET: Resources = {
  Public: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', MapPublicIpOnLaunch: true } },
  Private: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1' } },
};

describe('known prices (issue 3 §7)', () => {
  it('t3.micro: $0.0104/h → $7.592 a month, plus 8 GB gp3 root and a public IPv4', () => {
    const r = price({
      ...NET,
      Web: {
        Type: 'AWS::EC2::Instance',
        Properties: { InstanceType: 't3.micro', SubnetId: { Ref: 'Public' } },
      },
    });
    const inst = line(r, 'Web', /^Instance usage/);
    expect(inst.name).toBe('Instance usage (Linux/UNIX, on-demand, t3.micro)');
    expect(inst.unitPriceUsd).toBe(0.0104);
    closeTo(inst.monthlyQuantity, 730);
    closeTo(inst.monthlyUsd, 7.592); // 0.0104 × 730
    closeTo(line(r, 'Web', /^Root volume/).monthlyUsd, 0.64); // 8 GB × $0.08
    closeTo(line(r, 'Web', /^Public IPv4/).monthlyUsd, 3.65); // $0.005 × 730
    closeTo(r.totals.listMonthlyUsd, 7.592 + 0.64 + 3.65);
  });

  it('no public IPv4 in a private subnet', () => {
    const r = price({
      ...NET,
      Web: {
        Type: 'AWS::EC2::Instance',
        Properties: { InstanceType: 't3.micro', SubnetId: { Ref: 'Private' } },
      },
    });
    expect(resource(r, 'Web').components.map((c) => c.name)).not.toContain('Public IPv4 address');
  });

  it('NAT gateway: $0.045/h + $0.045/GB + its public IPv4', () => {
    const r = price(
      { ...NET, Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'Public' } } } },
      { usage: { resources: { Nat: { dataProcessedGb: 100 } } } },
    );
    closeTo(line(r, 'Nat', /^NAT gateway$/).monthlyUsd, 32.85); // 0.045 × 730
    const gb = line(r, 'Nat', /^Data processed/);
    expect(gb.unitPriceUsd).toBe(0.045);
    closeTo(gb.monthlyUsd, 4.5); // 100 × 0.045
    closeTo(line(r, 'Nat', /^Public IPv4/).monthlyUsd, 3.65);
    closeTo(resource(r, 'Nat').monthlyUsd, 32.85 + 4.5 + 3.65);
  });

  it('a NAT gateway whose address is an EIP in the template: the IPv4 is priced once, on the EIP', () => {
    const r = price({
      ...NET,
      Ip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
      Nat: {
        Type: 'AWS::EC2::NatGateway',
        Properties: { SubnetId: { Ref: 'Public' }, AllocationId: { 'Fn::GetAtt': ['Ip', 'AllocationId'] } },
      },
    });
    expect(resource(r, 'Nat').components.map((c) => c.name)).toEqual(['NAT gateway', 'Data processed']);
    closeTo(resource(r, 'Ip').monthlyUsd, 3.65);
  });

  it('Fargate x86: $0.04048 per vCPU-hour + $0.004445 per GB-hour × desired count', () => {
    const r = price({
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '1024', Memory: '2048' } },
      Svc: {
        Type: 'AWS::ECS::Service',
        Properties: { LaunchType: 'FARGATE', DesiredCount: 2, TaskDefinition: { Ref: 'Task' } },
      },
    });
    const cpu = line(r, 'Svc', /^Fargate vCPU/);
    expect(cpu.unitPriceUsd).toBe(0.04048);
    closeTo(cpu.monthlyUsd, 2 * 1 * 730 * 0.04048); // 59.1008
    const mem = line(r, 'Svc', /^Fargate memory/);
    expect(mem.unitPriceUsd).toBe(0.004445);
    closeTo(mem.monthlyUsd, 2 * 2 * 730 * 0.004445); // 12.9794
  });

  it('gp3: $0.08/GB-month, IOPS above 3,000 and throughput above 125 MiB/s extra', () => {
    const r = price({
      Vol: {
        Type: 'AWS::EC2::Volume',
        Properties: {
          Size: 100,
          VolumeType: 'gp3',
          Iops: 4000,
          Throughput: 200,
          AvailabilityZone: 'us-east-1a',
        },
      },
    });
    closeTo(line(r, 'Vol', /^Storage \(gp3\)/).monthlyUsd, 8); // 100 × 0.08
    closeTo(line(r, 'Vol', /^Provisioned IOPS/).monthlyUsd, 5); // 1,000 × 0.005
    closeTo(line(r, 'Vol', /^Provisioned throughput/).monthlyUsd, 3); // 75 × 0.04
  });

  it('public IPv4 (Elastic IP): $0.005/h', () => {
    const r = price({ Ip: { Type: 'AWS::EC2::EIP' } });
    expect(line(r, 'Ip', /IPv4/).unitPriceUsd).toBe(0.005);
    closeTo(r.totals.listMonthlyUsd, 3.65);
  });

  it('db.t4g.micro PostgreSQL: $0.016/h Single-AZ, $0.032/h Multi-AZ', () => {
    const db = (multi: boolean) => ({
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        MultiAZ: multi,
      },
    });
    const r = price({ Single: db(false), Multi: db(true) });
    expect(line(r, 'Single', /^Database instance/).unitPriceUsd).toBe(0.016);
    closeTo(line(r, 'Single', /^Database instance/).monthlyUsd, 11.68);
    expect(line(r, 'Multi', /^Database instance/).unitPriceUsd).toBe(0.032);
    closeTo(line(r, 'Multi', /^Database instance/).monthlyUsd, 23.36);
    closeTo(line(r, 'Single', /^Storage/).monthlyUsd, 20 * 0.115);
    closeTo(line(r, 'Multi', /^Storage/).monthlyUsd, 20 * 0.23);
  });

  it('cache.t4g.micro Redis: $0.016/h; ALB hours, LCUs and one IPv4 per AZ', () => {
    const r = price(
      {
        ...NET,
        Cache: {
          Type: 'AWS::ElastiCache::CacheCluster',
          Properties: { CacheNodeType: 'cache.t4g.micro', Engine: 'redis', NumCacheNodes: 1 },
        },
        Alb: {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { Subnets: [{ Ref: 'Public' }, { Ref: 'Private' }] },
        },
      },
      { usage: { types: { 'AWS::ElasticLoadBalancingV2::LoadBalancer': { lcuPerHour: 1 } } } },
    );
    expect(line(r, 'Cache', /^Cache nodes/).unitPriceUsd).toBe(0.016);
    closeTo(resource(r, 'Cache').monthlyUsd, 11.68);
    closeTo(line(r, 'Alb', /^Application load balancer/).monthlyUsd, 0.0225 * 730);
    closeTo(line(r, 'Alb', /capacity units/).monthlyUsd, 730 * 0.008);
    closeTo(line(r, 'Alb', /IPv4/).monthlyUsd, 2 * 3.65);
  });
});

describe('usage', () => {
  it('a usage-based line without usage says "depends on usage" with its unit price, starred, never $0', () => {
    const r = price({ Bucket: { Type: 'AWS::S3::Bucket' } });
    const storage = line(r, 'Bucket', /^Storage/);
    expect(storage).toMatchObject({
      dependsOnUsage: true,
      monthlyUsd: null,
      monthlyQuantity: null,
      unitPriceUsd: 0.023,
    });
    expect(r.totals.dependsOnUsage).toBe(3);
    const table = renderCostReport(r, 'table');
    expect(table).toContain('Storage (Standard) *');
    expect(table).toContain('depends on usage: $0.023 per GB-month');
    expect(table).not.toMatch(/Storage \(Standard\).*\$0\.00/);
  });

  it('profiles fill in usage; a usage file value wins over its profile', () => {
    const small = price({ Bucket: { Type: 'AWS::S3::Bucket' } }, { usage: { profile: 'small' } });
    closeTo(line(small, 'Bucket', /^Storage/).monthlyUsd, 5 * 0.023);
    const mine = price(
      { Bucket: { Type: 'AWS::S3::Bucket' } },
      { usage: { profile: 'small', resources: { Bucket: { storageGb: 200 } } } },
    );
    closeTo(line(mine, 'Bucket', /^Storage/).monthlyUsd, 200 * 0.023);
    closeTo(line(mine, 'Bucket', /^GET/).monthlyUsd, (100_000 / 1000) * 0.0004); // still the profile's
  });

  it('data transfer out is tiered: 10,340 GB = 10,240 at $0.09 + 100 at $0.085', () => {
    const r = price({}, { usage: { dataTransferOutGb: 10_340 } });
    closeTo(line(r, 'DataTransferOut', /first 10 TB/).monthlyUsd, 10_240 * 0.09);
    closeTo(line(r, 'DataTransferOut', /next 40 TB/).monthlyUsd, 100 * 0.085);
    closeTo(r.totals.listMonthlyUsd, 921.6 + 8.5);
  });

  it('Bedrock tokens and SES emails come from usage (as the plan passes the manifest)', () => {
    const r = price(
      {},
      {
        usage: {
          bedrock: [
            { model: 'amazon.nova-lite-v1:0', inputTokens: 5_000_000, outputTokens: 1_000_000 },
            {
              model: 'us.anthropic.claude-3-haiku-20240307-v1:0',
              inputTokens: 2_000_000,
              outputTokens: 400_000,
            },
          ],
          ses: { emails: 2_000 },
        },
      },
    );
    closeTo(line(r, 'Bedrock amazon.nova-lite-v1:0', /^Input/).monthlyUsd, 5 * 0.06);
    closeTo(line(r, 'Bedrock amazon.nova-lite-v1:0', /^Output/).monthlyUsd, 1 * 0.24);
    // The us. inference-profile prefix is priced as the in-region model.
    closeTo(line(r, 'Bedrock us.anthropic.claude-3-haiku-20240307-v1:0', /^Input/).monthlyUsd, 2 * 0.25);
    closeTo(line(r, 'Bedrock us.anthropic.claude-3-haiku-20240307-v1:0', /^Output/).monthlyUsd, 0.4 * 1.25);
    closeTo(line(r, 'SES', /^Outbound/).monthlyUsd, 2 * 0.1);
  });

  it('a Bedrock model without token numbers depends on usage; an unknown model is not priced', () => {
    const r = price(
      {},
      { usage: { bedrock: [{ model: 'amazon.nova-lite-v1:0' }, { model: 'acme.no-such-model' }] } },
    );
    expect(line(r, 'Bedrock amazon.nova-lite-v1:0', /^Input/)).toMatchObject({
      dependsOnUsage: true,
      unitPriceUsd: 0.06,
    });
    expect(line(r, 'Bedrock acme.no-such-model', /^Input/).notPriced).toBe(
      'no us-east-1 price for bedrock input:acme.no-such-model',
    );
  });

  it('CloudFront takes the app traffic instead of EC2 data transfer out', () => {
    const r = price(
      { Cdn: { Type: 'AWS::CloudFront::Distribution' } },
      { usage: { dataTransferOutGb: 200, requestsPerMonth: 1_000_000 } },
    );
    closeTo(line(r, 'Cdn', /^Data transfer/).monthlyUsd, 200 * 0.085);
    closeTo(line(r, 'Cdn', /HTTPS requests/).monthlyUsd, 100 * 0.01);
    expect(resource(r, 'DataTransferOut')).toMatchObject({ status: 'free' });
  });

  it('template parameters can be given in usage', () => {
    const extra = { Parameters: { DbClass: { Type: 'String' } } };
    const db = {
      Type: 'AWS::RDS::DBInstance',
      Properties: { DBInstanceClass: { Ref: 'DbClass' }, Engine: 'postgres', AllocatedStorage: 20 },
    };
    expect(resource(price({ Db: db }, { extra }), 'Db').status).toBe('cannot-price');
    const r = price({ Db: db }, { extra, usage: { parameters: { DbClass: 'db.t4g.micro' } } });
    closeTo(line(r, 'Db', /^Database instance/).monthlyUsd, 11.68);
  });
});

describe('free tier (issue 3 §5)', () => {
  /** t2.micro with an 8 GB root and a public IP, a db.t4g.micro on 20 GB gp2, a cache.t4g.micro, 2,000 emails. */
  const starter: Resources = {
    ...NET,
    Web: {
      Type: 'AWS::EC2::Instance',
      Properties: { InstanceType: 't2.micro', SubnetId: { Ref: 'Public' } },
    },
    Db: {
      Type: 'AWS::RDS::DBInstance',
      Properties: {
        DBInstanceClass: 'db.t4g.micro',
        Engine: 'postgres',
        AllocatedStorage: 20,
        StorageType: 'gp2',
        BackupRetentionPeriod: 0,
      },
    },
    Cache: {
      Type: 'AWS::ElastiCache::CacheCluster',
      Properties: { CacheNodeType: 'cache.t4g.micro', Engine: 'redis' },
    },
  };
  const usage: Usage = { ses: { emails: 2_000 }, dataTransferOutGb: 150 };
  // List: t2.micro 0.0116×730 = 8.468; root 0.64; IPv4 3.65; db 11.68; storage 20×0.115 = 2.3;
  // cache 11.68; SES 0.2; data out 150 × 0.09 = 13.5.
  const list = 8.468 + 0.64 + 3.65 + 11.68 + 2.3 + 11.68 + 0.2 + 13.5;

  it('none: list prices, month 1 = month 13', () => {
    const r = price(starter, { usage, freeTier: 'none' });
    closeTo(r.totals.listMonthlyUsd, list);
    expect(r.credits).toEqual([]);
    closeTo(r.totals.month1Usd, list);
    closeTo(r.totals.month13Usd, list);
  });

  it('legacy: 12-month offers as separate lines in month 1; always-free every month', () => {
    const r = price(starter, { usage, freeTier: 'legacy' });
    const credit = (id: string) => r.credits.find((c) => c.id === id);
    closeTo(credit('ec2-hours')?.usd, 8.468); // 730 of the 750 hours
    closeTo(credit('ebs-gb')?.usd, 0.64);
    closeTo(credit('public-ipv4-hours')?.usd, 3.65);
    closeTo(credit('rds-hours')?.usd, 11.68);
    closeTo(credit('rds-storage-gb')?.usd, 2.3);
    closeTo(credit('elasticache-hours')?.usd, 11.68);
    closeTo(credit('ses-emails')?.usd, 0.2);
    closeTo(credit('data-transfer-out-gb')?.usd, 9); // 100 GB × 0.09, always free
    expect(credit('ec2-hours')).toMatchObject({ regime: 'legacy-12-months', month1: true, month13: false });
    expect(credit('data-transfer-out-gb')).toMatchObject({
      regime: 'always-free',
      month1: true,
      month13: true,
    });
    closeTo(r.totals.month1Usd, 13.5 - 9); // only the data out beyond 100 GB is left
    closeTo(r.totals.month13Usd, list - 9);
  });

  it('legacy: t3.micro is free only where t2.micro is not offered', () => {
    const t3 = { Web: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro' } } };
    expect(price(t3, { freeTier: 'legacy' }).credits.find((c) => c.id === 'ec2-hours')).toBeUndefined();
    // eu-north-1 has no t2: t3.micro at $0.0108 is covered there.
    const north = price(t3, { freeTier: 'legacy', region: 'eu-north-1' });
    closeTo(north.credits.find((c) => c.id === 'ec2-hours')?.usd, 0.0108 * 730);
  });

  it('paid-plan: always-free, then the USD 100 sign-up credits in month 1 (valid 12 months), none in month 13', () => {
    const r = price(starter, { usage, freeTier: 'paid-plan' });
    expect(r.credits.map((c) => c.id)).toEqual(['data-transfer-out-gb', 'sign-up-credits']);
    expect(r.credits[1]).toMatchObject({ regime: 'sign-up-credits', month1: true, month13: false });
    closeTo(r.credits[1]!.usd, list - 9);
    // 100 / (list − 9) = 100 / 43.118 ≈ 2.3 months: they run out long before they expire.
    expect(r.credits[1]!.note).toBe(
      'at this cost the credits last about 2.3 months; up to USD 100 more for onboarding activities is not assumed',
    );
    closeTo(r.totals.month1Usd, 0);
    closeTo(r.totals.month13Usd, list - 9);
    const big = price(
      {
        Big: {
          Type: 'AWS::EC2::Instance',
          Properties: { InstanceType: 'm7i.2xlarge', SubnetId: 'subnet-1' },
        },
      },
      { freeTier: 'paid-plan' },
    );
    // m7i.2xlarge 0.4032 × 730 = 294.336, root 0.64
    closeTo(big.totals.listMonthlyUsd, 294.336 + 0.64);
    closeTo(big.credits[0]!.usd, 100);
    closeTo(big.totals.month1Usd, 294.976 - 100);
    // A USD 5 design: 100 / 5 = 20 months, so the credits last until they expire at 12.
    const small = price({ Ip: { Type: 'AWS::EC2::EIP' } }, { freeTier: 'paid-plan' });
    expect(small.credits[0]!.note).toBe(
      'at this cost the credits last until they expire, 12 months after sign-up',
    );
  });

  it('says when a design cannot run on the Free plan, and how long the credits carry it there', () => {
    const r = price(starter, { usage, freeTier: 'paid-plan' });
    // t2.micro is not a Free plan type; db.t4g.micro Single-AZ is allowed.
    expect(r.freePlan).toMatchObject({ allowed: false });
    expect(r.freePlan!.problems).toEqual(['Stack/Web: EC2 t2.micro']);
    expect(r.freePlan!.limits).toBe(
      'EC2 t3.micro, t3.small, t4g.micro, t4g.small, c7i-flex.large, m7i-flex.large; RDS db.t3.micro, db.t4g.micro, Single-AZ only',
    );
    closeTo(r.freePlan!.creditMonths, 2.319217); // 100 / (list − 9 always free) = 100 / 43.118
    const multiAz = price({
      Db: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceClass: 'db.t3.medium', Engine: 'mysql', AllocatedStorage: 20, MultiAZ: true },
      },
    });
    expect(multiAz.freePlan!.problems).toEqual(['Stack/Db: RDS db.t3.medium', 'Stack/Db: RDS Multi-AZ']);
    const ok = price({
      Web: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't4g.small', SubnetId: 'subnet-1' } },
    });
    expect(ok.freePlan).toMatchObject({ allowed: true, problems: [] });
    // The plan ends after 6 months even when the credits would last longer: 100 / 12.904 > 6.
    expect(ok.freePlan!.creditMonths).toBe(6);
    expect(renderCostReport(ok, 'table')).toContain(
      "On AWS's Free plan: no instance type or database class here is excluded",
    );
  });
});

describe('regions, unknown types and unresolvable values', () => {
  it('prices a region from its own prices and never silently from another', () => {
    const r = price(
      {
        ...NET,
        Web: {
          Type: 'AWS::EC2::Instance',
          Properties: { InstanceType: 't3.micro', SubnetId: { Ref: 'Private' } },
        },
        Nat: { Type: 'AWS::EC2::NatGateway' },
      },
      { region: 'eu-west-1' },
    );
    closeTo(line(r, 'Web', /^Instance usage/).monthlyUsd, 0.0114 * 730); // eu-west-1, not us-east-1's 0.0104
    expect(line(r, 'Web', /^Root volume/).notPriced).toBe('no eu-west-1 price for ebs gp3_gb_month');
    expect(resource(r, 'Nat')).toMatchObject({
      status: 'not-priced',
      reason: 'no eu-west-1 price for vpc nat_gateway_hour',
    });
    closeTo(r.totals.listMonthlyUsd, 8.322);
    expect(r.totals.notPricedLines).toBeGreaterThan(0);
    expect(renderCostReport(r, 'table')).toContain('not priced: no eu-west-1 price for vpc nat_gateway_hour');
  });

  it('reports an unknown type as not priced, and free types as free', () => {
    const r = price({
      Q: { Type: 'AWS::GameLift::Fleet' },
      Role: { Type: 'AWS::IAM::Role' },
      Hook: { Type: 'Custom::Thing' },
    });
    expect(resource(r, 'Q')).toMatchObject({
      status: 'not-priced',
      reason: 'not priced: AWS::GameLift::Fleet',
    });
    expect(resource(r, 'Role').status).toBe('free');
    expect(resource(r, 'Hook').status).toBe('free');
    expect(renderCostReport(r, 'table')).toContain('not priced: AWS::GameLift::Fleet');
  });

  it('reports unresolvable properties per resource and prices the rest', () => {
    const r = price({
      Imported: {
        Type: 'AWS::EC2::Instance',
        Properties: { InstanceType: { 'Fn::ImportValue': 'shared-type' } },
      },
      Az: {
        Type: 'AWS::EC2::Instance',
        Properties: { InstanceType: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
      },
      Attr: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceClass: { 'Fn::GetAtt': ['Imported', 'PrivateIp'] }, Engine: 'postgres' },
      },
      Fine: { Type: 'AWS::EC2::EIP' },
    });
    expect(resource(r, 'Imported').reason).toBe(
      'cannot price: property InstanceType is not resolvable (Fn::ImportValue "shared-type": exported by another stack)',
    );
    expect(resource(r, 'Az').reason).toMatch(
      /^cannot price: property InstanceType is not resolvable \(Fn::GetAZs/,
    );
    expect(resource(r, 'Attr').reason).toBe(
      'cannot price: property DBInstanceClass is not resolvable (Fn::GetAtt Imported.PrivateIp)',
    );
    expect(r.totals.cannotPriceResources).toBe(3);
    closeTo(r.totals.listMonthlyUsd, 3.65);
  });

  it('evaluates conditions, mappings and Fn::If', () => {
    const r = price(
      {
        Web: {
          Type: 'AWS::EC2::Instance',
          Properties: {
            InstanceType: { 'Fn::FindInMap': ['Size', { Ref: 'Env' }, 'web'] },
            SubnetId: 'subnet-1',
            BlockDeviceMappings: [
              {
                DeviceName: '/dev/xvda',
                Ebs: { VolumeSize: 10, VolumeType: { 'Fn::If': ['Prod', 'gp3', 'gp2'] } },
              },
            ],
          },
        },
        DevBox: { Type: 'AWS::EC2::Instance', Condition: 'Dev', Properties: { InstanceType: 't3.large' } },
      },
      {
        extra: {
          Parameters: { Env: { Type: 'String', Default: 'prod' } },
          Mappings: { Size: { prod: { web: 't3.small' } } },
          Conditions: {
            Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
            Dev: { 'Fn::Not': [{ Condition: 'Prod' }] },
          },
        },
      },
    );
    closeTo(line(r, 'Web', /^Instance usage/).monthlyUsd, 0.0208 * 730);
    closeTo(line(r, 'Web', /^Root volume storage \(gp3\)/).monthlyUsd, 10 * 0.08);
    expect(resource(r, 'DevBox')).toMatchObject({
      status: 'not-created',
      reason: 'not created: condition Dev is false',
    });
  });

  it('follows launch templates and task definitions in the same template', () => {
    const r = price({
      Lt: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateData: { InstanceType: 'm7g.large' } },
      },
      Asg: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          MinSize: '1',
          MaxSize: '5',
          DesiredCapacity: '3',
          LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' },
        },
      },
    });
    closeTo(line(r, 'Asg', /^Instance usage/).monthlyUsd, 3 * 0.0816 * 730);
    closeTo(line(r, 'Asg', /^Root volume/).monthlyUsd, 3 * 8 * 0.08);
    expect(resource(r, 'Lt').status).toBe('free');
  });

  it('a custom resource provider function runs on deploy only: free, unless usage names it', () => {
    const resources: Resources = {
      Handler: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 128 } },
      Cleanup: {
        Type: 'Custom::S3AutoDeleteObjects',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } },
      },
      App: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 1024 } },
    };
    const r = price(resources, { usage: { profile: 'small' } });
    expect(resource(r, 'Handler')).toMatchObject({
      status: 'free',
      reason: 'custom resource provider: runs only when the stack deploys',
    });
    // App: 100,000 requests × 0.2 s × 1 GB = 20,000 GB-seconds
    closeTo(line(r, 'App', /^Duration/).monthlyQuantity, 20_000);
    const named = price(resources, {
      usage: { resources: { Handler: { requests: 1_000_000, avgDurationMs: 1000 } } },
    });
    closeTo(line(named, 'Handler', /^Requests/).monthlyUsd, 0.2);
  });

  it('EKS: extended support once standard support has ended at the report date', () => {
    const eks = { Kube: { Type: 'AWS::EKS::Cluster', Properties: { Version: '1.29' } } };
    closeTo(price(eks, { asOf: '2025-01-01' }).totals.listMonthlyUsd, 0.1 * 730);
    closeTo(price(eks, { asOf: AS_OF }).totals.listMonthlyUsd, 0.6 * 730);
  });
});

describe('savings view and sources', () => {
  it('offers Graviton and Spot for an instance, not applied', () => {
    const r = price({
      Web: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.micro', SubnetId: 'subnet-1' } },
    });
    const g = r.savings.find((s) => s.option === 'graviton')!;
    expect(g.description).toBe('t3.micro → t4g.micro (Graviton, arm64)');
    closeTo(g.monthlyUsd, 0.0084 * 730);
    closeTo(g.differenceUsd, (0.0084 - 0.0104) * 730);
    const spot = r.savings.find((s) => s.option === 'spot')!;
    closeTo(spot.differenceUsd, (0.004056 - 0.0104) * 730);
    closeTo(r.totals.listMonthlyUsd, 7.592 + 0.64); // nothing applied
  });

  it('offers 1-year reserved where the source has it (ElastiCache)', () => {
    const r = price({
      C: {
        Type: 'AWS::ElastiCache::CacheCluster',
        Properties: { CacheNodeType: 'cache.t4g.micro', Engine: 'redis' },
      },
    });
    const ri = r.savings.find((s) => s.option === 'reserved-1y')!;
    closeTo(ri.differenceUsd, (0.011 - 0.016) * 730);
  });

  it('cites every source with its date and warns when older than 12 months', () => {
    const r = price({
      Db: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', AllocatedStorage: 20 },
      },
    });
    const rds = r.sources.find((s) => s.id === 'flexera-rds-2023-03-01')!;
    expect(rds).toMatchObject({ asOf: '2023-03-01', stale: true });
    expect(line(r, 'Db', /^Database instance/).price.source).toBe(rds.ref);
    expect(r.warnings.some((w) => w.includes('2023-03-01') && w.includes('more than 12 months'))).toBe(true);
    const early = price(
      {
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', AllocatedStorage: 20 },
        },
      },
      { asOf: '2023-06-01' },
    );
    expect(early.warnings).toEqual([]);
  });

  it('isStale compares month and day dates', () => {
    expect(isStale('2025-11-22', '2026-11-22')).toBe(false);
    expect(isStale('2025-11-21', '2026-11-22')).toBe(true);
    expect(isStale('2026-01', '2026-11-22')).toBe(false);
    expect(isStale('2024-04', '2026-11-22')).toBe(true);
  });

  it('prices several stacks, each in its own region', () => {
    const r = priceTemplates(
      [
        { name: 'A', template: { Resources: { Ip: { Type: 'AWS::EC2::EIP' } } } },
        {
          name: 'B',
          region: 'eu-west-1',
          template: {
            Resources: {
              Web: {
                Type: 'AWS::EC2::Instance',
                Properties: { InstanceType: 't3.micro', SubnetId: 'subnet-1' },
              },
            },
          },
        },
      ],
      { asOf: AS_OF, book: loadPriceBook(), freeTier: 'none' },
    );
    expect(r.stacks.map((s) => `${s.name} ${s.region}`)).toEqual([
      'A us-east-1',
      'B eu-west-1',
      '(usage) us-east-1',
    ]);
    closeTo(line(r, 'Web', /^Instance usage/).monthlyUsd, 0.0114 * 730);
  });
});
