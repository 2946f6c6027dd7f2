/**
 * The app's services on Fargate: task sizes, architecture, scaling, reachability (ALB, Cloud Map
 * or none), environment and secrets; the ECR repositories CI pushes to; static sites for CloudFront.
 */
import type { Manifest, Service } from '../../../manifest/normalize.js';
import type { ServiceKind } from '../../../manifest/schema.js';
import type {
  EcsEnvValue,
  EcsRepository,
  EcsSecretSource,
  EcsService,
  EcsStaticSite,
} from '../../../model/ecs.js';
import { type Arch, bucketEnvName } from '../../../model/plan.js';
import { fargateGravitonPercent, fargateSpotDiscount } from '../../../price/estimates.js';
import { type Ctx, HTTP_KINDS, pathPatterns } from './context.js';
import { fargateSize, serviceArch } from './sizing.js';

const GRACE_SECONDS: Record<ServiceKind, number> = { frontend: 60, api: 60, ml: 180, worker: 0, static: 0 };

function repositoriesOf(m: Manifest, archOf: Map<string, Arch>): EcsRepository[] {
  const byBuild = new Map<string, Service[]>();
  for (const s of m.services) {
    if (s.kind === 'static' || s.image !== undefined || s.build === undefined) continue;
    byBuild.set(s.build, [...(byBuild.get(s.build) ?? []), s]);
  }
  return [...byBuild.entries()]
    .map(([build, services]) => ({
      name: `${m.name}/${services[0]!.name}`,
      build,
      services: services.map((s) => s.name),
      platforms: [
        ...new Set(services.map((s) => (archOf.get(s.name) === 'arm64' ? 'linux/arm64' : 'linux/amd64'))),
      ].sort() as EcsRepository['platforms'],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function planServices(
  ctx: Ctx,
  hasCdn: boolean,
): { services: EcsService[]; repositories: EcsRepository[]; statics: EcsStaticSite[] } {
  const { m, decisions } = ctx;
  const ha = m.availability === 'multi-az-ha';
  const statics: EcsStaticSite[] = [];
  const archOf = new Map<string, { arch: Arch; why: string; spot: boolean }>();
  const graviton = fargateGravitonPercent(ctx.prices);
  const spot = fargateSpotDiscount(ctx.prices);
  for (const s of m.services) if (s.kind !== 'static') archOf.set(s.name, serviceArch(m, s, graviton, spot));
  const repositories = repositoriesOf(m, new Map([...archOf].map(([k, v]) => [k, v.arch])));
  const repoOf = new Map(repositories.flatMap((r) => r.services.map((s) => [s, r.name] as const)));

  const albRoutes = m.services
    .filter((s) => s.kind !== 'static' && HTTP_KINDS.has(s.kind) && s.route !== undefined)
    .sort((a, b) => b.route!.length - a.route!.length || a.name.localeCompare(b.name));
  const priorityOf = new Map<string, number>();
  albRoutes
    .filter((s) => s.route !== '/')
    .forEach((s, i) => {
      priorityOf.set(s.name, (i + 1) * 10);
    });

  const services: EcsService[] = [];
  for (const s of m.services) {
    if (s.kind === 'static') {
      const route = s.route ?? '/';
      statics.push({
        service: s.name,
        route,
        keyPrefix: route === '/' ? '' : route.slice(1),
        buildDir: s.build ?? '.',
        outputDir: s.output ?? 'dist',
      });
      decisions.push({
        topic: `${s.name} (static)`,
        choice: `S3 + CloudFront at ${route}`,
        why: 'a built bundle of files needs no container: CloudFront serves it from S3 through origin access control, compressed, with security headers and SPA fallback',
      });
      continue;
    }
    const { arch, why: archWhy, spot } = archOf.get(s.name)!;
    const exposure =
      HTTP_KINDS.has(s.kind) && s.route !== undefined ? 'alb' : s.port !== undefined ? 'internal' : 'none';
    const size = fargateSize(s.cpu, s.memory);
    let min = s.replicas.min;
    let minWhy = s.defaulted.includes('replicas') ? 'default 1' : 'from the manifest';
    if (ha && exposure !== 'none' && min < 2) {
      min = 2;
      minWhy = 'multi-az-ha: at least two tasks, in different AZs, so an AZ loss never stops the service';
    }
    const max = Math.max(s.replicas.max, min);
    const scaling =
      max > min
        ? { cpuTargetPercent: 70, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 }
        : undefined;
    const scalingWhy = scaling
      ? `${min}-${max} tasks (${minWhy}), target tracking on 70% average CPU: scales out after 1 minute, in after 5`
      : `${min} task${min === 1 ? '' : 's'} (${minWhy}); no autoscaling because replicas.max equals replicas.min`;
    const environment: EcsService['environment'] = [];
    const lit = (name: string, value: string) =>
      environment.push({ name, value: { kind: 'literal', value } });
    const add = (name: string, value: EcsEnvValue) => environment.push({ name, value });
    if (s.port !== undefined && !('PORT' in s.env)) lit('PORT', String(s.port));
    for (const [k, v] of Object.entries(s.env).sort(([a], [b]) => a.localeCompare(b))) lit(k, v);
    add('AWS_REGION', { kind: 'region' });
    if (m.search && s.uses.includes('search')) {
      add('OPENSEARCH_URL', { kind: 'search-url' });
    }
    if (s.uses.includes('buckets')) {
      for (const b of m.buckets) add(bucketEnvName(b.key), { kind: 'bucket-name', bucket: b.key });
    }
    const secrets: Array<{ name: string; source: EcsSecretSource }> = [];
    if (m.postgres && s.uses.includes('postgres'))
      secrets.push({ name: 'DATABASE_URL', source: { kind: 'database-url' } });
    if (m.redis && s.uses.includes('redis'))
      secrets.push({ name: 'REDIS_URL', source: { kind: 'redis-url' } });
    for (const name of [...s.secrets].sort()) {
      secrets.push({
        name,
        source: { kind: 'app-secret', parameter: `/stackplan/${m.name}/ecs/secrets/${name}` },
      });
    }
    const image: EcsService['image'] = s.image
      ? { kind: 'pinned', ref: s.image }
      : { kind: 'ecr', repository: repoOf.get(s.name)! };
    const svc: EcsService = {
      service: s,
      exposure,
      ...(exposure === 'alb' && {
        listener: {
          pathPatterns: pathPatterns(s.route!),
          ...(priorityOf.has(s.name) && { priority: priorityOf.get(s.name)! }),
        },
        healthCheckGraceSeconds: GRACE_SECONDS[s.kind],
      }),
      ...(exposure === 'internal' && { discoveryName: `${s.name}.${m.name}.internal` }),
      arch,
      archWhy,
      size,
      desired: min,
      min,
      max,
      ...(scaling && { scaling }),
      scalingWhy,
      capacityProvider: spot ? 'FARGATE_SPOT' : 'FARGATE',
      image,
      environment,
      secrets,
      logGroupName: `/stackplan/${m.name}/ecs/${s.name}`,
      logStreamPrefix: s.name,
    };
    services.push(svc);
    decisions.push({
      topic: `${s.name} tasks`,
      choice: `${size.vcpu} vCPU / ${size.memoryMiB} MiB ${arch}${spot ? ' on Fargate Spot' : ''}, ${min === max ? min : `${min}-${max}`} task${max === 1 ? '' : 's'}`,
      why: `${size.why}; ${archWhy}; ${scalingWhy}`,
    });
    decisions.push({
      topic: `${s.name} reachability`,
      choice:
        exposure === 'alb'
          ? `ALB ${s.route}${hasCdn ? ' (through CloudFront)' : ''}`
          : exposure === 'internal'
            ? `${svc.discoveryName}:${s.port} inside the VPC (Cloud Map)`
            : 'no inbound traffic',
      why:
        exposure === 'alb'
          ? `route ${s.route} from the manifest; health check ${s.health ?? '/'}, ${svc.healthCheckGraceSeconds} s grace after start`
          : exposure === 'internal'
            ? 'it has a port but no route: other services of the app call it by name; it is not on the internet'
            : 'a worker takes jobs from the broker: no load balancer, no open port',
    });
  }
  for (const r of repositories) {
    decisions.push({
      topic: `ECR ${r.name}`,
      choice: `scan on push, immutable tags, built for ${r.platforms.join(' and ')}`,
      why: `${r.services.join(' and ')} build${r.services.length === 1 ? 's' : ''} from ${r.build}: one image, tagged with the commit SHA (never :latest)`,
    });
  }
  return { services, repositories, statics };
}
