/**
 * Conformance of the eks tier with seed 001, the Cloud Consulting platform's hand-written EKS design
 * (examples/cloud-consulting/stackplan.ha.yaml describes the app). Two tables:
 * - every component that design lists → the CloudFormation resource(s) or Kubernetes object(s) of
 *   the generated eks tier that implement it (or, where the design deliberately differs, how and why);
 * - every flaw that design has → an assertion proving the generated one does not repeat it.
 * The design is described here in words; the tests read only the repository.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { synthTier } from '../../src/synth/index.js';
import { eksPlanOf } from '../../src/tiers/eks/index.js';
import { objectsOf } from '../../src/tiers/eks/k8s/yaml.js';
import type { EksPlan } from '../../src/tiers/eks/plan/types.js';
import { renderK6Script } from '../../src/tiers/eks/render/k6.js';
import { renderEksWorkflow } from '../../src/tiers/eks/render/workflow.js';
import { TODAY } from './eks/helpers.js';

type Json = Record<string, any>;
interface Ctx {
  plan: Plan;
  eks: EksPlan;
  template: Json;
  objects: Json[];
  workflow: string;
  k6: string;
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-eks-conformance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ctx = {} as Ctx;

beforeAll(async () => {
  const r = loadManifest('examples/cloud-consulting/stackplan.ha.yaml');
  if (!r.ok) throw new Error('stackplan.ha.yaml is invalid');
  ctx.plan = planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir, asOf: TODAY });
  ctx.eks = eksPlanOf(ctx.plan)!;
  const synth = await synthTier(ctx.plan, 'eks', { assemblyDir: path.join(work, 'eks'), nag: false });
  ctx.template = JSON.parse(readFileSync(synth.templateFile, 'utf8'));
  ctx.objects = objectsOf(ctx.eks) as Json[];
  ctx.workflow = renderEksWorkflow(ctx.eks).content;
  ctx.k6 = renderK6Script(ctx.eks).content;
}, 120_000);

function ofType(type: string, where: (p: Json) => boolean = () => true): string[] {
  return Object.entries(ctx.template.Resources as Record<string, Json>)
    .filter(([, r]) => r.Type === type && where(r.Properties ?? {}))
    .map(([id]) => id);
}

function props(type: string): Json[] {
  return Object.values(ctx.template.Resources as Record<string, Json>)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties ?? {});
}

function kinds(kind: string, where: (o: Json) => boolean = () => true): string[] {
  return ctx.objects.filter((o) => o.kind === kind && where(o)).map((o) => `${kind}/${o.metadata.name}`);
}

const text = (): string => JSON.stringify(ctx.template) + JSON.stringify(ctx.objects);

interface Component {
  component: string;
  /** What seed 001 had, in words. */
  seed: string;
  find: () => string[];
  /** When the generated design deliberately differs: how and why. */
  differs?: string;
}

