/**
 * The ecs tier's plan: ECS on Fargate behind one ALB, static frontends on S3 + CloudFront, RDS,
 * ElastiCache, OpenSearch and the network they run in. The ecs tier (src/tiers/ecs) computes it;
 * the CI workflow renderer (src/render/ci) reads it.
 */
import type { Manifest, Service } from '../manifest/normalize.js';
import type { PriceQuotes } from '../price/estimates.js';
import type { AppBucket, Arch, DatabaseCandidate, Decision, Plan, Saving } from './plan.js';
import { tierPlanOf } from './plan.js';

/** The ecs tier's name, as the manifest's `tier:` spells it. */
export const ECS_TIER = 'ecs';

/** A Fargate task size: one of the CPU/memory pairs Fargate accepts. */
export interface FargateSize {
  /** vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16. */
  vcpu: number;
  /** Task definition CPU units (1024 per vCPU). */
  cpuUnits: number;
  memoryMiB: number;
  why: string;
}

/** How traffic reaches a service: through the ALB, by its Cloud Map name inside the VPC, or not at all. */
export type EcsExposure = 'alb' | 'internal' | 'none';

/** A value of a container environment variable: a literal, or something only the stack knows. */
export type EcsEnvValue =
  | { kind: 'literal'; value: string }
  | { kind: 'region' }
  | { kind: 'search-url' }
  | { kind: 'bucket-name'; bucket: string };

/** Where a container secret comes from (never a plain environment variable). */
export type EcsSecretSource =
  | { kind: 'app-secret'; parameter: string }
  | { kind: 'database-url' }
  | { kind: 'redis-url' };

export interface EcsService {
  service: Service;
  exposure: EcsExposure;
  /** ALB listener rule; no priority means the listener's default action. */
  listener?: { pathPatterns: string[]; priority?: number };
  /** Seconds ECS ignores failing load balancer health checks after a task starts. */
  healthCheckGraceSeconds?: number;
  /** DNS name other services reach an internal service at (Cloud Map). */
  discoveryName?: string;
  arch: Arch;
  archWhy: string;
  size: FargateSize;
  desired: number;
  min: number;
  max: number;
  /** Target tracking on average CPU; undefined when min = max. */
  scaling?: { cpuTargetPercent: number; scaleInCooldownSeconds: number; scaleOutCooldownSeconds: number };
  scalingWhy: string;
  capacityProvider: 'FARGATE' | 'FARGATE_SPOT';
  image: { kind: 'pinned'; ref: string } | { kind: 'ecr'; repository: string };
  environment: Array<{ name: string; value: EcsEnvValue }>;
  secrets: Array<{ name: string; source: EcsSecretSource }>;
  logGroupName: string;
  logStreamPrefix: string;
}

/** An ECR repository CI pushes to: one per build directory, built for the platforms its services run on. */
export interface EcsRepository {
  name: string;
  build: string;
  services: string[];
  platforms: Array<'linux/amd64' | 'linux/arm64'>;
}

/** A static frontend served from S3 through CloudFront. */
export interface EcsStaticSite {
  service: string;
  route: string;
  /** Key prefix in the static bucket ('' for the root route). */
  keyPrefix: string;
  /** Directory CI builds in, relative to the manifest. */
  buildDir: string;
  /** Built files, relative to buildDir. */
  outputDir: string;
}

export interface EcsNetwork {
  cidr: string;
  azCount: number;
  subnetMasks: { public: number; private: number; isolated: number };
  egress: Manifest['egress'];
  natCount: number;
  natInstanceType?: string;
  gatewayEndpoints: string[];
  interfaceEndpoints: string[];
  flowLogs: { traffic: 'ALL' | 'REJECT'; retentionDays: number };
}

export interface EcsCertificate {
  /** Region the certificate lives in (CloudFront's must be us-east-1). */
  region: string;
  names: string[];
  usedBy: Array<'alb' | 'cloudfront'>;
}

