/** Pricing helpers for the price tests: a template in, a report out, lines found by name. */
import { expect } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplates, type TemplateInput } from '../../src/price/engine.js';
import type { CfnTemplate } from '../../src/price/template.js';
import type { ComponentCost, CostReport, FreeTierMode, ResourceCost } from '../../src/price/types.js';
import type { Usage } from '../../src/price/usage.js';

export const AS_OF = '2026-11-22';
export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }
>;

export interface PriceOpts {
  usage?: Usage;
  freeTier?: FreeTierMode;
  region?: string;
  asOf?: string;
  extra?: Record<string, unknown>;
  warnings?: string[];
}

/** Prices one template (resources plus `extra` top-level sections) with list prices by default. */
export function price(resources: Resources, opts: PriceOpts = {}): CostReport {
  const input: TemplateInput = {
    name: 'Stack',
    template: { Resources: resources, ...opts.extra } as CfnTemplate,
  };
  if (opts.warnings) input.warnings = opts.warnings;
  return priceTemplates([input], {
    asOf: opts.asOf ?? AS_OF,
    book: loadPriceBook(),
    freeTier: opts.freeTier ?? 'none',
    ...(opts.usage && { usage: opts.usage }),
    ...(opts.region && { region: opts.region }),
  });
}

export function resource(r: CostReport, id: string): ResourceCost {
  const found = r.stacks.flatMap((s) => s.resources).find((x) => x.logicalId === id);
  if (!found)
    throw new Error(
      `no resource ${id} (have ${r.stacks
        .flatMap((s) => s.resources)
        .map((x) => x.logicalId)
        .join(', ')})`,
    );
  return found;
}

export function line(r: CostReport, id: string, name: RegExp): ComponentCost {
  const c = resource(r, id).components.find((x) => name.test(x.name));
  if (!c)
    throw new Error(
      `no line ${name} on ${id}: ${resource(r, id)
        .components.map((x) => x.name)
        .join(', ')}; status ${resource(r, id).status} ${resource(r, id).reason ?? ''}`,
    );
  return c;
}

export const closeTo = (actual: number | null | undefined, expected: number) =>
  expect(actual).toBeCloseTo(expected, 6);
