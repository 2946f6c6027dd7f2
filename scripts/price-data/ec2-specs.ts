/**
 * EC2 instance specs (vCPU, memory, architecture, burstable baseline) transcribed from the AWS
 * instance-types pages. The EC2 price sources carry no specs, so the planner's families are
 * listed here by hand: every burstable family from nano to 2xlarge, the general purpose (m),
 * compute (c) and memory (r) families from large to 4xlarge (medium too for Graviton).
 *
 * Burstable baselines (share of each vCPU usable without spending credits) are from
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html#gp_cpu-credits.
 */
export const EC2_SPECS_SOURCE = {
  id: 'aws-ec2-instance-types',
  provenance: 'transcribed' as const,
  source: 'AWS EC2 instance types pages (vCPU, memory, architecture) and burstable CPU credit table',
  url: 'https://aws.amazon.com/ec2/instance-types/',
  asOf: '2026-11',
};

export interface Ec2SpecRow {
  type: string;
  vcpu: number;
  memoryGiB: number;
  arch: 'x86_64' | 'arm64';
  baselinePerVcpu?: number;
}

/** [size, vCPU, memory GiB, baseline share per vCPU] for t3 / t3a / t4g. */
const T3_LADDER: Array<[string, number, number, number]> = [
  ['nano', 2, 0.5, 0.05],
  ['micro', 2, 1, 0.1],
  ['small', 2, 2, 0.2],
  ['medium', 2, 4, 0.2],
  ['large', 2, 8, 0.3],
  ['xlarge', 4, 16, 0.4],
  ['2xlarge', 8, 32, 0.4],
];

/** t2 has one vCPU up to small and lower per-vCPU baselines on the larger sizes. */
const T2_LADDER: Array<[string, number, number, number]> = [
  ['nano', 1, 0.5, 0.05],
  ['micro', 1, 1, 0.1],
  ['small', 1, 2, 0.2],
  ['medium', 2, 4, 0.2],
  ['large', 2, 8, 0.3],
  ['xlarge', 4, 16, 0.225],
  ['2xlarge', 8, 32, 0.16875],
];

/** Sizes with their vCPU count; memory is vCPU × the family's GiB per vCPU. */
const SIZES: Array<[string, number]> = [
  ['medium', 1],
  ['large', 2],
  ['xlarge', 4],
  ['2xlarge', 8],
  ['4xlarge', 16],
];

const GIB_PER_VCPU = { m: 4, c: 2, r: 8 } as const;

/** Fixed-performance families: [family, arch, has a medium size]. */
const FIXED_FAMILIES: Array<[string, 'x86_64' | 'arm64', boolean]> = [
  ['m5', 'x86_64', false],
  ['c5', 'x86_64', false],
  ['r5', 'x86_64', false],
  ['m5a', 'x86_64', false],
  ['r5a', 'x86_64', false],
  ['m6i', 'x86_64', false],
  ['c6i', 'x86_64', false],
  ['r6i', 'x86_64', false],
  ['m6a', 'x86_64', false],
  ['c6a', 'x86_64', false],
  ['r6a', 'x86_64', false],
  ['m7i', 'x86_64', false],
  ['c7i', 'x86_64', false],
  ['r7i', 'x86_64', false],
  ['m7a', 'x86_64', true],
  ['c7a', 'x86_64', true],
  ['r7a', 'x86_64', true],
  ['m6g', 'arm64', true],
  ['c6g', 'arm64', true],
  ['r6g', 'arm64', true],
  ['m7g', 'arm64', true],
  ['c7g', 'arm64', true],
  ['r7g', 'arm64', true],
  ['m8g', 'arm64', true],
  ['c8g', 'arm64', true],
  ['r8g', 'arm64', true],
];

export function ec2SpecRows(): Ec2SpecRow[] {
  const rows: Ec2SpecRow[] = [];
  for (const [size, vcpu, mem, base] of T2_LADDER) {
    rows.push({ type: `t2.${size}`, vcpu, memoryGiB: mem, arch: 'x86_64', baselinePerVcpu: base });
  }
  for (const fam of ['t3', 't3a', 't4g']) {
    const arch = fam === 't4g' ? 'arm64' : 'x86_64';
    for (const [size, vcpu, mem, base] of T3_LADDER) {
      rows.push({ type: `${fam}.${size}`, vcpu, memoryGiB: mem, arch, baselinePerVcpu: base });
    }
  }
  for (const [fam, arch, medium] of FIXED_FAMILIES) {
    const perVcpu = GIB_PER_VCPU[fam[0] as 'm' | 'c' | 'r'];
    for (const [size, vcpu] of SIZES) {
      if (size === 'medium' && !medium) continue;
      rows.push({ type: `${fam}.${size}`, vcpu, memoryGiB: vcpu * perVcpu, arch });
    }
  }
  return rows;
}
