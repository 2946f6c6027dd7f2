/** SP-k8s-requests: containers must request CPU and memory, or the scheduler packs blind. */
import type { Rule } from './context.js';
import {
  KUBERNETES_RESOURCE_TYPES,
  kubeContainers,
  kubeName,
  kubernetesObjects,
  podSpec,
} from './workloads.js';

export const rule: Rule = {
  info: {
    id: 'SP-k8s-requests',
    pack: 'stackplan',
    title: 'Kubernetes container without CPU or memory requests',
    severity: 'warning',
    category: 'kubernetes',
    securitySeverity: 2.0,
    resourceTypes: KUBERNETES_RESOURCE_TYPES,
    what: "A container (or init container) of a workload in the stack's Kubernetes manifests without resources.requests.cpu or resources.requests.memory.",
    why: 'Without requests the scheduler places pods as if they needed nothing: nodes get overcommitted, pods are OOM-killed or starved under load, the pod gets the BestEffort QoS class (evicted first), and the cluster autoscaler cannot size nodes.',
    fix: 'Set resources.requests.cpu and resources.requests.memory from measured use (and a memory limit equal to the request for predictable eviction).',
    references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
  },
  check(ctx) {
    for (const k of kubernetesObjects(ctx)) {
      const spec = podSpec(k.obj);
      if (!spec) continue;
      for (const c of kubeContainers(spec)) {
        const req = (c.resources as { requests?: Record<string, unknown> } | undefined)?.requests ?? {};
        const missing = ['cpu', 'memory'].filter((r) => req[r] === undefined);
        if (missing.length === 0) continue;
        const name = `${kubeName(k.obj)} container ${String(c.name ?? '?')}`;
        ctx.report({
          logicalId: k.logicalId,
          path: ['Properties', 'Manifest'],
          detail: name,
          message: `${name} requests no ${missing.join(' or ')}: set resources.requests`,
        });
      }
    }
  },
};
