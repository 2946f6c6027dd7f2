/** Label and selector matching for the Kubernetes rules. */
import type { KubeObject } from './workloads.js';

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function namespaceOf(obj: Record<string, unknown>): string {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  return typeof meta.namespace === 'string' ? meta.namespace : 'default';
}

/** The labels a workload's pods get. */
export function podLabels(obj: Record<string, unknown>): Record<string, string> {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const tpl = isObj(spec.template) ? spec.template : {};
  const meta = isObj(tpl.metadata) ? tpl.metadata : {};
  return isObj(meta.labels) ? (meta.labels as Record<string, string>) : {};
}

/** Whether a label selector (matchLabels + matchExpressions, or a plain map for Services) selects `labels`. */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return false;
  const hasStructured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const match = (hasStructured ? selector.matchLabels : selector) ?? {};
  if (!isObj(match)) return false;
  for (const [k, v] of Object.entries(match)) if (labels[k] !== String(v)) return false;
  const exprs = hasStructured && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isObj(e)) continue;
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return Object.keys(match).length > 0 || exprs.length > 0;
}

export function workloads(objects: KubeObject[]): KubeObject[] {
  return objects.filter((k) => WORKLOAD_KINDS.has(String(k.obj.kind)));
}
