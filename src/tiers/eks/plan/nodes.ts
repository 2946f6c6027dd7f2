/**
 * The node capacity model: what a node type leaves for the app's pods, and how many nodes the pods
 * need. Kubernetes schedules by requests, so everything here is in requests: the app's pods, the
 * system Deployments (CoreDNS, the load balancer controller, metrics-server) and one copy of every
 * DaemonSet per node. Pure: the price and spec of each type come from the catalog.
 */
import type { Arch } from '../../../model/plan.js';
import type { NodeCapacity, PodResources } from './types.js';

/**
 * ENIs and IPv4 addresses per ENI by size, for the families the planner considers (Amazon EC2 User
 * Guide, "Maximum IP addresses per network interface"; the same figures as eni-max-pods.txt of
 * awslabs/amazon-eks-ami). The VPC CNI gives each pod an address: max pods = ENIs × (IPs − 1) + 2.
 */
const BURSTABLE_ENI: Record<string, [number, number]> = {
  small: [3, 4],
  medium: [3, 6],
  large: [3, 12],
  xlarge: [4, 15],
  '2xlarge': [4, 15],
};
const STANDARD_ENI: Record<string, [number, number]> = {
  medium: [2, 4],
  large: [3, 10],
  xlarge: [4, 15],
  '2xlarge': [4, 15],
  '4xlarge': [8, 30],
};

/** Families a managed node group may use: Graviton first, then x86 (current generations). */
export const NODE_GROUP_FAMILIES: Record<Arch, readonly string[]> = {
  arm64: ['t4g', 'm7g', 'm6g', 'c7g', 'c6g', 'r7g', 'r6g'],
  x86_64: ['t3a', 't3', 'm7i', 'm6i', 'm6a', 'm5', 'c7i', 'c6i', 'c5', 'r7i', 'r6i', 'r5'],
};

/**
 * Families EKS Auto Mode's built-in general-purpose pool launches: on-demand, amd64, C, M and R
 * families of generation 5 and later (EKS user guide, "Auto Mode node pools").
 */
export const AUTO_MODE_FAMILIES: readonly string[] = [
  'm5',
  'm6i',
  'm6a',
  'm7i',
  'c5',
  'c6i',
  'c7i',
  'r5',
  'r6i',
  'r7i',
];

export function maxPodsOf(type: string): number | undefined {
  const [family, size] = type.split('.') as [string, string];
  const burstable = /^t\d/.test(family);
  const eni = (burstable ? BURSTABLE_ENI : STANDARD_ENI)[size];
  if (!eni) return undefined;
  const [enis, ips] = eni;
  return enis * (ips - 1) + 2;
}

/** Share of nominal memory the hypervisor and kernel keep (Karpenter's default vmMemoryOverheadPercent). */
export const VM_MEMORY_OVERHEAD = 0.075;
/** kubelet's hard eviction threshold on EKS AMIs: memory.available < 100Mi. */
export const EVICTION_MIB = 100;

/** kube-reserved CPU on EKS AMIs: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above. */
export function kubeReservedCpuMilli(vcpu: number): number {
  let m = 0;
  for (let core = 1; core <= vcpu; core++) {
    m += core === 1 ? 60 : core === 2 ? 10 : core <= 4 ? 5 : 2.5;
  }
  return Math.ceil(m);
}

/** kube-reserved memory on EKS AMIs: 11 MiB per pod the node can hold, plus 255 MiB. */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** A pod the scheduler places: its requests and where it comes from. */
export interface PodToPlace extends PodResources {
  owner: string;
}

export interface DaemonSetSpec extends PodResources {
  name: string;
  why: string;
}

/** What one node gives the app once EKS and every DaemonSet took their share. */
export function nodeCapacity(
  c: {
    type: string;
    vcpu: number;
    memoryMiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
    hourlyUsd: number;
  },
  daemonSets: readonly DaemonSetSpec[],
): NodeCapacity | undefined {
  const maxPods = maxPodsOf(c.type);
  if (maxPods === undefined) return undefined;
  const cpuMilli = c.vcpu * 1000 - kubeReservedCpuMilli(c.vcpu);
  const memoryMiB =
    Math.floor(c.memoryMiB * (1 - VM_MEMORY_OVERHEAD)) - kubeReservedMemoryMiB(maxPods) - EVICTION_MIB;
  const ds = daemonSets.reduce(
    (t, d) => ({ cpuMilli: t.cpuMilli + d.cpuMilli, memoryMiB: t.memoryMiB + d.memoryMiB }),
    { cpuMilli: 0, memoryMiB: 0 },
  );
  const cap: NodeCapacity = {
    type: c.type,
    arch: c.arch,
    vcpu: c.vcpu,
    memoryMiB: c.memoryMiB,
    maxPods,
    allocatable: { cpuMilli, memoryMiB },
    forPods: { cpuMilli: cpuMilli - ds.cpuMilli, memoryMiB: memoryMiB - ds.memoryMiB },
    podSlots: maxPods - daemonSets.length,
    hourlyUsd: c.hourlyUsd,
  };
  if (c.baselinePerVcpu !== undefined) cap.baselineVcpu = Math.round(c.vcpu * c.baselinePerVcpu * 100) / 100;
  return cap;
}

/**
 * Nodes of one capacity the pods need, first-fit decreasing by memory then CPU; undefined when a
 * pod fits on no node of this type.
 */
export function nodesFor(cap: NodeCapacity, pods: readonly PodToPlace[]): number | undefined {
  if (cap.forPods.cpuMilli <= 0 || cap.forPods.memoryMiB <= 0 || cap.podSlots <= 0) return undefined;
  const sorted = [...pods].sort(
    (a, b) => b.memoryMiB - a.memoryMiB || b.cpuMilli - a.cpuMilli || a.owner.localeCompare(b.owner),
  );
  const bins: Array<{ cpu: number; mem: number; slots: number }> = [];
  for (const p of sorted) {
    if (p.cpuMilli > cap.forPods.cpuMilli || p.memoryMiB > cap.forPods.memoryMiB) return undefined;
    let bin = bins.find((b) => b.cpu >= p.cpuMilli && b.mem >= p.memoryMiB && b.slots > 0);
    if (!bin) {
      bin = { cpu: cap.forPods.cpuMilli, mem: cap.forPods.memoryMiB, slots: cap.podSlots };
      bins.push(bin);
    }
    bin.cpu -= p.cpuMilli;
    bin.mem -= p.memoryMiB;
    bin.slots -= 1;
  }
  return bins.length;
}
