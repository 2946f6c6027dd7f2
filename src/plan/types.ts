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

export interface Plan {
  manifest: Manifest;
  /** Absolute directory of the manifest (build dirs and rehearse commands are relative to it). */
  manifestDir: string;
  assessments: TierAssessment[];
  /** The tier the manifest forces, or the cheapest eligible one. */
  recommended: TierName;
  recommendationWhy: string;
  lean?: LeanPlan;
  decisions: Decision[];
}
