/**
 * Sizing the lean host: what runs on it and what each part needs, the cheapest instance type that
 * holds it all with headroom, PostgreSQL's share of the spare memory, and the volumes.
 */
import type { Manifest } from '../../../manifest/normalize.js';
import type { InstanceCatalog } from '../../../model/catalog.js';
import type { LeanPlan } from '../../../model/lean.js';
import type { Arch, CandidateVerdict, Decision, InstanceChoice, SizingLine } from '../../../model/plan.js';

/** Families the lean tier chooses from: burstable first, general purpose when a host outgrows them. */
export const LEAN_FAMILIES: Record<Arch, readonly string[]> = {
  arm64: ['t4g', 'm7g', 'm6g'],
  x86_64: ['t3', 't3a', 'm7i', 'm6i'],
};

/** Share of instance memory kept free for the page cache and spikes. */
export const MEMORY_HEADROOM = 0.1;
/** On non-burstable types, the share of vCPUs the sustained load may use. */
const NON_BURSTABLE_CPU_SHARE = 0.7;

export const OS_MEMORY_MIB = 512;

export const NGINX_MEMORY_MIB = 32;

/** PostgreSQL's fixed part (backends, maintenance) and its smallest shared_buffers, MiB. */
const PG_BASE_MIB = 256;
const PG_MIN_SHARED_BUFFERS = 128;

/** The app does not fit on any instance the lean tier chooses from. */
export class LeanDoesNotFit extends Error {}

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

export interface HostSizing {
  sizing: SizingLine[];
  needMiB: number;
  needVcpu: number;
  redis?: LeanPlan['redis'];
}

/** What runs on the host, and what each part needs. */
export function hostSizing(m: Manifest): HostSizing {
  // What runs on the host, and what each part needs.
  const sizing: SizingLine[] = [
    {
      component: 'Amazon Linux, Docker, SSM and CloudWatch agents',
      memoryMiB: OS_MEMORY_MIB,
      vcpu: 0.05,
      why: 'measured idle footprint of AL2023 with dockerd, containerd and both agents, rounded up',
    },
    {
      component: 'nginx',
      memoryMiB: NGINX_MEMORY_MIB,
      vcpu: 0.02,
      why: 'two workers serving TLS and proxying',
    },
  ];
  for (const s of m.services) {
    if (s.kind === 'static') continue;
    const copies = s.replicas.min;
    sizing.push({
      component: `${s.name} (${s.kind}${copies > 1 ? ` × ${copies}` : ''})`,
      memoryMiB: s.memory * copies,
      vcpu: s.cpu * copies,
      why: s.defaulted.includes('memory') ? `default for kind ${s.kind}` : 'from the manifest',
    });
  }
  let redis: LeanPlan['redis'];
  if (m.redis) {
    const factor = m.redis.persistence ? 1.5 : 1.25;
    const budget = roundUp(m.redis.memoryMb * factor, 16);
    redis = { persistence: m.redis.persistence, role: m.redis.role, maxmemoryMiB: m.redis.memoryMb };
    sizing.push({
      component: 'Redis',
      memoryMiB: budget,
      vcpu: 0.02,
      why: `maxmemory ${m.redis.memoryMb} MiB + ${Math.round((factor - 1) * 100)}% for fragmentation${m.redis.persistence ? ' and the copy-on-write fork of AOF rewrites' : ''}`,
    });
  }
  if (m.postgres) {
    sizing.push({
      component: 'PostgreSQL',
      memoryMiB: PG_BASE_MIB + PG_MIN_SHARED_BUFFERS,
      vcpu: 0.05,
      why: `shared_buffers ${PG_MIN_SHARED_BUFFERS} MiB (raised when the instance has room) + ${PG_BASE_MIB} MiB for backends and maintenance`,
    });
  }
  const needMiB = sizing.reduce((a, l) => a + l.memoryMiB, 0);
  const needVcpu = Number(sizing.reduce((a, l) => a + l.vcpu, 0).toFixed(3));

  return { sizing, needMiB, needVcpu, ...(redis && { redis }) };
}

