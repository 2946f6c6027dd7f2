/**
 * SP-tls-policy: HTTPS/TLS listeners and CloudFront viewers must refuse TLS 1.0 and 1.1 and offer
 * TLS 1.3. ALB/NLB listeners default to ELBSecurityPolicy-2016-08 (TLS 1.0); seed designs pin
 * ELBSecurityPolicy-TLS-1-2-2017-01 (TLS 1.2 only, CBC suites, no TLS 1.3).
 */
import type { Rule } from './context.js';

/** ELB policies that allow only TLS 1.2+ with forward-secret suites and TLS 1.3. */
const GOOD_ELB = /^ELBSecurityPolicy-TLS13-1-[23]-/;
/** CloudFront minimum protocol versions that refuse TLS 1.0/1.1. */
const GOOD_CLOUDFRONT = new Set(['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025']);
const RECOMMENDED_ELB = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export const rule: Rule = {
  info: {
    id: 'SP-tls-policy',
    pack: 'stackplan',
    title: 'HTTPS listener or CloudFront distribution allows old TLS',
    severity: 'error',
    category: 'security',
    securitySeverity: 7.4,
    resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::CloudFront::Distribution'],
    what: 'An HTTPS or TLS listener of an Application or Network Load Balancer whose SslPolicy is missing (the default, ELBSecurityPolicy-2016-08, accepts TLS 1.0) or is not one of the TLS 1.3 policies (ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-*); a CloudFront distribution with its own certificate whose MinimumProtocolVersion is missing or below TLSv1.2_2021.',
    why: 'TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS; policies such as ELBSecurityPolicy-TLS-1-2-2017-01 keep CBC suites without forward secrecy and offer no TLS 1.3.',
    fix: `Set SslPolicy: ${RECOMMENDED_ELB} (CDK: sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS) on the listener, and MinimumProtocolVersion: TLSv1.2_2021 on the distribution (CDK: minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021).`,
    references: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html',
      'https://www.rfc-editor.org/rfc/rfc8996',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::ElasticLoadBalancingV2::Listener')) {
      const p = ctx.props(r);
      const protocol = ctx.str(p.Protocol);
      if (protocol !== 'HTTPS' && protocol !== 'TLS') continue;
      if (p.SslPolicy === undefined) {
        ctx.report({
          logicalId: id,
          path: ['Properties', 'Protocol'],
          message: `${protocol} listener has no SslPolicy, so it uses ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1: set SslPolicy: ${RECOMMENDED_ELB}`,
        });
        continue;
      }
      const policy = ctx.str(p.SslPolicy);
      if (policy === undefined) continue; // a parameter without default: the deployer decides
      if (!GOOD_ELB.test(policy)) {
        ctx.report({
          logicalId: id,
          path: ['Properties', 'SslPolicy'],
          message: `${protocol} listener uses ${policy}, which ${/TLS-1-2|FS-1-2/.test(policy) ? 'offers no TLS 1.3' : 'accepts TLS 1.0 or 1.1'}: use ${RECOMMENDED_ELB} or newer`,
        });
      }
    }
    for (const [id, r] of ctx.resources('AWS::CloudFront::Distribution')) {
      const cfg = ctx.props(r).DistributionConfig;
      const vc =
        typeof cfg === 'object' && cfg !== null
          ? (cfg as Record<string, unknown>).ViewerCertificate
          : undefined;
      if (typeof vc !== 'object' || vc === null) continue;
      const v = vc as Record<string, unknown>;
      // With CloudFront's default certificate the minimum cannot be set (AwsSolutions-CFR4 covers it).
      if (v.AcmCertificateArn === undefined && v.IamCertificateId === undefined) continue;
      if (v.MinimumProtocolVersion !== undefined && ctx.str(v.MinimumProtocolVersion) === undefined) continue;
      const min = ctx.str(v.MinimumProtocolVersion);
      if (min && GOOD_CLOUDFRONT.has(min)) continue;
      ctx.report({
        logicalId: id,
        path: [
          'Properties',
          'DistributionConfig',
          'ViewerCertificate',
          ...(min ? ['MinimumProtocolVersion'] : []),
        ],
        message: `CloudFront viewers may connect with ${min ?? 'TLSv1 (no MinimumProtocolVersion)'}: set MinimumProtocolVersion: TLSv1.2_2021`,
      });
    }
  },
};
