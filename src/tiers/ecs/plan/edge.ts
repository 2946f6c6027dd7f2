/**
 * The public edge: one ALB for every routed service, CloudFront for static frontends (forwarding
 * API paths to the ALB), WAF, certificates (CloudFront's in us-east-1), DNS and the health check.
 */
import type { EcsEdge, EcsService, EcsStaticSite } from '../../../model/ecs.js';
import { type Ctx, pathPatterns } from './context.js';

export function planEdge(ctx: Ctx, services: EcsService[], statics: EcsStaticSite[]): EcsEdge {
  const { m, decisions } = ctx;
  const albServices = services.filter((s) => s.exposure === 'alb');
  const hasAlb = albServices.length > 0;
  const hasCdn = statics.length > 0;
  const names = [m.domain, ...m.aliases];
  const originHost = `origin.${m.domain}`;
  const albHost = hasCdn ? originHost : m.domain;
  const defaultService = albServices.find((s) => s.listener?.priority === undefined)?.service.name;
  const websocket = albServices.some((s) => s.service.websocket);

  const edge: EcsEdge = { certificates: [], dns: { records: [], manualSteps: [] } };
  if (hasAlb) {
    edge.alb = {
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      idleTimeoutSeconds: websocket ? 3600 : 60,
      deletionProtection: true,
      hostName: albHost,
      accessLogPrefix: 'alb/',
      ...(defaultService && { defaultService }),
    };
    decisions.push({
      topic: 'load balancer',
      choice: `one ALB for ${albServices.map((s) => s.service.name).join(', ')} at ${albHost}`,
      why: `one ALB routes every path (${albServices.map((s) => s.service.route).join(', ')}); HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06, port 80 redirects to 443, access logs to the log bucket, deletion protection on${websocket ? ', idle timeout 1 hour for WebSockets' : ''}${defaultService ? '' : '; paths no service claims get a 404'}`,
    });
  }
  if (hasCdn) {
    const root = statics.find((s) => s.route === '/');
    const albRoot = defaultService !== undefined;
    edge.cdn = {
      domainNames: names,
      statics,
      albPathPatterns: hasAlb
        ? albServices.filter((s) => s.service.route !== '/').flatMap((s) => pathPatterns(s.service.route!))
        : [],
      defaultOrigin: root || !albRoot ? 's3' : 'alb',
      priceClass: 'PriceClass_100',
      minimumProtocolVersion: 'TLSv1.2_2021',
      logPrefix: 'cloudfront/',
    };
    decisions.push({
      topic: 'CDN',
      choice: `CloudFront for ${names.join(', ')}${hasAlb ? ` (${edge.cdn.albPathPatterns.join(', ')} forwarded to the ALB at ${originHost})` : ''}`,
      why: `static files from S3 through origin access control, compressed, security headers, SPA fallback to index.html; price class 100 (North America and Europe edges, the cheapest); TLS 1.2+${hasAlb ? '; the API stays on the same domain, so no CORS' : ''}`,
    });
  }
  // Certificates: CloudFront's must be in us-east-1.
  if (hasCdn && m.region !== 'us-east-1') {
    edge.certificates.push({ region: 'us-east-1', names, usedBy: ['cloudfront'] });
    if (hasAlb) edge.certificates.push({ region: m.region, names: [originHost], usedBy: ['alb'] });
    edge.edgeStackRegion = 'us-east-1';
    decisions.push({
      topic: 'certificates',
      choice: `CloudFront's in a second stack in us-east-1${hasAlb ? `, the ALB's in ${m.region}` : ''}`,
      why: 'CloudFront only accepts ACM certificates from us-east-1; the edge stack passes its ARN to the app stack through a cross-region reference (SSM parameters written and read by CDK at deploy time)',
    });
  } else {
    const all = hasCdn && hasAlb ? [...names, originHost] : names;
    edge.certificates.push({
      region: m.region,
      names: all,
      usedBy: [...(hasAlb ? ['alb' as const] : []), ...(hasCdn ? ['cloudfront' as const] : [])],
    });
  }
  // DNS.
  if (m.hostedZone) {
    edge.dns.zone = { ...m.hostedZone };
    for (const n of names) edge.dns.records.push({ name: n, target: hasCdn ? 'cloudfront' : 'alb' });
    if (hasCdn && hasAlb) edge.dns.records.push({ name: originHost, target: 'alb' });
    decisions.push({
      topic: 'DNS',
      choice: `ACM validation and alias records in hosted zone ${m.hostedZone.name}`,
      why: 'the manifest names the hosted zone: certificates validate themselves and every name points at the edge',
    });
  } else {
    const certNames = edge.certificates.flatMap((c) => c.names);
    edge.dns.manualSteps.push(
      `while the stack creates, add the CNAME records ACM asks for (one per name: ${[...new Set(certNames)].join(', ')}); the deploy waits until they validate. See them in the CloudFormation events, or run: aws acm describe-certificate --certificate-arn <arn> --query Certificate.DomainValidationOptions`,
    );
    for (const n of names) {
      edge.dns.manualSteps.push(
        `point ${n} at the ${hasCdn ? 'CloudFront distribution (stack output DistributionDomainName)' : 'load balancer (stack output LoadBalancerDnsName)'} with a CNAME (or an ALIAS at the zone apex)`,
      );
    }
    if (hasCdn && hasAlb) {
      edge.dns.manualSteps.push(
        `point ${originHost} at the load balancer (stack output LoadBalancerDnsName) with a CNAME: CloudFront reaches the ALB by this name`,
      );
    }
    decisions.push({
      topic: 'DNS',
      choice: 'records added by hand (no hosted zone in the manifest)',
      why: 'stackplan cannot write to a DNS provider it does not manage: plan lists the records to add',
    });
  }
  if (m.waf && hasAlb) {
    edge.waf = {
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet'],
      rateLimitPer5Minutes: 2000,
      aggregateKey: hasCdn ? 'FORWARDED_IP' : 'IP',
    };
    decisions.push({
      topic: 'WAF',
      choice: 'AWS managed common rule set + 2000 requests per 5 minutes per client IP, on the ALB',
      why: `the manifest sets waf: true${hasCdn ? '; behind CloudFront the client IP is read from X-Forwarded-For, whose first address a client can forge (a web ACL on CloudFront itself, global scope in us-east-1, would see the real address)' : ''}`,
    });
  }
  if (m.availability !== 'single-instance') {
    const alarm = m.region === 'us-east-1';
    edge.healthCheck = {
      fqdn: m.domain,
      path: '/',
      alarm,
      why: `availability ${m.availability}: Route 53 checks https://${m.domain}/ from several regions${alarm ? '' : `; its metrics exist in us-east-1 only, so no alarm in ${m.region}`}`,
    };
  }
  return edge;
}
