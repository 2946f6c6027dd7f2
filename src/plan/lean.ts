/**
 * Planning the lean tier: one EC2 instance running the app's containers, PostgreSQL and Redis
 * under Docker Compose, nginx in front. Picks the cheapest instance that fits the services plus
 * the data stores, nginx and the OS with headroom, sizes the volumes from the data stores, and
 * derives the backup schedule from the RPO. Every choice records why.
 */
import type { Manifest, Service } from '../manifest/normalize.js';
import { formatHours } from './capabilities.js';
import type {
  Arch,
  BackupPlan,
  CandidateVerdict,
  Decision,
  InstanceChoice,
  LeanPlan,
  LeanService,
  SizingLine,
} from './types.js';

/** What the planner needs from the price book: EC2 types with specs and on-demand prices. */
export interface InstanceCatalog {
  ec2Candidates(region: string): Array<{
    type: string;
    vcpu: number;
    memoryMiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
    hourlyUsd: number;
  }>;
}

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

/** The app does not fit on any instance the lean tier chooses from. */
export class LeanDoesNotFit extends Error {}
export const NGINX_MEMORY_MIB = 32;

function roundUp(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

export function chooseArch(m: Manifest): { arch: Arch; why: string } {
  if (m.arch !== 'auto') return { arch: m.arch, why: `the manifest sets arch: ${m.arch}` };
  const imageServices = m.services.filter((s) => s.image !== undefined);
  const x86Only = imageServices.filter((s) => !s.arm64);
  if (x86Only.length === 0) {
    return {
      arch: 'arm64',
      why:
        imageServices.length === 0
          ? 'every service is built by CI, which can build for arm64: Graviton costs less for the same size'
          : 'every image is published for arm64: Graviton costs less for the same size',
    };
  }
  return {
    arch: 'x86_64',
    why: `${x86Only.map((s) => s.image).join(', ')} ${x86Only.length === 1 ? 'is' : 'are'} not marked arm64 (set arm64: true on a service whose image is multi-arch to allow Graviton)`,
  };
}

export function backupSchedule(rpoHours: number, retentionDays: number): BackupPlan {
  const intervals = [1, 2, 3, 4, 6, 8, 12, 24];
  const interval = [...intervals].reverse().find((h) => h <= rpoHours) ?? 1;
  const onCalendar =
    interval === 24 ? '*-*-* 02:00:00' : interval === 1 ? '*-*-* *:00:00' : `*-*-* 00/${interval}:00:00`;
  return {
    onCalendar,
    intervalHours: interval,
    achievedRpoHours: interval,
    retentionDays,
    prefix: 'backups/',
    alarmAfterHours: interval + 1,
  };
}

function leanImage(s: Service, app: string): LeanService['image'] {
  if (s.kind === 'static') return { kind: 'none' };
  if (s.image) return { kind: 'pinned', ref: s.image };
  return { kind: 'ecr', repository: `${app}/${s.name}` };
}

/** Loopback ports nginx proxies to: the container port when free and unprivileged, else the next free one. */
function assignHostPorts(services: Service[]): Map<string, number> {
  const taken = new Set([5432, 6379]);
  const out = new Map<string, number>();
  for (const s of services) {
    if (s.port === undefined || s.kind === 'static' || s.kind === 'worker') continue;
    let port = s.port >= 1024 ? s.port : 8000;
    while (taken.has(port)) port++;
    taken.add(port);
    out.set(s.name, port);
  }
  return out;
}

export function planLean(m: Manifest, catalog: InstanceCatalog): LeanPlan {
  const decisions: Decision[] = [];
  const { arch, why: archWhy } = chooseArch(m);
  decisions.push({ topic: 'architecture', choice: arch, why: archWhy });

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
  const PG_BASE_MIB = 256;
  const PG_MIN_SHARED_BUFFERS = 128;
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

  // Volumes.
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

  const ports = assignHostPorts(m.services);
  const services: LeanService[] = m.services.map((s) => ({
    service: s,
    ...(ports.has(s.name) && { hostPort: ports.get(s.name)! }),
    memoryLimitMiB: s.memory,
    copies: s.replicas.min,
    image: leanImage(s, m.name),
  }));
  for (const s of m.services) {
    if (s.replicas.max > s.replicas.min) {
      decisions.push({
        topic: `${s.name} copies`,
        choice: String(s.replicas.min),
        why: `the lean tier runs a fixed number of copies; replicas.max ${s.replicas.max} needs a tier that autoscales`,
      });
    }
  }

  const backup = backupSchedule(m.backups.rpoHours, m.backups.retentionDays);
  decisions.push({
    topic: 'backups',
    choice: `pg_dump every ${formatHours(backup.intervalHours)} (${backup.onCalendar} UTC), kept ${backup.retentionDays} days`,
    why: `meets the RPO of ${formatHours(m.backups.rpoHours)}: at worst the writes since the last dump are lost; an alarm fires after ${formatHours(backup.alarmAfterHours)} without a successful backup`,
  });
  const ssh = m.adminCidr ? { enabled: true, cidr: m.adminCidr } : { enabled: false };
  decisions.push({
    topic: 'administration',
    choice: ssh.enabled
      ? `SSM Session Manager, and SSH from ${m.adminCidr} only`
      : 'SSM Session Manager; port 22 closed',
    why: ssh.enabled
      ? 'the manifest gives adminCidr'
      : 'no adminCidr in the manifest: nothing listens for SSH from outside',
  });

  const prefix = `/stackplan/${m.name}/`;
  const data = `/srv/${m.name}`;
  return {
    tier: 'lean',
    arch,
    instance: chosen,
    sizing,
    candidates,
    volumes,
    services,
    ...(postgres && { postgres }),
    ...(redis && { redis }),
    backup,
    ssh,
    host: {
      user: 'stackplan',
      base: '/opt/stackplan',
      etc: '/etc/stackplan',
      data,
      dataDevice: '/dev/sdf',
      composeFile: '/opt/stackplan/docker-compose.yml',
      envFile: '/etc/stackplan/app.env',
      backupDir: `${data}/backups`,
      staticDir: `${data}/static`,
    },
    params: {
      prefix,
      secrets: `${prefix}secrets/`,
      postgresPassword: `${prefix}postgres/password`,
      redisPassword: `${prefix}redis/password`,
    },
    metrics: {
      namespace: `Stackplan/${m.name}`,
      backupSuccess: 'BackupSuccess',
      backupSizeBytes: 'BackupSizeBytes',
      healthOk: 'HealthOk',
      agentNamespace: 'CWAgent',
      memUsedPercent: 'mem_used_percent',
      diskUsedPercent: 'disk_used_percent',
    },
    decisions,
  };
}
