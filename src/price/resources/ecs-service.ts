/**
 * AWS::ECS::Service on Fargate: the task definition's vCPU and GB × desired count, x86 or ARM,
 * ephemeral storage above the included 20 GB. FARGATE_SPOT in the capacity provider strategy is
 * priced with an assumed discount (no list price exists), labelled as such. Services on the EC2
 * launch type cost nothing themselves: their instances are priced on the Auto Scaling group.
 */
import { NotResolvable } from '../template.js';
import type { CostComponent } from '../types.js';
import { ctxProps, hourly, type Pricer, plural } from './common.js';

/** Task CPU: "256" (CPU units) or "0.25 vCPU" → vCPUs. */
function vcpus(v: string): number {
  const m = /^([\d.]+)\s*vcpu$/i.exec(v.trim());
  return m ? Number(m[1]) : Number(v) / 1024;
}

/** Task memory: "512" (MiB) or "0.5 GB" → GB. */
function gigabytes(v: string): number {
  const m = /^([\d.]+)\s*gb$/i.exec(v.trim());
  return m ? Number(m[1]) : Number(v) / 1024;
}

export const ecsService: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const strategy = p.subs('CapacityProviderStrategy');
  const launchType = p.str('LaunchType') ?? (strategy.length ? undefined : 'EC2');
  const providers = strategy.map((s) => ({
    name: s.str('CapacityProvider', ''),
    weight: s.num('Weight', 0),
    base: s.num('Base', 0),
  }));
  const fargate = launchType === 'FARGATE' || providers.some((s) => s.name.startsWith('FARGATE'));
  if (!fargate) {
    return {
      components: [],
      free: 'runs on the cluster’s EC2 instances, priced on their Auto Scaling group',
    };
  }
  const tdId = p.ref('TaskDefinition');
  if (!tdId) throw new NotResolvable('TaskDefinition', 'the task definition is not in this template');
  const td = ctxProps(ctx, tdId)!;
  const cpu = td.str('Cpu');
  const mem = td.str('Memory');
  if (!cpu) throw new NotResolvable(`${tdId}.Cpu`, 'not set on the Fargate task definition');
  if (!mem) throw new NotResolvable(`${tdId}.Memory`, 'not set on the Fargate task definition');
  const os = td.str('RuntimePlatform.OperatingSystemFamily', 'LINUX');
  const arm = td.str('RuntimePlatform.CpuArchitecture', 'X86_64').toUpperCase() === 'ARM64';
  const arch = arm ? 'arm' : 'x86';
  const label = `Linux/${arm ? 'ARM' : 'x86'}`;
  if (os !== 'LINUX') notes.push(`${os} tasks are priced at the Linux rate, without the OS licence fee`);

  let tasks = p.num('DesiredCount', 1);
  if (ctx.usage.tasks !== undefined) {
    tasks = ctx.usage.tasks;
    notes.push(`${tasks} tasks on average (usage)`);
  }
  // Split tasks between FARGATE and FARGATE_SPOT: bases first, then by weight.
  let spotTasks = 0;
  if (launchType !== 'FARGATE' && providers.length) {
    const base = providers.reduce((n, s) => n + s.base, 0);
    const spotBase = providers.filter((s) => s.name === 'FARGATE_SPOT').reduce((n, s) => n + s.base, 0);
    const weights = providers.reduce((n, s) => n + s.weight, 0);
    const spotWeight = providers.filter((s) => s.name === 'FARGATE_SPOT').reduce((n, s) => n + s.weight, 0);
    const rest = Math.max(0, tasks - base);
    spotTasks = Math.min(tasks, spotBase) + (weights > 0 ? (rest * spotWeight) / weights : 0);
  }
  const onDemand = tasks - spotTasks;
  const v = vcpus(cpu);
  const gb = gigabytes(mem);
  const components: CostComponent[] = [];
  const line = (n: number, purchase: string, factor?: number) => {
    const extra =
      factor === undefined
        ? {}
        : { priceFactor: factor, note: 'assumed discount: Fargate Spot has no list price' };
    components.push(
      hourly(
        `Fargate vCPU (${label}, ${purchase}, ${plural(n, 'task')} × ${v} vCPU)`,
        'vCPU-hours',
        n * v,
        'fargate',
        `linux_${arch}_vcpu_hour`,
        {
          ...extra,
          ...(factor === undefined && {
            savings: { kind: 'fargate' as const, vcpuHours: n * v * 730, gbHours: n * gb * 730, arch },
          }),
        },
      ),
      hourly(
        `Fargate memory (${label}, ${purchase}, ${plural(n, 'task')} × ${gb} GB)`,
        'GB-hours',
        n * gb,
        'fargate',
        `linux_${arch}_gb_hour`,
        extra,
      ),
    );
  };
  if (onDemand > 0 || spotTasks === 0) line(onDemand, 'on-demand');
  if (spotTasks > 0) {
    const discount = ctx.usage.spotDiscount ?? 0.7;
    line(spotTasks, 'Spot', 1 - discount);
    notes.push(
      `Fargate Spot assumed ${Math.round(discount * 100)}% below on-demand (AWS: variable, up to 70% off); set spotDiscount in usage to change it`,
    );
  }
  const eph = td.num('EphemeralStorage.SizeInGiB', 20);
  if (eph > 20) {
    components.push(
      hourly(
        `Ephemeral storage (above 20 GB, ${plural(tasks, 'task')})`,
        'GB-hours',
        (eph - 20) * tasks,
        'fargate',
        'ephemeral_storage_gb_hour',
      ),
    );
  }
  return { components, notes };
};
