/**
 * AWS::DynamoDB::Table and AWS::Serverless::SimpleTable: on-demand read and write request units
 * (usage) or provisioned capacity (the table's and its global secondary indexes' RCUs and WCUs,
 * by the hour), and storage (usage). The Standard-IA table class has its own prices, not in the
 * book. SimpleTable is on-demand unless it sets ProvisionedThroughput.
 */
import type { CostComponent } from '../types.js';
import { hourly, type Pricer, per, usage } from './common.js';

export const dynamoDbTable: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const sam = ctx.type === 'AWS::Serverless::SimpleTable';
  const provisioned = sam
    ? p.has('ProvisionedThroughput')
    : p.str('BillingMode', 'PROVISIONED') === 'PROVISIONED';
  const ia = !sam && p.str('TableClass', 'STANDARD') === 'STANDARD_INFREQUENT_ACCESS';
  const item = (k: string) => (ia ? `ia_${k}` : k);
  const components: CostComponent[] = [];
  if (provisioned) {
    let rcu = p.num('ProvisionedThroughput.ReadCapacityUnits', 0);
    let wcu = p.num('ProvisionedThroughput.WriteCapacityUnits', 0);
    const gsis = sam ? [] : p.subs('GlobalSecondaryIndexes');
    for (const g of gsis) {
      rcu += g.num('ProvisionedThroughput.ReadCapacityUnits', 0);
      wcu += g.num('ProvisionedThroughput.WriteCapacityUnits', 0);
    }
    const withIndexes = gsis.length ? ', with its global secondary indexes' : '';
    components.push(
      hourly(
        `Write capacity (provisioned, ${wcu} WCU${withIndexes})`,
        'WCU-hours',
        wcu,
        'dynamodb',
        item('wcu_hour'),
        {
          meter: 'dynamodb.wcu.hours',
        },
      ),
      hourly(
        `Read capacity (provisioned, ${rcu} RCU${withIndexes})`,
        'RCU-hours',
        rcu,
        'dynamodb',
        item('rcu_hour'),
        {
          meter: 'dynamodb.rcu.hours',
        },
      ),
    );
    if (p.has('ProvisionedThroughput') === false) notes.push('no ProvisionedThroughput: 0 capacity units');
    notes.push('auto scaling (if any) changes the provisioned capacity: priced as the template sets it');
  } else {
    components.push(
      usage(
        'Write request units (on-demand)',
        '1M write request units',
        per(ctx.usage.writeRequestUnits, 1e6),
        'dynamodb',
        item('write_request_units_per_million'),
      ),
      usage(
        'Read request units (on-demand)',
        '1M read request units',
        per(ctx.usage.readRequestUnits, 1e6),
        'dynamodb',
        item('read_request_units_per_million'),
      ),
    );
  }
  components.push(
    usage('Storage', 'GB-months', ctx.usage.storageGb, 'dynamodb', item('storage_gb_month'), {
      meter: 'dynamodb.storage.gb',
    }),
  );
  if (ia) notes.push('Standard-IA table class: its prices are not in the book');
  if (!sam && p.has('StreamSpecification'))
    notes.push('stream reads by Lambda triggers are free; other stream reads are not priced');
  if (!sam && p.bool('PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', false))
    notes.push('point-in-time recovery is billed per GB of table size (not priced)');
  return { components, notes };
};
