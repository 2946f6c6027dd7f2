/** AWS::KinesisFirehose::DeliveryStream: GB ingested (usage), at the Direct PUT rate. */
import { type Pricer, usage } from './common.js';

export const firehoseDeliveryStream: Pricer = (ctx) => {
  const source = ctx.props.str('DeliveryStreamType', 'DirectPut');
  const notes = ['format conversion, dynamic partitioning and VPC delivery are billed on top (not priced)'];
  if (source !== 'DirectPut') notes.push(`${source} source: priced at the Direct PUT rate`);
  return {
    components: [usage('Data ingested', 'GB', ctx.usage.dataInGb, 'firehose', 'direct_put_gb')],
    notes,
  };
};
