/**
 * The ecs stack, property by property: network, edge, services, data stores, operations and CI.
 * Each test builds a fresh stack from a manifest (GIVEN), synthesizes it (WHEN) and asserts the
 * properties that matter (THEN).
 */
import { App, cx_api } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/load.js';
import { ecsPlanOf } from '../../src/model/ecs.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { EdgeCertificateStack } from '../../src/tiers/constructs/edge-certificate.js';
import { spaFunctionCode } from '../../src/tiers/ecs/edge.js';
import { EcsStack } from '../../src/tiers/ecs/stack.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

/** An app with every kind of service and data store the ecs tier builds. */
const FULL = `
name: shop
domain: shop.example.com
aliases: [www.shop.example.com]
hostedZone: {id: Z0123456789ABCDEF, name: shop.example.com}
alarmEmail: ops@example.com
waf: true
services:
  web: {kind: static, build: ./web}
  api:
    kind: api
    build: ./backend
    port: 8080
    cpu: 0.5
    memory: 1024
    replicas: {min: 2, max: 4}
    env: {LOG_LEVEL: info}
    secrets: [JWT_SECRET]
    migrate: [alembic, upgrade, head]
  ml: {kind: ml, image: ghcr.io/acme/ml:1.0.0, port: 5001, uses: [postgres, buckets]}
  worker: {kind: worker, build: ./backend, spot: true, replicas: {min: 1, max: 3}, command: [celery, worker]}
postgres: {memoryMb: 2048, storageGb: 30}
redis: {role: cache-and-broker, persistence: true}
search: true
buckets: {uploads: {purpose: user uploads}}
integrations:
  bedrock: {models: [{id: anthropic.claude-3-haiku-20240307-v1:0}]}
  ses: {sender: noreply@shop.example.com}
ci: {repository: acme/shop, branch: prod}
`;

/** The smallest app: one API, no static files, no zone, no CI. */
const SMALL = `
name: tiny
domain: api.tiny.example.com
alarmEmail: ops@example.com
services:
  app: {kind: api, image: ghcr.io/acme/app:1.0.0, port: 8000, route: /, cpu: 0.25, memory: 512}
postgres: true
redis: true
`;

function planFor(yaml: string): Plan {
  const r = parseManifest(yaml, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: '/app' });
}

type Json = Record<string, any>;

/** An app with the feature flags `cdk init` (and stackplan's createApp) give, without nag. */
function newApp(): App {
  return new App({ context: { ...cx_api.CURRENTLY_RECOMMENDED_FLAGS } });
}

function synth(yaml: string): { template: Template; json: Json; plan: Plan; acknowledged: string[] } {
  const plan = planFor(yaml);
  const app = newApp();
  const stack = new EcsStack(app, 'Test', { plan, env: { region: plan.manifest.region } });
  const template = Template.fromStack(stack);
  // Every acknowledgement in the construct tree, as `path rule: reason`.
  const acknowledged = stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(
            ([rule, reason]) => `${c.node.path} ${rule}: ${reason}`,
          ),
        ),
    );
  return { template, json: template.toJSON(), plan, acknowledged };
}

function resources(json: Json, type: string): Array<Json & { id: string }> {
  return Object.entries(json.Resources as Record<string, Json>)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, ...r }));
}

function taskDef(json: Json, family: string): Json {
  const td = resources(json, 'AWS::ECS::TaskDefinition').find((t) => t.Properties.Family === family);
  if (!td) throw new Error(`no task definition ${family}`);
  return td;
}

function serviceOf(json: Json, family: string): Json {
  const td = resources(json, 'AWS::ECS::TaskDefinition').find((t) => t.Properties.Family === family)!;
  return resources(json, 'AWS::ECS::Service').find((s) => s.Properties.TaskDefinition.Ref === td.id)!;
}

const full = synth(FULL);
const small = synth(SMALL);

