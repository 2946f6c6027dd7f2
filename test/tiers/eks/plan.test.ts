import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../../src/price/book/index.js';
import { chooseKubernetesVersion } from '../../../src/tiers/eks/plan/calendar.js';
import { EksDoesNotFit, planEks } from '../../../src/tiers/eks/plan/index.js';
import { subnetCidrs } from '../../../src/tiers/eks/plan/network.js';
import {
  kubeReservedCpuMilli,
  maxPodsOf,
  nodeCapacity,
  nodesFor,
} from '../../../src/tiers/eks/plan/nodes.js';
import { manifestFrom } from '../../helpers/assembly.js';
import { EKS_EXAMPLES, planExampleEks, planOf, TODAY } from './helpers.js';

const CALENDAR = { ends: { '1.33': '2026-07-29', '1.34': '2026-12-02', '1.35': '2027-03-27' }, src: 'test' };

describe('Kubernetes version', () => {
  it('is the newest in standard support on the planning date; a version ending today is out', () => {
    expect(chooseKubernetesVersion(CALENDAR, '2026-12-01').version).toBe('1.35');
    expect(chooseKubernetesVersion(CALENDAR, '2026-07-28').version).toBe('1.35');
    expect(chooseKubernetesVersion(CALENDAR, TODAY)).toMatchObject({
      version: '1.35',
      standardSupportEnds: '2027-03-27',
      daysOfStandardSupportLeft: 115,
      upgradePolicy: 'EXTENDED',
    });
    expect(chooseKubernetesVersion(CALENDAR, TODAY).warning).toBeUndefined();
  });

  it('warns when standard support ends within 60 days, and names the extended price', () => {
    const k = chooseKubernetesVersion(CALENDAR, '2027-02-01', { standardHour: 0.1, extendedHour: 0.6 });
    expect(k.daysOfStandardSupportLeft).toBe(54);
    expect(k.warning).toMatch(/1\.35 leaves EKS standard support on 2027-03-27, 54 days/);
    expect(k.warning).toMatch(/\$0\.60\/h instead of \$0\.10\/h/);
    expect(chooseKubernetesVersion(CALENDAR, '2027-01-26').warning).toMatch(/60 days/);
    expect(chooseKubernetesVersion(CALENDAR, '2027-01-26').warning).toMatch(/the extended-support rate/);
    expect(chooseKubernetesVersion(CALENDAR, '2027-01-25').warning).toBeUndefined();
  });

  it('refuses to plan when the calendar has no version in standard support', () => {
    expect(() => chooseKubernetesVersion(CALENDAR, '2027-03-27')).toThrow(/newest, 1\.35, ended 2027-03-27/);
  });

  it('reads the price book calendar, which has 1.35 until 2027-03-27', () => {
    expect(planExampleEks('cloud-consulting/stackplan.ha.yaml').kubernetes).toMatchObject({
      version: '1.35',
      standardSupportEnds: '2027-03-27',
      calendarSource: 'stackplan-page-eks-standard-support-ends',
    });
  });
});

describe('node capacity', () => {
  it('follows the VPC CNI and EKS AMI formulas', () => {
    expect(maxPodsOf('t3.medium')).toBe(17);
    expect(maxPodsOf('t4g.small')).toBe(11);
    expect(maxPodsOf('m6g.large')).toBe(29);
    expect(maxPodsOf('c5.xlarge')).toBe(58);
    expect(maxPodsOf('m5.24xlarge')).toBeUndefined();
    expect(kubeReservedCpuMilli(2)).toBe(70);
    expect(kubeReservedCpuMilli(4)).toBe(80);
    expect(kubeReservedCpuMilli(8)).toBe(90);
    const cap = nodeCapacity(
      { type: 't3.medium', vcpu: 2, memoryMiB: 4096, arch: 'x86_64', hourlyUsd: 0.0416 },
      [{ name: 'ds', cpuMilli: 100, memoryMiB: 100, why: 'test' }],
    )!;
    // 4096 × 0.925 = 3788; − (11 × 17 + 255) − 100 eviction = 3246; − 100 DaemonSet.
    expect(cap.allocatable).toEqual({ cpuMilli: 1930, memoryMiB: 3246 });
    expect(cap.forPods).toEqual({ cpuMilli: 1830, memoryMiB: 3146 });
    expect(cap.podSlots).toBe(16);
  });

  it('packs pods first-fit decreasing and refuses a pod no node holds', () => {
    const cap = nodeCapacity(
      { type: 't3.medium', vcpu: 2, memoryMiB: 4096, arch: 'x86_64', hourlyUsd: 0.0416 },
      [],
    )!;
    const pod = (memoryMiB: number) => ({ owner: 'p', cpuMilli: 100, memoryMiB });
    expect(nodesFor(cap, [pod(2000), pod(2000), pod(1000)])).toBe(2);
    expect(
      nodesFor(
        cap,
        Array.from({ length: 18 }, () => pod(10)),
      ),
    ).toBe(2); // 17 pod slots per node
    expect(nodesFor(cap, [pod(4000)])).toBeUndefined();
  });
});

describe('the VPC layout the NetworkPolicies rely on', () => {
  it('allocates subnets the way aws-cdk-lib does', () => {
    expect(
      subnetCidrs({
        cidr: '10.0.0.0/16',
        azCount: 3,
        subnetMasks: { public: 24, private: 20, isolated: 24 },
      }),
    ).toEqual({
      public: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
      private: ['10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20'],
      isolated: ['10.0.64.0/24', '10.0.65.0/24', '10.0.66.0/24'],
    });
  });
});