const COMPONENTS: Component[] = [
  {
    component: 'VPC over three AZs with public, private and database subnets',
    seed: 'VPC 10.0.0.0/16 over 3 AZs: public subnets (ALB, NAT), private (nodes), database (RDS, ElastiCache)',
    find: () =>
      ofType('AWS::EC2::Subnet').length === 9
        ? [...ofType('AWS::EC2::VPC'), ...ofType('AWS::EC2::Subnet')]
        : [],
  },
  {
    component: 'a NAT gateway per AZ',
    seed: 'eksctl nat gateway HighlyAvailable',
    find: () => (ofType('AWS::EC2::NatGateway').length === 3 ? ofType('AWS::EC2::NatGateway') : []),
  },
  {
    component: 'the EKS cluster',
    seed: 'an eksctl ClusterConfig for cloud-consulting-prod in us-east-1',
    find: () => ofType('AWS::EKS::Cluster', (p) => p.Version === ctx.eks.kubernetes.version),
  },
  {
    component: 'a managed node group',
    seed: 'managedNodeGroups main-nodes, t3.medium, min 2, max 10, desired 3, 50 GB volumes',
    find: () => ofType('AWS::EKS::Nodegroup', (p) => p.ScalingConfig.MinSize >= 3),
    differs:
      'sized by the planner for every service at its maximum replicas (a node per AZ at least), since no cluster autoscaler runs; 20 GB disks suffice for container images',
  },
  {
    component: 'cluster add-ons vpc-cni, coredns, kube-proxy',
    seed: 'addons vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver',
    find: () => {
      const names = props('AWS::EKS::Addon').map((p) => p.AddonName);
      return ['vpc-cni', 'coredns', 'kube-proxy'].every((n) => names.includes(n)) ? names : [];
    },
    differs:
      'no EBS CSI driver: nothing in the app uses a persistent volume (the data lives in RDS and ElastiCache)',
  },
  {
    component: 'control plane logging',
    seed: 'cloudWatch clusterLogging enableTypes ["*"]',
    find: () =>
      ofType('AWS::EKS::Cluster', (p) =>
        ['api', 'audit', 'authenticator'].every((t) =>
          p.Logging.ClusterLogging.EnabledTypes.some((x: Json) => x.Type === t),
        ),
      ),
    differs:
      'api, audit and authenticator logs: controllerManager and scheduler logs are rarely read and billed per GB',
  },
  {
    component: 'the backend Deployment',
    seed: 'Deployment backend: 3 replicas, port 8061, 250m CPU / 512Mi requested, DATABASE_URL and REDIS_URL from a Secret',
    differs:
      'a HorizontalPodAutoscaler keeps 3-10 replicas on 70% CPU (the Deployment leaves replicas to it)',
    find: () =>
      kinds('Deployment', (o) => {
        const c = o.spec.template.spec.containers[0];
        return (
          o.metadata.name === 'api' &&
          ctx.objects.some(
            (h) =>
              h.kind === 'HorizontalPodAutoscaler' &&
              h.spec.scaleTargetRef.name === 'api' &&
              h.spec.minReplicas === 3 &&
              h.spec.maxReplicas === 10,
          ) &&
          c.ports[0].containerPort === 8061 &&
          c.resources.requests.cpu === '250m' &&
          c.resources.requests.memory === '512Mi'
        );
      }),
  },
  {
    component: 'the backend’s configuration',
    seed: 'ConfigMap app-config: GIN_MODE, LOG_LEVEL, BEDROCK_MODEL_ID, CHAT_MODE, CORS_ALLOWED_ORIGINS …',
    find: () =>
      kinds('Deployment', (o) => {
        const env = (o.spec.template.spec.containers[0].env ?? []).map((e: Json) => e.name);
        return ['GIN_MODE', 'LOG_LEVEL', 'BEDROCK_MODEL_ID', 'CHAT_MODE', 'CORS_ALLOWED_ORIGINS'].every((n) =>
          env.includes(n),
        );
      }),
    differs: 'set on the container environment from the manifest, so no ConfigMap drifts from the Deployment',
  },
  {
    component: 'the React frontend',
    seed: 'Deployment frontend: 2 replicas of an nginx image serving the React build',
    find: () => [
      ...ofType('AWS::CloudFront::Distribution'),
      ...ofType('AWS::CloudFront::OriginAccessControl'),
    ],
    differs: 'a static build needs no pods: S3 + CloudFront serves it',
  },
  {
    component: 'an ALB routing /api/* to the backend, HTTP redirected to HTTPS',
    seed: 'internet-facing ALB in the public subnets, port 80 → 301 to 443, /api/* → backend target group',
    find: () =>
      kinds('Ingress', (o) =>
        o.spec.rules.some((r: Json) =>
          r.http.paths.some((p: Json) => p.path === '/api' && p.backend.service.name === 'api'),
        ),
      ),
  },
  {
    component: 'the ACM certificate',
    seed: 'cloudpartner.pro with *.cloudpartner.pro and api.cloudpartner.pro, DNS validation',
    find: () => ofType('AWS::CertificateManager::Certificate'),
    differs: 'names exactly the hosts the app serves (no wildcard), validated in the hosted zone',
  },
  {
    component: 'Route 53 records and a health check',
    seed: 'A records for the apex and api., www. as a CNAME; an HTTPS health check on /health',
    find: () =>
      ofType('AWS::Route53::HealthCheck').length
        ? [...ofType('AWS::Route53::RecordSet'), ...ofType('AWS::Route53::HealthCheck')]
        : [],
  },
  {
    component: 'RDS PostgreSQL Multi-AZ',
    seed: 'db.t3.medium, 100 GB gp2, Multi-AZ',
    find: () => ofType('AWS::RDS::DBInstance', (p) => p.MultiAZ === true && p.AllocatedStorage === '100'),
  },
  {
    component: 'ElastiCache',
    seed: 'a Redis cluster in the database subnets',
    find: () => ofType('AWS::ElastiCache::ReplicationGroup', (p) => p.AutomaticFailoverEnabled === true),
  },
  {
    component: 'Secrets Manager',
    seed: 'one Secrets Manager JSON with the database and Redis URLs and the app’s secrets',
    find: () => [...ofType('AWS::SecretsManager::Secret'), ...kinds('SecretProviderClass')],
    differs:
      'one generated secret per value, mounted by the Secrets Store CSI driver with each pod’s own Pod Identity role',
  },
  {
    component: 'IAM for Bedrock and SES',
    seed: 'a policy on the node group role: bedrock:InvokeModel on the nova-lite model, ses:SendEmail on *, secrets',
    find: () => ofType('AWS::EKS::PodIdentityAssociation', (p) => p.ServiceAccount === 'api'),
    differs: 'on the api’s Pod Identity role instead of the node role, SES only from the sender',
  },
  {
    component: 'CloudWatch dashboard',
    seed: 'a dashboard of cluster, ALB and database metrics',
    find: () => ofType('AWS::CloudWatch::Dashboard'),
  },
  {
    component: 'CloudWatch alarms',
    seed: 'alarms on CPU, 5xx errors and database load',
    find: () => (ofType('AWS::CloudWatch::Alarm').length >= 8 ? ofType('AWS::CloudWatch::Alarm') : []),
  },
  {
    component: 'Fluent Bit log forwarding',
    seed: 'a Fluent Bit ConfigMap shipping container logs to CloudWatch Logs',
    find: () => [
      ...ofType('AWS::EKS::Addon', (p) => p.AddonName === 'amazon-cloudwatch-observability'),
      ...ofType('AWS::Logs::LogGroup', (p) => String(p.LogGroupName).includes('/application')),
    ],
    differs: 'the CloudWatch Observability add-on runs Fluent Bit and the CloudWatch agent, managed by EKS',
  },
  {
    component: 'k6 load test',
    seed: 'a ConfigMap holding a k6 script ramping to 200 virtual users',
    find: () => (ctx.k6.includes("from 'k6/http'") && ctx.k6.includes('p(95)') ? ['load/k6.js'] : []),
    differs:
      'a file under load/ ramping to the manifest’s peak request rate, run by the team against the deployed app',
  },
];

