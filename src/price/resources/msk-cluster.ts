/**
 * Amazon MSK. AWS::MSK::Cluster (provisioned, Standard brokers): broker hours by instance type and
 * broker storage (EBS volume size × brokers). AWS::MSK::ServerlessCluster: cluster hours,
 * partition hours and GB in and out (usage).
 */
import { NotResolvable } from '../template.js';
import { hourly, monthly, type Pricer, plural, usage } from './common.js';

export const mskCluster: Pricer = (ctx) => {
  const p = ctx.props;
  const notes: string[] = [];
  const type = p.str('BrokerNodeGroupInfo.InstanceType');
  if (!type) throw new NotResolvable('BrokerNodeGroupInfo.InstanceType', 'not set');
  const brokers = p.num('NumberOfBrokerNodes');
  if (brokers === undefined) throw new NotResolvable('NumberOfBrokerNodes', 'not set');
  const express = type.startsWith('express.');
  if (express) notes.push('Express brokers also bill storage and data written by the GB (not priced)');
  const components = [
    hourly(`Brokers (${plural(brokers, 'broker')} × ${type})`, 'hours', brokers, 'msk', `broker:${type}`),
  ];
  if (!express) {
    const size = p.num('BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize', 1000);
    if (!p.has('BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize'))
      notes.push('VolumeSize not set: MSK gives each broker 1,000 GiB');
    components.push(
      monthly(
        `Broker storage (${plural(brokers, 'broker')} × ${size} GB)`,
        'GB-months',
        size * brokers,
        'msk',
        'storage_gb_month',
      ),
    );
    if (p.bool('BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.ProvisionedThroughput.Enabled', false))
      notes.push('provisioned storage throughput is billed per MiB/s (not priced)');
  }
  return { components, notes };
};

export const mskServerlessCluster: Pricer = (ctx) => ({
  components: [
    hourly('Serverless cluster', 'hours', 1, 'msk', 'serverless_cluster_hour'),
    usage(
      'Partitions',
      'partition-hours',
      ctx.usage.partitions === undefined ? undefined : ctx.usage.partitions * 730,
      'msk',
      'serverless_partition_hour',
    ),
    usage('Data in', 'GB', ctx.usage.dataInGb, 'msk', 'serverless_gb_in'),
    usage('Data out', 'GB', ctx.usage.dataOutGb, 'msk', 'serverless_gb_out'),
  ],
  notes: ['storage beyond what retention keeps is billed per GB-month (not priced)'],
});