describe('network', () => {
  it('spans two AZs with public, private and isolated subnets', () => {
    const subnets = resources(full.json, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(6);
    const types = subnets.map(
      (s) =>
        (s.Properties.Tags as Array<{ Key: string; Value: string }>).find(
          (t) => t.Key === 'aws-cdk:subnet-type',
        )!.Value,
    );
    expect(types.sort()).toEqual(['Isolated', 'Isolated', 'Private', 'Private', 'Public', 'Public']);
    expect(subnets.map((s) => JSON.stringify(s.Properties.AvailabilityZone))).toContain(
      JSON.stringify({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }),
    );
    for (const s of subnets) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  it('spans three AZs with a NAT gateway in each for multi-az-ha', () => {
    const { template, json } = synth(`${SMALL}\navailability: multi-az-ha\n`);
    expect(resources(json, 'AWS::EC2::Subnet')).toHaveLength(9);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  it('has one NAT gateway by default, an S3 gateway endpoint always, and no interface endpoints', () => {
    full.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const endpoints = resources(full.json, 'AWS::EC2::VPCEndpoint');
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.Properties.VpcEndpointType).toBe('Gateway');
    expect(JSON.stringify(endpoints[0]!.Properties.ServiceName)).toContain('.s3');
  });

  it('runs a t4g.nano NAT instance (IMDSv2, encrypted root, no source/dest check) for nat-instance', () => {
    const { template, json } = synth(`${SMALL}\negress: nat-instance\n`);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      ImageId: Match.stringLikeRegexp('al2023-ami-kernel-default-arm64'),
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
      BlockDeviceMappings: [
        Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3' }) }),
      ],
    });
    // Private subnets route to the instance; its security group admits the VPC only.
    const routes = resources(json, 'AWS::EC2::Route').filter((r) => r.Properties.InstanceId);
    expect(routes).toHaveLength(2);
    const natSg = resources(json, 'AWS::EC2::SecurityGroup').find((s) =>
      String(s.Properties.GroupDescription).startsWith('NAT instances'),
    )!;
    expect(JSON.stringify(natSg.Properties.SecurityGroupIngress)).not.toContain('0.0.0.0/0');
    // EC2 recovers it on hardware failure.
    const alarms = resources(json, 'AWS::CloudWatch::Alarm').filter(
      (a) => a.Properties.MetricName === 'StatusCheckFailed_System',
    );
    expect(JSON.stringify(alarms[0]!.Properties.AlarmActions)).toContain(':automate:');
  });

  it('reaches AWS through interface endpoints only for egress: endpoints', () => {
    const { template, json } = synth(`
name: tiny
domain: tiny.example.com
alarmEmail: ops@example.com
egress: endpoints
services:
  app: {kind: api, build: ./app, port: 8000, route: /}
`);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 0);
    const names = resources(json, 'AWS::EC2::VPCEndpoint')
      .filter((e) => e.Properties.VpcEndpointType === 'Interface')
      .map((e) => String(e.Properties.ServiceName).replace(/^com\.amazonaws\.us-east-1\./, ''));
    expect(names.sort()).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm']);
  });

  it('logs rejected traffic to the log bucket, which expires after its retention', () => {
    full.template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestinationType: 's3',
      TrafficType: 'REJECT',
    });
    const logBucket = resources(full.json, 'AWS::S3::Bucket').find((b) =>
      (b.Properties.LifecycleConfiguration?.Rules ?? []).some((r: Json) => r.Id === 'expire-logs'),
    )!;
    expect(logBucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(90);
  });
});

