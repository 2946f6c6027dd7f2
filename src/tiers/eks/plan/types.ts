/**
 * The eks tier's plan: pure data computed from a manifest and the price book. The stack, the
 * Kubernetes objects, the CI workflow, the load script and the cost comparison all read it; none
 * of them re-derives a size, a name or a version.
 */
import type { Service } from '../../../manifest/normalize.js';
import type {
  EcsEdge,
  EcsNetwork,
  EcsPostgres,
  EcsRedis,
  EcsRepository,
  EcsSearch,
} from '../../../model/ecs.js';
import type { Arch, Decision } from '../../../model/plan.js';
import type { PriceQuotes } from '../../../price/estimates.js';

/** The Kubernetes version the cluster runs, and what its support calendar means for cost. */
export interface EksKubernetes {
  /** e.g. 1.35 */
  version: string;
  /** Last day of EKS standard support (YYYY-MM-DD), from the price book's support calendar. */
  standardSupportEnds: string;
  /** The planning date (YYYY-MM-DD) the choice was made on. */
  plannedOn: string;
  daysOfStandardSupportLeft: number;
  /** Set when standard support ends within 60 days of the planning date. */
  warning?: string;
  /** EXTENDED keeps the version past standard support at the extended-support price. */
  upgradePolicy: 'STANDARD' | 'EXTENDED';
  /** Where the calendar comes from (price book source id). */
  calendarSource: string;
}

export interface EksEndpoint {
  private: true;
  /** A public endpoint exists only when the manifest gives adminCidr, and only for it. */
  public: boolean;
  publicCidrs: string[];
  why: string;
}

/** CPU in millicores, memory in MiB: Kubernetes' own units. */
export interface PodResources {
  cpuMilli: number;
  memoryMiB: number;
}

/** What a node type leaves for the app's pods once Kubernetes, EKS and the DaemonSets took theirs. */
export interface NodeCapacity {
  type: string;
  arch: Arch;
  vcpu: number;
  memoryMiB: number;
  /** Pods the VPC CNI can address on this type (ENIs × (IPs per ENI − 1) + 2). */
  maxPods: number;
  /** Allocatable after kube-reserved, system-reserved and the eviction threshold (EKS AMI formula). */
  allocatable: PodResources;
  /** What is left for workload pods after every DaemonSet pod. */
  forPods: PodResources;
  /** Pod slots left after the DaemonSet pods. */
  podSlots: number;
  /** Burstable types: sustained vCPU per node without spending credits. */
  baselineVcpu?: number;
  hourlyUsd: number;
}

export interface NodeCandidate {
  type: string;
  arch: Arch;
  hourlyUsd: number;
  /** Nodes at the services' minimum replicas (what runs every hour). */
  nodes?: number;
  monthlyUsd?: number;
  fits: boolean;
  why: string;
}

/** One way to run the pods, priced: a managed node group or EKS Auto Mode. */
export interface ComputeOption {
  mode: 'managed-node-group' | 'auto-mode';
  type: string;
  arch: Arch;
  minNodes: number;
  maxNodes: number;
  /** EC2 hours (and the Auto Mode management share) at the minimum node count, a month. */
  monthlyUsd: number;
  basis: string;
  candidates: NodeCandidate[];
}

export interface EksCompute {
  mode: 'managed-node-group' | 'auto-mode';
  /** The chosen option. */
  chosen: ComputeOption;
  /** The other option, priced the same way, when the price book can price it. */
  alternative?: ComputeOption;
  why: string;
  nodeGroup?: {
    name: string;
    instanceType: string;
    capacity: NodeCapacity;
    amiType: 'AL2023_ARM_64_STANDARD' | 'AL2023_x86_64_STANDARD';
    minSize: number;
    maxSize: number;
    desiredSize: number;
    diskGb: number;
    /** Pods may reach the instance metadata service through at most this many hops (1: pods cannot). */
    metadataHopLimit: 1;
    /** Node role managed policies (AWS-managed), each with why. */
    managedPolicies: Array<{ name: string; why: string }>;
  };
  autoMode?: { nodePools: string[] };
}

/** A line of the sizing table: what a pod or DaemonSet asks per copy, and how many copies. */
export interface EksSizingLine {
  component: string;
  kind: 'app' | 'system' | 'daemonset';
  requests: PodResources;
  copiesMin: number;
  copiesMax: number;
  why: string;
}

/** A value of a container environment variable. */
export type EksEnvValue =
  | { kind: 'literal'; value: string }
  | { kind: 'region' }
  | { kind: 'search-url' }
  | { kind: 'bucket-name'; bucket: string };

/**
 * A secret a pod reads through the Secrets Store CSI driver: DATABASE_URL and REDIS_URL from Secrets
 * Manager, the app's named secrets from SSM Parameter Store (SecureString, generated at deploy time).
 */
export interface EksSecretRef {
  /** Environment variable name in the container. */
  env: string;
  /** Secret or parameter name (fixed, so plain YAML can name it). */
  objectName: string;
  objectType: 'secretsmanager' | 'ssmparameter';
  source: 'database-url' | 'redis-url' | 'app-secret';
}

