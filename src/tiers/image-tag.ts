/**
 * Pricing a tier whose services are built from source: the stack's image-tag parameter defaults to
 * "none" (nothing built yet: those services run 0 copies), so the tier is priced as CI runs it, with
 * a tag published. A usage file that sets the parameter wins.
 */
import type { TierUsage } from './tier.js';

export function withPublishedImageTag(tagParam: string | undefined, base: TierUsage): TierUsage {
  if (!tagParam) return base;
  return {
    usage:
      base.usage.parameters?.[tagParam] === undefined
        ? { ...base.usage, parameters: { ...base.usage.parameters, [tagParam]: 'published-by-ci' } }
        : base.usage,
    label: `${base.label}; ${tagParam} as published by CI`,
  };
}
