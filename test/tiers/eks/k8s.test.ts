/**
 * The app's Kubernetes objects: every object validated against the Kubernetes API schema
 * (kubernetes-models' validators, generated from the Kubernetes v1.36.0 OpenAPI spec; the cluster
 * runs 1.35 and every kind used here is a GA v1/v2 API unchanged between the two), the two CRDs
 * against the schemas in src/tiers/eks/k8s/crds.ts, selectors against template labels, security
 * settings, secrets, and the YAML pinned by golden files.
 */
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  INGRESS_CLASS_PARAMS_SCHEMA,
  SECRET_PROVIDER_CLASS_SCHEMA,
} from '../../../src/tiers/eks/k8s/crds.js';
import { objectsOf, ph, renderK8sYaml } from '../../../src/tiers/eks/k8s/yaml.js';
import { expectGolden } from '../../helpers/golden.js';
import { EKS_EXAMPLES, planExampleEks } from './helpers.js';

type Obj = Record<string, any>;

const MODELS: Record<string, { new (data: any): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/IngressClass': IngressClass,
  'batch/v1/Job': Job,
};
const ajv = new Ajv({ allErrors: true, strict: false });
const CRDS: Record<string, ReturnType<typeof ajv.compile>> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': ajv.compile(SECRET_PROVIDER_CLASS_SCHEMA),
  'elbv2.k8s.aws/v1beta1/IngressClassParams': ajv.compile(INGRESS_CLASS_PARAMS_SCHEMA),
  'eks.amazonaws.com/v1/IngressClassParams': ajv.compile(INGRESS_CLASS_PARAMS_SCHEMA),
};

/** Validates one plain object against its kind's schema; throws with the errors. */
function validate(o: Obj): void {
  const key = `${o.apiVersion}/${o.kind}`;
  const { apiVersion: _a, kind: _k, ...data } = o;
  const Model = MODELS[key];
  if (Model) {
    new Model(data).validate();
    return;
  }
  const check = CRDS[key];
  if (!check) throw new Error(`no schema for ${key}`);
  if (!check(o)) throw new Error(`${key} ${o.metadata?.name}: ${ajv.errorsText(check.errors)}`);
}

/** Objects as written in the YAML files (parsed back from text). */
function yamlObjects(file: string): Obj[] {
  return renderK8sYaml(planExampleEks(file))
    .filter((f) => f.path.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(f.content).map((d) => {
        if (d.errors.length) throw new Error(`${f.path}: ${d.errors[0]!.message}`);
        return d.toJS() as Obj;
      }),
    );
}

describe.each(EKS_EXAMPLES)('%s', (file) => {
  const objects = yamlObjects(file);

  it('writes YAML that parses back to exactly the objects built', () => {
    expect(objects).toEqual(objectsOf(planExampleEks(file)));
  });

  it('validates every object against its Kubernetes API schema', () => {
    expect(objects.length).toBeGreaterThan(3);
    for (const o of objects) validate(o);
  });

  const deployments = objects.filter((o) => o.kind === 'Deployment');
  it.each(deployments.map((d) => [d.metadata.name, d]))(
    'Deployment %s: the selector matches the template labels, and so do its Service, HPA, PDB',
    (name, d) => {
      const sel = d.spec.selector.matchLabels;
      const labels = d.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(sel)) expect(labels[k], `${name} label ${k}`).toBe(v);
      for (const o of objects) {
        if (o.metadata.name !== name || o.metadata.namespace !== d.metadata.namespace) continue;
        const s =
          o.kind === 'Service'
            ? o.spec.selector
            : ['PodDisruptionBudget', 'NetworkPolicy'].includes(o.kind)
              ? (o.spec.selector ?? o.spec.podSelector).matchLabels
              : undefined;
        if (s)
          for (const [k, v] of Object.entries(s)) expect(labels[k], `${o.kind} ${name} selects ${k}`).toBe(v);
        if (o.kind === 'HorizontalPodAutoscaler')
          expect(o.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
      }
    },
  );

  it('runs every container unprivileged: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    const pods = objects.flatMap((o) =>
      o.kind === 'Deployment' || o.kind === 'Job' ? [o.spec.template.spec] : [],
    );
    expect(pods.length).toBeGreaterThan(0);
    for (const p of pods) {
      expect(p.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(p.automountServiceAccountToken).toBe(false);
      for (const c of p.containers) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.image).not.toMatch(/:latest$/);
        expect(c.resources.requests).toBeDefined();
        expect(c.resources.limits.memory).toBe(c.resources.requests.memory);
      }
    }
    const ns = objects.find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('probes readiness deep (HTTP health path) and liveness shallow (TCP)', () => {
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      if (!c.ports) continue;
      expect(c.readinessProbe.httpGet.path).toMatch(/^\//);
      expect(c.livenessProbe.tcpSocket).toBeDefined();
      expect(c.livenessProbe.httpGet).toBeUndefined();
    }
  });

  it('holds no secret value: secrets come from the CSI driver as secretKeyRefs', () => {
    for (const o of objects) expect(o.kind).not.toBe('Secret');
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{12}|postgresql:\/\/|rediss?:\/\/|password/i);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0];
      for (const e of c.env ?? []) {
        if (/^(DATABASE_URL|REDIS_URL|JWT_SECRET)$/.test(e.name))
          expect(e.valueFrom?.secretKeyRef, e.name).toBeDefined();
      }
    }
    for (const spc of objects.filter((o) => o.kind === 'SecretProviderClass')) {
      expect(spc.spec.parameters.usePodIdentity).toBe('true');
    }
  });
});