describe('edge', () => {
  it('serves HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06 and redirects port 80 to 443', () => {
    full.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [Match.objectLike({ CertificateArn: Match.anyValue() })],
    });
    full.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } },
      ],
    });
  });

  it('validates the certificate by DNS in the hosted zone, or by records the user adds without one', () => {
    full.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'shop.example.com',
      SubjectAlternativeNames: ['www.shop.example.com', 'origin.shop.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([
        { DomainName: 'shop.example.com', HostedZoneId: 'Z0123456789ABCDEF' },
      ]),
    });
    const [cert] = resources(small.json, 'AWS::CertificateManager::Certificate');
    expect(cert!.Properties).toMatchObject({ DomainName: 'api.tiny.example.com', ValidationMethod: 'DNS' });
    expect(cert!.Properties.DomainValidationOptions).toBeUndefined();
    expect(ecsPlanOf(small.plan)!.edge.dns.manualSteps[0]).toMatch(/CNAME records ACM asks for/);
  });

  it('routes each service path to its target group and sends the root to the "/" service', () => {
    const { json } = synth(`
name: tiny
domain: tiny.example.com
alarmEmail: ops@example.com
services:
  app: {kind: api, image: ghcr.io/acme/app:1.0.0, port: 8000, route: /}
  admin: {kind: frontend, image: ghcr.io/acme/admin:1.0.0, port: 3000, route: /admin/}
`);
    const rules = resources(json, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toMatchObject({
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/admin', '/admin/*'] } }],
    });
    const https = resources(json, 'AWS::ElasticLoadBalancingV2::Listener').find(
      (l) => l.Properties.Port === 443,
    )!;
    expect(https.Properties.DefaultActions[0].Type).toBe('forward');
  });

  it('answers 404 for paths no service claims when no service serves "/"', () => {
    const https = resources(full.json, 'AWS::ElasticLoadBalancingV2::Listener').find(
      (l) => l.Properties.Port === 443,
    )!;
    expect(https.Properties.DefaultActions[0]).toMatchObject({ Type: 'fixed-response' });
    full.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api', '/api/*'] } }],
    });
  });

  it('writes access logs, drops invalid headers and keeps deletion protection on', () => {
    const [alb] = resources(full.json, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const attrs = Object.fromEntries(
      (alb!.Properties.LoadBalancerAttributes as Array<{ Key: string; Value: string }>).map((a) => [
        a.Key,
        a.Value,
      ]),
    );
    expect(attrs).toMatchObject({
      'deletion_protection.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': 'alb',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
    });
    expect(alb!.Properties.Scheme).toBe('internet-facing');
  });

  it('adds WAF (AWS managed common rules + a rate limit) only when asked', () => {
    full.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 2000,
              AggregateKeyType: 'FORWARDED_IP',
              ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' },
            }),
          },
        }),
      ]),
    });
    full.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    full.template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    small.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('serves static files from S3 through CloudFront with OAC, compression, security headers and SPA fallback', () => {
    full.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [dist] = resources(full.json, 'AWS::CloudFront::Distribution');
    const cfg = dist!.Properties.DistributionConfig;
    expect(cfg.Aliases).toEqual(['shop.example.com', 'www.shop.example.com']);
    expect(cfg.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(cfg.DefaultCacheBehavior).toMatchObject({
      Compress: true,
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: expect.anything(),
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
    expect(cfg.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    // The API paths go to the ALB by its origin name, over TLS 1.2, uncached.
    const api = (cfg.CacheBehaviors as Json[]).find((b) => b.PathPattern === '/api/*')!;
    expect(api).toMatchObject({ Compress: true, ViewerProtocolPolicy: 'redirect-to-https' });
    expect(api.FunctionAssociations).toBeUndefined();
    const alb = (cfg.Origins as Json[]).find((o) => o.DomainName === 'origin.shop.example.com')!;
    expect(alb.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    full.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true, Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    // Only CloudFront (this distribution) may read the bucket.
    const policy = resources(full.json, 'AWS::S3::BucketPolicy').find((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('cloudfront.amazonaws.com'),
    )!;
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('AWS:SourceArn');
  });

  it('rewrites app routes to index.html and leaves files alone', () => {
    // The function's own source, run the way CloudFront runs it.
    const handler = new Function(`${spaFunctionCode(['/', '/docs/'])}; return handler;`)() as (
      e: Json,
    ) => Json;
    const uri = (u: string) => handler({ request: { uri: u } }).uri;
    expect(uri('/dashboard/42')).toBe('/index.html');
    expect(uri('/assets/app.3f2a.js')).toBe('/assets/app.3f2a.js');
    expect(uri('/docs/guide')).toBe('/docs/index.html');
    expect(uri('/docs/logo.svg')).toBe('/docs/logo.svg');
    expect(uri('/')).toBe('/index.html');
  });

  it('creates alias records for every name in the hosted zone, origin.<domain> to the ALB', () => {
    const records = resources(full.json, 'AWS::Route53::RecordSet').map((r) => [
      r.Properties.Name,
      r.Properties.Type,
    ]);
    expect(records.sort()).toEqual(
      [
        ['origin.shop.example.com.', 'A'],
        ['origin.shop.example.com.', 'AAAA'],
        ['shop.example.com.', 'A'],
        ['shop.example.com.', 'AAAA'],
        ['www.shop.example.com.', 'A'],
        ['www.shop.example.com.', 'AAAA'],
      ].sort(),
    );
    small.template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('puts CloudFront’s certificate in a us-east-1 stack for other regions', () => {
    const plan = planFor(FULL.replace('waf: true', 'region: eu-west-1'));
    const app = newApp();
    const edge = new EdgeCertificateStack(app, 'Edge', {
      edge: ecsPlanOf(plan)!.edge,
      env: { region: 'us-east-1' },
      crossRegionReferences: true,
    });
    const main = new EcsStack(app, 'Main', {
      plan,
      env: { region: 'eu-west-1' },
      crossRegionReferences: true,
      cloudFrontCertificate: edge.certificate,
    });
    Template.fromStack(edge).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'shop.example.com',
      SubjectAlternativeNames: ['www.shop.example.com'],
    });
    const m = Template.fromStack(main);
    m.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'origin.shop.example.com',
    });
    const [dist] = Object.values(m.findResources('AWS::CloudFront::Distribution'));
    expect(dist!.Properties.DistributionConfig.ViewerCertificate.AcmCertificateArn).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Edge', Region: 'us-east-1' }),
    });
  });
});

describe('services', () => {
  it('runs CI-built services on ARM64 and x86-only images and Spot workers on x86_64', () => {
    expect(taskDef(full.json, 'shop-api').Properties.RuntimePlatform).toEqual({
      CpuArchitecture: 'ARM64',
      OperatingSystemFamily: 'LINUX',
    });
    expect(taskDef(full.json, 'shop-ml').Properties.RuntimePlatform.CpuArchitecture).toBe('X86_64');
    expect(taskDef(full.json, 'shop-worker').Properties.RuntimePlatform.CpuArchitecture).toBe('X86_64');
    expect(taskDef(full.json, 'shop-api').Properties).toMatchObject({ Cpu: '512', Memory: '1024' });
  });

  it('gives each service its own task role, scoped to the models, sender and buckets it uses', () => {
    const roles = new Set(
      resources(full.json, 'AWS::ECS::TaskDefinition').map((t) => JSON.stringify(t.Properties.TaskRoleArn)),
    );
    expect(roles.size).toBe(3); // api, ml, worker (migration reuses api's)
    const policies = resources(full.json, 'AWS::IAM::ManagedPolicy');
    const api = policies.find((p) => String(p.Properties.Description).startsWith('AWS APIs api calls'))!;
    const statements = api.Properties.PolicyDocument.Statement as Json[];
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.InvokeNamedModels.Resource)).toContain(
      ':bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    );
    expect(bySid.SendFromSender.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'noreply@shop.example.com' },
    });
    expect(JSON.stringify(bySid.AppBucketObjects.Resource)).toContain('/*');
    expect(statements.some((s) => JSON.stringify(s.Resource).includes(':domain/shop-search/*'))).toBe(true);
    // ml uses postgres and buckets only: no Bedrock, SES or search.
    const ml = policies.find((p) => String(p.Properties.Description).startsWith('AWS APIs ml calls'))!;
    expect(JSON.stringify(ml.Properties.PolicyDocument)).not.toMatch(/bedrock|ses:|es:ESHttp/);
    // No inline policies anywhere (NIST flags them); no action wildcards.
    full.template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const p of policies)
      for (const s of p.Properties.PolicyDocument.Statement)
        expect([s.Action].flat().join()).not.toMatch(/\*/);
  });

  it('injects secrets from Secrets Manager and SSM, never as plain environment', () => {
    const [container] = taskDef(full.json, 'shop-api').Properties.ContainerDefinitions;
    const env = Object.fromEntries((container.Environment as Json[]).map((e) => [e.Name, e.Value]));
    expect(env).toMatchObject({ PORT: '8080', LOG_LEVEL: 'info', OPENSEARCH_REPLICAS: '0' });
    expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
    const secrets = Object.fromEntries(
      (container.Secrets as Json[]).map((s) => [s.Name, JSON.stringify(s.ValueFrom)]),
    );
    expect(Object.keys(secrets).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'REDIS_URL']);
    expect(secrets.JWT_SECRET).toContain(':parameter/stackplan/shop/ecs/secrets/JWT_SECRET');
    expect(secrets.DATABASE_URL).toMatch(/\{"Ref":"PostgresUrl/);
    full.template.hasResourceProperties('Custom::SecureParameters', {
      Names: ['/stackplan/shop/ecs/secrets/JWT_SECRET'],
    });
    // Tasks read them at start, so every service waits for them.
    const [params] = resources(full.json, 'Custom::SecureParameters');
    for (const family of ['shop-api', 'shop-ml', 'shop-worker']) {
      expect(serviceOf(full.json, family).DependsOn).toContain(params!.id);
    }
  });

  it('logs to a group per service with a retention and a stream prefix', () => {
    for (const name of ['api', 'ml', 'worker']) {
      const [c] = taskDef(full.json, `shop-${name}`).Properties.ContainerDefinitions;
      expect(c.LogConfiguration).toMatchObject({
        LogDriver: 'awslogs',
        Options: { 'awslogs-stream-prefix': name },
      });
    }
    full.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/stackplan/shop/ecs/api',
      RetentionInDays: 30,
    });
  });

  it('deploys with a circuit breaker that rolls back, and waits out the health-check grace', () => {
    const api = serviceOf(full.json, 'shop-api');
    expect(api.Properties.DeploymentConfiguration).toMatchObject({
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
    });
    expect(api.Properties.HealthCheckGracePeriodSeconds).toBe(60);
    expect(api.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
  });

  it('scales on 70% average CPU between the manifest’s min and max', () => {
    full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 70,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      }),
    });
    full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: { 'Fn::If': ['ImagesPublished', 2, 0] },
      MaxCapacity: { 'Fn::If': ['ImagesPublished', 4, 0] },
    });
  });

  it('keeps services built from source at 0 tasks until CI publishes an image tag', () => {
    expect(full.json.Parameters.ImageTag).toMatchObject({ Type: 'String', Default: 'none' });
    expect(serviceOf(full.json, 'shop-api').Properties.DesiredCount).toEqual({
      'Fn::If': ['ImagesPublished', 2, 0],
    });
    // A pinned image runs at once.
    expect(serviceOf(full.json, 'shop-ml').Properties.DesiredCount).toBe(1);
    expect(small.json.Parameters?.ImageTag).toBeUndefined();
  });

  it('runs Spot workers on the FARGATE_SPOT capacity provider, without a load balancer or inbound rule', () => {
    const worker = serviceOf(full.json, 'shop-worker');
    expect(worker.Properties.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
    ]);
    expect(worker.Properties.LaunchType).toBeUndefined();
    expect(worker.Properties.LoadBalancers).toEqual([]);
    full.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
    });
    const sgId =
      worker.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]['Fn::GetAtt'][0];
    const ingress = resources(full.json, 'AWS::EC2::SecurityGroupIngress').filter(
      (r) => r.Properties.GroupId['Fn::GetAtt']?.[0] === sgId,
    );
    expect(ingress).toEqual([]);
  });

  it('reaches internal services by Cloud Map name from the app’s other services only', () => {
    full.template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'shop.internal',
    });
    full.template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'ml' });
    expect(serviceOf(full.json, 'shop-ml').Properties.LoadBalancers).toEqual([]);
  });

  it('creates ECR repositories with scan on push and immutable tags for services built from source', () => {
    const repos = resources(full.json, 'AWS::ECR::Repository');
    expect(repos.map((r) => r.Properties.RepositoryName)).toEqual(['shop/api']);
    expect(repos[0]!.Properties).toMatchObject({
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
    });
    expect(JSON.stringify(taskDef(full.json, 'shop-api').Properties.ContainerDefinitions[0].Image)).toContain(
      '{"Ref":"ImageTag"}',
    );
    small.template.resourceCountIs('AWS::ECR::Repository', 0);
  });

  it('defines a one-off migration task with the migrating service’s image and configuration', () => {
    const mig = taskDef(full.json, 'shop-migrate');
    const [c] = mig.Properties.ContainerDefinitions;
    expect(c.Command).toEqual(['alembic', 'upgrade', 'head']);
    expect(c.PortMappings).toBeUndefined();
    expect(c.LogConfiguration.Options['awslogs-stream-prefix']).toBe('migrate');
    expect(JSON.stringify(c.Image)).toEqual(
      JSON.stringify(taskDef(full.json, 'shop-api').Properties.ContainerDefinitions[0].Image),
    );
    expect(
      resources(full.json, 'AWS::ECS::Service').some((s) => s.Properties.TaskDefinition.Ref === mig.id),
    ).toBe(false);
  });
});