describe('seed 001 on the eks tier: every component it lists', () => {
  it('is planned on the eks tier', () => {
    expect(ctx.eks).toBeDefined();
    expect(ctx.plan.assessments.find((a) => a.tier === 'eks')!.eligible).toBe(true);
  });

  it.each(COMPONENTS.map((c) => [c.component, c] as const))('%s', (_name, c) => {
    const found = c.find();
    expect(found, `${c.component} (seed: ${c.seed})`).not.toEqual([]);
    if (c.differs) expect(c.differs.length).toBeGreaterThan(20);
  });
});

describe('seed 001 on the eks tier: none of its flaws', () => {
  it('Deployments whose selector does not match the template labels', () => {
    const deployments = ctx.objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      expect(d.spec.selector.matchLabels).toBeDefined();
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels))
        expect(d.spec.template.metadata.labels[k], `${d.metadata.name}: ${k}`).toBe(v);
    }
  });

  it('liveness probes that check every dependency (liveness is shallow, readiness deep)', () => {
    for (const d of ctx.objects.filter((o) => o.kind === 'Deployment')) {
      const c = d.spec.template.spec.containers[0];
      if (!c.readinessProbe) continue;
      expect(c.livenessProbe.httpGet, d.metadata.name).toBeUndefined();
      expect([c.ports[0].name, c.ports[0].containerPort]).toContain(c.livenessProbe.tcpSocket.port);
      expect(c.readinessProbe.httpGet.path).toBe('/health');
    }
  });

  it('EKS 1.28, out of support: the cluster runs a version in standard support on the planning date', () => {
    const [cluster] = props('AWS::EKS::Cluster');
    expect(cluster!.Version).toBe(ctx.eks.kubernetes.version);
    expect(cluster!.Version).not.toBe('1.28');
    expect(ctx.eks.kubernetes.standardSupportEnds > TODAY).toBe(true);
  });

  it('PostgreSQL 13, out of support: the manifest’s 16', () => {
    const [db] = props('AWS::RDS::DBInstance');
    expect(String(db!.EngineVersion)).toMatch(/^16/);
  });

  it('a node role with broad add-on policies: only the three policies nodes need', () => {
    const [ng] = props('AWS::EKS::Nodegroup');
    const roleId = ng!.NodeRole['Fn::GetAtt'][0];
    const role = ctx.template.Resources[roleId].Properties;
    const names = role.ManagedPolicyArns.map(
      (a: Json) => JSON.stringify(a).match(/policy\/([\w-]+)/)![1],
    ).sort();
    expect(names).toEqual([
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKSWorkerNodeMinimalPolicy',
      'AmazonEKS_CNI_Policy',
    ]);
    expect(role.Policies).toBeUndefined();
  });

  it('`:latest` image tags: every image is pinned', () => {
    for (const o of ctx.objects) {
      const spec = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
      for (const c of spec?.containers ?? []) {
        expect(c.image, `${o.kind}/${o.metadata.name}`).not.toMatch(/:latest$/);
        expect(c.image).toMatch(/[:@]/);
      }
    }
  });

  it('AWS keys in a Secret: no access key anywhere, pods get AWS credentials from Pod Identity', () => {
    const all = text() + ctx.workflow;
    expect(all).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(all).not.toMatch(/aws[-_]secret[-_]access[-_]key/i);
    expect(all).not.toMatch(/AWS_ACCESS_KEY_ID/);
    expect(ctx.objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(ofType('AWS::EKS::PodIdentityAssociation').length).toBeGreaterThan(0);
  });

  it('the ALB policy ELBSecurityPolicy-TLS-1-2-2017-01: TLS 1.3 policy on the Ingress', () => {
    const classParams = ctx.objects.filter((o) => o.kind === 'IngressClassParams');
    const annotations = JSON.stringify([...ctx.objects.filter((o) => o.kind === 'Ingress'), ...classParams]);
    expect(annotations).toContain('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(annotations).not.toContain('ELBSecurityPolicy-TLS-1-2-2017-01');
  });

  it('redis:// with in-transit encryption on: REDIS_URL is rediss:// with the AUTH token', () => {
    const urls = props('AWS::SecretsManager::Secret')
      .map((p) => JSON.stringify(p.SecretString ?? ''))
      .filter((s) => s.includes('redis'));
    expect(urls.length).toBe(1);
    expect(urls[0]).toContain('rediss://');
    expect(urls[0]).toContain(':SecretString:token');
  });

  it('SES allowed on every identity: only the sender', () => {
    const statements = [...props('AWS::IAM::Policy'), ...props('AWS::IAM::ManagedPolicy')].flatMap(
      (p) => p.PolicyDocument.Statement as Json[],
    );
    const ses = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('ses:')));
    expect(ses.length).toBeGreaterThan(0);
    for (const s of ses) expect(JSON.stringify(s.Resource)).not.toBe('"*"');
    expect(JSON.stringify(ses)).toContain('info@cloudpartner.pro');
  });

  it('a subnet plan never applied: the public subnets the NetworkPolicies admit are the VPC’s', () => {
    const cidrs = props('AWS::EC2::Subnet')
      .filter((p) =>
        (p.Tags ?? []).some((t: Json) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public'),
      )
      .map((p) => p.CidrBlock)
      .sort();
    expect(cidrs).toEqual([...ctx.eks.publicSubnetCidrs].sort());
  });
});
