/**
 * Planning the lean tier: one EC2 instance running the app's containers, PostgreSQL and Redis
 * under Docker Compose, nginx in front. Picks the cheapest instance that fits the services plus
 * the data stores, nginx and the OS with headroom, sizes the volumes from the data stores, and
 * derives the backup schedule from the RPO. Every choice records why.
 */
import type { Manifest } from '../../../manifest/normalize.js';
import type { InstanceCatalog, PriceLookup } from '../../../model/catalog.js';
import { LEAN_TIER, type LeanPlan, type LeanService } from '../../../model/lean.js';
import { appBuckets, type Decision, formatHours } from '../../../model/plan.js';
import { priceQuotes, RegionPrices } from '../../../price/estimates.js';
import { chooseArch } from './arch.js';
import { backupSchedule } from './backup.js';
import { assignHostPorts, assignReleasePorts, leanImage } from './services.js';
import { chooseInstance, hostSizing, planVolumes, postgresOnHost } from './sizing.js';

export { chooseArch } from './arch.js';
export { backupSchedule } from './backup.js';
export {
  LEAN_FAMILIES,
  LeanDoesNotFit,
  MEMORY_HEADROOM,
  NGINX_MEMORY_MIB,
  OS_MEMORY_MIB,
} from './sizing.js';

export function planLean(m: Manifest, catalog: InstanceCatalog & PriceLookup): LeanPlan {
  const decisions: Decision[] = [];
  const { arch, why: archWhy } = chooseArch(m);
  decisions.push({ topic: 'architecture', choice: arch, why: archWhy });
  const host = hostSizing(m);
  const { sizing, redis } = host;
  const { chosen, candidates } = chooseInstance(m, arch, catalog, host, decisions);
  const postgres = postgresOnHost(m, chosen, host, decisions);
  const volumes = planVolumes(m);

  const ports = assignHostPorts(m.services);
  const releasePorts = assignReleasePorts(m.services, ports, (s) => s.replicas.min);
  const services: LeanService[] = m.services.map((s) => ({
    service: s,
    ...(ports.has(s.name) && { hostPort: ports.get(s.name)!, releasePort: releasePorts.get(s.name)! }),
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
  decisions.push({
    topic: 'backup immutability',
    choice: `S3 Object Lock (${backup.lockMode.toLowerCase()} mode): each backup version locked ${backup.retentionDays} days; the host may only put, get and list ${backup.prefix}`,
    why:
      'a compromised host (or a container with its credentials) cannot delete, overwrite for good or shorten the retention of a backup: ' +
      'an overwrite only adds a version, old versions are kept while locked and then another ' +
      `${backup.retentionDays} days as noncurrent, and the bucket policy denies the host role every delete, bypass and configuration change. ` +
      'Governance, not compliance: an account administrator can still lift a lock on purpose (a wrong retention, an erasure request); ' +
      'nobody could under compliance. Cost: each backup is stored up to twice the retention (current, then noncurrent)',
  });
  const ci = m.ci
    ? {
        repository: m.ci.repository,
        branch: m.ci.branch,
        oidcProvider: m.ci.oidcProvider,
        subject: `repo:${m.ci.repository}:ref:refs/heads/${m.ci.branch}`,
        workflowFile: 'ci/deploy.yml',
      }
    : undefined;
  decisions.push(
    ci
      ? {
          topic: 'CI',
          choice: `GitHub Actions from ${ci.repository} (${ci.branch}) through OIDC: images to ECR, then stackplan-release on the host through SSM Run Command`,
          why: `the deploy role trusts only ${ci.subject} and may push the app's images, upload its static bundles and run stackplan-release on this instance; no AWS keys and no SSH`,
        }
      : {
          topic: 'CI',
          choice: 'none: releases run by hand (stackplan-release SERVICE TAG through SSM)',
          why: 'the manifest names no ci.repository',
        },
  );
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

  const buckets = appBuckets(m);
  for (const b of buckets) {
    decisions.push({
      topic: `bucket ${b.key}`,
      choice: `private S3 bucket (SSE-S3, TLS only${b.versioned ? ', versioned' : ''}), ${b.envName}`,
      why: b.clients.length
        ? `${b.clients.join(', ')} use${b.clients.length === 1 ? 's' : ''} buckets: the instance role may read, write and delete its objects and list it, nothing else in S3; containers reach it with the role's credentials through the relay`
        : 'no service uses buckets yet: the bucket is created, and no container gets access to it',
    });
  }

  // The lean tier's own path: /stackplan/<app>/ would also cover the ecs tier's /stackplan/<app>/ecs/.
  const prefix = `/stackplan/${m.name}/lean/`;
  const data = `/srv/${m.name}`;
  return {
    tier: LEAN_TIER,
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
    buckets,
    quotes: priceQuotes(new RegionPrices(catalog, m.region)),
    ...(ci && { ci }),
    decisions,
  };
}
