/**
 * The app's Kubernetes objects as plain YAML, for teams that apply them with GitOps instead of
 * letting `cdk deploy` do it. They are the very objects the stack applies; what only the deployed
 * stack knows is a `${NAME}` placeholder, each listed in k8s/README.md with the stack output that
 * holds its value (`envsubst` fills them in).
 */
import { stringify } from 'yaml';
import type { EksPlan, EksWorkload } from '../plan/types.js';
import { allObjects, buildObjects, type EksRefs, type K8sObject, toPlain } from './objects.js';

export interface RenderedFile {
  /** Relative to the tier's output directory. */
  path: string;
  content: string;
}

export interface Placeholder {
  name: string;
  /** Stack output (or other source) that gives its value. */
  from: string;
}

/** The placeholders the plain YAML of this plan uses, each with where its value comes from. */
export function placeholders(plan: EksPlan): Placeholder[] {
  const out: Placeholder[] = [];
  if (plan.ingress) {
    out.push({ name: 'CERTIFICATE_ARN', from: 'stack output CertificateArn' });
    out.push({ name: 'LOG_BUCKET', from: 'stack output LogBucketName' });
    if (plan.edge.waf) out.push({ name: 'WEB_ACL_ARN', from: 'stack output WebAclArn' });
  }
  if (plan.repositories.length) {
    out.push({ name: 'ECR_REGISTRY', from: '<account>.dkr.ecr.<region>.amazonaws.com' });
    out.push({ name: 'IMAGE_TAG', from: 'the commit SHA CI built and pushed' });
  }
  if (plan.migration)
    out.push({ name: 'MIGRATION_ID', from: 'a new value per run (e.g. the image tag): Jobs are immutable' });
  if (plan.search) out.push({ name: 'SEARCH_URL', from: 'stack output SearchUrl' });
  for (const b of plan.buckets)
    out.push({ name: b.envName, from: `stack output ${b.envName.replace(/_/g, '')}` });
  return out;
}

/** `${NAME}`: what envsubst replaces. */
export function ph(name: string): string {
  return `$${'{'}${name}}`;
}

export function placeholderRefs(plan: EksPlan): EksRefs {
  const repoOf = new Map(plan.repositories.map((r) => [r.name, r]));
  return {
    region: plan.region,
    certificateArn: ph('CERTIFICATE_ARN'),
    logBucket: ph('LOG_BUCKET'),
    ...(plan.edge.waf && { webAclArn: ph('WEB_ACL_ARN') }),
    image: (w: EksWorkload) =>
      w.image.kind === 'pinned'
        ? w.image.ref
        : `${ph('ECR_REGISTRY')}/${repoOf.get(w.image.repository)!.name}:${ph('IMAGE_TAG')}`,
    ...(plan.search && { searchUrl: ph('SEARCH_URL') }),
    bucketName: (key: string) => ph(plan.buckets.find((b) => b.key === key)!.envName),
    migrationSuffix: ph('MIGRATION_ID'),
  };
}

function documents(objects: K8sObject[]): string {
  return objects.map((o) => stringify(toPlain(o), { lineWidth: 0, sortMapEntries: false })).join('---\n');
}

export function renderK8sYaml(plan: EksPlan): RenderedFile[] {
  const o = buildObjects(plan, placeholderRefs(plan));
  const header = (what: string) =>
    `# ${plan.app} (stackplan eks tier): ${what}.\n# Generated from stackplan.yaml by stackplan plan: change the manifest, not this file.\n`;
  const files: RenderedFile[] = [
    {
      path: 'k8s/00-namespace.yaml',
      content: header('namespace and deny-all ingress policy') + documents(o.namespace),
    },
  ];
  if (o.ingressClass.length)
    files.push({
      path: 'k8s/10-ingress-class.yaml',
      content: header('ALB ingress class and its parameters') + documents(o.ingressClass),
    });
  for (const [name, objs] of o.workloads) {
    files.push({ path: `k8s/20-${name}.yaml`, content: header(`${name}`) + documents(objs) });
  }
  if (o.ingress.length)
    files.push({ path: 'k8s/30-ingress.yaml', content: header('ingress') + documents(o.ingress) });
  if (o.migration)
    files.push({
      path: 'k8s/40-migrate-job.yaml',
      content: header('one-off migration Job') + documents([o.migration]),
    });
  const ph = placeholders(plan);
  files.push({
    path: 'k8s/README.md',
    content: [
      `# ${plan.app}: Kubernetes objects`,
      '',
      `\`npx aws-cdk deploy --app out/eks/cdk.out\` applies these objects itself. These files are the same objects for`,
      'teams that apply them with GitOps (Argo CD, Flux) or kubectl. Apply them in file-name order to the',
      `cluster \`${plan.clusterName}\` once its add-ons${plan.ingress?.controller === 'aws-load-balancer-controller' ? ' and the AWS Load Balancer Controller' : ''} are installed (the stack installs them).`,
      '',
      ...(ph.length
        ? [
            'Values only the deployed stack knows are placeholders; set them and substitute, for example:',
            '',
            '```sh',
            ...ph.map((p) => `export ${p.name}=...   # ${p.from}`),
            `for f in k8s/*.yaml; do envsubst '${ph.map((p) => `$${p.name}`).join(' ')}' < "$f" | kubectl apply -f -; done`,
            '```',
            '',
          ]
        : ['No placeholders: `kubectl apply -f k8s/` applies them as they are.', '']),
      'No secret value is in these files: pods read DATABASE_URL, REDIS_URL and their named secrets through',
      'the Secrets Store CSI driver with their own Pod Identity role.',
      '',
    ].join('\n'),
  });
  return files;
}

/** Every object the YAML holds, parsed back (for checks). */
export function objectsOf(plan: EksPlan): Array<Record<string, unknown>> {
  return allObjects(buildObjects(plan, placeholderRefs(plan))).map(toPlain);
}
