/**
 * SP-cost-graviton: x86 where an Arm (Graviton) equivalent of the same size exists — EC2, RDS,
 * ElastiCache and Fargate — with the monthly difference from the price book. Only worth it when
 * the workload runs on arm64 (managed databases and caches always do; container images must be
 * built for it).
 */
import { gravitonOf } from '../../price/engine.js';
import type { Rule } from './context.js';
import { usd } from './context.js';
import { hourlyPrice, monthlyOfHourly, type PricedKind, round2, sizedResources, unitPrice } from './cost.js';

export const rule: Rule = {
  info: {
    id: 'SP-cost-graviton',
    pack: 'stackplan',
    title: 'x86 where Graviton (Arm) costs less',
    severity: 'note',
    category: 'cost',
    resourceTypes: [
      'AWS::EC2::Instance',
      'AWS::EC2::LaunchTemplate',
      'AWS::EKS::Nodegroup',
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::CacheCluster',
      'AWS::ECS::TaskDefinition',
    ],
    what: 'An EC2 instance or launch template, RDS instance or ElastiCache node on an x86 type whose Graviton equivalent of the same size is in the price book (t3 → t4g, m5/m6i → m6g, m7i → m7g, db.t3 → db.t4g, cache.m5 → cache.m6g …), or a Fargate task definition on X86_64 (or no CpuArchitecture) run by a service that is not on Fargate Spot; with the monthly difference.',
    why: 'Graviton instances cost less than their x86 equivalents (the finding gives the difference from the price book) for the same vCPUs and memory; RDS, ElastiCache and OpenSearch run the same engine on either, and Fargate prices Arm vCPU and GB lower.',
    fix: 'Switch to the Graviton type (for EC2 and containers, build and publish images for linux/arm64 first: docker buildx --platform linux/amd64,linux/arm64); set RuntimePlatform.CpuArchitecture: ARM64 on Fargate task definitions. Acknowledge the finding where an image or agent exists only for x86.',
    references: ['https://aws.amazon.com/ec2/graviton/', 'https://aws.amazon.com/fargate/pricing/'],
  },
  check(ctx) {
    for (const s of sizedResources(ctx)) {
      if (s.priced.kind === 'opensearch') continue;
      const arm = gravitonOf(s.priced.type);
      if (!arm) continue;
      const now = hourlyPrice(ctx, s.priced);
      const then = hourlyPrice(ctx, { ...s.priced, type: arm } as PricedKind);
      if (!now || !then || s.count === 0) continue;
      const a = monthlyOfHourly(now, s.count);
      const b = monthlyOfHourly(then, s.count);
      if (b >= a) continue;
      ctx.report({
        logicalId: s.logicalId,
        path: s.path,
        detail: s.priced.type,
        monthlyImpactUsd: round2(b - a),
        message: `${s.label} on x86 ${s.priced.type}${s.count > 1 ? ` × ${s.count}` : ''}: ${usd(a)}/month, ${usd(b)}/month on Graviton ${arm} (saves ${usd(a - b)}/month; price book: ${now.cite})`,
      });
    }
    const x86v = unitPrice(ctx, 'fargate', 'linux_x86_vcpu_hour');
    const x86g = unitPrice(ctx, 'fargate', 'linux_x86_gb_hour');
    const armv = unitPrice(ctx, 'fargate', 'linux_arm_vcpu_hour');
    const armg = unitPrice(ctx, 'fargate', 'linux_arm_gb_hour');
    if (!x86v || !x86g || !armv || !armg) return;
    for (const [id, r] of ctx.resources('AWS::ECS::TaskDefinition')) {
      const p = ctx.props(r);
      const compat = ctx.known(p.RequiresCompatibilities);
      if (!Array.isArray(compat) || !compat.includes('FARGATE')) continue;
      const arch = ctx.str((p.RuntimePlatform as Record<string, unknown> | undefined)?.CpuArchitecture);
      if (arch === 'ARM64') continue;
      if (
        arch === undefined &&
        (p.RuntimePlatform as Record<string, unknown> | undefined)?.CpuArchitecture !== undefined
      )
        continue;
      const vcpu = (ctx.num(p.Cpu) ?? 0) / 1024;
      const gb = (ctx.num(p.Memory) ?? 0) / 1024;
      if (!vcpu || !gb) continue;
      // Tasks kept running: the desired count of on-demand Fargate services using this definition.
      let tasks = 0;
      let spot = false;
      for (const [, s] of ctx.resources('AWS::ECS::Service')) {
        const sp = ctx.props(s);
        if (ctx.refTarget(sp.TaskDefinition) !== id) continue;
        const cps = JSON.stringify(sp.CapacityProviderStrategy ?? '');
        if (cps.includes('FARGATE_SPOT')) {
          spot = true;
          continue;
        }
        tasks += ctx.num(sp.DesiredCount) ?? 1;
      }
      if (spot || tasks === 0) continue;
      const a = (vcpu * x86v.usd + gb * x86g.usd) * 730 * tasks;
      const b = (vcpu * armv.usd + gb * armg.usd) * 730 * tasks;
      ctx.report({
        logicalId: id,
        path: arch ? ['Properties', 'RuntimePlatform', 'CpuArchitecture'] : ['Properties'],
        detail: 'fargate',
        monthlyImpactUsd: round2(b - a),
        message: `Fargate task (${vcpu} vCPU, ${gb} GB) × ${tasks} on x86: ${usd(a)}/month, ${usd(b)}/month on ARM64 (saves ${usd(a - b)}/month if the image is built for arm64; price book: ${x86v.cite})`,
      });
    }
  },
};
