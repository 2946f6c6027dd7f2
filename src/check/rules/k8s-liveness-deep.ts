/**
 * SP-k8s-liveness-deep: liveness probes must be shallow. Seed 001 points liveness and readiness at
 * the same /health, which checks PostgreSQL and Redis: a database blip restarts every pod.
 */
import type { Rule } from './context.js';
import {
  KUBERNETES_RESOURCE_TYPES,
  kubeContainers,
  kubeName,
  kubernetesObjects,
  podSpec,
} from './workloads.js';

/** Path names that say the endpoint checks dependencies. */
const DEEP = /(ready|readiness|deep|depend|deps|full|all|db|database|redis|cache|upstream|status)/i;

const httpPath = (probe: unknown): string | undefined => {
  const p = probe as { httpGet?: { path?: unknown } } | undefined;
  return typeof p?.httpGet?.path === 'string' ? p.httpGet.path : undefined;
};

export const rule: Rule = {
  info: {
    id: 'SP-k8s-liveness-deep',
    pack: 'stackplan',
    title: 'Kubernetes liveness probe checks dependencies',
    severity: 'warning',
    category: 'kubernetes',
    securitySeverity: 2.0,
    resourceTypes: KUBERNETES_RESOURCE_TYPES,
    what: 'A container whose livenessProbe calls the same HTTP path as its readinessProbe, or a path whose name says it checks dependencies (ready, deep, db, redis, dependencies, status …).',
    why: "Kubernetes restarts a container whose liveness probe fails. When liveness checks the database, a database failover or a slow Redis fails every pod's probe at once and the kubelet restarts the whole fleet, turning a brief dependency blip into an outage and a restart storm.",
    fix: 'Point livenessProbe at a shallow endpoint that only proves the process responds (/livez, /health/live); keep dependency checks in readinessProbe, which only takes the pod out of the load balancer.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
    ],
  },
  check(ctx) {
    for (const k of kubernetesObjects(ctx)) {
      const spec = podSpec(k.obj);
      if (!spec) continue;
      for (const c of kubeContainers(spec)) {
        const live = httpPath(c.livenessProbe);
        if (!live) continue;
        const ready = httpPath(c.readinessProbe);
        const same = ready !== undefined && ready === live;
        if (!same && !DEEP.test(live)) continue;
        const name = `${kubeName(k.obj)} container ${String(c.name ?? '?')}`;
        ctx.report({
          logicalId: k.logicalId,
          path: ['Properties', 'Manifest'],
          detail: name,
          message: `${name}: livenessProbe calls ${live}${same ? ', the same path as its readinessProbe,' : ', a path that checks dependencies,'} so a dependency outage restarts every pod: give liveness a shallow endpoint`,
        });
      }
    }
  },
};