describe('seed 001 (cloud-consulting HA)', () => {
  const objects = yamlObjects('cloud-consulting/stackplan.ha.yaml');
  const byKind = (k: string) => objects.filter((o) => o.kind === k);

  it('has an HPA on 70% CPU between replicas.min and max, a PDB and zone and node spread', () => {
    expect(byKind('HorizontalPodAutoscaler')[0]!.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(byKind('PodDisruptionBudget')[0]!.spec.maxUnavailable).toBe(1);
    const spread = byKind('Deployment')[0]!.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((s: Obj) => [s.topologyKey, s.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
    // The HPA owns the replica count.
    expect(byKind('Deployment')[0]!.spec.replicas).toBeUndefined();
  });

  it('routes /api through one ALB with TLS 1.3 policy, HTTP→HTTPS, access logs', () => {
    const [params] = byKind('IngressClassParams');
    expect(params!.spec).toMatchObject({
      scheme: 'internet-facing',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificateArn: [ph('CERTIFICATE_ARN')],
    });
    expect(params!.spec.loadBalancerAttributes).toContainEqual({
      key: 'access_logs.s3.enabled',
      value: 'true',
    });
    const ing = byKind('Ingress')[0]!;
    expect(ing.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/target-type': 'ip',
    });
    expect(ing.spec.rules[0].http.paths).toEqual([
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } },
    ]);
  });

  it('admits traffic to the api only from the public subnets (the ALB)', () => {
    const np = byKind('NetworkPolicy').find((o) => o.metadata.name === 'api')!;
    expect(np.spec.ingress).toEqual([
      {
        from: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'].map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: 'TCP', port: 8061 }],
      },
    ]);
    expect(byKind('NetworkPolicy').find((o) => o.metadata.name === 'deny-all-ingress')!.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [],
    });
  });

  it('is pinned by golden files', () => {
    for (const f of renderK8sYaml(planExampleEks('cloud-consulting/stackplan.ha.yaml'))) {
      expectGolden(`eks/cloud-consulting-ha/${f.path}`, f.content);
    }
  });
});

describe('support-analytics (an internal ml service, a worker)', () => {
  const objects = yamlObjects('support-analytics/stackplan.yaml');

  it('lets only the app services that call ml reach it, and gives the worker no Service', () => {
    const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ml')!;
    expect(np.spec.ingress[0].from).toEqual([
      {
        podSelector: {
          matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api', 'worker'] }],
        },
      },
    ]);
    expect(
      objects
        .filter((o) => o.kind === 'Service')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['api', 'ml']);
  });
});

describe('the validators can fail', () => {
  it('rejects a Deployment with a wrong type and a SecretProviderClass without a provider', () => {
    const d = yamlObjects('cloud-consulting/stackplan.ha.yaml').find((o) => o.kind === 'Deployment')!;
    expect(() => validate({ ...d, spec: { ...d.spec, replicas: 'three' } })).toThrow(/replicas/);
    const spc = yamlObjects('cloud-consulting/stackplan.ha.yaml').find(
      (o) => o.kind === 'SecretProviderClass',
    )!;
    expect(() => validate({ ...spc, spec: { parameters: {} } })).toThrow(/provider/);
  });
});
