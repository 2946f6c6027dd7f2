/**
 * Where requests come in: one ALB (HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06, 80 → 443,
 * a listener rule per service route, access logs, deletion protection, optional WAF), static
 * frontends on S3 behind CloudFront (origin access control, compression, security headers, SPA
 * fallback), the ACM certificate validated by DNS, and the Route 53 records.
 */
import {
  aws_certificatemanager as acm,
  aws_cloudfront as cloudfront,
  Duration,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_logs as logs,
  aws_cloudfront_origins as origins,
  RemovalPolicy,
  aws_route53 as route53,
  type aws_s3 as s3,
  aws_route53_targets as targets,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EcsPlan } from '../../model/ecs.js';
import { PrivateBucket } from '../constructs/buckets.js';
import { logRetentionOf } from '../constructs/log-retention.js';
import { kmsKeyMonthly, wafCost } from '../constructs/quotes.js';
import { acknowledge } from '../nag.js';
import type { DeployedService } from './services.js';

export interface EdgeProps {
  readonly appName: string;
  /** Region of the stack. */
  readonly region: string;
  readonly ecs: EcsPlan;
  readonly vpc: ec2.IVpc;
  readonly logBucket: s3.IBucket;
  readonly services: readonly DeployedService[];
  /** CloudFront's certificate from the us-east-1 edge stack, when the app's region is another. */
  readonly cloudFrontCertificate?: acm.ICertificate;
}

/** The SPA fallback: a path without a file extension under a static route serves its index.html. */
export function spaFunctionCode(prefixes: readonly string[]): string {
  const list = JSON.stringify([...prefixes].sort((a, b) => b.length - a.length));
  return `var PREFIXES = ${list};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  for (var i = 0; i < PREFIXES.length; i++) {
    var prefix = PREFIXES[i];
    if (uri.indexOf(prefix) !== 0 && uri + '/' !== prefix) continue;
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') === -1) request.uri = prefix + 'index.html';
    return request;
  }
  return request;
}
`;
}

