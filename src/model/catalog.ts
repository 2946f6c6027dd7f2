/**
 * What planning needs from the price book: EC2 types with specs and prices for sizing hosts, unit
 * prices and data-store specs for the managed tiers. The loaded PriceBook is one; planner tests use
 * a small fixed catalog.
 */
import type { PriceLookup } from '../price/estimates.js';
import type { Arch } from './plan.js';

export type { PriceLookup };

export interface InstanceCatalog {
  ec2Candidates(region: string): Array<{
    type: string;
    vcpu: number;
    memoryMiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
    hourlyUsd: number;
  }>;
}

export interface SpecCatalog {
  specs(kind: 'rds' | 'elasticache' | 'opensearch'): ReadonlyArray<{
    type: string;
    vcpu: number;
    memoryGiB: number;
    arch: Arch;
    baselinePerVcpu?: number;
  }>;
}

/** What the ecs planner needs: unit prices and data-store specs. */
export type EcsCatalog = PriceLookup & SpecCatalog;

export type PlanCatalog = InstanceCatalog & PriceLookup & SpecCatalog;