describe('planning the eks tier', () => {
  it.each(EKS_EXAMPLES)(
    '%s: every service is a workload, compute is priced both ways where it can be',
    (file) => {
      const p = planExampleEks(file);
      expect(p.workloads.length).toBeGreaterThan(0);
      expect(p.compute.chosen.monthlyUsd).toBeGreaterThan(0);
      if (p.compute.alternative)
        expect(p.compute.chosen.monthlyUsd).toBeLessThanOrEqual(p.compute.alternative.monthlyUsd);
      for (const d of p.decisions) expect(d.why.length, d.topic).toBeGreaterThan(20);
    },
  );

  it('plans seed 001 as a multi-AZ cluster on a node group cheaper than Auto Mode, with the reason', () => {
    const p = planExampleEks('cloud-consulting/stackplan.ha.yaml');
    expect(p.network.azCount).toBe(3);
    expect(p.network.natCount).toBe(3);
    expect(p.compute.mode).toBe('managed-node-group');
    expect(p.compute.alternative?.mode).toBe('auto-mode');
    expect(p.compute.why).toMatch(/costs \$[\d.]+ a month less than EKS Auto Mode/);
    expect(p.compute.why).toMatch(/12% per instance-hour/);
    const ng = p.compute.nodeGroup!;
    // The api image is not marked arm64, so every node is x86; three AZs need three nodes.
    expect(ng.amiType).toBe('AL2023_x86_64_STANDARD');
    expect(ng.minSize).toBeGreaterThanOrEqual(3);
    expect(ng.metadataHopLimit).toBe(1);
    expect(ng.managedPolicies.map((x) => x.name)).toEqual([
      'AmazonEKSWorkerNodeMinimalPolicy',
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKS_CNI_Policy',
    ]);
    // Sized so every service fits at replicas.max (no cluster autoscaler).
    const api = p.workloads.find((w) => w.name === 'api')!;
    expect(api.replicas).toMatchObject({ min: 3, max: 10 });
    expect(api.hpa).toEqual({ cpuPercent: 70 });
    expect(api.pdb).toEqual({ maxUnavailable: 1 });
    expect(api.probes).toMatchObject({ readinessPath: '/health', liveness: 'tcp', port: 8061 });
    expect(api.secrets.map((s) => [s.env, s.objectType])).toEqual([
      ['DATABASE_URL', 'secretsmanager'],
      ['REDIS_URL', 'secretsmanager'],
      ['JWT_SECRET', 'ssmparameter'],
    ]);
    expect(p.postgres).toMatchObject({ multiAz: true, engineVersion: '16' });
    expect(p.redis?.replicas).toBe(2);
    expect(p.ingress).toMatchObject({
      controller: 'aws-load-balancer-controller',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    expect(p.edge.healthCheck).toBeDefined();
    expect(p.load.peakRps).toBe(Math.ceil((20_000_000 / (730 * 3600)) * 4));
  });

  it('runs Graviton nodes when every image can, and then cannot compare with Auto Mode', () => {
    const p = planExampleEks('default-rate/stackplan.yaml');
    expect(p.compute.nodeGroup?.amiType).toBe('AL2023_ARM_64_STANDARD');
    expect(p.compute.why).toMatch(/general-purpose pool launches amd64 instances only/);
    expect(p.repositories.every((r) => r.platforms.join() === 'linux/arm64')).toBe(true);
  });

  it('chooses Auto Mode when it is cheaper: replicas.max far above min makes a fixed node group dear', () => {
    const m = manifestFrom(`
name: bursty
domain: bursty.example.com
alarmEmail: ops@example.com
availability: multi-az
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, cpu: 1, memory: 2048, replicas: {min: 2, max: 40}}
postgres: false
redis: false
`);
    const p = planOf(m);
    expect(p.compute.mode).toBe('auto-mode');
    expect(p.compute.why).toMatch(/Auto Mode adds nodes only when the HorizontalPodAutoscalers need them/);
    expect(p.compute.autoMode?.nodePools).toEqual(['general-purpose', 'system']);
    expect(p.ingress?.controller).toBe('auto-mode');
    expect(p.addons.map((a) => a.name)).not.toContain('vpc-cni');
  });

  it('opens the API endpoint to adminCidr only, else keeps it private', () => {
    const base = `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api: {kind: api, build: ./api, port: 8080}
`;
    expect(planOf(manifestFrom(base)).endpoint).toMatchObject({ public: false, publicCidrs: [] });
    expect(planOf(manifestFrom(`${base}adminCidr: 203.0.113.0/24\n`)).endpoint).toMatchObject({
      public: true,
      publicCidrs: ['203.0.113.0/24'],
    });
  });

  it('refuses endpoints-only egress with what to do', () => {
    const m = manifestFrom(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
egress: endpoints
services:
  api: {kind: api, build: ./api, port: 8080}
`);
    expect(() => planEks(m, loadPriceBook(), { today: TODAY })).toThrow(EksDoesNotFit);
    expect(() => planEks(m, loadPriceBook(), { today: TODAY })).toThrow(
      /use egress nat-gateway or nat-instance/,
    );
  });
});
