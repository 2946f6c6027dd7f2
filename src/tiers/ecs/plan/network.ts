/** The VPC the ecs tier runs in: availability zones, egress, endpoints and flow logs. */
import type { EcsNetwork } from '../../../model/ecs.js';
import type { Ctx } from './context.js';

/** Instance type of a NAT instance (Graviton, the smallest that forwards a small app's traffic). */
export const NAT_INSTANCE_TYPE = 't4g.nano';
/** Root volume of a NAT instance, GB. */
export const NAT_INSTANCE_VOLUME_GB = 8;
/** The interface endpoints `egress: endpoints` needs before app-specific ones. */
export const BASE_INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm'] as const;

export function planNetwork(ctx: Ctx): EcsNetwork {
  const { m, decisions } = ctx;
  const ha = m.availability === 'multi-az-ha';
  const azCount = ha ? 3 : 2;
  decisions.push({
    topic: 'availability zones',
    choice: String(azCount),
    why: ha
      ? 'multi-az-ha: a NAT, a task and a database node in each of three AZs survive the loss of one with capacity to spare'
      : `two AZs: the ALB and RDS subnet groups need two; tasks spread over both (availability ${m.availability})`,
  });
  const uses = new Set(m.services.flatMap((s) => s.uses));
  let natCount = 0;
  let natInstanceType: string | undefined;
  const interfaceEndpoints: string[] = [];
  switch (m.egress) {
    case 'nat-gateway':
      natCount = ha ? azCount : 1;
      decisions.push({
        topic: 'egress',
        choice: `NAT gateway × ${natCount}`,
        why: ha
          ? 'multi-az-ha: one managed NAT gateway per AZ, so losing an AZ never cuts the others off'
          : 'the manifest asks for nat-gateway; one gateway serves both AZs (an AZ outage also stops egress of the other AZ until it returns)',
      });
      break;
    case 'nat-instance':
      natCount = ha ? azCount : 1;
      natInstanceType = NAT_INSTANCE_TYPE;
      decisions.push({
        topic: 'egress',
        choice: `NAT instance ${NAT_INSTANCE_TYPE} × ${natCount} (Amazon Linux 2023, iptables masquerade, fck-nat style)`,
        why: 'the manifest asks for nat-instance: a Graviton nano instance forwards traffic for a fraction of a NAT gateway; EC2 recovers it on hardware failure, you patch it (SSM Patch Manager)',
      });
      break;
    case 'endpoints':
      interfaceEndpoints.push(...BASE_INTERFACE_ENDPOINTS);
      if (uses.has('bedrock') && m.integrations.bedrock) interfaceEndpoints.push('bedrock-runtime');
      decisions.push({
        topic: 'egress',
        choice: `no NAT; interface endpoints ${interfaceEndpoints.join(', ')}`,
        why: 'the manifest asks for endpoints: tasks reach ECR, CloudWatch Logs, Secrets Manager and SSM privately and nothing else on the internet',
      });
      break;
  }
  decisions.push({
    topic: 'S3 gateway endpoint',
    choice: 'always',
    why: 'free, and keeps S3 traffic (ECR image layers, app buckets) off the NAT and its per-GB charge',
  });
  const flowLogs = { traffic: 'REJECT' as const, retentionDays: 90 };
  decisions.push({
    topic: 'flow logs',
    choice: `rejected traffic to the log bucket, kept ${flowLogs.retentionDays} days`,
    why: 'rejected connections are what an investigation needs first; logging all traffic would deliver (and bill per GB) every accepted connection too',
  });
  return {
    cidr: '10.0.0.0/16',
    azCount,
    subnetMasks: { public: 24, private: 20, isolated: 24 },
    egress: m.egress,
    natCount,
    ...(natInstanceType && { natInstanceType }),
    gatewayEndpoints: ['s3'],
    interfaceEndpoints,
    flowLogs,
  };
}
