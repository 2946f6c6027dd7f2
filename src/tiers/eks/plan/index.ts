/**
 * Planning the eks tier: an EKS cluster on the newest Kubernetes version in standard support, the
 * app as Kubernetes objects on a managed node group or EKS Auto Mode (whichever costs less), and
 * the network, data stores and edge the ecs tier plans (the same functions, through planEcs).
 * Pure: the price book and the planning date come in; every choice records why.
 */
import type { Manifest, Service } from '../../../manifest/normalize.js';
import type { ServiceKind } from '../../../manifest/schema.js';
import type { EcsCatalog } from '../../../model/catalog.js';
import type { EcsPlan, EcsService } from '../../../model/ecs.js';
import type { Arch, Decision } from '../../../model/plan.js';
import { HOURS_PER_MONTH } from '../../../price/estimates.js';
import { EcsDoesNotFit, planEcs } from '../../ecs/plan/index.js';
import {
  type ControlPlaneRates,
  chooseKubernetesVersion,
  extendedCost,
  NoSupportedVersion,
  type SupportCalendar,
} from './calendar.js';
import { subnetCidrs } from './network.js';
import {
  AUTO_MODE_FAMILIES,
  type DaemonSetSpec,
  NODE_GROUP_FAMILIES,
  nodeCapacity,
  nodesFor,
  type PodToPlace,
} from './nodes.js';
import type {
  ComputeOption,
  EksAddon,
  EksCompute,
  EksIngress,
  EksLoadTest,
  EksPlan,
  EksSecretRef,
  EksSizingLine,
  EksWorkload,
  NodeCandidate,
  NodeCapacity,
} from './types.js';

export { chooseKubernetesVersion, SUPPORT_WARNING_DAYS, type SupportCalendar } from './calendar.js';
export type * from './types.js';

/** What the eks planner needs from the price book (the loaded PriceBook is one). */
export interface EksCatalog extends EcsCatalog {
  ec2Candidates(region: string): Array<{
    type: string;
    vcpu: number;
    memoryMiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
    hourlyUsd: number;
  }>;
  rule<T>(key: string): T | undefined;
}

export interface EksPlanOptions {
  /** The planning date, YYYY-MM-DD: the Kubernetes version is the newest in standard support on it. */
  today: string;
}

/** The app cannot run on the eks tier as planned; the message says why and what to change. */
export class EksDoesNotFit extends Error {}

/** The AWS Load Balancer Controller release the node-group clusters install (chart from eks-charts). */
export const LOAD_BALANCER_CONTROLLER = {
  repository: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.2.2',
  appVersion: 'v3.2.2',
} as const;

const HTTP_KINDS: ReadonlySet<ServiceKind> = new Set(['frontend', 'api', 'ml']);
const AWS_USES = ['bedrock', 'ses', 'buckets', 'search'] as const;
/** Seconds a container may take to start answering before liveness applies. */
const STARTUP_SECONDS: Record<ServiceKind, number> = { frontend: 60, api: 60, ml: 180, worker: 0, static: 0 };
/** The busiest hour against the month's average request rate (a day/night traffic profile). */
export const PEAK_FACTOR = 4;

/** DaemonSet pods on every managed node (requests as each add-on's defaults set them). */
export const NODE_GROUP_DAEMONSETS: readonly DaemonSetSpec[] = [
  {
    name: 'aws-node (VPC CNI + network policy agent)',
    cpuMilli: 50,
    memoryMiB: 0,
    why: 'vpc-cni add-on: 25m per container',
  },
  { name: 'kube-proxy', cpuMilli: 100, memoryMiB: 0, why: 'kube-proxy add-on: 100m' },
  {
    name: 'eks-pod-identity-agent',
    cpuMilli: 25,
    memoryMiB: 32,
    why: 'eks-pod-identity-agent add-on (estimate)',
  },
  {
    name: 'secrets-store-csi-driver',
    cpuMilli: 70,
    memoryMiB: 140,
    why: 'driver, node registrar and liveness probe containers',
  },
  { name: 'secrets-store-csi-driver-provider-aws', cpuMilli: 50, memoryMiB: 100, why: 'ASCP provider' },
  { name: 'cloudwatch-agent', cpuMilli: 250, memoryMiB: 128, why: 'amazon-cloudwatch-observability add-on' },
  { name: 'fluent-bit', cpuMilli: 50, memoryMiB: 100, why: 'amazon-cloudwatch-observability add-on' },
];

/** On Auto Mode nodes the CNI, kube-proxy, Pod Identity agent and CoreDNS run as node processes. */
export const AUTO_MODE_DAEMONSETS: readonly DaemonSetSpec[] = NODE_GROUP_DAEMONSETS.filter(
  (d) => !/^(aws-node|kube-proxy|eks-pod-identity-agent)/.test(d.name),
);

