/**
 * SP-k8s-selector-labels: a workload's selector must match its pod template's labels, and a
 * Service's selector should match some pods. Seed 001's Deployments select `app: backend` but
 * their pod templates carry no labels: the API server rejects them.
 */
import type { Rule } from './context.js';
import { namespaceOf, podLabels, selects, workloads } from './k8s-helpers.js';
import { KUBERNETES_RESOURCE_TYPES, kubeName, kubernetesObjects } from './workloads.js';

export const rule: Rule = {
  info: {
    id: 'SP-k8s-selector-labels',
    pack: 'stackplan',
    title: 'Kubernetes selector does not match the pod labels',
    severity: 'error',
    category: 'kubernetes',
    securitySeverity: 2.0,
    resourceTypes: KUBERNETES_RESOURCE_TYPES,
    what: 'In the Kubernetes manifests a CDK EKS cluster applies: a Deployment, StatefulSet, DaemonSet or ReplicaSet whose spec.selector does not select its own spec.template.metadata.labels (error), or a Service whose selector selects no pod template in the same namespace of the stack (warning).',
    why: 'apps/v1 rejects a workload whose selector does not match its template ("selector does not match template labels"), so the deploy fails — after CloudFormation has created everything else, leaving the stack to roll back. A Service selecting no pods has no endpoints: every request gets a connection refused.',
    fix: 'Give spec.template.metadata.labels every label of spec.selector.matchLabels (and make Service selectors use the same labels).',
    references: [
      'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector',
      'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
    ],
  },
  check(ctx) {
    const objects = kubernetesObjects(ctx);
    const pods = workloads(objects);
    for (const k of pods) {
      const spec = k.obj.spec as Record<string, unknown> | undefined;
      const labels = podLabels(k.obj);
      if (!selects(spec?.selector, labels)) {
        ctx.report({
          logicalId: k.logicalId,
          path: ['Properties', 'Manifest'],
          detail: kubeName(k.obj),
          message: `${kubeName(k.obj)}: spec.selector ${JSON.stringify(spec?.selector ?? null)} does not match the pod template labels ${JSON.stringify(labels)}: the API server rejects it`,
        });
      }
    }
    for (const k of objects.filter((o) => o.obj.kind === 'Service')) {
      const spec = k.obj.spec as Record<string, unknown> | undefined;
      const sel = spec?.selector;
      if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) continue; // headless / external
      if (pods.some((p) => namespaceOf(p.obj) === namespaceOf(k.obj) && selects(sel, podLabels(p.obj))))
        continue;
      if (pods.length === 0) continue; // pods come from elsewhere (Helm, another stack)
      ctx.report({
        logicalId: k.logicalId,
        severity: 'warning',
        path: ['Properties', 'Manifest'],
        detail: kubeName(k.obj),
        message: `${kubeName(k.obj)}: selector ${JSON.stringify(sel)} selects no pod template in namespace ${namespaceOf(k.obj)}: the Service has no endpoints`,
      });
    }
  },
};