export class Edge extends Construct {
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  public readonly targetGroups = new Map<string, elbv2.ApplicationTargetGroup>();
  public readonly distribution?: cloudfront.Distribution;
  public readonly staticBucket?: s3.Bucket;
  public readonly certificates: acm.Certificate[] = [];
  public readonly zone?: route53.IHostedZone;
  public readonly healthCheck?: route53.CfnHealthCheck;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { ecs: plan } = props;
    const edge = plan.edge;
    if (edge.dns.zone) {
      this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: edge.dns.zone.id,
        zoneName: edge.dns.zone.name,
      });
    }
    const validation = this.zone
      ? acm.CertificateValidation.fromDns(this.zone)
      : acm.CertificateValidation.fromDns();
    let albCertificate: acm.ICertificate | undefined;
    let cdnCertificate: acm.ICertificate | undefined = props.cloudFrontCertificate;
    for (const c of edge.certificates) {
      // CloudFront's certificate in another region is made by the us-east-1 edge stack.
      if (c.region !== props.region) continue;
      const cert = new acm.Certificate(this, 'Certificate', {
        domainName: c.names[0]!,
        subjectAlternativeNames: c.names.slice(1),
        validation,
      });
      this.certificates.push(cert);
      if (c.usedBy.includes('alb')) albCertificate = cert;
      if (c.usedBy.includes('cloudfront')) cdnCertificate = cert;
    }

    // --- Load balancer ---------------------------------------------------------------------
    const albPlan = edge.alb;
    if (albPlan) {
      if (!albCertificate) throw new Error(`${this.node.path}: the plan has no certificate for the ALB`);
      const sg = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
        vpc: props.vpc,
        description: 'ALB: HTTP (redirect) and HTTPS from anywhere; out to the services only',
        allowAllOutbound: false,
      });
      sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
      sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
      acknowledge(sg, 'AwsSolutions-EC23', 'a public load balancer: 0.0.0.0/0 on 80 (redirect only) and 443');
      const alb = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
        vpc: props.vpc,
        internetFacing: true,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        securityGroup: sg,
        deletionProtection: albPlan.deletionProtection,
        dropInvalidHeaderFields: true,
        idleTimeout: Duration.seconds(albPlan.idleTimeoutSeconds),
        http2Enabled: true,
      });
      alb.logAccessLogs(props.logBucket, albPlan.accessLogPrefix.replace(/\/$/, ''));
      this.loadBalancer = alb;
      const redirect = alb.addRedirect({ sourcePort: 80, targetPort: 443 });
      acknowledge(
        redirect,
        'NIST.800.53.R5-ELBv2ACMCertificateRequired',
        'port 80 only answers with a permanent redirect to HTTPS on 443, which carries the ACM certificate',
      );
      const groups: Array<{ tg: elbv2.ApplicationTargetGroup; d: DeployedService }> = [];
      for (const d of props.services) {
        const s = d.plan;
        if (s.exposure !== 'alb' || !s.listener || s.service.port === undefined) continue;
        const tg = new elbv2.ApplicationTargetGroup(this, `Target-${s.service.name}`, {
          vpc: props.vpc,
          port: s.service.port,
          protocol: elbv2.ApplicationProtocol.HTTP,
          targetType: elbv2.TargetType.IP,
          deregistrationDelay: Duration.seconds(30),
          healthCheck: {
            path: s.service.health ?? '/',
            healthyHttpCodes: '200-399',
            interval: Duration.seconds(15),
            timeout: Duration.seconds(5),
            healthyThresholdCount: 2,
            unhealthyThresholdCount: 3,
          },
          targets: [
            d.service.loadBalancerTarget({ containerName: s.service.name, containerPort: s.service.port }),
          ],
        });
        this.targetGroups.set(s.service.name, tg);
        d.securityGroup.addIngressRule(
          sg,
          ec2.Port.tcp(s.service.port),
          `HTTP from the load balancer to ${s.service.name}`,
        );
        sg.addEgressRule(d.securityGroup, ec2.Port.tcp(s.service.port), `to ${s.service.name}`);
        groups.push({ tg, d });
      }
      const fallback = groups.find((g) => g.d.plan.listener?.priority === undefined);
      const https = alb.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [albCertificate],
        sslPolicy: albPlan.sslPolicy as elbv2.SslPolicy,
        open: false,
        defaultAction: fallback
          ? elbv2.ListenerAction.forward([fallback.tg])
          : elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' }),
      });
      for (const { tg, d } of groups) {
        const listener = d.plan.listener!;
        if (listener.priority === undefined) continue;
        https.addAction(`Route-${d.plan.service.name}`, {
          action: elbv2.ListenerAction.forward([tg]),
          priority: listener.priority,
          conditions: [elbv2.ListenerCondition.pathPatterns(listener.pathPatterns)],
        });
      }
      if (edge.waf) {
        const logGroup = new logs.LogGroup(this, 'WafLogs', {
          logGroupName: `aws-waf-logs-${props.appName}`,
          retention: logRetentionOf(this),
          removalPolicy: RemovalPolicy.DESTROY,
        });
        acknowledge(
          logGroup,
          'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
          `WAF decisions (rule, client IP, path); CloudWatch encrypts logs at rest, a KMS key would add ${kmsKeyMonthly(this)}`,
        );
        const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
          scope: 'REGIONAL',
          defaultAction: { allow: {} },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: `${props.appName}-waf`,
            sampledRequestsEnabled: true,
          },
          rules: [
            ...edge.waf.managedRuleGroups.map((name, i) => ({
              name,
              priority: i,
              overrideAction: { none: {} },
              statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
              visibilityConfig: {
                cloudWatchMetricsEnabled: true,
                metricName: name,
                sampledRequestsEnabled: true,
              },
            })),
            {
              name: 'RateLimitPerClient',
              priority: edge.waf.managedRuleGroups.length,
              action: { block: {} },
              statement: {
                rateBasedStatement: {
                  limit: edge.waf.rateLimitPer5Minutes,
                  evaluationWindowSec: 300,
                  aggregateKeyType: edge.waf.aggregateKey,
                  ...(edge.waf.aggregateKey === 'FORWARDED_IP' && {
                    forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' },
                  }),
                },
              },
              visibilityConfig: {
                cloudWatchMetricsEnabled: true,
                metricName: 'RateLimitPerClient',
                sampledRequestsEnabled: true,
              },
            },
          ],
        });
        new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
          resourceArn: alb.loadBalancerArn,
          webAclArn: acl.attrArn,
        });
        new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
          resourceArn: acl.attrArn,
          logDestinationConfigs: [logGroup.logGroupArn],
        });
      } else {
        acknowledge(
          alb,
          'NIST.800.53.R5-ALBWAFEnabled',
          `the manifest does not ask for WAF (waf: true adds AWS managed common rules and a rate limit for ${wafCost(this)})`,
        );
      }
    }

    // --- Static frontends on CloudFront ----------------------------------------------------
    const cdnPlan = edge.cdn;
    if (cdnPlan) {
      if (!cdnCertificate) throw new Error(`${this.node.path}: the plan has no certificate for CloudFront`);
      const bucket = new PrivateBucket(this, 'StaticSite', {
        logBucket: props.logBucket,
        logPrefix: 'static-site/',
        retain: false,
        noReplicationReason: 'static bundles are rebuilt by CI from the repository, which is the copy',
        noObjectLockReason:
          'each deploy replaces the static bundle and old versions expire after 30 days; the repository, not this bucket, is the record, so locking versions would only keep stale bundles',
        holds: 'the static bundle CloudFront serves, replaced by each deploy',
        lifecycleRules: [{ id: 'old-bundles', noncurrentVersionExpiration: Duration.days(30) }],
      }).bucket;
      this.staticBucket = bucket;
      const s3Origin = origins.S3BucketOrigin.withOriginAccessControl(bucket);
      const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
        comment: `${props.appName}: HSTS, nosniff, frame-deny, referrer policy`,
        securityHeadersBehavior: {
          strictTransportSecurity: {
            accessControlMaxAge: Duration.days(730),
            includeSubdomains: true,
            override: true,
          },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
          referrerPolicy: {
            referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
            override: true,
          },
          xssProtection: { protection: true, modeBlock: true, override: true },
        },
      });
      const spa = new cloudfront.Function(this, 'SpaFallback', {
        comment: 'serve index.html for app routes of the static frontends',
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        code: cloudfront.FunctionCode.fromInline(spaFunctionCode(cdnPlan.statics.map((st) => st.route))),
      });
      const staticBehavior: cloudfront.BehaviorOptions = {
        origin: s3Origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spa, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      };
      const albBehavior: cloudfront.BehaviorOptions | undefined = albPlan
        ? {
            origin: new origins.HttpOrigin(albPlan.hostName, {
              protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
              originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            }),
            viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
            cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
            originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            responseHeadersPolicy: headers,
            compress: true,
          }
        : undefined;
      const additional: Record<string, cloudfront.BehaviorOptions> = {};
      for (const st of cdnPlan.statics) {
        if (st.route === '/') continue;
        additional[`${st.route}*`] = staticBehavior;
      }
      if (albBehavior) for (const p of cdnPlan.albPathPatterns) additional[p] = albBehavior;
      const defaultBehavior = cdnPlan.defaultOrigin === 'alb' && albBehavior ? albBehavior : staticBehavior;
      this.distribution = new cloudfront.Distribution(this, 'Cdn', {
        comment: `${props.appName}: static frontend${albBehavior ? ' and API' : ''}`,
        defaultBehavior,
        additionalBehaviors: additional,
        domainNames: cdnPlan.domainNames,
        certificate: cdnCertificate,
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
        priceClass: cdnPlan.priceClass as cloudfront.PriceClass,
        defaultRootObject: 'index.html',
        enableLogging: true,
        logBucket: props.logBucket,
        logFilePrefix: cdnPlan.logPrefix,
      });
      acknowledge(
        this.distribution,
        'CT.CLOUDFRONT.PR.4',
        'one S3 origin in the stack’s region (S3 keeps it in at least three AZs); an origin group would need a second bucket replicated to another region, doubling static storage and adding replication, for a regional outage the rest of the stack does not survive either',
      );
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR1',
        'the app serves every country; geo restrictions would be a business decision the manifest does not make',
      );
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        edge.waf
          ? 'WAF is attached to the ALB behind CloudFront, where the API requests arrive; static files from S3 need no rules'
          : 'the manifest does not ask for WAF; static files from S3 through origin access control expose nothing to filter',
      );
    }

    // --- DNS -------------------------------------------------------------------------------
    if (this.zone) {
      for (const r of edge.dns.records) {
        const target =
          r.target === 'cloudfront'
            ? this.distribution && new targets.CloudFrontTarget(this.distribution)
            : this.loadBalancer && new targets.LoadBalancerTarget(this.loadBalancer);
        if (!target) throw new Error(`${this.node.path}: record ${r.name} points at a missing ${r.target}`);
        const recordTarget = route53.RecordTarget.fromAlias(target);
        new route53.ARecord(this, `A-${r.name}`, {
          zone: this.zone,
          recordName: `${r.name}.`,
          target: recordTarget,
        });
        new route53.AaaaRecord(this, `AAAA-${r.name}`, {
          zone: this.zone,
          recordName: `${r.name}.`,
          target: recordTarget,
        });
      }
    }
    if (edge.healthCheck) {
      this.healthCheck = new route53.CfnHealthCheck(this, 'HealthCheck', {
        healthCheckConfig: {
          type: 'HTTPS',
          fullyQualifiedDomainName: edge.healthCheck.fqdn,
          resourcePath: edge.healthCheck.path,
          port: 443,
          requestInterval: 30,
          failureThreshold: 3,
          enableSni: true,
        },
        healthCheckTags: [
          { key: 'Name', value: `${props.appName} https://${edge.healthCheck.fqdn}${edge.healthCheck.path}` },
        ],
      });
    }
  }
}
