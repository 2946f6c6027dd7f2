/**
 * The app's Kubernetes objects, built from the eks plan as typed kubernetes-models classes (and the
 * two CRDs in crds.ts). What only exists at deploy time — the certificate ARN, the log bucket, image
 * URIs, the search endpoint — comes in through `EksRefs`: the stack passes CloudFormation tokens, the
 * plain-YAML writer passes `${NAME}` placeholders it documents. No secret value ever passes here:
 * pods read their secrets through the Secrets Store CSI driver with their own Pod Identity role.
 */

import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IEnvVar, IPodSpec, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { EksPlan, EksWorkload } from '../plan/types.js';
import type { IngressClassParams, SecretProviderClass } from './crds.js';

/** Values known only at deploy time. */
export interface EksRefs {
  region: string;
  /** ACM certificate of the ALB. */
  certificateArn: string;
  /** Bucket receiving the ALB's access logs. */
  logBucket: string;
  /** Web ACL associated with the ALB (waf: true). */
  webAclArn?: string;
  /** Full image reference a workload runs (pinned images are known; ECR ones are repo URI:tag). */
  image(w: EksWorkload): string;
  /** https:// endpoint of the search domain. */
  searchUrl?: string;
  bucketName(key: string): string;
  /** Appended to the migration Job's name so each image gets its own Job. */
  migrationSuffix: string;
  /**
   * A fixed replica count for a workload (the stack keeps services built from source at 0 until CI
   * published their first image); undefined: the HPA, or replicas.min, decides.
   */
  replicas?(w: EksWorkload): number | undefined;
}

/** Any object this module builds: a kubernetes-models class instance or a CRD object. */
export type K8sObject =
  | Namespace
  | ServiceAccount
  | Deployment
  | Service
  | HorizontalPodAutoscaler
  | PodDisruptionBudget
  | NetworkPolicy
  | Ingress
  | IngressClass
  | Job
  | SecretProviderClass
  | IngressClassParams;

/** The objects, grouped in the order they are applied (each group after the previous one exists). */
export interface EksObjects {
  /** Namespace and the namespace-wide deny-all NetworkPolicy. */
  namespace: K8sObject[];
  /** IngressClassParams and IngressClass (cluster-scoped; need the controller's CRDs). */
  ingressClass: K8sObject[];
  /** Per workload: ServiceAccount, SecretProviderClass, Deployment, Service, HPA, PDB, NetworkPolicy. */
  workloads: Map<string, K8sObject[]>;
  ingress: K8sObject[];
  migration?: Job;
}

const SECRETS_MOUNT = '/mnt/secrets-store';

function secretsName(w: EksWorkload): string {
  return `${w.name}-secrets`;
}

function selector(w: EksWorkload): Record<string, string> {
  return { ...w.labels };
}

/** The `objects` parameter of the AWS provider: a YAML list, one entry per secret. */
export function ascpObjects(w: EksWorkload): string {
  return w.secrets
    .map(
      (s) =>
        `- objectName: ${JSON.stringify(s.objectName)}\n  objectType: ${JSON.stringify(s.objectType)}\n  objectAlias: ${JSON.stringify(s.env)}`,
    )
    .join('\n');
}

function secretProviderClass(plan: EksPlan, w: EksWorkload, refs: EksRefs): SecretProviderClass {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: secretsName(w), namespace: plan.namespace, labels: { ...w.labels } },
    spec: {
      provider: 'aws',
      parameters: { objects: ascpObjects(w), region: refs.region, usePodIdentity: 'true' },
      secretObjects: [
        {
          secretName: secretsName(w),
          type: 'Opaque',
          labels: { ...w.labels },
          data: w.secrets.map((s) => ({ objectName: s.env, key: s.env })),
        },
      ],
    },
  };
}

