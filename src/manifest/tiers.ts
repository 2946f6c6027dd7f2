/**
 * The tiers a manifest can name (`tier:`, `plan --tier`). Apart from the schema so that code which
 * only needs the names (the command table) does not load zod.
 */
export const TIERS = ['lean', 'ecs', 'eks'] as const;
export type TierName = (typeof TIERS)[number];