describe('least privilege in every task definition', () => {
  it('runs every container as the non-root user, read-only, with no capabilities and a tmpfs /tmp (CT.ECS.PR.3, CT.ECS.PR.6)', () => {
    const tds = resources(full.json, 'AWS::ECS::TaskDefinition');
    expect(tds.length).toBeGreaterThanOrEqual(4); // api, ml, worker, migration
    for (const td of tds) {
      const [c, ...more] = td.Properties.ContainerDefinitions;
      expect(more).toEqual([]);
      expect(c.User, td.Properties.Family).toBe('65534:65534');
      expect(c.ReadonlyRootFilesystem, td.Properties.Family).toBe(true);
      expect(c.LinuxParameters.Capabilities).toEqual({ Drop: ['ALL'] });
      // An in-memory /tmp: a quarter of the task's memory, 16-256 MiB, never setuid or devices.
      const memory = Number(td.Properties.Memory);
      expect(c.LinuxParameters.Tmpfs).toEqual([
        {
          ContainerPath: '/tmp',
          Size: Math.min(256, Math.max(16, Math.floor(memory / 4))),
          MountOptions: ['nosuid', 'nodev'],
        },
      ]);
    }
  });

  it('honours the per-service switches: user, readonlyRootFilesystem: false (no tmpfs) and healthCommand', () => {
    const { json, acknowledged } = synth(
      SMALL.replace(
        'route: /, cpu: 0.25, memory: 512}',
        'route: /, cpu: 0.25, memory: 512, user: "1000:2000", readonlyRootFilesystem: false, healthCommand: [/app/healthcheck, --quiet]}',
      ),
    );
    // A writable image is the manifest's choice: Control Tower's read-only control is acknowledged
    // on that task definition, naming the field (plan requires the pack to pass).
    const ct6 = acknowledged.filter((a) => a.includes('CT.ECS.PR.6'));
    expect(ct6.length).toBe(1);
    expect(ct6[0]).toMatch(/\/AppTask\S* .*services\.app\.readonlyRootFilesystem: false/);
    expect(small.acknowledged.some((a) => a.includes('CT.ECS.PR.6'))).toBe(false);
    const [c] = taskDef(json, 'tiny-app').Properties.ContainerDefinitions;
    expect(c.User).toBe('1000:2000');
    expect(c.ReadonlyRootFilesystem).toBe(false);
    expect(c.LinuxParameters.Tmpfs).toBeUndefined();
    expect(c.LinuxParameters.Capabilities).toEqual({ Drop: ['ALL'] });
    expect(c.HealthCheck).toEqual({
      Command: ['CMD', '/app/healthcheck', '--quiet'],
      Interval: 15,
      Timeout: 5,
      Retries: 3,
      StartPeriod: 60,
    });
    // Without healthCommand the target group checks health, and the container has no check.
    const [d] = taskDef(small.json, 'tiny-app').Properties.ContainerDefinitions;
    expect(d.HealthCheck).toBeUndefined();
    // A uid alone means the same gid, never the root group.
    const { json: uidOnly } = synth(SMALL.replace('memory: 512}', 'memory: 512, user: "1001"}'));
    expect(taskDef(uidOnly, 'tiny-app').Properties.ContainerDefinitions[0].User).toBe('1001:1001');
  });
});

