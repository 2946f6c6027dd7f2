/**
 * The workloads a template runs, in one shape for the rules that read images and environment:
 * ECS task definitions, Lambda functions, App Runner services, and the Kubernetes objects a CDK
 * EKS cluster applies (`Custom::AWSCDK-EKS-KubernetesResource`, whose `Manifest` is a JSON string
 * or an Fn::Join around resource attributes).
 */
import { type RuleContext, UNKNOWN } from './context.js';

export interface EnvVar {
  name: string;
  value: unknown;
  /** Path below the resource, for the finding's location. */
  path: Array<string | number>;
}

export interface Container {
  kind: 'ecs' | 'lambda' | 'apprunner' | 'kubernetes';
  logicalId: string;
  /** Container name (or the function's id), for messages and fingerprints. */
  name: string;
  image?: unknown;
  imagePath?: Array<string | number>;
  env: EnvVar[];
}

export interface KubeObject {
  logicalId: string;
  /** Position of the object in the resource's manifest list. */
  index: number;
  obj: Record<string, unknown>;
}

export const KUBERNETES_RESOURCE_TYPES = ['Custom::AWSCDK-EKS-KubernetesResource'];

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every Kubernetes object in the stack's kubectl custom resources. */
export function kubernetesObjects(ctx: RuleContext): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [id, r] of ctx.resources(...KUBERNETES_RESOURCE_TYPES)) {
    const m = ctx.props(r).Manifest;
    // Attributes inside the JSON text become a placeholder string, so the JSON stays valid.
    const text = ctx.text(m).split(UNKNOWN).join('stackplan-unknown');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    list.forEach((obj, index) => {
      if (!isObj(obj)) return;
      if (obj.kind === 'List' && Array.isArray(obj.items)) {
        for (const item of obj.items) if (isObj(item)) out.push({ logicalId: id, index, obj: item });
      } else out.push({ logicalId: id, index, obj });
    });
  }
  return out;
}

/** The pod spec of a workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod …). */
export function podSpec(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = obj.spec;
  if (!isObj(spec)) return undefined;
  if (obj.kind === 'Pod') return spec;
  if (obj.kind === 'CronJob') {
    const jt = spec.jobTemplate;
    const t = isObj(jt) && isObj(jt.spec) ? jt.spec.template : undefined;
    return isObj(t) && isObj(t.spec) ? t.spec : undefined;
  }
  const t = spec.template;
  return isObj(t) && isObj(t.spec) ? t.spec : undefined;
}

/** A Kubernetes object's `namespace/kind/name`, for messages. */
export function kubeName(obj: Record<string, unknown>): string {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  return `${String(meta.namespace ?? 'default')}/${String(obj.kind ?? '?')}/${String(meta.name ?? '?')}`;
}

export function kubeContainers(spec: Record<string, unknown>): Array<Record<string, unknown>> {
  const all = [
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ...(Array.isArray(spec.containers) ? spec.containers : []),
  ];
  return all.filter(isObj);
}

/** Every container of every workload in the stack. */
export function containers(ctx: RuleContext): Container[] {
  const out: Container[] = [];
  for (const [id, r] of ctx.resources('AWS::ECS::TaskDefinition')) {
    const defs = ctx.known(ctx.props(r).ContainerDefinitions);
    const raw = ctx.props(r).ContainerDefinitions;
    if (!Array.isArray(raw)) continue;
    raw.forEach((c, i) => {
      if (!isObj(c)) return;
      const resolvedName = Array.isArray(defs) && isObj(defs[i]) ? defs[i].Name : undefined;
      const env: EnvVar[] = [];
      const e = c.Environment;
      if (Array.isArray(e)) {
        e.forEach((kv, j) => {
          if (!isObj(kv)) return;
          const name = ctx.str(kv.Name);
          if (name)
            env.push({
              name,
              value: kv.Value,
              path: ['Properties', 'ContainerDefinitions', i, 'Environment', j],
            });
        });
      }
      out.push({
        kind: 'ecs',
        logicalId: id,
        name: String(resolvedName ?? ctx.str(c.Name) ?? `container ${i + 1}`),
        image: c.Image,
        imagePath: ['Properties', 'ContainerDefinitions', i, 'Image'],
        env,
      });
    });
  }
  for (const [id, r] of ctx.resources('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
    const p = ctx.props(r);
    const vars = isObj(p.Environment) ? p.Environment.Variables : undefined;
    const env: EnvVar[] = isObj(vars)
      ? Object.entries(vars).map(([name, value]) => ({
          name,
          value,
          path: ['Properties', 'Environment', 'Variables', name],
        }))
      : [];
    const c: Container = { kind: 'lambda', logicalId: id, name: id, env };
    const code = isObj(p.Code) ? p.Code : undefined;
    if (code && code.ImageUri !== undefined) {
      c.image = code.ImageUri;
      c.imagePath = ['Properties', 'Code', 'ImageUri'];
    }
    out.push(c);
  }
  for (const [id, r] of ctx.resources('AWS::AppRunner::Service')) {
    const src = ctx.props(r).SourceConfiguration;
    const repo = isObj(src) && isObj(src.ImageRepository) ? src.ImageRepository : undefined;
    if (!repo) continue;
    const cfg = isObj(repo.ImageConfiguration) ? repo.ImageConfiguration : {};
    const env: EnvVar[] = Array.isArray(cfg.RuntimeEnvironmentVariables)
      ? (cfg.RuntimeEnvironmentVariables as unknown[]).flatMap((kv, j) =>
          isObj(kv) && typeof kv.Name === 'string'
            ? [
                {
                  name: kv.Name,
                  value: kv.Value,
                  path: [
                    'Properties',
                    'SourceConfiguration',
                    'ImageRepository',
                    'ImageConfiguration',
                    'RuntimeEnvironmentVariables',
                    j,
                  ],
                },
              ]
            : [],
        )
      : [];
    out.push({
      kind: 'apprunner',
      logicalId: id,
      name: id,
      image: repo.ImageIdentifier,
      imagePath: ['Properties', 'SourceConfiguration', 'ImageRepository', 'ImageIdentifier'],
      env,
    });
  }
  for (const k of kubernetesObjects(ctx)) {
    const spec = podSpec(k.obj);
    if (!spec) continue;
    for (const c of kubeContainers(spec)) {
      const env: EnvVar[] = Array.isArray(c.env)
        ? (c.env as unknown[]).flatMap((e) =>
            isObj(e) && typeof e.name === 'string' && 'value' in e
              ? [{ name: e.name, value: e.value, path: ['Properties', 'Manifest'] }]
              : [],
          )
        : [];
      out.push({
        kind: 'kubernetes',
        logicalId: k.logicalId,
        name: `${kubeName(k.obj)} container ${String(c.name ?? '?')}`,
        image: c.image,
        imagePath: ['Properties', 'Manifest'],
        env,
      });
    }
  }
  return out;
}
