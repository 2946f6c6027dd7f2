/**
 * Where requests come in on the eks tier. The ALB itself is created by the ingress controller from
 * the Ingress; this construct makes what the Ingress refers to (the ACM certificate, the WAF web
 * ACL), finds the ALB once the controller made it (its ARN, DNS name and zone, for alarms and DNS),
 * and builds the static frontends on S3 + CloudFront, the Route 53 records and the health check —
 * the same design as the ecs tier's edge (its SPA function and buckets are reused).
 */
import {
  aws_certificatemanager as acm,
  aws_cloudfront as cloudfront,
  custom_resources as cr,
  Duration,
  aws_eks_v2 as eks,
  Fn,
  aws_logs as logs,
  aws_cloudfront_origins as origins,
  RemovalPolicy,
  aws_route53 as route53,
  type aws_s3 as s3,
  aws_wafv2 as wafv2,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PrivateBucket } from '../../constructs/buckets.js';
import { kmsKeyMonthly } from '../../constructs/quotes.js';
import { spaFunctionCode } from '../../ecs/edge.js';
import { acknowledge, acknowledgeAll } from '../../nag.js';
import type { EksPlan } from '../plan/types.js';

export interface EksEdgeProps {
  readonly plan: EksPlan;
  readonly logBucket: s3.IBucket;
  /** CloudFront's certificate from a us-east-1 stack, when the app's region is another. */
  readonly cloudFrontCertificate?: acm.ICertificate;
}

/** The controller-made ALB, found after the Ingress is applied. */
export interface FoundLoadBalancer {
  arn: string;
  /** app/<name>/<id>: the LoadBalancer dimension of its CloudWatch metrics. */
  fullName: string;
  dnsName: string;
  canonicalHostedZoneId: string;
}

export class EksEdge extends Construct {
  public albCertificate?: acm.ICertificate;
  public readonly certificates: acm.Certificate[] = [];
  public readonly webAcl?: wafv2.CfnWebACL;
  public readonly distribution?: cloudfront.Distribution;
  public readonly staticBucket?: s3.Bucket;
  public readonly zone?: route53.IHostedZone;
  public readonly healthCheck?: route53.CfnHealthCheck;
  public loadBalancer?: FoundLoadBalancer;
  private readonly props: EksEdgeProps;

  constructor(scope: Construct, id: string, props: EksEdgeProps) {
    super(scope, id);
    this.props = props;
    const { plan } = props;
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
    let cdnCertificate: acm.ICertificate | undefined = props.cloudFrontCertificate;
    for (const c of edge.certificates) {
      if (c.region !== plan.region) continue;
      const cert = new acm.Certificate(this, 'Certificate', {
        domainName: c.names[0]!,
        subjectAlternativeNames: c.names.slice(1),
        validation,
      });
      this.certificates.push(cert);
      if (c.usedBy.includes('alb')) this.albCertificate = cert;
      if (c.usedBy.includes('cloudfront')) cdnCertificate = cert;
    }

    if (edge.waf && plan.ingress) {
      const logGroup = new logs.LogGroup(this, 'WafLogs', {
        logGroupName: `aws-waf-logs-${plan.app}-eks`,
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      acknowledge(
        logGroup,
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        `WAF decisions (rule, client IP, path); CloudWatch encrypts logs at rest, a KMS key would add ${kmsKeyMonthly(this)}`,
      );
      const visibility = (metricName: string) => ({
        cloudWatchMetricsEnabled: true,
        metricName,
        sampledRequestsEnabled: true,
      });
      this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: visibility(`${plan.app}-eks-waf`),
        rules: [
          ...edge.waf.managedRuleGroups.map((name, i) => ({
            name,
            priority: i,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
            visibilityConfig: visibility(name),
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
            visibilityConfig: visibility('RateLimitPerClient'),
          },
        ],
      });
      new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
        resourceArn: this.webAcl.attrArn,
        logDestinationConfigs: [logGroup.logGroupArn],
      });
    }

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
      const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
        comment: `${plan.app}: HSTS, nosniff, frame-deny, referrer policy`,
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
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spa, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      };
      const alb = edge.alb;
      const albBehavior: cloudfront.BehaviorOptions | undefined = alb
        ? {
            origin: new origins.HttpOrigin(alb.hostName, {
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
      for (const st of cdnPlan.statics) if (st.route !== '/') additional[`${st.route}*`] = staticBehavior;
      if (albBehavior) for (const p of cdnPlan.albPathPatterns) additional[p] = albBehavior;
      this.distribution = new cloudfront.Distribution(this, 'Cdn', {
        comment: `${plan.app}: static frontend${albBehavior ? ' and API' : ''} (eks)`,
        defaultBehavior: cdnPlan.defaultOrigin === 'alb' && albBehavior ? albBehavior : staticBehavior,
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
          { key: 'Name', value: `${plan.app} https://${edge.healthCheck.fqdn}${edge.healthCheck.path}` },
        ],
      });
    }
  }