export interface EksWorkload {
  service: Service;
  /** Kubernetes object names (Deployment, Service, HPA, PDB, ServiceAccount). */
  name: string;
  labels: Record<string, string>;
  exposure: 'ingress' | 'internal' | 'none';
  /** Ingress paths (Prefix) routed here; longest first. */
  paths: string[];
  arch: Arch;
  image: { kind: 'pinned'; ref: string } | { kind: 'ecr'; repository: string };
  requests: PodResources;
  limits: PodResources;
  replicas: { min: number; max: number; why: string };
  /** HPA on average CPU utilisation of requests; undefined when min = max. */
  hpa?: { cpuPercent: number };
  /** PodDisruptionBudget: at most this many pods down at once by voluntary disruption. */
  pdb?: { maxUnavailable: number };
  probes?: {
    port: number;
    /** Deep health path: readiness (checks dependencies). */
    readinessPath: string;
    /** Shallow: liveness checks only that the process answers (TCP on the port). */
    liveness: 'tcp';
    startupSeconds: number;
  };
  /** Containers may write only to /tmp (an emptyDir) when the root filesystem is read-only. */
  readOnlyRootFilesystem: boolean;
  readOnlyWhy: string;
  /** The uid and gid the containers run as (the manifest's `user`, never root). */
  runAs: { uid: number; gid: number };
  environment: Array<{ name: string; value: EksEnvValue }>;
  secrets: EksSecretRef[];
  /** AWS APIs the pod calls through its Pod Identity role. */
  awsUses: Array<'bedrock' | 'ses' | 'buckets' | 'search'>;
  /** Services this one calls directly (NetworkPolicy egress inside the namespace). */
  calls: string[];
  /** Services allowed to call this one (NetworkPolicy ingress), besides the load balancer. */
  calledBy: string[];
}

export interface EksAddon {
  name: string;
  why: string;
  /** JSON configuration values. */
  configuration?: Record<string, unknown>;
  /** The add-on's service account gets a Pod Identity role with these AWS-managed policies. */
  podIdentity?: { namespace: string; serviceAccount: string; managedPolicies: string[] };
}

export interface EksIngress {
  /** aws-load-balancer-controller (managed node group) or Auto Mode's built-in load balancing. */
  controller: 'aws-load-balancer-controller' | 'auto-mode';
  className: string;
  /** The controller's Helm chart when it is installed (managed node group). */
  chart?: { repository: string; chart: string; version: string; appVersion: string };
  loadBalancerName: string;
  sslPolicy: string;
  idleTimeoutSeconds: number;
  accessLogPrefix: string;
  hostName: string;
  /** Paths no service claims go to this service; none: a fixed 404. */
  defaultService?: string;
  why: string;
}

export interface EksAlarms {
  alb5xxPercent: number;
  rdsCpuPercent: number;
  rdsFreeStorageBytes: number;
  rdsConnections: number;
  redisMemoryPercent: number;
  /** Minutes pods may stay Pending before the alarm fires. */
  podsPendingMinutes: number;
  /** Minutes an HPA may sit at its maximum before the alarm fires. */
  hpaAtMaxMinutes: number;
}

export interface EksLoadTest {
  /** Requests a second at the busiest hour the manifest implies. */
  peakRps: number;
  averageRps: number;
  peakFactor: number;
  stages: Array<{ duration: string; target: number }>;
  thresholds: { p95Ms: number; errorRate: number };
  /** Paths the script requests, with weights. */
  paths: Array<{ path: string; weight: number }>;
  baseUrl: string;
}

export interface EksPlan {
  tier: 'eks';
  /** The app's name (the manifest's). */
  app: string;
  region: string;
  clusterName: string;
  kubernetes: EksKubernetes;
  endpoint: EksEndpoint;
  compute: EksCompute;
  sizing: EksSizingLine[];
  network: EcsNetwork;
  /** The public subnets' ranges (the ALB's addresses come from them). */
  publicSubnetCidrs: string[];
  edge: EcsEdge;
  ingress?: EksIngress;
  namespace: string;
  workloads: EksWorkload[];
  repositories: EcsRepository[];
  /** Parameter name of the image tag CI deploys (build services only). */
  imageTagParameter?: string;
  migration?: { service: string; command: string[]; jobName: string; timeoutMinutes: number };
  postgres?: EcsPostgres;
  redis?: EcsRedis;
  search?: EcsSearch;
  buckets: Array<{ key: string; purpose?: string; versioned: boolean; envName: string; clients: string[] }>;
  /** Names of DATABASE_URL and REDIS_URL in Secrets Manager, and the app secrets' SSM path. */
  secretNames: { databaseUrl: string; redisUrl: string; parameterPrefix: string };
  /** The Secrets Store CSI driver + AWS provider syncs each service's secrets into this Secret. */
  secretsMechanism: { addon: string; why: string };
  addons: EksAddon[];
  logs: { retentionDays: number; mechanism: string; applicationLogGroup: string };
  alarms: EksAlarms;
  adminRoleName: string;
  ci?: {
    repository: string;
    branch: string;
    oidcProvider: 'create' | 'existing';
    subject: string;
    workflowFile: string;
  };
  load: EksLoadTest;
  /** One-time account setup the first deploy needs, in order. */
  prerequisites: string[];
  /** Unit prices the stacks' acknowledgement reasons quote, from the price book. */
  quotes: PriceQuotes;
  decisions: Decision[];
}
