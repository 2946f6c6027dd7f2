/**
 * AWS::OpenSearchService::Domain (and the older AWS::Elasticsearch::Domain): data, dedicated
 * master and UltraWarm nodes by instance type, EBS storage per data node.
 */
import { NotResolvable } from '../template.js';
import type { CostComponent } from '../types.js';
import { hourly, monthly, type Pricer, plural, usage } from './common.js';

/** `m5.large.elasticsearch` (Elasticsearch domains) is the same instance as `m5.large.search`. */
const searchType = (t: string) => t.replace(/\.elasticsearch$/, '.search');

export const openSearchDomain: Pricer = (ctx) => {
  const p = ctx.props;
  const legacy = ctx.type === 'AWS::Elasticsearch::Domain';
  const cfg = p.sub(legacy ? 'ElasticsearchClusterConfig' : 'ClusterConfig');
  const prefix = legacy ? 'ElasticsearchClusterConfig' : 'ClusterConfig';
  const raw = cfg?.str('InstanceType');
  if (!raw)
    throw new NotResolvable(`${prefix}.InstanceType`, 'not set: the service default is not in the template');
  const type = searchType(raw);
  const notes: string[] = [];
  const count = cfg?.num('InstanceCount', 1) ?? 1;
  const components: CostComponent[] = [
    hourly(
      `Data nodes (on-demand, ${plural(count, 'node')} × ${type})`,
      'hours',
      count,
      'opensearch',
      `instance:${type}`,
      {
        meter: `opensearch.hours:${type}`,
        savings: { kind: 'opensearch', type },
      },
    ),
  ];
  if (cfg?.bool('DedicatedMasterEnabled', false)) {
    const m = searchType(cfg.str('DedicatedMasterType', type));
    const n = cfg.num('DedicatedMasterCount', 3);
    components.push(
      hourly(
        `Dedicated master nodes (on-demand, ${plural(n, 'node')} × ${m})`,
        'hours',
        n,
        'opensearch',
        `instance:${m}`,
        {
          meter: `opensearch.hours:${m}`,
          savings: { kind: 'opensearch', type: m },
        },
      ),
    );
  }
  if (cfg?.bool('WarmEnabled', false)) {
    const w = cfg.str('WarmType', 'ultrawarm1.medium.search');
    const n = cfg.num('WarmCount', 2);
    components.push(
      hourly(`UltraWarm nodes (${plural(n, 'node')} × ${w})`, 'hours', n, 'opensearch', `instance:${w}`),
      usage(
        'UltraWarm storage',
        'GB-months',
        ctx.usage.ultraWarmStorageGb,
        'opensearch_ultrawarm',
        'storage_gb_month',
      ),
    );
  }
  if (cfg?.bool('ColdStorageOptions.Enabled', false))
    notes.push('cold storage is billed per GB-month (not priced)');
  const ebs = p.sub('EBSOptions');
  if (ebs?.bool('EBSEnabled', true)) {
    const vol = ebs.str('VolumeType', 'gp2').toLowerCase();
    const size = ebs.num('VolumeSize', 10);
    components.push(
      monthly(
        `Storage (${vol}, ${plural(count, 'node')} × ${size} GB)`,
        'GB-months',
        size * count,
        'opensearch',
        `${vol}_gb_month`,
        {
          meter: `opensearch.ebs.gb:${vol}`,
        },
      ),
    );
  }
  return { components, notes };
};
