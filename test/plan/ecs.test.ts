import { describe, expect, it } from 'vitest';
import { ecsPlanOf } from '../../src/model/ecs.js';
import { leanPlanOf } from '../../src/model/lean.js';
import { planApp } from '../../src/plan/index.js';
import { EcsDoesNotFit, fargateSize, planEcs, serviceArch } from '../../src/tiers/ecs/plan/index.js';
import { manifestFrom } from '../helpers/assembly.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

const manifest = manifestFrom;

const BASE = `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
`;

const API = `
  api: {kind: api, build: ./api, port: 8080, cpu: 0.5, memory: 1024, replicas: {min: 2, max: 4}}
`;

describe('Fargate task sizes', () => {
  it.each([
    [0.1, 256, 0.25, 512],
    [0.25, 512, 0.25, 512],
    [0.25, 768, 0.25, 1024],
    [0.25, 3000, 0.5, 3072],
    [0.5, 1024, 0.5, 1024],
    [1, 2048, 1, 2048],
    [1, 9000, 2, 9216],
    [3, 1024, 4, 8192],
    [8, 20000, 8, 20480],
  ])('%s vCPU / %s MiB → %s vCPU / %s MiB', (vcpu, mem, wantVcpu, wantMem) => {
    const s = fargateSize(vcpu, mem);
    expect([s.vcpu, s.memoryMiB]).toEqual([wantVcpu, wantMem]);
    expect(s.cpuUnits).toBe(wantVcpu * 1024);
    expect(s.why.length).toBeGreaterThan(10);
  });

  it('refuses what Fargate cannot run', () => {
    expect(() => fargateSize(16, 200_000)).toThrow(EcsDoesNotFit);
  });
});

describe('architecture per service', () => {
  it('runs CI-built and arm64-published images on Graviton, others on x86, Spot workers on x86', () => {
    const m = manifest(`${BASE}
services:
  api: {kind: api, build: ./api, port: 8080}
  web: {kind: frontend, image: ghcr.io/acme/web:1.0.0, port: 3000, arm64: true}
  ml: {kind: ml, image: ghcr.io/acme/ml:1.0.0, port: 5000}
  jobs: {kind: worker, build: ./api, spot: true}
`);
    const arch = (n: string) => serviceArch(m, m.services.find((s) => s.name === n)!);
    expect(arch('api').arch).toBe('arm64');
    expect(arch('web').arch).toBe('arm64');
    expect(arch('ml').arch).toBe('x86_64');
    expect(arch('ml').why).toMatch(/not marked arm64/);
    expect(arch('jobs')).toMatchObject({ arch: 'x86_64', spot: true });
    expect(arch('jobs').why).toMatch(/Fargate Spot runs x86_64 tasks only/);
  });

  it('builds one repository per build directory, for every platform its services run on', () => {
    const plan = planEcs(
      manifest(`${BASE}
services:
  api: {kind: api, build: ./backend, port: 8080}
  jobs: {kind: worker, build: ./backend, spot: true}
  ml: {kind: ml, build: ./ml, port: 5000}
`),
      FIXTURE_CATALOG,
    );
    expect(plan.repositories).toEqual([
      {
        name: 'shop/api',
        build: './backend',
        services: ['api', 'jobs'],
        platforms: ['linux/amd64', 'linux/arm64'],
      },
      { name: 'shop/ml', build: './ml', services: ['ml'], platforms: ['linux/arm64'] },
    ]);
    expect(plan.imageTagParameter).toBe('ImageTag');
    expect(plan.services.find((s) => s.service.name === 'jobs')!.image).toEqual({
      kind: 'ecr',
      repository: 'shop/api',
    });
  });
});

