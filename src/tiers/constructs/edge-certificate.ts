/**
 * CloudFront takes certificates only from us-east-1. For an app in another region with static
 * frontends on CloudFront, the managed tiers (ecs, eks) put that one certificate in a second stack
 * there, `<stack>-edge`, and the main stack reads its ARN through a cross-region reference (CDK
 * writes it to SSM in the edge region; the main stack deploys after it, `cdk deploy --all`).
 */
import {
  type App,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EcsEdge } from '../../model/ecs.js';

export interface EdgeCertificateStackProps extends StackProps {
  /** The planned edge; it must name a certificate for CloudFront in this stack's region. */
  readonly edge: EcsEdge;
}

/** CloudFront's certificate in us-east-1, for apps whose own region is another one. */
export class EdgeCertificateStack extends Stack {
  public readonly certificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: EdgeCertificateStackProps) {
    super(scope, id, props);
    const { edge } = props;
    const spec = edge.certificates.find(
      (c) => c.region === edge.edgeStackRegion && c.usedBy.includes('cloudfront'),
    );
    if (!edge.edgeStackRegion || !spec)
      throw new Error(`${this.node.path}: the plan has no CloudFront certificate for an edge stack`);
    const zone = edge.dns.zone
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: edge.dns.zone.id,
          zoneName: edge.dns.zone.name,
        })
      : undefined;
    this.certificate = new acm.Certificate(this, 'CdnCertificate', {
      domainName: spec.names[0]!,
      subjectAlternativeNames: spec.names.slice(1),
      validation: zone ? acm.CertificateValidation.fromDns(zone) : acm.CertificateValidation.fromDns(),
    });
  }
}

/** What a tier's main stack needs to use an edge stack's certificate. */
export interface EdgeCertificateProps {
  crossRegionReferences?: boolean;
  cloudFrontCertificate?: acm.ICertificate;
}

/**
 * The tier's main stack, and before it the edge stack when the plan puts CloudFront's certificate
 * in another region: `main` receives the props that wire the certificate across regions.
 */
export function withEdgeCertificate<S extends Stack>(
  app: App,
  opts: { stackName: string; description: string; edge: EcsEdge },
  main: (props: EdgeCertificateProps) => S,
): { main: S; all: Stack[] } {
  const edgeRegion = opts.edge.edgeStackRegion;
  if (!edgeRegion) {
    const stack = main({});
    return { main: stack, all: [stack] };
  }
  const edge = new EdgeCertificateStack(app, `${opts.stackName}-edge`, {
    edge: opts.edge,
    env: { region: edgeRegion },
    crossRegionReferences: true,
    description: `${opts.description} (CloudFront certificate, ${edgeRegion})`,
  });
  // A cross-region reference: the main stack deploys after the edge stack.
  const stack = main({ crossRegionReferences: true, cloudFrontCertificate: edge.certificate });
  return { main: stack, all: [edge, stack] };
}