export interface EcsEdge {
  alb?: {
    sslPolicy: string;
    idleTimeoutSeconds: number;
    deletionProtection: boolean;
    /** The name the ALB answers on (the domain, or origin.<domain> behind CloudFront). */
    hostName: string;
    accessLogPrefix: string;
    /** Service behind the listener's default action; none: a fixed 404. */
    defaultService?: string;
  };
  cdn?: {
    domainNames: string[];
    statics: EcsStaticSite[];
    /** Path patterns CloudFront forwards to the ALB. */
    albPathPatterns: string[];
    defaultOrigin: 's3' | 'alb';
    priceClass: string;
    minimumProtocolVersion: string;
    logPrefix: string;
  };
  waf?: { managedRuleGroups: string[]; rateLimitPer5Minutes: number; aggregateKey: 'IP' | 'FORWARDED_IP' };
  certificates: EcsCertificate[];
  /** A second stack in us-east-1 holds CloudFront's certificate when the app's region is another. */
  edgeStackRegion?: string;
  dns: {
    zone?: { id: string; name: string };
    records: Array<{ name: string; target: 'cloudfront' | 'alb' }>;
    /** What the user does by hand when there is no hosted zone. */
    manualSteps: string[];
  };
  healthCheck?: { fqdn: string; path: string; alarm: boolean; why: string };
}

export interface EcsPostgres {
  engineVersion: string;
  instanceClass: string;
  vcpu: number;
  memoryMiB: number;
  arch: Arch;
  hourlyUsd?: number;
  candidates: DatabaseCandidate[];
  multiAz: boolean;
  storageGb: number;
  maxStorageGb: number;
  backupRetentionDays: number;
  database: string;
  username: string;
  port: number;
  /** PostgreSQL's default max_connections for the class (LEAST(memory / 9531392, 5000)). */
  maxConnections: number;
  /** Services (and the migration task) allowed to connect. */
  clients: string[];
}

export interface EcsRedis {
  engine: 'valkey' | 'redis';
  engineVersion: string;
  parameterFamily: string;
  nodeType: string;
  arch: Arch;
  memoryMiB: number;
  /** Memory left for data after ElastiCache's default 25% reserved memory. */
  usableMiB: number;
  hourlyUsd?: number;
  candidates: DatabaseCandidate[];
  replicas: number;
  multiAz: boolean;
  snapshotRetentionDays: number;
  maxmemoryPolicy: string;
  /** Appended to the rediss:// URL the apps get. */
  urlQuery: string;
  port: number;
  clients: string[];
}

export interface EcsSearch {
  engineVersion: string;
  domainName: string;
  instanceType: string;
  memoryMiB: number;
  arch: Arch;
  hourlyUsd?: number;
  candidates: DatabaseCandidate[];
  nodes: number;
  zoneAwareness: boolean;
  azCount: number;
  storageGb: number;
  /** Replicas per index the apps should create (OPENSEARCH_REPLICAS): 0 on a single node. */
  indexReplicas: number;
  clients: string[];
}

/** A cheaper (or dearer) design than the one chosen, with the monthly difference. */
export type EcsSaving = Saving;

export interface EcsAlarmThresholds {
  alb5xxPercent: number;
  rdsCpuPercent: number;
  rdsFreeStorageBytes: number;
  rdsConnections: number;
  redisMemoryPercent: number;
}

export interface EcsPlan {
  tier: typeof ECS_TIER;
  network: EcsNetwork;
  edge: EcsEdge;
  services: EcsService[];
  repositories: EcsRepository[];
  /** Parameter name of the image tag CI deploys (build services only). */
  imageTagParameter?: string;
  migration?: { service: string; command: string[]; family: string };
  postgres?: EcsPostgres;
  redis?: EcsRedis;
  search?: EcsSearch;
  buckets: AppBucket[];
  params: { prefix: string; secrets: string };
  logs: { retentionDays: number };
  alarms: EcsAlarmThresholds;
  ci?: {
    repository: string;
    branch: string;
    oidcProvider: 'create' | 'existing';
    /** The OIDC subject the deploy role trusts. */
    subject: string;
    workflowFile: string;
  };
  savings: EcsSaving[];
  /** Unit prices the stack's acknowledgement reasons quote, from the price book. */
  quotes: PriceQuotes;
  /** One-time account setup the first deploy needs (commands or console steps), in order. */
  prerequisites: string[];
  decisions: Decision[];
}

/** The ecs plan of a plan, when the ecs tier was planned. */
export function ecsPlanOf(plan: Plan): EcsPlan | undefined {
  return tierPlanOf<EcsPlan>(plan, ECS_TIER);
}