describe('services', () => {
  const plan = planEcs(
    manifest(`${BASE}
services:
  web: {kind: static, build: ./web}
${API}
  ml: {kind: ml, build: ./ml, port: 5001}
  worker: {kind: worker, build: ./api, spot: true, replicas: {min: 1, max: 3}}
  admin: {kind: frontend, image: ghcr.io/acme/admin:1.0.0, port: 3000, route: /admin/}
postgres: true
redis: {role: cache-and-broker, persistence: true}
buckets: {uploads: {}}
`),
    FIXTURE_CATALOG,
  );
  const svc = (n: string) => plan.services.find((s) => s.service.name === n)!;

  it('routes through the ALB by path, longest prefix first; static files are not a service', () => {
    expect(plan.services.map((s) => s.service.name)).toEqual(['admin', 'api', 'ml', 'worker']);
    expect(svc('admin').listener).toEqual({ pathPatterns: ['/admin', '/admin/*'], priority: 10 });
    expect(svc('api').listener).toEqual({ pathPatterns: ['/api', '/api/*'], priority: 20 });
    expect(svc('ml').exposure).toBe('internal');
    expect(svc('ml').discoveryName).toBe('ml.shop.internal');
    expect(svc('worker').exposure).toBe('none');
    expect(svc('worker').listener).toBeUndefined();
    expect(plan.edge.cdn?.statics.map((s) => s.service)).toEqual(['web']);
  });

  it('scales on 70% CPU between the manifest min and max, not at all when they are equal', () => {
    expect(svc('api')).toMatchObject({ desired: 2, min: 2, max: 4 });
    expect(svc('api').scaling).toEqual({
      cpuTargetPercent: 70,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    });
    expect(svc('ml').scaling).toBeUndefined();
    expect(svc('ml').scalingWhy).toMatch(/no autoscaling/);
  });

  it('puts Spot workers on the FARGATE_SPOT capacity provider', () => {
    expect(svc('worker').capacityProvider).toBe('FARGATE_SPOT');
    expect(svc('api').capacityProvider).toBe('FARGATE');
  });

  it('injects connection strings and app secrets as secrets, never as plain environment', () => {
    expect(svc('api').secrets.map((s) => [s.name, s.source.kind])).toEqual([
      ['DATABASE_URL', 'database-url'],
      ['REDIS_URL', 'redis-url'],
    ]);
    const envNames = svc('api').environment.map((e) => e.name);
    expect(envNames).toEqual(['PORT', 'AWS_REGION', 'BUCKET_UPLOADS']);
    expect(envNames).not.toContain('DATABASE_URL');
  });

  it('gives ml services a longer health-check grace than APIs', () => {
    const p = planEcs(
      manifest(`${BASE}
services:
  ml: {kind: ml, build: ./ml, port: 5001, route: /predict/}
${API}
`),
      FIXTURE_CATALOG,
    );
    expect(p.services.find((s) => s.service.name === 'ml')!.healthCheckGraceSeconds).toBe(180);
    expect(p.services.find((s) => s.service.name === 'api')!.healthCheckGraceSeconds).toBe(60);
  });

  it('keeps two tasks of every reachable service for multi-az-ha', () => {
    const p = planEcs(
      manifest(`${BASE}
availability: multi-az-ha
services:
  api: {kind: api, build: ./api, port: 8080}
  jobs: {kind: worker, build: ./api}
`),
      FIXTURE_CATALOG,
    );
    expect(p.services.find((s) => s.service.name === 'api')).toMatchObject({ min: 2, max: 2, desired: 2 });
    expect(p.services.find((s) => s.service.name === 'jobs')).toMatchObject({ min: 1 });
  });
});

describe('network', () => {
  it.each([
    ['single-instance', 'nat-gateway', 2, 1],
    ['multi-az', 'nat-gateway', 2, 1],
    ['multi-az-ha', 'nat-gateway', 3, 3],
    ['single-instance', 'nat-instance', 2, 1],
    ['multi-az-ha', 'nat-instance', 3, 3],
    ['single-instance', 'endpoints', 2, 0],
  ])('%s with %s: %s AZs, %s NAT', (availability, egress, azs, nats) => {
    const p = planEcs(
      manifest(`${BASE}
availability: ${availability}
egress: ${egress}
services:
${API}
`),
      FIXTURE_CATALOG,
    );
    expect(p.network.azCount).toBe(azs);
    expect(p.network.natCount).toBe(nats);
    expect(p.network.gatewayEndpoints).toEqual(['s3']);
    expect(p.network.interfaceEndpoints).toEqual(
      egress === 'endpoints' ? ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm'] : [],
    );
    if (egress === 'nat-instance') expect(p.network.natInstanceType).toBe('t4g.nano');
  });
});

