/**
 * A cost report grouped by what the diagram draws: each priced resource adds its monthly cost to
 * the node it is drawn as or collapsed into (a role's cost, if any, to its service; a NAT gateway's
 * Elastic IP to the NAT gateway), so the cost section and the diagram name the same components.
 * Usage lines no template holds (data transfer, Bedrock tokens, SES) are components of their own.
 */
import type { CostReport } from '../price/types.js';
import type { ArchitectureModel } from './architecture/model.js';

export interface ComponentCost {
  /** Diagram node id, or the report's logical id for a line the diagram does not draw. */
  id: string;
  title: string;
  /** List-price USD a month of components with a fixed quantity (hours, GB provisioned). */
  fixedUsd: number;
  /** List-price USD a month of usage-based components that have usage. */
  usageUsd: number;
  /** Priced resources it adds up (stack/logical id). */
  resources: string[];
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Sums `report` by the nodes of `model` (the diagram of `stack` in the report). Free and
 * unpriced resources add nothing; lines of other stacks stay components of their own.
 * Sorted by total cost, then title.
 */
export function costByComponent(
  report: CostReport,
  model: ArchitectureModel,
  stack: string,
): ComponentCost[] {
  const shown = new Map(model.accounting.map((a) => [a.logicalId, a.shownAs]));
  const titles = new Map<string, string>([
    ...model.groups.map((g): [string, string] => [g.id, g.title]),
    ...model.nodes.map((n): [string, string] => [
      n.id,
      n.subtitle && n.kind === 'resource' ? `${n.title} (${n.subtitle.split(' · ')[0]})` : n.title,
    ]),
  ]);
  const byId = new Map<string, ComponentCost>();
  for (const s of report.stacks) {
    for (const r of s.resources) {
      let fixed = 0;
      let usage = 0;
      for (const c of r.components) {
        if (c.monthlyUsd === null) continue;
        if (c.usageBased) usage += c.monthlyUsd;
        else fixed += c.monthlyUsd;
      }
      if (fixed === 0 && usage === 0) continue;
      const node = s.name === stack ? shown.get(r.logicalId) : undefined;
      const id = node ?? `${s.name}/${r.logicalId}`;
      const title = node ? (titles.get(node) ?? node) : r.logicalId;
      const entry = byId.get(id) ?? { id, title, fixedUsd: 0, usageUsd: 0, resources: [] };
      entry.fixedUsd = round(entry.fixedUsd + fixed);
      entry.usageUsd = round(entry.usageUsd + usage);
      entry.resources.push(`${s.name}/${r.logicalId}`);
      byId.set(id, entry);
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      b.fixedUsd + b.usageUsd - (a.fixedUsd + a.usageUsd) ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
  );
}
