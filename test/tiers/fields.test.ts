/**
 * Every optional field of the manifest schema × every registered tier: the tier honours the field,
 * or a manifest that sets it makes the tier ineligible with a reason `plan` prints — never
 * neither. Fields only stackplan's own pipeline reads (pricing usage, rehearse) are listed once in
 * src/plan/fields.ts. The optional fields come from the JSON Schema generated from the zod schema,
 * so a new field fails here until each tier says what it does with it.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { manifestJsonSchema } from '../../src/manifest/json-schema.js';
import { CAPABILITY_FIELDS } from '../../src/plan/assess.js';
import { PIPELINE_FIELDS } from '../../src/plan/fields.js';
import { planApp } from '../../src/plan/index.js';
import { parseManifest } from '../../src/plan/load.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { usageFromManifest } from '../../src/price/manifest-usage.js';
import { renderPlanSummary } from '../../src/report/plan-summary.js';
import { TIER_REGISTRY } from '../../src/tiers/registry.js';
import { BASE, SAMPLES } from '../helpers/field-samples.js';

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  default?: unknown;
  description?: string;
};

/** Optional fields by path (`*` for map keys and list items), with their descriptions. */
function optionalFields(
  node: Schema,
  at: string[] = [],
  out = new Map<string, string>(),
): Map<string, string> {
  for (const alt of node.anyOf ?? [])
    if (alt.type === 'object' || alt.type === 'array') optionalFields(alt, at, out);
  if (node.type === 'object' && node.properties) {
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties)) {
      const p = [...at, key];
      // An object that only groups fields and always exists (backups, traffic …) is not a field itself.
      const container = child.type === 'object' && child.properties && child.default !== undefined;
      if (!required.has(key) && !container) out.set(p.join('.'), child.description ?? '');
      optionalFields(child, p, out);
    }
  } else if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    optionalFields(node.additionalProperties, [...at, '*'], out);
  } else if (node.type === 'array' && node.items) {
    optionalFields(node.items, [...at, '*'], out);
  }
  return out;
}

const FIELDS = optionalFields(manifestJsonSchema() as Schema);

const book = loadPriceBook();

function manifestWith(patch: Record<string, unknown>) {
  const r = parseManifest(stringify({ ...BASE, ...patch }), 'sample.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return r.manifest;
}

describe('the optional fields of the manifest schema', () => {
  it('are found by walking the schema', () => {
    expect(FIELDS.size).toBeGreaterThan(50);
    for (const f of [
      'region',
      'services.*.image',
      'buckets.*.versioned',
      'ci.oidcProvider',
      'redis.engine',
    ]) {
      expect(FIELDS.has(f), f).toBe(true);
    }
    expect(FIELDS.has('name')).toBe(false); // required
    expect(FIELDS.has('backups')).toBe(false); // a group that always exists
  });

  it('each have a sample manifest that sets them', () => {
    expect([...FIELDS.keys()].filter((f) => !SAMPLES[f])).toEqual([]);
  });

  it('are named correctly in every table (no stale or misspelt path)', () => {
    const known = new Set(FIELDS.keys());
    expect(Object.keys(PIPELINE_FIELDS).filter((f) => !known.has(f))).toEqual([]);
    for (const tier of TIER_REGISTRY) {
      expect(
        Object.keys(tier.fields).filter((f) => !known.has(f)),
        tier.name,
      ).toEqual([]);
    }
  });
});

describe.each(TIER_REGISTRY.map((t) => [t.name, t] as const))('the %s tier', (name, tier) => {
  it.each([...FIELDS.keys()])('%s: honoured, or refused with a printed reason', (field) => {
    const support = tier.fields[field];
    const pipeline = PIPELINE_FIELDS[field];
    // Neither is the silent bug this test exists for; both would be two answers to one question.
    expect(Boolean(support) !== Boolean(pipeline), `${field}: in the tier's table xor PIPELINE_FIELDS`).toBe(
      true,
    );
    const m = manifestWith(SAMPLES[field]!(name));
    const plan = planApp(m, { catalog: book, manifestDir: '/app' });
    const assessment = plan.assessments.find((a) => a.tier === name)!;
    if (pipeline) {
      if (field.startsWith('traffic.') || field.startsWith('integrations.')) {
        expect(usageFromManifest(m)).not.toEqual(usageFromManifest(manifestWith({})));
      }
      return;
    }
    expect(support!.honours || support!.unused || support!.refuses, field).toBeTruthy();
    const gap = support!.refuses?.(m);
    if (gap) {
      // Refused: ineligible, and the reason is on the tier's row of `plan`'s table.
      expect(assessment.eligible).toBe(false);
      expect(assessment.unmet).toContain(gap.reason);
      const printed = renderPlanSummary(plan, [], { outDir: 'out', written: [] });
      const row = printed.split('\n').find((l) => new RegExp(`^  . ${name} `).test(l))!;
      expect(row).toContain(gap.reason);
      return;
    }
    // Honoured (or documented as not applying): setting it leaves the tier able to run the app,
    // apart from what the tier's capabilities refuse (availability, RPO).
    expect(
      support!.honours || support!.unused,
      `${field}: refuses nothing here, so it must say how it honours it`,
    ).toBeTruthy();
    if ((CAPABILITY_FIELDS as readonly string[]).includes(field) && !assessment.eligible) {
      expect(assessment.unmet.join('; ')).toMatch(/^(availability|RPO|[\d,]+ requests)/);
    } else {
      expect(assessment.unmet, field).toEqual([]);
      expect(plan.tiers[name], field).toBeDefined();
    }
  });

  it('says a field does not apply only where the schema scopes it to other tiers', () => {
    const misplaced = Object.entries(tier.fields)
      .filter(([, s]) => s.unused !== undefined)
      .filter(([f]) => {
        const description = FIELDS.get(f) ?? '';
        const others = TIER_REGISTRY.map((t) => t.name).filter((n) => n !== name);
        return !new RegExp(`\\b(${[...others, 'eks', 'tiers?'].join('|')})\\b`).test(description);
      })
      .map(([f]) => f);
    expect(misplaced).toEqual([]);
  });
});