/** The cheapest instance of the architecture's families that holds what the host needs. */
export function chooseInstance(
  m: Manifest,
  arch: Arch,
  catalog: InstanceCatalog,
  { needMiB, needVcpu }: HostSizing,
  decisions: Decision[],
): { chosen: InstanceChoice; candidates: CandidateVerdict[] } {
  const families = LEAN_FAMILIES[arch];
  const pool = catalog
    .ec2Candidates(m.region)
    .filter((c) => c.arch === arch && families.includes(c.type.split('.')[0]!))
    .sort((a, b) => a.hourlyUsd - b.hourlyUsd || a.memoryMiB - b.memoryMiB || a.type.localeCompare(b.type));
  if (pool.length === 0) {
    throw new LeanDoesNotFit(`no priced ${arch} instance type (${families.join(', ')}) in ${m.region}`);
  }
  const candidates: CandidateVerdict[] = [];
  let chosen: InstanceChoice | undefined;
  for (const c of pool) {
    const usableMiB = Math.floor(c.memoryMiB * (1 - MEMORY_HEADROOM));
    const cpuBudget =
      c.baselinePerVcpu !== undefined ? c.vcpu * c.baselinePerVcpu : c.vcpu * NON_BURSTABLE_CPU_SHARE;
    const memOk = needMiB <= usableMiB;
    const cpuOk = needVcpu <= cpuBudget + 1e-9;
    const cpuWord = c.baselinePerVcpu !== undefined ? 'baseline' : `${NON_BURSTABLE_CPU_SHARE * 100}% of`;
    const why = !memOk
      ? `needs ${needMiB} MiB, ${usableMiB} MiB usable of ${c.memoryMiB} MiB`
      : !cpuOk
        ? `needs ${needVcpu} vCPU sustained, ${cpuWord} ${Number(cpuBudget.toFixed(2))} vCPU`
        : `fits: ${needMiB} of ${usableMiB} MiB usable, ${needVcpu} of ${Number(cpuBudget.toFixed(2))} vCPU ${cpuWord === 'baseline' ? 'baseline' : 'budget'}`;
    candidates.push({ type: c.type, hourlyUsd: c.hourlyUsd, fits: memOk && cpuOk, why });
    if (memOk && cpuOk) {
      chosen = {
        type: c.type,
        vcpu: c.vcpu,
        memoryMiB: c.memoryMiB,
        arch: c.arch,
        ...(c.baselinePerVcpu !== undefined && {
          baselineVcpu: Number((c.vcpu * c.baselinePerVcpu).toFixed(3)),
        }),
        hourlyUsd: c.hourlyUsd,
      };
      break;
    }
  }
  if (!chosen) {
    throw new LeanDoesNotFit(
      `no ${arch} instance (${families.join(', ')}) fits ${needMiB} MiB and ${needVcpu} vCPU sustained`,
    );
  }
  decisions.push({
    topic: 'instance',
    choice: chosen.type,
    why: `cheapest ${arch} type (${families.join(', ')}) with ${needMiB} MiB + ${MEMORY_HEADROOM * 100}% headroom and ${needVcpu} vCPU sustained: $${chosen.hourlyUsd}/h in ${m.region}`,
  });

  return { chosen, candidates };
}

/** PostgreSQL's settings: a quarter of the memory nobody else claimed, within sane bounds. */
export function postgresOnHost(
  m: Manifest,
  chosen: InstanceChoice,
  { needMiB }: HostSizing,
  decisions: Decision[],
): LeanPlan['postgres'] {
  let postgres: LeanPlan['postgres'];
  if (m.postgres) {
    // Give PostgreSQL a quarter of the memory nobody else claimed, within sane bounds.
    const spare = Math.floor(chosen.memoryMiB * (1 - MEMORY_HEADROOM)) - needMiB;
    const sharedBuffers = Math.min(
      4096,
      Math.max(PG_MIN_SHARED_BUFFERS, roundUp(PG_MIN_SHARED_BUFFERS + spare / 4, 32)),
    );
    postgres = {
      version: m.postgres.version,
      database: m.postgres.database,
      user: 'app',
      sharedBuffersMiB: sharedBuffers,
      memoryMiB: PG_BASE_MIB + sharedBuffers,
    };
    decisions.push({
      topic: 'postgres memory',
      choice: `shared_buffers ${sharedBuffers} MiB`,
      why: `${PG_MIN_SHARED_BUFFERS} MiB minimum plus a quarter of the ${Math.max(0, spare)} MiB the instance has spare`,
    });
  }

  return postgres;
}

/** Root and data volumes from the images and the data stores. */
export function planVolumes(m: Manifest): LeanPlan['volumes'] {
  const imageServices = m.services.filter((s) => s.kind !== 'static').length;
  const rootGb = Math.max(20, 8 + 2 * imageServices + 4);
  const pgGb = m.postgres?.storageGb ?? 0;
  const redisGb = m.redis ? (m.redis.memoryMb * 2) / 1024 : 0;
  const stagingGb = m.postgres ? Math.ceil(pgGb * 0.3) * 2 : 0;
  const staticGb = m.services.some((s) => s.kind === 'static') ? 1 : 0;
  const dataGb = Math.max(10, Math.ceil(pgGb + redisGb + stagingGb + staticGb));
  const volumes: LeanPlan['volumes'] = {
    root: {
      sizeGb: rootGb,
      why: `8 GiB for the OS, 2 GiB per container image (current and previous for rollback) × ${imageServices}, 4 GiB for logs and updates (at least 20)`,
    },
    data: {
      sizeGb: dataGb,
      why: [
        m.postgres && `PostgreSQL ${pgGb} GiB`,
        m.redis && `Redis ${Number(redisGb.toFixed(2))} GiB (twice maxmemory for snapshots)`,
        m.postgres && `local backup staging ${stagingGb} GiB (two dumps at ~30% of the database)`,
        staticGb && 'static files 1 GiB',
      ]
        .filter(Boolean)
        .join(' + ')
        .concat(dataGb === 10 ? ' (at least 10 GiB)' : ''),
    },
  };

  return volumes;
}
