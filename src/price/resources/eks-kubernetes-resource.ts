/**
 * Custom::AWSCDK-EKS-KubernetesResource (aws-eks-v2's KubernetesManifest): the Kubernetes objects a
 * stack applies. Most cost nothing by themselves (their pods run on nodes priced elsewhere), but an
 * Ingress of class alb makes the ingress controller create an Application Load Balancer that is in
 * no template: it is priced here, from the Ingress, as one ALB per IngressClassParams group (or per
 * Ingress without one), with one public IPv4 address per AZ of the VPC.
 */
import type { CostComponent } from '../types.js';
import { hourly, type Pricer, usage } from './common.js';

/** The Manifest property as JSON text: intrinsic parts of an Fn::Join (tokens in strings) become `?`. */
export function manifestText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (raw && typeof raw === 'object' && 'Fn::Join' in raw) {
    const [sep, parts] = (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map((p) => (typeof p === 'string' ? p : '?')).join(sep);
  }
  return undefined;
}

type K8s = {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

export const eksKubernetesResource: Pricer = (ctx) => {
  const notes: string[] = [];
  const raw = ctx.index.resource(ctx.logicalId)?.Properties?.Manifest;
  const text = manifestText(raw);
  if (text === undefined)
    return { components: [], notes: ['Manifest is not readable offline: objects not priced'] };
  let objects: K8s[];
  try {
    objects = JSON.parse(text) as K8s[];
  } catch {
    return { components: [], notes: ['Manifest is not JSON: objects not priced'] };
  }
  const ingresses = objects.filter(
    (o) =>
      o.kind === 'Ingress' &&
      (o.spec?.ingressClassName === 'alb' ||
        o.metadata?.annotations?.['kubernetes.io/ingress.class'] === 'alb'),
  );
  if (!ingresses.length)
    return { components: [], notes: ['Kubernetes objects only: their pods run on nodes priced elsewhere'] };
  // Public subnets of the template's VPC (CDK tags them aws-cdk:subnet-type=Public): an address in each.
  const publicSubnets = ctx.index
    .ofType('AWS::EC2::Subnet')
    .filter(([, r]) =>
      ((r.Properties?.Tags as Array<{ Key?: string; Value?: string }> | undefined) ?? []).some(
        (t) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public',
      ),
    ).length;
  const lcu = ctx.usage.lcuPerHour;
  const components: CostComponent[] = [];
  for (const ing of ingresses) {
    const name =
      ing.metadata?.annotations?.['alb.ingress.kubernetes.io/load-balancer-name'] ??
      ing.metadata?.name ??
      'ingress';
    components.push(
      hourly(`Application load balancer (Ingress ${name})`, 'hours', 1, 'elb', 'alb_hour', {
        meter: 'alb.hours',
      }),
      usage(
        'Load balancer capacity units',
        'LCU-hours',
        lcu === undefined ? undefined : lcu * 730,
        'elb',
        'alb_lcu_hour',
        {
          meter: 'alb.lcu-hours',
        },
      ),
    );
    if (publicSubnets > 0) {
      components.push(
        hourly(
          `Public IPv4 addresses (internet-facing, ${publicSubnets} AZs)`,
          'hours',
          publicSubnets,
          'vpc',
          'public_ipv4_hour',
          {
            meter: 'ipv4.hours',
          },
        ),
      );
    } else notes.push('no public subnets in the template: the ALB’s public IPv4 addresses are not counted');
  }
  notes.push(
    'the ingress controller creates this ALB at deploy time: it is in no template, priced from the Ingress',
  );
  return { components, notes };
};
