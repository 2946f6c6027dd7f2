/**
 * What each tier's mechanisms can honestly deliver. The planner, the validator and the design
 * document all read these, so a claim (an RPO, an availability) is stated once.
 */
import type { Availability, TierName } from '../manifest/schema.js';

export interface TierCapability {
  tier: TierName;
  availability: readonly Availability[];
  /** Smallest RPO, in hours, the tier's backup mechanism gives. */
  minRpoHours: number;
  rpoMechanism: string;
  /** Monthly requests the tier is designed for (beyond it, the planner moves up). */
  maxRequestsPerMonth: number;
  summary: string;
}

export const TIER_CAPABILITIES: Record<TierName, TierCapability> = {
  lean: {
    tier: 'lean',
    availability: ['single-instance'],
    minRpoHours: 1,
    rpoMechanism:
      'pg_dump to S3 on a systemd timer: data written since the last successful dump is lost if the volume is lost',
    maxRequestsPerMonth: 30_000_000,
    summary: 'one EC2 instance running Docker Compose, nginx with TLS, local PostgreSQL and Redis',
  },
  ecs: {
    tier: 'ecs',
    availability: ['single-instance', 'multi-az', 'multi-az-ha'],
    minRpoHours: 5 / 60,
    rpoMechanism:
      'RDS automated backups with point-in-time recovery (transaction logs every 5 minutes); Multi-AZ replicates synchronously',
    maxRequestsPerMonth: Number.POSITIVE_INFINITY,
    summary: 'ECS on Fargate behind an ALB, RDS PostgreSQL, ElastiCache, CloudFront',
  },
  eks: {
    tier: 'eks',
    availability: ['single-instance', 'multi-az', 'multi-az-ha'],
    minRpoHours: 5 / 60,
    rpoMechanism: 'RDS automated backups with point-in-time recovery (transaction logs every 5 minutes)',
    maxRequestsPerMonth: Number.POSITIVE_INFINITY,
    summary: 'EKS managed node groups, Multi-AZ RDS and ElastiCache',
  },
};

/** The smallest RPO any tier can meet. */
export const MIN_RPO_HOURS = Math.min(...Object.values(TIER_CAPABILITIES).map((c) => c.minRpoHours));

export function formatHours(h: number): string {
  if (h < 1) {
    const min = Math.round(h * 60);
    return `${min} minute${min === 1 ? '' : 's'}`;
  }
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? '' : 's'}`;
}