describe('data stores', () => {
  it('runs PostgreSQL in standard support on gp3, encrypted, TLS forced, backed up, protected, isolated', () => {
    full.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: '16',
      DBInstanceClass: 'db.t4g.small',
      StorageType: 'gp3',
      AllocatedStorage: '30',
      StorageEncrypted: true,
      BackupRetentionPeriod: 14,
      DeletionProtection: true,
      MultiAZ: false,
      PubliclyAccessible: false,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      MasterUserPassword: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])],
      }),
    });
    full.template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres16',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    const [group] = resources(full.json, 'AWS::RDS::DBSubnetGroup');
    expect(JSON.stringify(group!.Properties.SubnetIds)).toMatch(/dataSubnet1.*dataSubnet2/);
    const ha = synth(`${SMALL}\navailability: multi-az\n`);
    ha.template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
  });

  it('lets only the services that use PostgreSQL (and the migration task) connect', () => {
    const [db] = resources(full.json, 'AWS::RDS::DBInstance');
    const dbSg = db!.Properties.VPCSecurityGroups[0]['Fn::GetAtt'][0];
    const sources = resources(full.json, 'AWS::EC2::SecurityGroupIngress')
      .filter((r) => r.Properties.GroupId['Fn::GetAtt']?.[0] === dbSg)
      .map((r) => `${r.Properties.FromPort} ${r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]}`)
      .sort();
    expect(sources).toEqual([
      expect.stringMatching(/^5432 ServicesApiSecurityGroup/),
      expect.stringMatching(/^5432 ServicesMigrationSecurityGroup/),
      expect.stringMatching(/^5432 ServicesMlSecurityGroup/),
      expect.stringMatching(/^5432 ServicesWorkerSecurityGroup/),
    ]);
    const dbGroup = resources(full.json, 'AWS::EC2::SecurityGroup').find((s) => s.id === dbSg)!;
    expect(dbGroup.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
    ]);
  });

  it('assembles DATABASE_URL in a secret from a dynamic reference, with TLS required', () => {
    const url = resources(full.json, 'AWS::SecretsManager::Secret').find((s) =>
      s.id.startsWith('PostgresUrl'),
    )!;
    const text = JSON.stringify(url.Properties.SecretString);
    expect(text).toContain('postgresql://app:{{resolve:secretsmanager:');
    expect(text).toContain('/shop?sslmode=require');
  });

  it('runs a Valkey replication group with encryption, an AUTH token in Secrets Manager and a rediss:// URL', () => {
    full.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AuthToken: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] }),
      // a broker: a replica with Multi-AZ failover even at single-instance
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      SnapshotRetentionLimit: 7,
    });
    full.template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      Properties: { 'maxmemory-policy': 'noeviction' },
    });
    const url = resources(full.json, 'AWS::SecretsManager::Secret').find((s) => s.id.startsWith('CacheUrl'))!;
    expect(JSON.stringify(url.Properties.SecretString)).toMatch(
      /^\{"Fn::Join":\["",\["rediss:\/\/:\{\{resolve:secretsmanager:/,
    );
    // a plain cache at single-instance: one node
    small.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
      MultiAZEnabled: false,
    });
  });

  it('runs OpenSearch in the VPC, encrypted, node-to-node TLS, HTTPS only, without zone awareness on one node', () => {
    full.template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      DomainName: 'shop-search',
      ClusterConfig: {
        InstanceType: 't3.small.search',
        InstanceCount: 1,
        ZoneAwarenessEnabled: false,
        DedicatedMasterEnabled: false,
      },
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      VPCOptions: Match.objectLike({ SubnetIds: [Match.anyValue()] }),
    });
    const ha = synth(`${SMALL}\navailability: multi-az-ha\nsearch: true\n`);
    ha.template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 3,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
      }),
    });
  });

  it('keeps the declared buckets private, encrypted and SSL-only', () => {
    const uploads = resources(full.json, 'AWS::S3::Bucket').find((b) => b.id.startsWith('Bucketsuploads'))!;
    expect(uploads.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      uploads.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('AES256');
    const policy = resources(full.json, 'AWS::S3::BucketPolicy').find(
      (p) => p.Properties.Bucket.Ref === uploads.id,
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('operations', () => {
  const alarms = resources(full.json, 'AWS::CloudWatch::Alarm');
  const metricNames = (a: Json) =>
    a.Properties.MetricName
      ? [a.Properties.MetricName]
      : (a.Properties.Metrics as Json[]).flatMap((m) => m.MetricStat?.Metric.MetricName ?? []);

  it('sends every alarm and its recovery to the email topic', () => {
    full.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    for (const a of alarms) {
      expect(a.Properties.AlarmActions?.length, a.id).toBeGreaterThan(0);
      expect(a.Properties.OKActions?.length, a.id).toBeGreaterThan(0);
    }
  });

  it.each([
    ['ALB 5xx rate', ['RequestCount', 'HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count']],
    ['unhealthy targets', ['UnHealthyHostCount']],
    ['running below desired', ['DesiredTaskCount', 'RunningTaskCount']],
    ['RDS CPU', ['CPUUtilization']],
    ['RDS free storage', ['FreeStorageSpace']],
    ['RDS connections', ['DatabaseConnections']],
    ['Redis memory', ['DatabaseMemoryUsagePercentage']],
    ['Redis evictions', ['Evictions']],
    ['OpenSearch cluster status', ['ClusterStatus.red']],
  ])('alarms on %s', (_what, names) => {
    expect(alarms.some((a) => names.every((n) => metricNames(a).includes(n)))).toBe(true);
  });

  it('alarms on running < desired for every service, with thresholds from the plan', () => {
    const running = alarms.filter((a) => metricNames(a).includes('RunningTaskCount'));
    expect(running).toHaveLength(3);
    const conns = alarms.find((a) => metricNames(a).includes('DatabaseConnections'))!;
    expect(conns.Properties.Threshold).toBe(ecsPlanOf(full.plan)!.alarms.rdsConnections);
  });

  it('draws a dashboard for the app', () => {
    full.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-ecs' });
  });
});

describe('CI', () => {
  it('trusts GitHub’s OIDC provider for the named repository and branch only', () => {
    full.template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    const role = resources(full.json, 'AWS::IAM::Role').find((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('AssumeRoleWithWebIdentity'),
    )!;
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(statement.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:acme/shop:ref:refs/heads/prod',
      },
    });
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  it('uses the account’s existing provider when told to, and creates no keys ever', () => {
    const { template, json } = synth(FULL.replace('branch: prod}', 'branch: prod, oidcProvider: existing}'));
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(JSON.stringify(json)).toContain(':oidc-provider/token.actions.githubusercontent.com');
    for (const t of [json, full.json, small.json]) {
      for (const type of ['AWS::IAM::User', 'AWS::IAM::AccessKey']) expect(resources(t, type)).toEqual([]);
    }
    small.template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('lets CI push its images, run the migration task, sync the static bucket and invalidate CloudFront', () => {
    const policy = resources(full.json, 'AWS::IAM::ManagedPolicy').find((p) =>
      String(p.Properties.Description).startsWith('what CI of acme/shop'),
    )!;
    const sids = (policy.Properties.PolicyDocument.Statement as Json[]).map((s) => s.Sid);
    expect(sids).toEqual([
      'CdkDeploy',
      'ReadStackOutputs',
      'PushImages',
      'RegistryLogin',
      'RegisterMigrationRevision',
      'RunMigration',
      'WatchMigration',
      'PassMigrationRoles',
      'ListStaticSite',
      'SyncStaticSite',
      'InvalidateCdn',
    ]);
    const text = JSON.stringify(policy.Properties.PolicyDocument);
    expect(text).toContain('cdk-hnb659fds-deploy-role-');
    expect(text).toContain('task-definition/shop-migrate:*');
    expect(text).toContain('"iam:PassedToService":"ecs-tasks.amazonaws.com"');
  });
});
