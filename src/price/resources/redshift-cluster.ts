/** AWS::Redshift::Cluster: node hours by type × nodes; RA3 managed storage (usage). */

import { NotResolvable } from '../template.js';
import type { CostComponent } from '../types.js';
import { hourly, type Pricer, plural, usage } from './common.js';

export const redshiftCluster: Pricer = (ctx) => {
  const p = ctx.props;
  const type = p.str('NodeType');
  if (!type) throw new NotResolvable('NodeType', 'not set');
  const single = p.str('ClusterType', 'multi-node') === 'single-node';
  const nodes = single ? 1 : p.num('NumberOfNodes');
  if (nodes === undefined)
    throw new NotResolvable('NumberOfNodes', 'not set (required for multi-node clusters)');
  const components: CostComponent[] = [
    hourly(
      `Nodes (on-demand, ${plural(nodes, 'node')} × ${type})`,
      'hours',
      nodes,
      'redshift',
      `node:${type}`,
    ),
  ];
  const notes: string[] = [];
  if (type.startsWith('ra3.'))
    components.push(
      usage(
        'Managed storage (RA3)',
        'GB-months',
        ctx.usage.storageGb,
        'redshift',
        'managed_storage_gb_month',
      ),
    );
  else notes.push(`${type} nodes include their storage`);
  notes.push(
    'paused hours are not billed for nodes; concurrency scaling beyond the free credits is not priced',
  );
  return { components, notes };
};