function envOf(w: EksWorkload, refs: EksRefs): IEnvVar[] {
  const env: IEnvVar[] = [];
  for (const e of w.environment) {
    switch (e.value.kind) {
      case 'literal':
        env.push({ name: e.name, value: e.value.value });
        break;
      case 'region':
        env.push({ name: e.name, value: refs.region });
        break;
      case 'search-url':
        if (!refs.searchUrl) throw new Error(`${w.name} uses search but there is no search endpoint`);
        env.push({ name: e.name, value: refs.searchUrl });
        break;
      case 'bucket-name':
        env.push({ name: e.name, value: refs.bucketName(e.value.bucket) });
        break;
    }
  }
  for (const s of w.secrets) {
    env.push({ name: s.env, valueFrom: { secretKeyRef: { name: secretsName(w), key: s.env } } });
  }
  return env;
}

function podSpec(
  plan: EksPlan,
  w: EksWorkload,
  refs: EksRefs,
  opts: { args?: string[]; probes: boolean; restartPolicy?: 'Never' },
): IPodSpec {
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  if (w.readOnlyRootFilesystem) {
    volumes.push({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    mounts.push({ name: 'tmp', mountPath: '/tmp' });
  }
  if (w.secrets.length) {
    volumes.push({
      name: 'secrets',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: secretsName(w) },
      },
    });
    mounts.push({ name: 'secrets', mountPath: SECRETS_MOUNT, readOnly: true });
  }
  const port = w.service.port;
  const container: IContainer = {
    name: w.name,
    image: refs.image(w),
    imagePullPolicy: 'IfNotPresent',
    ...(opts.args && { args: opts.args }),
    ...(port !== undefined &&
      opts.probes && { ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] }),
    env: envOf(w, refs),
    resources: {
      requests: { cpu: `${w.requests.cpuMilli}m`, memory: `${w.requests.memoryMiB}Mi` },
      limits: { cpu: `${w.limits.cpuMilli}m`, memory: `${w.limits.memoryMiB}Mi` },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: w.runAs.uid,
      runAsGroup: w.runAs.gid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: w.readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(mounts.length > 0 && { volumeMounts: mounts }),
  };
  if (opts.probes && w.probes) {
    const p = w.probes;
    container.startupProbe = {
      tcpSocket: { port: 'http' },
      periodSeconds: 5,
      failureThreshold: Math.max(3, Math.ceil(p.startupSeconds / 5)),
    };
    // Deep: the app checks its dependencies here; failing only takes the pod out of the Service.
    container.readinessProbe = {
      httpGet: { path: p.readinessPath, port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    };
    // Shallow: only that the process accepts connections, so a database outage restarts nothing.
    container.livenessProbe = {
      tcpSocket: { port: 'http' },
      periodSeconds: 20,
      timeoutSeconds: 3,
      failureThreshold: 3,
    };
  }
  const ha = plan.network.azCount > 1 && plan.workloads.length > 0;
  return {
    serviceAccountName: w.name,
    automountServiceAccountToken: false,
    ...(opts.restartPolicy && { restartPolicy: opts.restartPolicy }),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: w.runAs.uid,
      runAsGroup: w.runAs.gid,
      fsGroup: w.runAs.gid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    nodeSelector: { 'kubernetes.io/arch': w.arch === 'arm64' ? 'arm64' : 'amd64' },
    terminationGracePeriodSeconds: 30,
    ...(opts.probes &&
      ha && {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: plan.network.azCount > 1 ? 'DoNotSchedule' : 'ScheduleAnyway',
            labelSelector: { matchLabels: selector(w) },
            matchLabelKeys: ['pod-template-hash'],
          },
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector(w) },
            matchLabelKeys: ['pod-template-hash'],
          },
        ],
      }),
    containers: [container],
    ...(volumes.length > 0 && { volumes }),
  };
}

