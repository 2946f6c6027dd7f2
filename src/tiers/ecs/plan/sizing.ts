/**
 * Task sizes and CPU architecture: the smallest valid Fargate CPU/memory pair for what a service
 * asks, and whether it runs on Graviton.
 */
import type { Manifest, Service } from '../../../manifest/normalize.js';
import type { FargateSize } from '../../../model/ecs.js';
import type { Arch } from '../../../model/plan.js';
import { EcsDoesNotFit } from './context.js';

/** Fargate's CPU/memory pairs: vCPU → allowed memory (MiB). */
export const FARGATE_SIZES: ReadonlyArray<{ vcpu: number; memory: readonly number[] }> = [
  { vcpu: 0.25, memory: [512, 1024, 2048] },
  { vcpu: 0.5, memory: range(1024, 4096, 1024) },
  { vcpu: 1, memory: range(2048, 8192, 1024) },
  { vcpu: 2, memory: range(4096, 16384, 1024) },
  { vcpu: 4, memory: range(8192, 30720, 1024) },
  { vcpu: 8, memory: range(16384, 61440, 4096) },
  { vcpu: 16, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let x = from; x <= to; x += step) out.push(x);
  return out;
}

/** The smallest Fargate size with at least `vcpu` and `memoryMiB`. */
export function fargateSize(vcpu: number, memoryMiB: number): FargateSize {
  for (const row of FARGATE_SIZES) {
    if (row.vcpu + 1e-9 < vcpu) continue;
    const memory = row.memory.find((m) => m >= memoryMiB);
    if (memory === undefined) continue;
    const why = [
      row.vcpu > vcpu + 1e-9
        ? `${row.vcpu} vCPU: the smallest Fargate size ≥ ${vcpu} vCPU${row.vcpu !== FARGATE_SIZES.find((r) => r.vcpu + 1e-9 >= vcpu)?.vcpu ? ` that allows ${memoryMiB} MiB` : ''}`
        : `${row.vcpu} vCPU as the manifest asks`,
      memory > memoryMiB
        ? `${memory} MiB: the smallest memory Fargate pairs with ${row.vcpu} vCPU that holds ${memoryMiB} MiB`
        : `${memory} MiB as the manifest asks`,
    ].join('; ');
    return { vcpu: row.vcpu, cpuUnits: Math.round(row.vcpu * 1024), memoryMiB: memory, why };
  }
  throw new EcsDoesNotFit(`no Fargate size has ${vcpu} vCPU and ${memoryMiB} MiB (at most 16 vCPU, 120 GiB)`);
}

/**
 * CPU architecture of one service's tasks. `gravitonPercent` is how much less Graviton Fargate
 * costs per vCPU-hour in the region and `spotDiscount` what the book says of Spot's discount, when
 * the price book has them.
 */
export function serviceArch(
  m: Manifest,
  s: Service,
  gravitonPercent?: number,
  spotDiscount?: string,
): { arch: Arch; why: string; spot: boolean } {
  const less =
    gravitonPercent !== undefined ? `costs about ${gravitonPercent}% less` : 'costs less for the same size';
  if (s.spot && m.arch !== 'arm64') {
    return {
      arch: 'x86_64',
      spot: true,
      why:
        spotDiscount !== undefined && gravitonPercent !== undefined
          ? `Fargate Spot runs x86_64 tasks only; Spot (${spotDiscount}) saves more than Graviton (about ${gravitonPercent}%)`
          : 'the manifest allows Spot for this worker, and Fargate Spot runs x86_64 tasks only: interruptible capacity, priced below on-demand by the hour, instead of Graviton',
    };
  }
  if (m.arch !== 'auto') {
    return {
      arch: m.arch,
      spot: false,
      why: `the manifest sets arch: ${m.arch}${s.spot ? '; Fargate Spot runs x86_64 only, so this worker runs on regular Fargate' : ''}`,
    };
  }
  if (s.image === undefined) {
    return {
      arch: 'arm64',
      spot: false,
      why: `CI builds the image for linux/arm64: Graviton Fargate ${less}`,
    };
  }
  if (s.arm64) {
    return {
      arch: 'arm64',
      spot: false,
      why: `${s.image} is published for arm64: Graviton ${less}`,
    };
  }
  return {
    arch: 'x86_64',
    spot: false,
    why: `${s.image} is not marked arm64 (set arm64: true when the image is multi-arch to run on Graviton)`,
  };
}