describe('data stores from the price book', () => {
  it('picks the cheapest RDS class with the memory asked for, Graviton on a tie, Multi-AZ by availability', () => {
    const p = planEcs(
      manifest(`${BASE}
services:
${API}
postgres: {memoryMb: 2048}
backups: {retentionDays: 3}
`),
      FIXTURE_CATALOG,
    );
    expect(p.postgres).toMatchObject({
      instanceClass: 'db.t4g.small',
      arch: 'arm64',
      hourlyUsd: 0.032,
      multiAz: false,
      storageGb: 20,
      backupRetentionDays: 7,
      clients: ['api'],
    });
    expect(p.postgres!.candidates.filter((c) => !c.fits).map((c) => c.type)).toEqual([
      'db.t4g.micro',
      'db.t3.micro',
    ]);
    const ha = planEcs(
      manifest(`${BASE}
availability: multi-az
services:
${API}
postgres: true
`),
      FIXTURE_CATALOG,
    );
    expect(ha.postgres).toMatchObject({ instanceClass: 'db.t4g.micro', multiAz: true, hourlyUsd: 0.032 });
  });

  it('adds a replica to a Redis that brokers jobs even at single-instance, none to a plain cache', () => {
    const cache = planEcs(manifest(`${BASE}\nservices:\n${API}\nredis: true\n`), FIXTURE_CATALOG);
    expect(cache.redis).toMatchObject({
      engine: 'valkey',
      nodeType: 'cache.t4g.micro',
      replicas: 0,
      multiAz: false,
      maxmemoryPolicy: 'allkeys-lru',
      urlQuery: '',
    });
    const broker = planEcs(
      manifest(`${BASE}\nservices:\n${API}\nredis: {role: broker, persistence: true, memoryMb: 512}\n`),
      FIXTURE_CATALOG,
    );
    expect(broker.redis).toMatchObject({
      nodeType: 'cache.t4g.small',
      replicas: 1,
      multiAz: true,
      maxmemoryPolicy: 'noeviction',
      snapshotRetentionDays: 7,
      urlQuery: '?ssl_cert_reqs=required',
    });
    expect(broker.redis!.candidates[0]).toMatchObject({ type: 'cache.t4g.micro', fits: false });
  });

  it('configures OpenSearch replicas and zone awareness only with more than one node', () => {
    const one = planEcs(manifest(`${BASE}\nservices:\n${API}\nsearch: true\n`), FIXTURE_CATALOG);
    expect(one.search).toMatchObject({
      instanceType: 't3.small.search',
      nodes: 1,
      zoneAwareness: false,
      azCount: 1,
      indexReplicas: 0,
    });
    expect(one.services[0]!.environment.find((e) => e.name === 'OPENSEARCH_REPLICAS')!.value).toEqual({
      kind: 'literal',
      value: '0',
    });
    const ha = planEcs(
      manifest(`${BASE}\navailability: multi-az-ha\nservices:\n${API}\nsearch: true\n`),
      FIXTURE_CATALOG,
    );
    expect(ha.search).toMatchObject({ nodes: 3, zoneAwareness: true, azCount: 3, indexReplicas: 1 });
    const three = planEcs(
      manifest(`${BASE}\nservices:\n${API}\nsearch: {nodes: 3, storageGb: 150}\n`),
      FIXTURE_CATALOG,
    );
    // two AZs need an even count; 150 GiB does not fit t3.small.search (100 GiB), and the Graviton
    // m7g.medium.search ($0.068/h) is cheaper than t3.medium.search ($0.073/h)
    expect(three.search).toMatchObject({ nodes: 4, azCount: 2, instanceType: 'm7g.medium.search' });
  });
});

describe('edge', () => {
  it('puts CloudFront in front of static files and the ALB on origin.<domain>', () => {
    const p = planEcs(
      manifest(`${BASE}
aliases: [www.shop.example.com]
hostedZone: {id: Z0123456789ABC}
services:
  web: {kind: static, build: ./web}
${API}
`),
      FIXTURE_CATALOG,
    );
    expect(p.edge.alb).toMatchObject({
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      deletionProtection: true,
      hostName: 'origin.shop.example.com',
    });
    expect(p.edge.cdn).toMatchObject({
      domainNames: ['shop.example.com', 'www.shop.example.com'],
      albPathPatterns: ['/api', '/api/*'],
      defaultOrigin: 's3',
    });
    expect(p.edge.certificates).toEqual([
      {
        region: 'us-east-1',
        names: ['shop.example.com', 'www.shop.example.com', 'origin.shop.example.com'],
        usedBy: ['alb', 'cloudfront'],
      },
    ]);
    expect(p.edge.dns.records).toEqual([
      { name: 'shop.example.com', target: 'cloudfront' },
      { name: 'www.shop.example.com', target: 'cloudfront' },
      { name: 'origin.shop.example.com', target: 'alb' },
    ]);
    expect(p.edge.dns.manualSteps).toEqual([]);
  });

  it('lists the DNS records to add by hand without a hosted zone', () => {
    const p = planEcs(manifest(`${BASE}\nservices:\n${API}\n`), FIXTURE_CATALOG);
    expect(p.edge.cdn).toBeUndefined();
    expect(p.edge.alb!.hostName).toBe('shop.example.com');
    expect(p.edge.dns.manualSteps.join('\n')).toMatch(/CNAME records ACM asks for.*shop\.example\.com/);
    expect(p.edge.dns.manualSteps.join('\n')).toMatch(/LoadBalancerDnsName/);
  });

  it('moves CloudFront’s certificate to a us-east-1 stack for other regions', () => {
    const p = planEcs(
      manifest(`${BASE}\nregion: eu-west-1\nservices:\n  web: {kind: static, build: ./web}\n${API}\n`),
      FIXTURE_CATALOG,
    );
    expect(p.edge.edgeStackRegion).toBe('us-east-1');
    expect(p.edge.certificates).toEqual([
      { region: 'us-east-1', names: ['shop.example.com'], usedBy: ['cloudfront'] },
      { region: 'eu-west-1', names: ['origin.shop.example.com'], usedBy: ['alb'] },
    ]);
  });

  it('adds WAF with the client IP read from X-Forwarded-For behind CloudFront', () => {
    const p = planEcs(
      manifest(`${BASE}\nwaf: true\nservices:\n  web: {kind: static, build: ./web}\n${API}\n`),
      FIXTURE_CATALOG,
    );
    expect(p.edge.waf).toEqual({
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet'],
      rateLimitPer5Minutes: 2000,
      aggregateKey: 'FORWARDED_IP',
    });
  });
});