/** Cluster-wide system pods besides the app (requests per copy). */
function systemPods(
  mode: 'managed-node-group' | 'auto-mode',
): Array<PodToPlace & { copies: number; why: string }> {
  const pods = [
    {
      owner: 'metrics-server',
      cpuMilli: 100,
      memoryMiB: 200,
      copies: 1,
      why: 'metrics-server add-on: HPA reads pod CPU from it',
    },
    {
      owner: 'amazon-cloudwatch-observability controller',
      cpuMilli: 100,
      memoryMiB: 128,
      copies: 1,
      why: 'manages the CloudWatch agent and Fluent Bit (estimate)',
    },
  ];
  if (mode === 'managed-node-group') {
    pods.unshift(
      {
        owner: 'coredns',
        cpuMilli: 100,
        memoryMiB: 70,
        copies: 2,
        why: 'coredns add-on: 100m / 70Mi, 2 replicas',
      },
      {
        owner: 'aws-load-balancer-controller',
        cpuMilli: 100,
        memoryMiB: 128,
        copies: 2,
        why: 'set in the chart values: 100m / 128Mi, 2 replicas (leader election)',
      },
    );
  }
  return pods;
}

function pathsOf(route: string): string[] {
  return [route === '/' ? '/' : route.replace(/\/$/, '')];
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

/** Nodes' architecture: Graviton when every image can run on it. */
function nodeArch(m: Manifest): { arch: Arch; why: string } {
  if (m.arch !== 'auto') return { arch: m.arch, why: `the manifest sets arch: ${m.arch}` };
  const x86 = m.services.filter((s) => s.kind !== 'static' && s.image !== undefined && !s.arm64);
  if (x86.length === 0) {
    return {
      arch: 'arm64',
      why: 'every image is built by CI or published for arm64: Graviton nodes cost less than x86 nodes of the same size',
    };
  }
  return {
    arch: 'x86_64',
    why: `${x86.map((s) => `${s.name} (${s.image})`).join(', ')} ${x86.length === 1 ? 'is' : 'are'} not marked arm64, and every pod runs on the same nodes (set arm64: true on multi-arch images for Graviton)`,
  };
}

function requestsOf(s: Service): { cpuMilli: number; memoryMiB: number } {
  return { cpuMilli: Math.max(10, Math.round(s.cpu * 1000)), memoryMiB: s.memory };
}

interface Ctx {
  m: Manifest;
  catalog: EksCatalog;
  decisions: Decision[];
}

function price(ctx: Ctx, service: string, item: string): number | undefined {
  return ctx.catalog.price(ctx.m.region, service, item)?.usd;
}

// --- Workloads ------------------------------------------------------------------------------------

function planWorkloads(
  ctx: Ctx,
  ecs: EcsPlan,
  arch: Arch,
  secretNames: EksPlan['secretNames'],
): EksWorkload[] {
  const { m } = ctx;
  const byName = new Map<string, EcsService>(ecs.services.map((s) => [s.service.name, s]));
  const internal = m.services.filter(
    (s) => s.kind !== 'static' && s.port !== undefined && !(HTTP_KINDS.has(s.kind) && s.route !== undefined),
  );
  const out: EksWorkload[] = [];
  for (const s of m.services) {
    if (s.kind === 'static') continue;
    const e = byName.get(s.name)!;
    const exposure: EksWorkload['exposure'] =
      e.exposure === 'alb' ? 'ingress' : e.exposure === 'internal' ? 'internal' : 'none';
    const requests = requestsOf(s);
    const secrets: EksSecretRef[] = e.secrets.map((x): EksSecretRef => {
      if (x.source.kind === 'database-url')
        return {
          env: x.name,
          objectName: secretNames.databaseUrl,
          objectType: 'secretsmanager',
          source: 'database-url',
        };
      if (x.source.kind === 'redis-url')
        return {
          env: x.name,
          objectName: secretNames.redisUrl,
          objectType: 'secretsmanager',
          source: 'redis-url',
        };
      return {
        env: x.name,
        objectName: `${secretNames.parameterPrefix}${x.name}`,
        objectType: 'ssmparameter',
        source: 'app-secret',
      };
    });
    const readOnly = s.readonlyRootFilesystem;
    const w: EksWorkload = {
      service: s,
      name: s.name,
      labels: { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/part-of': m.name },
      exposure,
      paths: exposure === 'ingress' ? pathsOf(s.route!) : [],
      arch,
      image: e.image,
      requests,
      // Memory limit = request: a pod never takes memory the scheduler did not reserve. CPU may burst to 2×.
      limits: { cpuMilli: requests.cpuMilli * 2, memoryMiB: requests.memoryMiB },
      replicas: {
        min: e.min,
        max: e.max,
        why: e.scalingWhy.replace(/tasks?/g, (t) => (t === 'task' ? 'pod' : 'pods')),
      },
      ...(e.max > e.min && { hpa: { cpuPercent: 70 } }),
      ...(e.min >= 2 && { pdb: { maxUnavailable: 1 } }),
      ...(s.port !== undefined &&
        s.health !== undefined && {
          probes: {
            port: s.port,
            readinessPath: s.health,
            liveness: 'tcp' as const,
            startupSeconds: STARTUP_SECONDS[s.kind],
          },
        }),
      readOnlyRootFilesystem: readOnly,
      readOnlyWhy: readOnly
        ? 'the root filesystem is read-only; the app writes only to /tmp (an emptyDir)'
        : 'the manifest sets readonlyRootFilesystem: false: the root filesystem stays writable',
      runAs: { uid: s.user.uid, gid: s.user.gid },
      environment: e.environment,
      secrets,
      awsUses: AWS_USES.filter((u) => s.uses.includes(u)),
      calls: internal.filter((i) => i.name !== s.name).map((i) => i.name),
      calledBy:
        exposure === 'internal'
          ? m.services.filter((o) => o.kind !== 'static' && o.name !== s.name).map((o) => o.name)
          : [],
    };
    out.push(w);
    ctx.decisions.push({
      topic: `${s.name} pods`,
      choice: `${requests.cpuMilli}m CPU / ${requests.memoryMiB} MiB requested (limits ${w.limits.cpuMilli}m / ${w.limits.memoryMiB} MiB), ${w.replicas.min === w.replicas.max ? w.replicas.min : `${w.replicas.min}-${w.replicas.max}`} replica${w.replicas.max === 1 ? '' : 's'}`,
      why: `requests from the manifest's cpu and memory; the memory limit equals the request so a pod never uses memory the scheduler did not reserve, CPU may burst to twice its request; ${w.replicas.why}${w.hpa ? '; a HorizontalPodAutoscaler keeps average CPU near 70% of requests' : ''}${w.pdb ? '; a PodDisruptionBudget lets node drains take one pod at a time' : ''}`,
    });
    if (w.probes) {
      ctx.decisions.push({
        topic: `${s.name} probes`,
        choice: `readiness GET ${w.probes.readinessPath}, liveness TCP ${w.probes.port}`,
        why: 'readiness checks the dependencies and only takes the pod out of the load balancer; liveness only checks that the process answers, so a database outage never restarts every pod (seed 001 checked every dependency in liveness)',
      });
    }
  }
  return out;
}

// --- Compute --------------------------------------------------------------------------------------

function podsAt(workloads: EksWorkload[], which: 'min' | 'max', mode: ComputeOption['mode']): PodToPlace[] {
  const pods: PodToPlace[] = [];
  for (const w of workloads) {
    for (let i = 0; i < w.replicas[which]; i++) pods.push({ owner: w.name, ...w.requests });
  }
  for (const p of systemPods(mode)) {
    for (let i = 0; i < p.copies; i++)
      pods.push({ owner: p.owner, cpuMilli: p.cpuMilli, memoryMiB: p.memoryMiB });
  }
  return pods;
}

function minNodesFor(m: Manifest): { nodes: number; why: string } {
  if (m.availability === 'multi-az-ha') return { nodes: 3, why: 'multi-az-ha: a node in each of three AZs' };
  if (m.availability === 'multi-az') return { nodes: 2, why: 'multi-az: a node in each of two AZs' };
  return { nodes: 1, why: 'single-instance: one node; a failed node is replaced by the node group' };
}

function optionFor(
  ctx: Ctx,
  mode: ComputeOption['mode'],
  families: readonly string[],
  arch: Arch,
  workloads: EksWorkload[],
  feeShare: number,
): ComputeOption | undefined {
  const { m } = ctx;
  const daemonSets = mode === 'auto-mode' ? AUTO_MODE_DAEMONSETS : NODE_GROUP_DAEMONSETS;
  const min = minNodesFor(m);
  // A node group has no autoscaler here: it is sized for every service at replicas.max. Auto Mode
  // adds and removes nodes itself, so it pays for the minimum and grows to the maximum.
  const sizing = mode === 'auto-mode' ? podsAt(workloads, 'min', mode) : podsAt(workloads, 'max', mode);
  const atMax = podsAt(workloads, 'max', mode);
  const avgCpu =
    workloads.reduce((t, w) => t + w.service.cpu * w.replicas.min, 0) +
    systemPods(mode).reduce((t, p) => t + (p.cpuMilli / 1000) * p.copies, 0) * 0.5;
  const pool = ctx.catalog
    .ec2Candidates(m.region)
    .filter((c) => c.arch === arch && families.includes(c.type.split('.')[0]!))
    .filter((c) => !/\.(nano|micro)$/.test(c.type));
  const candidates: Array<NodeCandidate & { cap?: NodeCapacity; maxNodes?: number }> = [];
  for (const c of pool) {
    const cap = nodeCapacity(c, daemonSets);
    const hourly = c.hourlyUsd * (1 + feeShare);
    if (!cap) {
      candidates.push({
        type: c.type,
        arch: c.arch,
        hourlyUsd: hourly,
        fits: false,
        why: 'no ENI data for this size',
      });
      continue;
    }
    const packed = nodesFor(cap, sizing);
    if (packed === undefined) {
      candidates.push({
        type: c.type,
        arch: c.arch,
        hourlyUsd: round2(hourly * 1e4) / 1e4,
        fits: false,
        why: `a pod does not fit: ${cap.forPods.cpuMilli}m CPU / ${cap.forPods.memoryMiB} MiB / ${cap.podSlots} pod slots left after EKS and the DaemonSets`,
      });
      continue;
    }
    const nodes = Math.max(packed, min.nodes);
    if (cap.baselineVcpu !== undefined && avgCpu > nodes * cap.baselineVcpu) {
      candidates.push({
        type: c.type,
        arch: c.arch,
        hourlyUsd: c.hourlyUsd,
        nodes,
        fits: false,
        why: `sustained ${round2(avgCpu)} vCPU is above ${nodes} × ${cap.baselineVcpu} vCPU burstable baseline`,
      });
      continue;
    }
    const maxNodes = Math.max(nodes, nodesFor(cap, atMax) ?? nodes);
    const monthly = nodes * hourly * HOURS_PER_MONTH;
    candidates.push({
      type: c.type,
      arch: c.arch,
      hourlyUsd: Number(hourly.toPrecision(6)),
      nodes,
      monthlyUsd: round2(monthly),
      fits: true,
      why: `${nodes} node${nodes === 1 ? '' : 's'} (${packed} by requests${packed < min.nodes ? `; ${min.why}` : ''}), each ${cap.forPods.cpuMilli}m / ${cap.forPods.memoryMiB} MiB / ${cap.podSlots} pods for the app`,
      cap,
      maxNodes,
    });
  }
  const fitting = candidates
    .filter((c) => c.fits)
    .sort((a, b) => a.monthlyUsd! - b.monthlyUsd! || a.nodes! - b.nodes! || a.type.localeCompare(b.type));
  const best = fitting[0];
  if (!best) return undefined;
  const shown = [...fitting.slice(0, 5), ...candidates.filter((c) => !c.fits).slice(0, 5)].map(
    ({ cap: _c, maxNodes: _m, ...rest }) => rest,
  );
  return {
    mode,
    type: best.type,
    arch,
    minNodes: best.nodes!,
    maxNodes: best.maxNodes!,
    monthlyUsd: best.monthlyUsd!,
    basis:
      mode === 'auto-mode'
        ? `${best.nodes} × ${best.type} at $${best.hourlyUsd}/h (EC2 on-demand + ${Math.round(feeShare * 100)}% Auto Mode management) × ${HOURS_PER_MONTH} h, at the services' minimum replicas; Auto Mode adds nodes up to about ${best.maxNodes} at their maximum`
        : `${best.nodes} × ${best.type} at $${best.hourlyUsd}/h × ${HOURS_PER_MONTH} h, sized for every service at its maximum replicas (no cluster autoscaler: the HPA moves pods within these nodes)`,
    candidates: shown,
    ...({ capacity: best.cap } as object),
  } as ComputeOption;
}

function planCompute(ctx: Ctx, workloads: EksWorkload[], arch: { arch: Arch; why: string }): EksCompute {
  const { m, decisions } = ctx;
  const ng = optionFor(ctx, 'managed-node-group', NODE_GROUP_FAMILIES[arch.arch], arch.arch, workloads, 0);
  const share =
    price(ctx, 'eks_auto_mode', 'management_share_of_on_demand') ??
    ctx.catalog.price('us-east-1', 'eks_auto_mode', 'management_share_of_on_demand')?.usd;
  const auto =
    arch.arch === 'x86_64' && share !== undefined
      ? optionFor(ctx, 'auto-mode', AUTO_MODE_FAMILIES, 'x86_64', workloads, share)
      : undefined;
  if (!ng && !auto) {
    throw new EksDoesNotFit(
      `no ${arch.arch} node type in ${m.region}'s price book fits the largest pod with EKS's reserved resources and DaemonSets`,
    );
  }
  const autoWhyNot =
    arch.arch === 'arm64'
      ? "Auto Mode's general-purpose pool launches amd64 instances only"
      : share === undefined
        ? 'the price book has no Auto Mode management price'
        : 'no Auto Mode instance type fits the largest pod';
  let chosen: ComputeOption;
  let alternative: ComputeOption | undefined;
  let why: string;
  if (ng && (!auto || ng.monthlyUsd <= auto.monthlyUsd)) {
    chosen = ng;
    alternative = auto;
    why = auto
      ? `a managed node group (${ng.minNodes} × ${ng.type}, ${money(ng.monthlyUsd)}/month) costs ${money(auto.monthlyUsd - ng.monthlyUsd)} a month less than EKS Auto Mode (${auto.minNodes} × ${auto.type} with the management share, ${money(auto.monthlyUsd)}/month): Auto Mode adds ${Math.round(share! * 100)}% per instance-hour and launches only C, M and R types of generation 5 or later, while a node group can use ${arch.arch === 'arm64' ? 'Graviton and ' : ''}burstable types`
      : `a managed node group (${ng.minNodes} × ${ng.type}, ${money(ng.monthlyUsd)}/month); EKS Auto Mode was not priced: ${autoWhyNot}`;
  } else {
    chosen = auto!;
    alternative = ng;
    why = ng
      ? `EKS Auto Mode (${auto!.minNodes} × ${auto!.type} with the management share, ${money(auto!.monthlyUsd)}/month) costs ${money(ng.monthlyUsd - auto!.monthlyUsd)} a month less than a managed node group sized for every service at its maximum (${ng.minNodes} × ${ng.type}, ${money(ng.monthlyUsd)}/month): Auto Mode adds nodes only when the HorizontalPodAutoscalers need them`
      : `EKS Auto Mode (${auto!.minNodes} × ${auto!.type}): no node group type fits`;
  }
  decisions.push({
    topic: 'compute',
    choice: chosen.mode === 'auto-mode' ? 'EKS Auto Mode' : `managed node group of ${chosen.type}`,
    why,
  });
  const cap = (chosen as ComputeOption & { capacity: NodeCapacity }).capacity;
  const compute: EksCompute = {
    mode: chosen.mode,
    chosen: strip(chosen),
    ...(alternative && { alternative: strip(alternative) }),
    why,
  };
  if (chosen.mode === 'managed-node-group') {
    compute.nodeGroup = {
      name: 'app',
      instanceType: chosen.type,
      capacity: cap,
      amiType: arch.arch === 'arm64' ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      minSize: chosen.minNodes,
      maxSize: chosen.minNodes,
      desiredSize: chosen.minNodes,
      diskGb: 20,
      metadataHopLimit: 1,
      managedPolicies: [
        {
          name: 'AmazonEKSWorkerNodeMinimalPolicy',
          why: 'the kubelet registers the node and reads cluster details',
        },
        {
          name: 'AmazonEC2ContainerRegistryPullOnly',
          why: 'the kubelet pulls images from ECR (including the add-ons’ images)',
        },
        {
          name: 'AmazonEKS_CNI_Policy',
          why: 'the VPC CNI on the node attaches ENIs and addresses for pods (kept on the node role so a node can start before Pod Identity is up)',
        },
      ],
    };
    decisions.push({
      topic: 'nodes',
      choice: `${chosen.minNodes} × ${chosen.type} (${arch.arch}), AL2023, ${compute.nodeGroup.diskGb} GB gp3, private subnets`,
      why: `${chosen.basis}; ${arch.why}; IMDSv2 only with hop limit 1 so pods cannot take the node role; the node role has only AmazonEKSWorkerNodeMinimalPolicy, AmazonEC2ContainerRegistryPullOnly and AmazonEKS_CNI_Policy (seed 001 attached eleven add-on policies); every AWS call of the app goes through Pod Identity`,
    });
  } else {
    compute.autoMode = { nodePools: ['general-purpose', 'system'] };
    decisions.push({
      topic: 'nodes',
      choice: `EKS Auto Mode, general-purpose and system node pools`,
      why: `${chosen.basis}; Auto Mode patches, replaces (at most every 21 days) and scales its nodes, which run Bottlerocket with IMDSv2 and a read-only root filesystem`,
    });
  }
  return compute;
}

function strip(o: ComputeOption): ComputeOption {
  const { capacity: _c, ...rest } = o as ComputeOption & { capacity?: unknown };
  return rest;
}

// --- Sizing table -----------------------------------------------------------------------------------

function sizingLines(workloads: EksWorkload[], mode: EksCompute['mode']): EksSizingLine[] {
  const lines: EksSizingLine[] = workloads.map((w) => ({
    component: w.name,
    kind: 'app',
    requests: w.requests,
    copiesMin: w.replicas.min,
    copiesMax: w.replicas.max,
    why: `the manifest's cpu ${w.service.cpu} and memory ${w.service.memory} MiB`,
  }));
  for (const p of systemPods(mode)) {
    lines.push({
      component: p.owner,
      kind: 'system',
      requests: { cpuMilli: p.cpuMilli, memoryMiB: p.memoryMiB },
      copiesMin: p.copies,
      copiesMax: p.copies,
      why: p.why,
    });
  }
  for (const d of mode === 'auto-mode' ? AUTO_MODE_DAEMONSETS : NODE_GROUP_DAEMONSETS) {
    lines.push({
      component: d.name,
      kind: 'daemonset',
      requests: { cpuMilli: d.cpuMilli, memoryMiB: d.memoryMiB },
      copiesMin: 1,
      copiesMax: 1,
      why: `one per node; ${d.why}`,
    });
  }
  return lines;
}

// --- Add-ons, ingress, load test ---------------------------------------------------------------------

function planAddons(mode: EksCompute['mode']): EksAddon[] {
  const addons: EksAddon[] = [];
  if (mode === 'managed-node-group') {
    addons.push(
      {
        name: 'vpc-cni',
        why: 'pod networking from VPC addresses; enableNetworkPolicy makes the NetworkPolicies enforced',
        configuration: { enableNetworkPolicy: 'true' },
      },
      { name: 'kube-proxy', why: 'Service routing on each node' },
      { name: 'coredns', why: 'cluster DNS: pods reach Services by name' },
      {
        name: 'eks-pod-identity-agent',
        why: 'gives pods their Pod Identity role credentials (no IRSA, no node role)',
      },
    );
  }
  addons.push(
    { name: 'metrics-server', why: 'pod CPU for the HorizontalPodAutoscalers' },
    {
      name: 'aws-secrets-store-csi-driver-provider',
      why: 'the Secrets Store CSI driver with the AWS provider (ASCP): each pod reads its own secrets with its own Pod Identity role',
      configuration: {
        'secrets-store-csi-driver': {
          syncSecret: { enabled: true },
          enableSecretRotation: true,
          rotationPollInterval: '2m',
        },
      },
    },
    {
      name: 'amazon-cloudwatch-observability',
      why: 'Container Insights with enhanced observability (node, pod and deployment metrics the alarms use) and Fluent Bit shipping container logs to CloudWatch Logs',
      podIdentity: {
        namespace: 'amazon-cloudwatch',
        serviceAccount: 'cloudwatch-agent',
        managedPolicies: ['CloudWatchAgentServerPolicy'],
      },
    },
  );
  return addons;
}

function planIngress(ctx: Ctx, ecs: EcsPlan, mode: EksCompute['mode']): EksIngress | undefined {
  const alb = ecs.edge.alb;
  if (!alb) return undefined;
  const name = `${ctx.m.name.slice(0, 28).replace(/-+$/, '')}-eks`;
  const ingress: EksIngress =
    mode === 'auto-mode'
      ? {
          controller: 'auto-mode',
          className: 'alb',
          loadBalancerName: name,
          sslPolicy: alb.sslPolicy,
          idleTimeoutSeconds: alb.idleTimeoutSeconds,
          accessLogPrefix: 'alb',
          hostName: alb.hostName,
          ...(alb.defaultService && { defaultService: alb.defaultService }),
          why: "EKS Auto Mode's built-in load balancing turns the Ingress into an ALB (IngressClassParams carry the certificate, TLS policy, access logs and scheme)",
        }
      : {
          controller: 'aws-load-balancer-controller',
          className: 'alb',
          chart: { ...LOAD_BALANCER_CONTROLLER },
          loadBalancerName: name,
          sslPolicy: alb.sslPolicy,
          idleTimeoutSeconds: alb.idleTimeoutSeconds,
          accessLogPrefix: 'alb',
          hostName: alb.hostName,
          ...(alb.defaultService && { defaultService: alb.defaultService }),
          why: `the AWS Load Balancer Controller ${LOAD_BALANCER_CONTROLLER.appVersion} (Helm chart ${LOAD_BALANCER_CONTROLLER.version}, Pod Identity role with the controller's published IAM policy) turns the Ingress into an ALB; IngressClassParams carry the certificate, TLS policy, access logs and scheme`,
        };
  ctx.decisions.push({
    topic: 'ingress',
    choice: `one ALB ${name} for ${ecs.services
      .filter((s) => s.exposure === 'alb')
      .map((s) => s.service.name)
      .join(', ')} at ${alb.hostName}`,
    why: `${ingress.why}; HTTPS with ${alb.sslPolicy} (seed 001 used ELBSecurityPolicy-TLS-1-2-2017-01), port 80 redirects to 443, pods are IP targets, access logs to the log bucket; the Ingress has no deletion protection so deleting the stack removes the ALB`,
  });
  return ingress;
}

function planLoad(m: Manifest, workloads: EksWorkload[], hasStaticRoot: boolean): EksLoadTest {
  const averageRps = m.traffic.requestsPerMonth / (HOURS_PER_MONTH * 3600);
  const peakRps = Math.max(1, Math.ceil(averageRps * PEAK_FACTOR));
  const paths: EksLoadTest['paths'] = [];
  // The routes the public site answers on (a health path outside its route never reaches the ALB).
  for (const w of workloads) {
    if (w.exposure !== 'ingress') continue;
    const health = w.probes?.readinessPath;
    const route = w.service.route ?? '/';
    paths.push({ path: health?.startsWith(route) ? health : route, weight: 3 });
  }
  if (hasStaticRoot) paths.push({ path: '/', weight: 1 });
  if (paths.length === 0) paths.push({ path: '/', weight: 1 });
  const at = (share: number) => Math.max(1, Math.ceil(peakRps * share));
  return {
    peakRps,
    averageRps: Math.round(averageRps * 1000) / 1000,
    peakFactor: PEAK_FACTOR,
    stages: [
      { duration: '2m', target: at(0.25) },
      { duration: '3m', target: at(0.5) },
      { duration: '5m', target: peakRps },
      { duration: '10m', target: peakRps },
      { duration: '2m', target: 0 },
    ],
    thresholds: { p95Ms: 500, errorRate: 0.01 },
    paths,
    baseUrl: `https://${m.domain}`,
  };
}

// --- The tier ---------------------------------------------------------------------------------------

/** Decisions of the ecs planner that describe what the eks tier reuses unchanged. */
function reusedDecisions(ecs: EcsPlan, m: Manifest): Decision[] {
  const names = new Set(m.services.map((s) => s.name));
  return ecs.decisions.filter((d) => {
    if (['logs', 'migration', 'load balancer', 'CI'].includes(d.topic)) return false;
    if (d.topic.startsWith('ECR ')) return false;
    const [first, ...rest] = d.topic.split(' ');
    if (names.has(first!) && (rest.join(' ') === 'tasks' || rest.join(' ') === 'reachability')) return false;
    return true;
  });
}

export function planEks(m: Manifest, catalog: EksCatalog, opts: EksPlanOptions): EksPlan {
  if (m.egress === 'endpoints') {
    throw new EksDoesNotFit(
      'egress: endpoints leaves the cluster without internet, but EKS nodes pull the add-ons’ images from public registries and the kubectl handler fetches the load balancer controller’s Helm chart: use egress nat-gateway or nat-instance for the eks tier',
    );
  }
  let ecs: EcsPlan;
  try {
    ecs = planEcs(m, catalog);
  } catch (e) {
    if (e instanceof EcsDoesNotFit) throw new EksDoesNotFit(e.message);
    throw e;
  }
  const calendar = catalog.rule<SupportCalendar>('eksStandardSupportEnds');
  if (!calendar)
    throw new EksDoesNotFit('the price book has no EKS support calendar (rule eksStandardSupportEnds)');
  const controlPlaneRates: ControlPlaneRates = {};
  const standardHour = catalog.price(m.region, 'eks', 'cluster_hour_standard_support')?.usd;
  const extendedHour = catalog.price(m.region, 'eks', 'cluster_hour_extended_support')?.usd;
  if (standardHour !== undefined) controlPlaneRates.standardHour = standardHour;
  if (extendedHour !== undefined) controlPlaneRates.extendedHour = extendedHour;
  let kubernetes: EksPlan['kubernetes'];
  try {
    kubernetes = chooseKubernetesVersion(calendar, opts.today, controlPlaneRates);
  } catch (e) {
    if (e instanceof NoSupportedVersion) throw new EksDoesNotFit(e.message);
    throw e;
  }
  const ctx: Ctx = { m, catalog, decisions: [] };
  const { decisions } = ctx;
  decisions.push({
    topic: 'Kubernetes version',
    choice: `${kubernetes.version}, in EKS standard support until ${kubernetes.standardSupportEnds}`,
    why: `the newest version in standard support on ${kubernetes.plannedOn} in the support calendar (seed 001 pinned 1.28, out of support); upgrade policy EXTENDED so an overdue upgrade costs ${extendedCost(controlPlaneRates)} rather than upgrading the cluster by surprise${kubernetes.warning ? `. Warning: ${kubernetes.warning}` : ''}`,
  });
  const clusterName = `${m.name}-eks`;
  const endpoint: EksPlan['endpoint'] = m.adminCidr
    ? {
        private: true,
        public: true,
        publicCidrs: [m.adminCidr],
        why: `the API server answers inside the VPC, and on the internet only to ${m.adminCidr} (adminCidr)`,
      }
    : {
        private: true,
        public: false,
        publicCidrs: [],
        why: 'the API server answers only inside the VPC (no adminCidr in the manifest): reach it from the VPC, or set adminCidr to open it to one network',
      };
  decisions.push({
    topic: 'API endpoint',
    choice: endpoint.public ? `private + public from ${m.adminCidr}` : 'private only',
    why: endpoint.why,
  });

  const arch = nodeArch(m);
  const secretNames = {
    databaseUrl: `stackplan/${m.name}/eks/database-url`,
    redisUrl: `stackplan/${m.name}/eks/redis-url`,
    parameterPrefix: `/stackplan/${m.name}/eks/secrets/`,
  };
  const workloads = planWorkloads(ctx, ecs, arch.arch, secretNames);
  const compute = planCompute(ctx, workloads, arch);
  const ingress = planIngress(ctx, ecs, compute.mode);
  const platform = arch.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';
  const repositories = ecs.repositories.map((r) => ({ ...r, platforms: [platform] as typeof r.platforms }));
  for (const r of repositories) {
    decisions.push({
      topic: `ECR ${r.name}`,
      choice: `scan on push, immutable tags, built for ${platform}`,
      why: `${r.services.join(' and ')} build${r.services.length === 1 ? 's' : ''} from ${r.build}: one image per commit, tagged with its SHA (never :latest), for the nodes' architecture`,
    });
  }
  const migrating = ecs.migration;
  const migration = migrating
    ? { service: migrating.service, command: [...migrating.command], jobName: 'migrate', timeoutMinutes: 10 }
    : undefined;
  decisions.push(
    migration
      ? {
          topic: 'migration',
          choice: `Job migrate-<image tag>: ${migration.command.join(' ')}`,
          why: `${migration.service}'s image, configuration and service account; cdk deploy applies it with the new image and waits up to ${migration.timeoutMinutes} minutes for it to succeed before the Deployments change, so a failed migration rolls the deploy back`,
        }
      : m.postgres
        ? {
            topic: 'migration',
            choice: 'none',
            why: 'no service sets migrate: add migrate: [your, migration, command] to the service that owns the schema',
          }
        : { topic: 'migration', choice: 'none', why: 'no database' },
  );
  decisions.push({
    topic: 'secrets',
    choice:
      'Secrets Store CSI driver with the AWS provider (EKS add-on), synced to one Kubernetes Secret per service',
    why: 'each pod mounts its SecretProviderClass with its own Pod Identity role, so a service can read only its own secrets (External Secrets would read them all with one controller role); DATABASE_URL and REDIS_URL (rediss://) come from Secrets Manager, named secrets from SSM SecureString parameters generated at deploy time; no value is in a template, manifest or file (seed 001 kept AWS keys in a secret)',
  });
  decisions.push({
    topic: 'pod identity',
    choice: `a role per service that calls AWS (${
      workloads
        .filter((w) => w.awsUses.length)
        .map((w) => `${w.name}: ${w.awsUses.join(', ')}`)
        .join('; ') || 'none'
    })`,
    why: 'EKS Pod Identity associations bind each service account to its own role: Bedrock by model ARN, SES from the sender only, the app buckets, the search domain; nothing is on the node role',
  });
  if (ecs.postgres || ecs.redis || ecs.search) {
    const users = workloads
      .filter((w) => w.service.uses.some((u) => u === 'postgres' || u === 'redis' || u === 'search'))
      .map((w) => w.name);
    decisions.push({
      topic: 'data-store access',
      choice:
        'the data stores’ security groups admit the cluster security group (every node and pod of the cluster)',
      why: `narrowing it to the pods that use them (${users.join(', ') || 'none'}) would take Security Groups for Pods: trunk ENIs on Nitro instances that are not burstable, fewer pods per node and the VPC CNI's pod-ENI mode, so dearer nodes for this app; instead the cluster runs only this app, the stores sit in isolated subnets, and each needs credentials (TLS plus the database password or the cache AUTH token) that only the services using it receive, through their own SecretProviderClass and Pod Identity role`,
    });
  }
  const addons = planAddons(compute.mode);
  const logs = {
    retentionDays: m.logs.retentionDays,
    mechanism:
      'amazon-cloudwatch-observability add-on: Fluent Bit ships container logs, the CloudWatch agent Container Insights metrics',
    applicationLogGroup: `/aws/containerinsights/${clusterName}/application`,
  };
  decisions.push({
    topic: 'logs',
    choice: `Fluent Bit to /aws/containerinsights/${clusterName}/*, ${m.logs.retentionDays} days (logs.retentionDays); control plane API, audit and authenticator logs`,
    why: 'the CloudWatch Observability add-on replaces a hand-configured Fluent Bit (seed 001); the stack creates the log groups first so they have a retention instead of never expiring',
  });
  const load = planLoad(m, workloads, ecs.edge.cdn?.statics.some((s) => s.route === '/') ?? false);
  decisions.push({
    topic: 'load test',
    choice: `k6 ramping to ${load.peakRps} requests/s against ${load.baseUrl}, p95 < ${load.thresholds.p95Ms} ms, errors < ${load.thresholds.errorRate * 100}%`,
    why: `${m.traffic.requestsPerMonth.toLocaleString('en-US')} requests a month is ${load.averageRps} per second on average; the busiest hour is taken as ${PEAK_FACTOR}× that`,
  });
  const adminRoleName = `${m.name}-eks-admin`.slice(0, 64);
  decisions.push({
    topic: 'cluster access',
    choice: `authentication mode API; access entries for the kubectl handler and the role ${adminRoleName}`,
    why: 'no aws-auth ConfigMap and no standing admin for whoever created the cluster: administrators assume the admin role (cluster admin access policy); CI deploys through CloudFormation and needs no Kubernetes access',
  });
  const ci = ecs.ci ? { ...ecs.ci } : undefined;
  decisions.push(
    ci
      ? {
          topic: 'CI',
          choice: `GitHub Actions from ${ci.repository} (${ci.branch}) through OIDC`,
          why: `the deploy role trusts only ${ci.subject}; CI builds the images, then cdk deploy runs the migration Job and rolls the Deployments; no AWS keys anywhere`,
        }
      : {
          topic: 'CI',
          choice: 'none',
          why: 'no ci in the manifest: add ci.repository (owner/name) for a deploy role and the GitHub Actions workflow',
        },
  );
  const prerequisites = [
    ...ecs.prerequisites,
    `kubectl: aws eks update-kubeconfig --name ${clusterName} --role-arn <stack output AdminRoleArn> (from inside the VPC${endpoint.public ? ` or from ${m.adminCidr}` : ''})`,
  ];
  return {
    tier: 'eks',
    app: m.name,
    region: m.region,
    clusterName,
    kubernetes,
    endpoint,
    compute,
    sizing: sizingLines(workloads, compute.mode),
    network: ecs.network,
    publicSubnetCidrs: subnetCidrs(ecs.network).public,
    edge: ecs.edge,
    ...(ingress && { ingress }),
    namespace: m.name,
    workloads,
    repositories,
    ...(ecs.imageTagParameter && { imageTagParameter: ecs.imageTagParameter }),
    ...(migration && { migration }),
    ...(ecs.postgres && { postgres: ecs.postgres }),
    ...(ecs.redis && { redis: ecs.redis }),
    ...(ecs.search && { search: ecs.search }),
    buckets: ecs.buckets,
    secretNames,
    secretsMechanism: {
      addon: 'aws-secrets-store-csi-driver-provider',
      why: 'per-pod Pod Identity: a service reads only its own secrets; an AWS-managed EKS add-on rather than a Helm release',
    },
    addons,
    logs,
    alarms: { ...ecs.alarms, podsPendingMinutes: 10, hpaAtMaxMinutes: 15 },
    adminRoleName,
    ...(ci && { ci }),
    load,
    prerequisites,
    quotes: ecs.quotes,
    decisions: [...reusedDecisions(ecs, m), ...decisions],
  };
}
