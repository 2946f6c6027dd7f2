/**
 * The tiers stackplan plans and builds, cheapest structure first (without prices, the planner
 * ranks tiers in this order). Adding a tier is one folder under src/tiers/ and one line here.
 *
 * Importing this module must stay cheap: `stackplan validate` and `stackplan cost` load it and
 * never load aws-cdk-lib (a test checks).
 */
import type { TierName } from '../manifest/schema.js';
import { ecsTier } from './ecs/index.js';
import { eksTier } from './eks/index.js';
import { leanTier } from './lean/index.js';
import type { Tier } from './tier.js';

export const TIER_REGISTRY: readonly Tier[] = [leanTier, ecsTier, eksTier];

/** The registered tier of that name, if stackplan can plan and build it. */
export function tierNamed(name: TierName | string): Tier | undefined {
  return TIER_REGISTRY.find((t) => t.name === name);
}
