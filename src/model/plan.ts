/**
 * The plan as data: the shapes every layer reads. A plan is pure, deterministic data computed from
 * a manifest; synthesis, host-file rendering, pricing, checks and documents read it, and none of
 * them re-derives a size, a name or a path.
 *
 * This folder sits below both the planner (src/plan, which iterates the tier registry) and the
 * tiers (src/tiers, which implement planning, synthesis and rendering), so both import it without
 * an import cycle between folders. Each tier's own plan type lives in `model/<tier>.ts` only when
 * code outside the tier's folder (the host renderers, rehearse, the CI renderer) reads it.
 */
import type { Manifest } from '../manifest/normalize.js';
import type { Availability, TierName } from '../manifest/schema.js';

/** A choice the planner made, with the reason a reviewer needs. */
export interface Decision {
  topic: string;
  choice: string;
  why: string;
}

/** What a tier's mechanisms can honestly deliver; the planner, the validator and documents read it. */
export interface TierCapabilities {
  availability: readonly Availability[];
  /** Smallest RPO, in hours, the tier's backup mechanism gives. */
  minRpoHours: number;
  rpoMechanism: string;
  /** Monthly requests the tier is designed for (beyond it, the planner moves up). */
  maxRequestsPerMonth: number;
  /** One line: what the tier is. */
  summary: string;
}

export interface TierAssessment {
  tier: TierName;
  capability: TierCapabilities;
  /** Whether the tier meets the manifest's availability, RPO, traffic and features. */
  eligible: boolean;
  /** Why not, when not eligible. */
  unmet: string[];
}

/** What every tier's plan has: its name and the decisions it made. */
export interface TierPlanBase {
  tier: TierName;
  decisions: Decision[];
}

export interface Plan {
  manifest: Manifest;
  /** Absolute directory of the manifest (build dirs and rehearse commands are relative to it). */
  manifestDir: string;
  /** One per tier in the registry, in registry order. */
  assessments: TierAssessment[];
  /** The tier the manifest forces, or the cheapest eligible one. */
  recommended: TierName;
  recommendationWhy: string;
  /** Each planned tier's pure plan, by tier name; absent when the tier cannot run the app. */
  tiers: Partial<Record<TierName, TierPlanBase>>;
  decisions: Decision[];
}

/** The plan of one tier, when it was planned. Each tier's folder offers a typed accessor over this. */
export function tierPlanOf<P extends TierPlanBase>(plan: Plan, tier: P['tier']): P | undefined {
  return plan.tiers[tier] as P | undefined;
}

export type Arch = 'x86_64' | 'arm64';

export interface InstanceChoice {
  type: string;
  vcpu: number;
  memoryMiB: number;
  arch: Arch;
  /** Burstable baseline in vCPUs (vcpu × baseline share), when burstable. */
  baselineVcpu?: number;
  hourlyUsd: number;
}

export interface SizingLine {
  component: string;
  memoryMiB: number;
  vcpu: number;
  why: string;
}

export interface CandidateVerdict {
  type: string;
  hourlyUsd: number;
  fits: boolean;
  why: string;
}

export interface DatabaseCandidate {
  type: string;
  memoryMiB: number;
  arch: Arch;
  hourlyUsd?: number;
  fits: boolean;
  why: string;
}

/** An S3 bucket the manifest declares for the app (`buckets:`), and the services that use it. */
export interface AppBucket {
  key: string;
  purpose?: string;
  versioned: boolean;
  /** Expected GB stored, from the manifest (priced when given). */
  storageGb?: number;
  /** Environment variable holding the bucket's name (BUCKET_<KEY>). */
  envName: string;
  /** Services that use buckets. */
  clients: string[];
}

/** An app bucket's environment variable: BUCKET_ and the key in upper snake case. */
export function bucketEnvName(key: string): string {
  return `BUCKET_${key.toUpperCase().replace(/-/g, '_')}`;
}

/** The manifest's buckets, each reachable by every service (never a static one) that uses buckets. */
export function appBuckets(m: Manifest): AppBucket[] {
  const clients = m.services
    .filter((s) => s.kind !== 'static' && s.uses.includes('buckets'))
    .map((s) => s.name);
  return m.buckets.map((b) => ({
    key: b.key,
    ...(b.purpose !== undefined && { purpose: b.purpose }),
    versioned: b.versioned,
    ...(b.storageGb !== undefined && { storageGb: b.storageGb }),
    envName: bucketEnvName(b.key),
    clients,
  }));
}

/** A cheaper (or dearer) design than the one chosen, with the monthly difference. */
export interface Saving {
  topic: string;
  chosen: string;
  alternative: string;
  /** Alternative minus chosen, USD a month: positive means the choice saves that much. */
  monthlyUsd?: number;
  /** For usage-based differences: the unit price that decides it. */
  perUsage?: string;
  basis: string;
}

export function formatHours(h: number): string {
  if (h < 1) {
    const min = Math.round(h * 60);
    return `${min} minute${min === 1 ? '' : 's'}`;
  }
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? '' : 's'}`;
}
