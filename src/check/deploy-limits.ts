/**
 * Limits a synthesized template must fit for `cdk deploy` to succeed, which neither CDK nor the
 * schema can see on their own: CloudFormation's 500 resources and 1 MB template, IAM's 6,144
 * characters per managed policy and 10,240 per role's inline policies, and ECS's 64 KiB task
 * definition. The manifest schema keeps realistic manifests far inside them; what still crosses
 * one (many long secret names on one service, say) is reported here, at plan time, naming the
 * manifest field that grows the resource, instead of failing half-way through a deploy.
 *
 * Sizes are measured on the template with its intrinsic functions resolved to realistic
 * stand-ins (the partition, region and account as they will be; other references as long ARNs),
 * so an estimate errs on the large side by a few characters per reference.
 */
import { pascal } from '../tiers/ecs/services.js';

export interface DeployLimitFinding {
  /** Logical id of the resource (or "template"). */
  resource: string;
  /** What is limited, e.g. "IAM managed policy document". */
  what: string;
  size: number;
  max: number;
  unit: string;
  /** The manifest field that grows it (manifest path), when one does. */
  field: string;
  /** What to do. */
  fix: string;
}

/** CloudFormation, IAM and ECS quotas (fixed ones; none can be raised). */
export const DEPLOY_LIMITS = {
  resources: 500,
  templateBytes: 1_000_000,
  managedPolicyChars: 6_144,
  inlinePolicyCharsPerRole: 10_240,
  taskDefinitionBytes: 65_536,
} as const;

type Json = Record<string, unknown>;

/** Stand-ins for what CloudFormation resolves at deploy time. */
function resolve(value: unknown, region: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, region));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Json;
  if ('Ref' in o) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': region,
      'AWS::AccountId': '123456789012',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'x'.repeat(40),
    };
    return pseudo[String(o.Ref)] ?? `arn:aws:service:${region}:123456789012:${'x'.repeat(48)}`;
  }
  if ('Fn::GetAtt' in o) return `arn:aws:service:${region}:123456789012:${'x'.repeat(48)}`;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return (resolve(parts, region) as unknown[]).map(String).join(sep);
  }
  if ('Fn::Sub' in o) {
    const sub = o['Fn::Sub'];
    return String(Array.isArray(sub) ? sub[0] : sub).replace(/\$\{[^}]+\}/g, 'x'.repeat(40));
  }
  if ('Fn::ImportValue' in o || 'Fn::Select' in o || 'Fn::If' in o || 'Fn::FindInMap' in o)
    return 'x'.repeat(60);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, region)]));
}

/** The service a logical id belongs to, by the ecs stack's construct ids (Services/<Pascal>…). */
function serviceOf(id: string, services: readonly string[]): string | undefined {
  const byLength = [...services].sort((a, b) => pascal(b).length - pascal(a).length);
  return byLength.find((s) =>
    new RegExp(`^Services${pascal(s)}(Task|ExecutionPolicy|ExecutionRole|TaskRole|Migration)`).test(id),
  );
}

/** Every deploy-time limit the template crosses, each naming the manifest field behind it. */
export function deployLimitFindings(
  template: Json,
  opts: { region: string; services: readonly string[]; stack: string },
): DeployLimitFinding[] {
  const out: DeployLimitFinding[] = [];
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Json }>;
  const count = Object.keys(resources).length;
  if (count > DEPLOY_LIMITS.resources) {
    out.push({
      resource: 'template',
      what: `resources in the ${opts.stack} stack`,
      size: count,
      max: DEPLOY_LIMITS.resources,
      unit: 'resources',
      field: 'services',
      fix: 'split the app, or remove services, buckets or data stores it does not need',
    });
  }
  const bytes = Buffer.byteLength(JSON.stringify(template));
  if (bytes > DEPLOY_LIMITS.templateBytes) {
    out.push({
      resource: 'template',
      what: `the ${opts.stack} template`,
      size: bytes,
      max: DEPLOY_LIMITS.templateBytes,
      unit: 'bytes',
      field: 'services',
      fix: 'shorten env values and commands, or remove services',
    });
  }
  const inlineByRole = new Map<string, number>();
  for (const [id, r] of Object.entries(resources)) {
    const service = serviceOf(id, opts.services);
    if (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') {
      const size = JSON.stringify(resolve(r.Properties?.PolicyDocument, opts.region)).length;
      if (r.Type === 'AWS::IAM::ManagedPolicy' && size > DEPLOY_LIMITS.managedPolicyChars) {
        out.push({
          resource: id,
          what: 'IAM managed policy document',
          size,
          max: DEPLOY_LIMITS.managedPolicyChars,
          unit: 'characters',
          field: service ? `services.${service}.secrets` : 'services',
          fix: service
            ? `give services.${service} fewer or shorter secret names (each is listed in this policy)`
            : 'list fewer secrets, buckets or models',
        });
      }
      if (r.Type === 'AWS::IAM::Policy') {
        for (const role of (r.Properties?.Roles as unknown[] | undefined) ?? []) {
          const key = JSON.stringify(role);
          inlineByRole.set(key, (inlineByRole.get(key) ?? 0) + size);
        }
      }
    }
    if (r.Type === 'AWS::ECS::TaskDefinition') {
      const size = Buffer.byteLength(JSON.stringify(resolve(r.Properties ?? {}, opts.region)));
      if (size > DEPLOY_LIMITS.taskDefinitionBytes) {
        out.push({
          resource: id,
          what: 'ECS task definition',
          size,
          max: DEPLOY_LIMITS.taskDefinitionBytes,
          unit: 'bytes',
          field: service ? `services.${service}.env` : 'services',
          fix: service
            ? `shorten services.${service}.env values, its command or its secret names`
            : 'shorten env values and commands',
        });
      }
    }
  }
  for (const [role, size] of inlineByRole) {
    if (size > DEPLOY_LIMITS.inlinePolicyCharsPerRole) {
      out.push({
        resource: role,
        what: "a role's inline policies",
        size,
        max: DEPLOY_LIMITS.inlinePolicyCharsPerRole,
        unit: 'characters',
        field: 'services',
        fix: 'list fewer secrets, buckets or models per service',
      });
    }
  }
  return out;
}