function workloadObjects(plan: EksPlan, w: EksWorkload, refs: EksRefs): K8sObject[] {
  const ns = plan.namespace;
  const labels = { ...w.labels };
  const out: K8sObject[] = [
    new ServiceAccount({
      metadata: { name: w.name, namespace: ns, labels },
      automountServiceAccountToken: false,
    }),
  ];
  if (w.secrets.length) out.push(secretProviderClass(plan, w, refs));
  out.push(
    new Deployment({
      metadata: { name: w.name, namespace: ns, labels },
      spec: {
        // The HPA owns the replica count when it exists; re-applying the manifest must not reset it.
        ...(refs.replicas?.(w) !== undefined
          ? { replicas: refs.replicas(w)! }
          : w.hpa
            ? {}
            : { replicas: w.replicas.min }),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector(w) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: podSpec(plan, w, refs, {
            probes: true,
            ...(w.service.command && { args: w.service.command }),
          }),
        },
      },
    }),
  );
  if (w.service.port !== undefined && w.exposure !== 'none') {
    out.push(
      new Service({
        metadata: {
          name: w.name,
          namespace: ns,
          labels,
          ...(w.exposure === 'ingress' &&
            w.probes && {
              annotations: {
                'alb.ingress.kubernetes.io/healthcheck-path': w.probes.readinessPath,
                'alb.ingress.kubernetes.io/success-codes': '200-399',
              },
            }),
        },
        spec: {
          type: 'ClusterIP',
          selector: selector(w),
          ports: [{ name: 'http', port: w.service.port, targetPort: 'http', protocol: 'TCP' }],
        },
      }),
    );
  }
  if (w.hpa) {
    out.push(
      new HorizontalPodAutoscaler({
        metadata: { name: w.name, namespace: ns, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
          minReplicas: w.replicas.min,
          maxReplicas: w.replicas.max,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: w.hpa.cpuPercent },
              },
            },
          ],
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 60 },
            scaleDown: { stabilizationWindowSeconds: 300 },
          },
        },
      }),
    );
  }
  if (w.pdb) {
    out.push(
      new PodDisruptionBudget({
        metadata: { name: w.name, namespace: ns, labels },
        spec: { maxUnavailable: w.pdb.maxUnavailable, selector: { matchLabels: selector(w) } },
      }),
    );
  }
  if (w.service.port !== undefined && w.exposure !== 'none') {
    const from = [
      ...(w.exposure === 'ingress' ? plan.publicSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })) : []),
      ...(w.calledBy.length
        ? [
            {
              podSelector: {
                matchExpressions: [
                  { key: 'app.kubernetes.io/name', operator: 'In', values: [...w.calledBy].sort() },
                ],
              },
            },
          ]
        : []),
    ];
    out.push(
      new NetworkPolicy({
        metadata: { name: w.name, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: selector(w) },
          policyTypes: ['Ingress'],
          ingress: from.length ? [{ from, ports: [{ protocol: 'TCP', port: w.service.port }] }] : [],
        },
      }),
    );
  }
  return out;
}

