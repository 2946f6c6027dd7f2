/**
 * The plan: pure, deterministic data computed from a manifest. Synthesis, host-file rendering,
 * pricing, checks and documents all read it; none of them re-derives a size, a name or a path.
 */
import type { Manifest, Service } from '../manifest/normalize.js';
import type { TierName } from '../manifest/schema.js';
import type { TierCapability } from './capabilities.js';

/** A choice the planner made, with the reason a reviewer needs. */
export interface Decision {
  topic: string;
  choice: string;
  why: string;
}

export interface TierAssessment {
  tier: TierName;
  capability: TierCapability;
  /** Whether the tier meets the manifest's availability, RPO, traffic and features. */
  eligible: boolean;
  /** Why not, when not eligible. */
  unmet: string[];
}

export type Arch = 'x86_64' | 'arm64';

export interface InstanceChoice {
  type: string;
  vcpu: number;
  memoryMiB: number;
  arch: Arch;
  /** Burstable baseline in vCPUs (vcpu × baseline share), when burstable. */
  baselineVcpu?: number;
  hourlyUsd: number;
}

export interface SizingLine {
  component: string;
  memoryMiB: number;
  vcpu: number;
  why: string;
}

export interface CandidateVerdict {
  type: string;
  hourlyUsd: number;
  fits: boolean;
  why: string;
}

export interface LeanService {
  service: Service;
  /** Loopback port on the host that nginx proxies to (undefined for workers and static). */
  hostPort?: number;
  /** Compose memory limit (MiB) per copy. */
  memoryLimitMiB: number;
  /** Copies the host runs (the lean tier does not autoscale). */
  copies: number;
  /** Where the image comes from: the manifest's pinned image, or the app's ECR repository (build). */
  image: { kind: 'pinned'; ref: string } | { kind: 'ecr'; repository: string } | { kind: 'none' };
}

export interface HostLayout {
  /** System user that owns the app files (not root). */
  user: string;
  /** Installed scripts and configuration. */
  base: string;
  /** Non-secret configuration written by user data (stack outputs: bucket, region, parameter paths). */
  etc: string;
  /** Mount point of the data volume (PostgreSQL, Redis, backups staging, static files). */
  data: string;
  /** Block device name the data volume is attached as (resolved to its NVMe name on boot). */
  dataDevice: string;
  composeFile: string;
  /** Env file generated at boot from SSM (mode 0600), read by compose. */
  envFile: string;
  backupDir: string;
  staticDir: string;
}

export interface Parameters {
  /** Every parameter of the app lives under this path; the instance role reads exactly this path. */
  prefix: string;
  /** App secrets: `${secrets}${NAME}` per secret name. */
  secrets: string;
  postgresPassword: string;
  redisPassword: string;
}

export interface Metrics {
  /** Custom namespace for the app's own metrics. */
  namespace: string;
  backupSuccess: string;
  backupSizeBytes: string;
  healthOk: string;
  /** CloudWatch agent metrics (namespace CWAgent, dimension InstanceId). */
  agentNamespace: string;
  memUsedPercent: string;
  diskUsedPercent: string;
}

export interface BackupPlan {
  /** systemd OnCalendar expression for the backup timer. */
  onCalendar: string;
  intervalHours: number;
  /** The RPO this schedule honestly gives (the interval; a failed run is alarmed). */
  achievedRpoHours: number;
  retentionDays: number;
  /** Key prefix in the backup bucket. */
  prefix: string;
  /** Hours without a successful backup before the freshness alarm fires. */
  alarmAfterHours: number;
}

export interface LeanPlan {
  tier: 'lean';
  arch: Arch;
  instance: InstanceChoice;
  sizing: SizingLine[];
  candidates: CandidateVerdict[];
  volumes: {
    root: { sizeGb: number; why: string };
    data: { sizeGb: number; why: string };
  };
  services: LeanService[];
  postgres?: { version: string; database: string; user: string; memoryMiB: number; sharedBuffersMiB: number };
  redis?: { persistence: boolean; role: string; maxmemoryMiB: number };
  backup: BackupPlan;
  ssh: { enabled: boolean; cidr?: string };
  host: HostLayout;
  params: Parameters;
  metrics: Metrics;
  decisions: Decision[];
}

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

export interface DatabaseCandidate {
  type: string;
  memoryMiB: number;
  arch: Arch;
  hourlyUsd?: number;
  fits: boolean;
  why: string;
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
export interface EcsSaving {
  topic: string;
  chosen: string;
  alternative: string;
  /** Alternative minus chosen, USD a month: positive means the choice saves that much. */
  monthlyUsd?: number;
  /** For usage-based differences: the unit price that decides it. */
  perUsage?: string;
  basis: string;
}

export interface EcsAlarmThresholds {
  alb5xxPercent: number;
  rdsCpuPercent: number;
  rdsFreeStorageBytes: number;
  rdsConnections: number;
  redisMemoryPercent: number;
}

export interface EcsPlan {
  tier: 'ecs';
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
  buckets: Array<{ key: string; purpose?: string; versioned: boolean; envName: string; clients: string[] }>;
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
  /** One-time account setup the first deploy needs (commands or console steps), in order. */
  prerequisites: string[];
  decisions: Decision[];
}

export interface Plan {
  manifest: Manifest;
  /** Absolute directory of the manifest (build dirs and rehearse commands are relative to it). */
  manifestDir: string;
  assessments: TierAssessment[];
  /** The tier the manifest forces, or the cheapest eligible one. */
  recommended: TierName;
  recommendationWhy: string;
  lean?: LeanPlan;
  ecs?: EcsPlan;
  decisions: Decision[];
}