  /**
   * Finds the ALB the controller made for `ingress` (waits until its status has an address), for
   * its metrics and DNS records, and writes the Route 53 records.
   */
  public findLoadBalancer(
    cluster: eks.Cluster,
    ingress: eks.KubernetesManifest,
  ): FoundLoadBalancer | undefined {
    const { plan } = this.props;
    const ing = plan.ingress;
    if (!ing) return undefined;
    const ready = new eks.KubernetesObjectValue(this, 'IngressAddress', {
      cluster,
      objectType: 'ingress',
      objectName: plan.namespace,
      objectNamespace: plan.namespace,
      jsonPath: '.status.loadBalancer.ingress[0].hostname',
      timeout: Duration.minutes(10),
    });
    ready.node.addDependency(ingress);
    const call: cr.AwsSdkCall = {
      service: 'ElasticLoadBalancingV2',
      action: 'describeLoadBalancers',
      parameters: { Names: [ing.loadBalancerName] },
      // A new value whenever the controller recreated the ALB under the same name.
      physicalResourceId: cr.PhysicalResourceId.of(ready.value),
      outputPaths: [
        'LoadBalancers.0.LoadBalancerArn',
        'LoadBalancers.0.DNSName',
        'LoadBalancers.0.CanonicalHostedZoneId',
      ],
    };
    const lookup = new cr.AwsCustomResource(this, 'LoadBalancerLookup', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    lookup.node.addDependency(ready);
    const policy = lookup.node.tryFindChild('CustomResourcePolicy');
    if (policy) {
      acknowledgeAll(
        policy,
        ['AwsSolutions-IAM5[Resource::*]'],
        'elasticloadbalancing:DescribeLoadBalancers has no resource-level permissions; the lookup only reads the ALB the ingress controller created',
      );
      acknowledge(
        policy,
        'NIST.800.53.R5-IAMNoInlinePolicy',
        'AwsCustomResource writes its one read-only statement (DescribeLoadBalancers) inline on its function’s role',
      );
    }
    const arn = lookup.getResponseField('LoadBalancers.0.LoadBalancerArn');
    const found: FoundLoadBalancer = {
      arn,
      fullName: Fn.select(1, Fn.split(':loadbalancer/', arn)),
      dnsName: lookup.getResponseField('LoadBalancers.0.DNSName'),
      canonicalHostedZoneId: lookup.getResponseField('LoadBalancers.0.CanonicalHostedZoneId'),
    };
    this.loadBalancer = found;
    this.records(found);
    return found;
  }

  private records(alb: FoundLoadBalancer | undefined): void {
    const { plan } = this.props;
    if (!this.zone) return;
    for (const r of plan.edge.dns.records) {
      let target: route53.RecordTarget;
      if (r.target === 'cloudfront') {
        if (!this.distribution)
          throw new Error(`${this.node.path}: record ${r.name} points at a missing distribution`);
        target = route53.RecordTarget.fromAlias({
          bind: () => ({
            dnsName: this.distribution!.distributionDomainName,
            hostedZoneId: 'Z2FDTNDATAQYW2',
          }),
        });
      } else {
        if (!alb)
          throw new Error(`${this.node.path}: record ${r.name} points at the ALB, which has not been found`);
        target = route53.RecordTarget.fromAlias({
          bind: () => ({ dnsName: `dualstack.${alb.dnsName}`, hostedZoneId: alb.canonicalHostedZoneId }),
        });
      }
      new route53.ARecord(this, `A-${r.name}`, { zone: this.zone, recordName: `${r.name}.`, target });
    }
  }

  /** Records when there is no ALB (static-only apps). */
  public recordsWithoutLoadBalancer(): void {
    this.records(undefined);
  }
}
