/**
 * AWS::Kinesis::Stream: provisioned mode — shard hours (ShardCount), PUT payload units (usage),
 * extended retention beyond 24 hours; on-demand mode — stream hours, GB written and read (usage).
 */
import type { CostComponent } from '../types.js';
import { hourly, type Pricer, per, plural, usage } from './common.js';

export const kinesisStream: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const retention = p.num('RetentionPeriodHours', 24);
  if (p.str('StreamModeDetails.StreamMode', 'PROVISIONED') === 'ON_DEMAND') {
    const components: CostComponent[] = [
      hourly('Stream (on-demand)', 'stream-hours', 1, 'kinesis', 'on_demand_stream_hour'),
      usage('Data written (on-demand)', 'GB', ctx.usage.dataInGb, 'kinesis', 'on_demand_gb_in'),
      usage('Data read (on-demand)', 'GB', ctx.usage.dataOutGb, 'kinesis', 'on_demand_gb_out'),
    ];
    if (retention > 24)
      notes.push(`retention of ${retention} hours: extended retention is billed per GB (not priced)`);
    return { components, notes };
  }
  const shards = p.num('ShardCount', 1);
  if (!p.has('ShardCount')) notes.push('ShardCount not set: 1 shard');
  const components: CostComponent[] = [
    hourly(
      `Shards (provisioned, ${plural(shards, 'shard')})`,
      'shard-hours',
      shards,
      'kinesis',
      'shard_hour',
    ),
    usage(
      'PUT payload units',
      '1M PUT payload units',
      per(ctx.usage.putPayloadUnits, 1e6),
      'kinesis',
      'put_payload_units_per_million',
    ),
  ];
  if (retention > 24 && retention <= 168) {
    components.push(
      hourly(
        `Extended retention (${retention} hours)`,
        'shard-hours',
        shards,
        'kinesis',
        'extended_retention_shard_hour',
      ),
    );
  } else if (retention > 168) {
    components.push(
      hourly(
        'Extended retention (up to 7 days)',
        'shard-hours',
        shards,
        'kinesis',
        'extended_retention_shard_hour',
      ),
    );
    notes.push(
      `retention of ${retention} hours: long-term retention beyond 7 days is billed per GB-month (not priced)`,
    );
  }
  return { components, notes };
};
