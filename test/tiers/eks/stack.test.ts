/**
 * The eks stack of every example: nag-clean (AwsSolutions, NIST 800-53 R5) with reasons, schema-clean
 * (aws-cdk-lib's CloudFormation validator), byte-identical across synths, read by the CDK CLI, and
 * property by property for seed 001's design. Each example is synthesized once per run; the cloud
 * assemblies (with the ~37 MB kubectl layer) go to a temporary directory removed afterwards.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../../src/price/book/index.js';
import { priceTemplate } from '../../../src/price/engine.js';
import { readFindings } from '../../../src/synth/index.js';
import { cdkLs, filesOf, manifestFrom } from '../../helpers/assembly.js';
import { buildEksApp, type EksSynth, synthExample } from './harness.js';
import { EKS_EXAMPLES, planOf, TODAY } from './helpers.js';

type Res = { Type: string; Properties?: Record<string, any>; Condition?: string; DependsOn?: string[] };

const synths = new Map<string, EksSynth>();
function synth(file: string): EksSynth {
  let s = synths.get(file);
  if (!s) {
    s = synthExample(file, { schemaValidation: true });
    synths.set(file, s);
  }
  return s;
}
afterAll(() => {
  for (const s of synths.values()) s.cleanup();
});

function resources(t: Record<string, any>, type: string): Array<[string, Res]> {
  return Object.entries(t.Resources as Record<string, Res>).filter(([, r]) => r.Type === type);
}

function sizeOf(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    const st = statSync(p);
    n += st.isDirectory() ? sizeOf(p) : st.size;
  }
  return n;
}

describe.each(EKS_EXAMPLES)('%s, eks tier', (file) => {
  it('has no unacknowledged cdk-nag or CloudFormation schema finding; every acknowledgement has a reason', () => {
    const s = synth(file);
    expect(s.findings).toEqual([]);
    expect(s.acknowledgements.length).toBeGreaterThan(20);
    for (const a of s.acknowledgements) expect(a.reason.length, a.rule).toBeGreaterThanOrEqual(10);
  });

  it('holds no secret value and no AWS key', () => {
    const text = JSON.stringify(synth(file).template);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}/);
    expect(text).not.toMatch(/"(password|authToken)"\s*:\s*"[^"{]/i);
  });
});

describe('seed 001 (cloud-consulting HA) on eks', () => {
  const file = 'cloud-consulting/stackplan.ha.yaml';

  it('runs the planned Kubernetes version with API authentication, no creator admin, encrypted secrets, logs', () => {
    const [, cluster] = resources(synth(file).template, 'AWS::EKS::Cluster')[0]!;
    expect(cluster.Properties).toMatchObject({
      Version: '1.35',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      UpgradePolicy: { SupportType: 'EXTENDED' },
    });
    expect(cluster.Properties!.EncryptionConfig[0].Resources).toEqual(['secrets']);
    expect(
      cluster.Properties!.Logging.ClusterLogging.EnabledTypes.map((t: { Type: string }) => t.Type).sort(),
    ).toEqual(['api', 'audit', 'authenticator']);
  });

  it('grants cluster access only to the kubectl handler and the admin role', () => {
    const t = synth(file).template;
    const entries = resources(t, 'AWS::EKS::AccessEntry').map(([, r]) =>
      JSON.stringify(r.Properties!.PrincipalArn),
    );
    expect(entries).toHaveLength(2);
    expect(entries.some((e) => e.includes('KubectlProviderHandlerServiceRole'))).toBe(true);
    expect(entries.some((e) => e.includes('AdminRole'))).toBe(true);
    const [, admin] = resources(t, 'AWS::IAM::Role').find(([id]) => id.startsWith('EksAdminRole'))!;
    expect(admin.Properties!.RoleName).toBe('cloud-consulting-eks-admin');
    expect(JSON.stringify(admin.Properties!.AssumeRolePolicyDocument)).toContain(
      'aws:MultiFactorAuthPresent',
    );
  });

  it('runs nodes in private subnets from an IMDSv2 hop-limit-1 launch template with a minimal node role', () => {
    const t = synth(file).template;
    const s = synth(file);
    const [, ng] = resources(t, 'AWS::EKS::Nodegroup')[0]!;
    const nodeGroup = s.plan.compute.nodeGroup!;
    expect(ng.Properties).toMatchObject({
      AmiType: 'AL2023_x86_64_STANDARD',
      InstanceTypes: [nodeGroup.instanceType],
      CapacityType: 'ON_DEMAND',
      ScalingConfig: {
        MinSize: nodeGroup.minSize,
        MaxSize: nodeGroup.maxSize,
        DesiredSize: nodeGroup.desiredSize,
      },
    });
    const privateSubnets = resources(t, 'AWS::EC2::Subnet')
      .filter(([id]) => id.includes('private'))
      .map(([id]) => id);
    expect(ng.Properties!.Subnets.map((x: { Ref: string }) => x.Ref).sort()).toEqual(privateSubnets.sort());
    const [, lt] = resources(t, 'AWS::EC2::LaunchTemplate')[0]!;
    expect(lt.Properties!.LaunchTemplateData.MetadataOptions).toMatchObject({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
    });
    const [, role] = resources(t, 'AWS::IAM::Role').find(([id]) => id.startsWith('EksNodeRole'))!;
    const policies = JSON.stringify(role.Properties!.ManagedPolicyArns);
    for (const p of [
      'AmazonEKSWorkerNodeMinimalPolicy',
      'AmazonEC2ContainerRegistryPullOnly',
      'AmazonEKS_CNI_Policy',
    ]) {
      expect(policies).toContain(p);
    }
    expect(role.Properties!.ManagedPolicyArns).toHaveLength(3);
  });

  it('installs the add-ons, with network policy enforcement and secret sync', () => {
    const t = synth(file).template;
    const addons = Object.fromEntries(
      resources(t, 'AWS::EKS::Addon').map(([, r]) => [r.Properties!.AddonName, r.Properties]),
    );
    expect(Object.keys(addons).sort()).toEqual([
      'amazon-cloudwatch-observability',
      'aws-secrets-store-csi-driver-provider',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'metrics-server',
      'vpc-cni',
    ]);
    expect(JSON.parse(addons['vpc-cni']!.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    expect(JSON.parse(addons['aws-secrets-store-csi-driver-provider']!.ConfigurationValues)).toMatchObject({
      'secrets-store-csi-driver': { syncSecret: { enabled: true } },
    });
    expect(addons['amazon-cloudwatch-observability']!.PodIdentityAssociations[0].ServiceAccount).toBe(
      'cloudwatch-agent',
    );
  });

  it('gives the api a Pod Identity role for Bedrock by model ARN, SES from the sender, and its own secrets', () => {
    const t = synth(file).template;
    const assoc = resources(t, 'AWS::EKS::PodIdentityAssociation').map(([, r]) => r.Properties!);
    expect(assoc.map((a) => `${a.Namespace}/${a.ServiceAccount}`).sort()).toEqual([
      'cloud-consulting/api',
      'kube-system/aws-load-balancer-controller',
    ]);
    const [, policy] = resources(t, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('ApiPodPolicy'))!;
    const text = JSON.stringify(policy.Properties!.PolicyDocument);
    expect(text).toContain('foundation-model/amazon.nova-lite-v1:0');
    expect(text).toContain('"ses:FromAddress":"info@cloudpartner.pro"');
    expect(text).toContain('secretsmanager:GetSecretValue');
    expect(text).toContain('parameter/stackplan/cloud-consulting/eks/secrets/JWT_SECRET');
    expect(text).not.toMatch(/"Resource":"\*"/);
  });

  it('applies the app with cdk deploy: namespace, ingress class, the api, the ingress', () => {
    const t = synth(file).template;
    const manifests = resources(t, 'Custom::AWSCDK-EKS-KubernetesResource');
    expect(manifests.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AutoscalerApi',
      'Ingress',
      'IngressClass',
      'Namespace',
      'WorkloadApi',
    ]);
    const text = JSON.stringify(manifests);
    expect(text).toContain('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(text).toContain('ghcr.io/cloudpartner/consulting-api:1.8.2');
    const charts = resources(t, 'Custom::AWSCDK-EKS-HelmChart').map(([, r]) => r.Properties!);
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({
      Chart: 'aws-load-balancer-controller',
      Version: '3.2.2',
      Namespace: 'kube-system',
    });
  });

  it('plans the public subnets the NetworkPolicies admit exactly as the VPC allocates them', () => {
    const s = synth(file);
    const cidrs = resources(s.template, 'AWS::EC2::Subnet')
      .filter(([id]) => id.includes('public'))
      .map(([, r]) => r.Properties!.CidrBlock)
      .sort();
    expect(cidrs).toEqual([...s.plan.publicSubnetCidrs].sort());
  });

  it('keeps the data stores Multi-AZ and reachable only from the cluster', () => {
    const t = synth(file).template;
    const [, db] = resources(t, 'AWS::RDS::DBInstance')[0]!;
    expect(db.Properties).toMatchObject({ MultiAZ: true, EngineVersion: '16', StorageEncrypted: true });
    const [, rg] = resources(t, 'AWS::ElastiCache::ReplicationGroup')[0]!;
    expect(rg.Properties).toMatchObject({
      NumCacheClusters: 3,
      AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true,
    });
    const names = resources(t, 'AWS::SecretsManager::Secret')
      .map(([, r]) => r.Properties!.Name)
      .filter(Boolean);
    expect(names.sort()).toEqual([
      'stackplan/cloud-consulting/eks/database-url',
      'stackplan/cloud-consulting/eks/redis-url',
    ]);
  });

  it('alarms on nodes, pods, HPA, the ALB and the data stores, each with an action; a health check', () => {
    const t = synth(file).template;
    const alarms = resources(t, 'AWS::CloudWatch::Alarm');
    for (const [id, a] of alarms) {
      expect(a.Properties!.AlarmActions?.length, id).toBeGreaterThan(0);
      expect(a.Properties!.AlarmDescription, id).toBeTruthy();
    }
    const ids = alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));
    for (const name of [
      'OperationsNodesNotReady',
      'OperationsPodsRestarting',
      'OperationsPodsPending',
      'OperationsUnavailableapi',
      'OperationsHpaAtMaxapi',
      'OperationsAlb5xxRate',
      'OperationsUnhealthyTargets',
      'OperationsDatabaseCpu',
      'OperationsCacheMemory',
      'OperationsSiteHealth',
    ]) {
      expect(ids, name).toContain(name);
    }
    expect(resources(t, 'AWS::Route53::HealthCheck')).toHaveLength(1);
    expect(resources(t, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('is priced by the cost engine, the ALB the Ingress makes included', () => {
    const s = synth(file);
    const report = priceTemplate(s.template, {
      asOf: TODAY,
      book: loadPriceBook(),
      freeTier: 'none',
      stackName: 'cloud-consulting-eks',
    });
    const byType = new Map<string, number>();
    for (const r of report.stacks[0]!.resources)
      byType.set(r.type, (byType.get(r.type) ?? 0) + (r.monthlyUsd ?? 0));
    expect(byType.get('AWS::EKS::Cluster')).toBeCloseTo(73, 1);
    expect(byType.get('AWS::EKS::Nodegroup')).toBeGreaterThan(0);
    expect(byType.get('Custom::AWSCDK-EKS-KubernetesResource')).toBeGreaterThan(16);
    expect(byType.get('AWS::EC2::NatGateway')).toBeGreaterThan(90);
    expect(byType.get('AWS::RDS::DBInstance')).toBeGreaterThan(0);
    const unpriced = report.stacks[0]!.resources.filter(
      (r) => r.status === 'not-priced' || r.status === 'cannot-price',
    );
    // Only the Container Insights observations: the book has no price for them, and the line says so.
    expect(unpriced.map((r) => r.type)).toEqual(['AWS::EKS::Addon']);
    expect(unpriced[0]!.components[0]!.name).toMatch(/Container Insights observations/);
    console.info(
      `seed 001 on eks: $${report.totals.month1Usd.toFixed(2)} month 1, $${report.totals.month13Usd.toFixed(2)} month 13 (no usage)`,
    );
  });

  it('synthesizes byte-identical assemblies twice (as plan does: no schema validation), and the CDK CLI reads them', () => {
    const a = synthExample(file);
    const b = synthExample(file);
    try {
      const fa = filesOf(a.assemblyDir);
      const fb = filesOf(b.assemblyDir);
      expect([...fa.keys()]).toEqual([...fb.keys()]);
      for (const [k, v] of fa) expect(fb.get(k) === v, k).toBe(true);
      for (const v of fa.values()) expect(v.includes(process.cwd())).toBe(false);
      const size = sizeOf(a.assemblyDir);
      console.info(
        `eks assembly: ${(size / 1e6).toFixed(1)} MB; synth with nag ${Math.round(a.synthMs)} ms, then ${Math.round(b.synthMs)} ms`,
      );
      const r = cdkLs(a.assemblyDir);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.stdout.trim()).toBe('cloud-consulting-eks');
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});

describe('an app Auto Mode runs cheaper (replicas.max far above min)', () => {
  it('synthesizes Auto Mode: no node group, no controller chart, the built-in ALB class; nag- and schema-clean', () => {
    const m = manifestFrom(`
name: bursty
domain: bursty.example.com
alarmEmail: ops@example.com
availability: multi-az
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, cpu: 1, memory: 2048, replicas: {min: 2, max: 40}}
postgres: false
redis: false
`);
    const plan = planOf(m);
    expect(plan.compute.mode).toBe('auto-mode');
    const outdir = mkdtempSync(path.join(tmpdir(), 'stackplan-eks-auto-'));
    try {
      const { app, stack } = buildEksApp(m, plan, { outdir, schemaValidation: true });
      const assembly = app.synth();
      expect(readFindings(assembly.directory)).toEqual([]);
      const t = assembly.getStackByName(stack.stackName).template as Record<string, any>;
      const [, cluster] = resources(t, 'AWS::EKS::Cluster')[0]!;
      expect(cluster.Properties!.ComputeConfig).toMatchObject({
        Enabled: true,
        NodePools: ['general-purpose', 'system'],
      });
      expect(resources(t, 'AWS::EKS::Nodegroup')).toHaveLength(0);
      expect(resources(t, 'Custom::AWSCDK-EKS-HelmChart')).toHaveLength(0);
      expect(JSON.stringify(resources(t, 'Custom::AWSCDK-EKS-KubernetesResource'))).toContain(
        'eks.amazonaws.com/alb',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
