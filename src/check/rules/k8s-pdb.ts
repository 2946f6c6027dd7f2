/** SP-k8s-pdb: replicated workloads need a PodDisruptionBudget, or a node drain can take them all. */
import type { Rule } from './context.js';
import { namespaceOf, podLabels, selects } from './k8s-helpers.js';
import { KUBERNETES_RESOURCE_TYPES, kubeName, kubernetesObjects } from './workloads.js';

export const rule: Rule = {
  info: {
    id: 'SP-k8s-pdb',
    pack: 'stackplan',
    title: 'Replicated Kubernetes workload without a PodDisruptionBudget',
    severity: 'warning',
    category: 'kubernetes',
    securitySeverity: 2.0,
    resourceTypes: KUBERNETES_RESOURCE_TYPES,
    what: 'A Deployment or StatefulSet with more than one replica (or scaled by a HorizontalPodAutoscaler with minReplicas above one) and no PodDisruptionBudget in its namespace that selects its pods.',
    why: 'Node upgrades, Karpenter consolidation and managed node group updates drain nodes; without a budget the eviction API may evict every replica at once, and the service the replicas were meant to keep up goes down during routine maintenance.',
    fix: "Add a PodDisruptionBudget with the workload's selector and maxUnavailable: 1 (or minAvailable below the replica count).",
    references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
  },
  check(ctx) {
    const objects = kubernetesObjects(ctx);
    const pdbs = objects.filter((o) => o.obj.kind === 'PodDisruptionBudget');
    const hpaMin = new Map<string, number>();
    for (const h of objects.filter((o) => o.obj.kind === 'HorizontalPodAutoscaler')) {
      const spec = h.obj.spec as
        | { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number }
        | undefined;
      const t = spec?.scaleTargetRef;
      if (t?.name) hpaMin.set(`${namespaceOf(h.obj)}/${t.kind}/${t.name}`, Number(spec?.minReplicas ?? 1));
    }
    for (const k of objects.filter((o) => o.obj.kind === 'Deployment' || o.obj.kind === 'StatefulSet')) {
      const spec = k.obj.spec as { replicas?: number } | undefined;
      const replicas = Math.max(Number(spec?.replicas ?? 1), hpaMin.get(kubeName(k.obj)) ?? 0);
      if (!(replicas > 1)) continue;
      const labels = podLabels(k.obj);
      const covered = pdbs.some(
        (p) =>
          namespaceOf(p.obj) === namespaceOf(k.obj) &&
          selects((p.obj.spec as { selector?: unknown } | undefined)?.selector, labels),
      );
      if (covered) continue;
      ctx.report({
        logicalId: k.logicalId,
        path: ['Properties', 'Manifest'],
        detail: kubeName(k.obj),
        message: `${kubeName(k.obj)} runs ${replicas} replicas with no PodDisruptionBudget: a node drain may evict them all; add one with maxUnavailable: 1`,
      });
    }
  },
};
