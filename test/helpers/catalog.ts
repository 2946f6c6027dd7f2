import type { EcsCatalog, InstanceCatalog, PlanCatalog } from '../../src/plan/index.js';

/**
 * A fixed EC2 catalog for planner tests, independent of the price book: us-east-1 Linux on-demand
 * prices and specs as published by AWS (t3/t3a/t4g baseline shares from the EC2 burstable docs).
 */
const EC2_CATALOG: InstanceCatalog = {
  ec2Candidates: (region) =>
    region !== 'us-east-1'
      ? []
      : [
          {
            type: 't3.nano',
            vcpu: 2,
            memoryMiB: 512,
            arch: 'x86_64',
            baselinePerVcpu: 0.05,
            hourlyUsd: 0.0052,
          },
          {
            type: 't3.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'x86_64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0104,
          },
          {
            type: 't3.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0208,
          },
          {
            type: 't3.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0416,
          },
          {
            type: 't3.large',
            vcpu: 2,
            memoryMiB: 8192,
            arch: 'x86_64',
            baselinePerVcpu: 0.3,
            hourlyUsd: 0.0832,
          },
          {
            type: 't3a.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'x86_64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0094,
          },
          {
            type: 't3a.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0188,
          },
          {
            type: 't3a.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'x86_64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0376,
          },
          {
            type: 't4g.nano',
            vcpu: 2,
            memoryMiB: 512,
            arch: 'arm64',
            baselinePerVcpu: 0.05,
            hourlyUsd: 0.0042,
          },
          {
            type: 't4g.micro',
            vcpu: 2,
            memoryMiB: 1024,
            arch: 'arm64',
            baselinePerVcpu: 0.1,
            hourlyUsd: 0.0084,
          },
          {
            type: 't4g.small',
            vcpu: 2,
            memoryMiB: 2048,
            arch: 'arm64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0168,
          },
          {
            type: 't4g.medium',
            vcpu: 2,
            memoryMiB: 4096,
            arch: 'arm64',
            baselinePerVcpu: 0.2,
            hourlyUsd: 0.0336,
          },
          {
            type: 't4g.large',
            vcpu: 2,
            memoryMiB: 8192,
            arch: 'arm64',
            baselinePerVcpu: 0.3,
            hourlyUsd: 0.0672,
          },
          { type: 'm7g.large', vcpu: 2, memoryMiB: 8192, arch: 'arm64', hourlyUsd: 0.0816 },
          { type: 'm7g.xlarge', vcpu: 4, memoryMiB: 16384, arch: 'arm64', hourlyUsd: 0.1632 },
          { type: 'm7i.large', vcpu: 2, memoryMiB: 8192, arch: 'x86_64', hourlyUsd: 0.1008 },
        ],
};

type Spec = ReturnType<EcsCatalog['specs']>[number];
const spec = (type: string, vcpu: number, memoryGiB: number): Spec => ({
  type,
  vcpu,
  memoryGiB,
  arch: /^(db\.|cache\.)?[a-z]+\d+g[a-z]*\./.test(type) ? 'arm64' : 'x86_64',
});

/** us-east-1 list prices (AWS pricing pages) for what the ecs planner asks, keyed `service|item`. */
const ECS_PRICES: Record<string, number> = {
  'rds|instance:db.t4g.micro:postgres:single-az': 0.016,
  'rds|instance:db.t4g.micro:postgres:multi-az': 0.032,
  'rds|instance:db.t4g.small:postgres:single-az': 0.032,
  'rds|instance:db.t4g.small:postgres:multi-az': 0.065,
  'rds|instance:db.t4g.medium:postgres:single-az': 0.065,
  'rds|instance:db.t4g.medium:postgres:multi-az': 0.129,
  'rds|instance:db.t3.micro:postgres:single-az': 0.018,
  'rds|instance:db.t3.micro:postgres:multi-az': 0.036,
  'rds|instance:db.t3.small:postgres:single-az': 0.036,
  'rds|instance:db.t3.small:postgres:multi-az': 0.072,
  'rds|instance:db.t3.medium:postgres:single-az': 0.072,
  'rds|instance:db.t3.medium:postgres:multi-az': 0.145,
  'rds|instance:db.m6g.large:postgres:single-az': 0.159,
  'rds|instance:db.m6g.large:postgres:multi-az': 0.318,
  'elasticache|node:cache.t4g.micro:redis': 0.016,
  'elasticache|node:cache.t4g.micro:valkey': 0.0128,
  'elasticache|node:cache.t4g.small:redis': 0.032,
  'elasticache|node:cache.t4g.small:valkey': 0.0256,
  'elasticache|node:cache.t4g.medium:redis': 0.065,
  'elasticache|node:cache.t4g.medium:valkey': 0.052,
  'elasticache|node:cache.t3.micro:redis': 0.017,
  'elasticache|node:cache.t3.micro:valkey': 0.0136,
  'elasticache|node:cache.t3.small:redis': 0.034,
  'elasticache|node:cache.t3.small:valkey': 0.0272,
  'opensearch|instance:t3.small.search': 0.036,
  'opensearch|instance:t3.medium.search': 0.073,
  'opensearch|instance:m7g.medium.search': 0.068,
  'opensearch|instance:m7g.large.search': 0.135,
  'fargate|linux_x86_vcpu_hour': 0.04048,
  'fargate|linux_x86_gb_hour': 0.004445,
  'fargate|linux_arm_vcpu_hour': 0.03238,
  'fargate|linux_arm_gb_hour': 0.00356,
  'vpc|nat_gateway_hour': 0.045,
  'vpc|nat_gateway_gb_processed': 0.045,
  'vpc|public_ipv4_hour': 0.005,
  'vpc|interface_endpoint_az_hour': 0.01,
  'ec2|instance:t4g.nano': 0.0042,
  'ebs|gp3_gb_month': 0.08,
  'elb|alb_hour': 0.0225,
};

const ECS_CATALOG: EcsCatalog = {
  price: (region, service, item) => {
    const usd = region === 'us-east-1' ? ECS_PRICES[`${service}|${item}`] : undefined;
    return usd === undefined ? undefined : { usd, unit: 'hours' };
  },
  specs: (kind) =>
    ({
      rds: [
        spec('db.t4g.micro', 2, 1),
        spec('db.t4g.small', 2, 2),
        spec('db.t4g.medium', 2, 4),
        spec('db.t3.micro', 2, 1),
        spec('db.t3.small', 2, 2),
        spec('db.t3.medium', 2, 4),
        spec('db.m6g.large', 2, 8),
      ],
      elasticache: [
        spec('cache.t4g.micro', 2, 0.5),
        spec('cache.t4g.small', 2, 1.37),
        spec('cache.t4g.medium', 2, 3.09),
        spec('cache.t3.micro', 2, 0.5),
        spec('cache.t3.small', 2, 1.37),
      ],
      opensearch: [
        spec('t3.small.search', 2, 2),
        spec('t3.medium.search', 2, 4),
        spec('m7g.medium.search', 1, 4),
        spec('m7g.large.search', 2, 8),
      ],
    })[kind],
};

/**
 * A fixed catalog for planner tests, independent of the price book: EC2 types for the lean tier
 * and the RDS, ElastiCache, OpenSearch, Fargate and network prices the ecs tier plans with.
 */
export const FIXTURE_CATALOG: PlanCatalog = { ...EC2_CATALOG, ...ECS_CATALOG };