function ingressObjects(plan: EksPlan, refs: EksRefs): { cls: K8sObject[]; ingress: K8sObject[] } {
  const ing = plan.ingress;
  if (!ing) return { cls: [], ingress: [] };
  const auto = ing.controller === 'auto-mode';
  const attributes = [
    { key: 'access_logs.s3.enabled', value: 'true' },
    { key: 'access_logs.s3.bucket', value: refs.logBucket },
    { key: 'access_logs.s3.prefix', value: ing.accessLogPrefix },
    { key: 'idle_timeout.timeout_seconds', value: String(ing.idleTimeoutSeconds) },
    { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
    { key: 'routing.http2.enabled', value: 'true' },
  ];
  const params: IngressClassParams = {
    apiVersion: auto ? 'eks.amazonaws.com/v1' : 'elbv2.k8s.aws/v1beta1',
    kind: 'IngressClassParams',
    metadata: { name: ing.className },
    spec: {
      scheme: 'internet-facing',
      ipAddressType: 'ipv4',
      group: { name: plan.namespace },
      ...(auto ? { certificateARNs: [refs.certificateArn] } : { certificateArn: [refs.certificateArn] }),
      sslPolicy: ing.sslPolicy,
      loadBalancerAttributes: attributes,
      tags: [{ key: 'stackplan:app', value: plan.namespace }],
    },
  };
  const cls = new IngressClass({
    metadata: { name: ing.className },
    spec: {
      controller: auto ? 'eks.amazonaws.com/alb' : 'ingress.k8s.aws/alb',
      parameters: {
        apiGroup: auto ? 'eks.amazonaws.com' : 'elbv2.k8s.aws',
        kind: 'IngressClassParams',
        name: ing.className,
      },
    },
  });
  const routed = plan.workloads
    .filter((w) => w.exposure === 'ingress')
    .flatMap((w) => w.paths.map((path) => ({ w, path })))
    .sort((a, b) => b.path.length - a.path.length || a.w.name.localeCompare(b.w.name));
  const backend = (w: EksWorkload) => ({ service: { name: w.name, port: { name: 'http' } } });
  const fallback = plan.workloads.find((w) => w.name === ing.defaultService);
  const annotations: Record<string, string> = {
    'alb.ingress.kubernetes.io/load-balancer-name': ing.loadBalancerName,
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    ...(refs.webAclArn && { 'alb.ingress.kubernetes.io/wafv2-acl-arn': refs.webAclArn }),
  };
  const ingress = new Ingress({
    metadata: {
      name: plan.namespace,
      namespace: plan.namespace,
      annotations,
      labels: { 'app.kubernetes.io/part-of': plan.namespace },
    },
    spec: {
      ingressClassName: ing.className,
      ...(fallback && { defaultBackend: backend(fallback) }),
      rules: [
        {
          http: {
            paths: routed
              .filter(({ path }) => path !== '/')
              .map(({ w, path }) => ({ path, pathType: 'Prefix' as const, backend: backend(w) })),
          },
        },
      ],
    },
  });
  const paths = ingress.spec!.rules![0]!.http!.paths;
  if (paths.length === 0) ingress.spec!.rules = [];
  return { cls: [params, cls], ingress: [ingress] };
}

function migrationJob(plan: EksPlan, refs: EksRefs): Job | undefined {
  const mig = plan.migration;
  if (!mig) return undefined;
  const owner = plan.workloads.find((w) => w.name === mig.service);
  if (!owner) throw new Error(`migration service ${mig.service} has no workload`);
  const labels = {
    'app.kubernetes.io/name': `${owner.name}-migrate`,
    'app.kubernetes.io/part-of': plan.namespace,
  };
  return new Job({
    metadata: { name: `${mig.jobName}-${refs.migrationSuffix}`, namespace: plan.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: mig.timeoutMinutes * 60,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels },
        spec: podSpec(plan, owner, refs, { args: mig.command, probes: false, restartPolicy: 'Never' }),
      },
    },
  });
}

export function buildObjects(plan: EksPlan, refs: EksRefs): EksObjects {
  const ns = new Namespace({
    metadata: {
      name: plan.namespace,
      labels: {
        'app.kubernetes.io/part-of': plan.namespace,
        // Every pod must meet the restricted Pod Security Standard (non-root, no privilege escalation, no capabilities).
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  });
  const denyAll = new NetworkPolicy({
    metadata: { name: 'deny-all-ingress', namespace: plan.namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] },
  });
  const workloads = new Map<string, K8sObject[]>();
  for (const w of plan.workloads) workloads.set(w.name, workloadObjects(plan, w, refs));
  const { cls, ingress } = ingressObjects(plan, refs);
  const migration = migrationJob(plan, refs);
  return { namespace: [ns, denyAll], ingressClass: cls, workloads, ingress, ...(migration && { migration }) };
}

/** Every object, in apply order. */
export function allObjects(o: EksObjects): K8sObject[] {
  return [
    ...o.namespace,
    ...o.ingressClass,
    ...[...o.workloads.values()].flat(),
    ...o.ingress,
    ...(o.migration ? [o.migration] : []),
  ];
}

/** Plain JSON of an object (kubernetes-models classes serialize through toJSON). */
export function toPlain(o: K8sObject): Record<string, unknown> {
  const json = 'toJSON' in o && typeof o.toJSON === 'function' ? o.toJSON() : o;
  return JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
}