describe('cheaper designs and their monthly difference', () => {
  it('prices NAT instance vs NAT gateway, Graviton vs x86 and one ALB from unit prices × 730 h', () => {
    const p = planEcs(
      manifest(`${BASE}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, cpu: 0.5, memory: 1024}
  web: {kind: frontend, build: ./web, port: 3000}
postgres: true
`),
      FIXTURE_CATALOG,
    );
    const by = (topic: string, alt?: RegExp) =>
      p.savings.find((s) => s.topic === topic && (!alt || alt.test(s.alternative)))!;
    // NAT gateway (0.045 + 0.005 IPv4) × 730 = 36.50; t4g.nano (0.0042 + 0.005) × 730 + 8 GB × 0.08 = 7.356
    expect(by('egress', /nat-instance/).monthlyUsd).toBeCloseTo(7.36 - 36.5, 1);
    // api on x86: (0.5 × 0.04048 + 1 × 0.004445) × 730 = 18.02; on arm64 (0.5 × 0.03238 + 1 × 0.00356) × 730 = 14.42
    expect(by('Fargate architecture', /arm64/).monthlyUsd).toBeCloseTo(14.42 - 18.02, 1);
    // db.t4g.micro 0.016 vs db.t3.micro 0.018: 1.46
    expect(by('RDS architecture').monthlyUsd).toBe(1.46);
    // a second ALB: (0.0225 + 2 × 0.005) × 730 = 23.725
    expect(by('load balancers').monthlyUsd).toBeCloseTo(23.73, 2);
  });
});

describe('prerequisites', () => {
  it('lists the one-time account setup the first deploy needs', () => {
    const p = planEcs(
      manifest(`${BASE}
region: eu-west-1
services:
  web: {kind: static, build: ./web}
${API}
search: true
integrations:
  bedrock: {models: [{id: amazon.nova-lite-v1:0}]}
  ses: {sender: noreply@shop.example.com}
`),
      FIXTURE_CATALOG,
    );
    expect(p.prerequisites[0]).toBe(
      'npx aws-cdk bootstrap aws://<account>/eu-west-1 aws://<account>/us-east-1',
    );
    expect(p.prerequisites.join('\n')).toMatch(
      /create-service-linked-role --aws-service-name opensearchservice/,
    );
    expect(p.prerequisites.join('\n')).toMatch(
      /Bedrock model access in eu-west-1 for amazon\.nova-lite-v1:0/,
    );
    expect(p.prerequisites.join('\n')).toMatch(/verify shop\.example\.com in SES eu-west-1/);
  });
});

describe('planApp', () => {
  it('plans ecs beside lean, and is deterministic', () => {
    const m = manifest(
      `${BASE}\nservices:\n  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}\npostgres: true\n`,
    );
    const a = planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/x' });
    expect(leanPlanOf(a)).toBeDefined();
    expect(ecsPlanOf(a)).toBeDefined();
    expect(JSON.stringify(a)).toBe(
      JSON.stringify(planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/x' })),
    );
  });

  it('marks ecs ineligible instead of failing when a data store has no class large enough', () => {
    const m = manifest(`${BASE}\nservices:\n${API}\npostgres: {memoryMb: 500000}\n`);
    const p = planApp(m, { catalog: FIXTURE_CATALOG, manifestDir: '/x' });
    expect(ecsPlanOf(p)).toBeUndefined();
    expect(p.assessments.find((a) => a.tier === 'ecs')!.unmet.join()).toMatch(/no RDS class/);
  });
});
