/**
 * The lean tier's plan: one EC2 instance running the app's containers, PostgreSQL and Redis under
 * Docker Compose, nginx in front. The lean tier (src/tiers/lean) computes it; the host renderers
 * (src/render/host), `stackplan rehearse` and the host checks (src/check) read it.
 */
import type { Service } from '../manifest/normalize.js';
import type { PriceQuotes } from '../price/estimates.js';
import type {
  AppBucket,
  Arch,
  CandidateVerdict,
  Decision,
  InstanceChoice,
  Plan,
  SizingLine,
} from './plan.js';
import { tierPlanOf } from './plan.js';

/** The lean tier's name, as the manifest's `tier:` spells it. */
export const LEAN_TIER = 'lean';

export interface LeanService {
  service: Service;
  /** Loopback port on the host that nginx proxies to (undefined for workers and static). */
  hostPort?: number;
  /**
   * First loopback port of the service's second release slot: stackplan-release starts a new
   * version there (one port per copy) beside the one serving on hostPort, and the slots alternate.
   */
  releasePort?: number;
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
  /**
   * S3 Object Lock mode of the backup bucket: every object version is locked for retentionDays.
   * GOVERNANCE: no credential of the host can delete or shorten a lock; an account administrator
   * with s3:BypassGovernanceRetention still can (see BACKUP_LOCK_MODE in src/tiers/lean/plan/backup.ts for why not COMPLIANCE).
   */
  lockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Key prefix in the backup bucket. */
  prefix: string;
  /** Hours without a successful backup before the freshness alarm fires. */
  alarmAfterHours: number;
}

/** GitHub Actions deploying the lean host (ci.repository): images to ECR, then stackplan-release through SSM. */
export interface LeanCi {
  repository: string;
  branch: string;
  oidcProvider: 'create' | 'existing';
  /** The OIDC subject the deploy role trusts. */
  subject: string;
  /** Relative to the tier's output directory. */
  workflowFile: string;
}

export interface LeanPlan {
  tier: typeof LEAN_TIER;
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
  /** The app's S3 buckets (`buckets:`): the host role reaches them for the services that use them. */
  buckets: AppBucket[];
  /** Unit prices the stack's acknowledgement reasons quote, from the price book. */
  quotes: PriceQuotes;
  /** The deploy workflow and its role, when the manifest names ci.repository. */
  ci?: LeanCi;
  decisions: Decision[];
}

/** The lean plan of a plan, when the lean tier was planned. */
export function leanPlanOf(plan: Plan): LeanPlan | undefined {
  return tierPlanOf<LeanPlan>(plan, LEAN_TIER);
}
