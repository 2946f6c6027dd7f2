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

/** A manifest every tier can run, to which each sample adds one field. */
const BASE = {
  name: 'shop',
  domain: 'shop.example.com',
  alarmEmail: 'ops@example.com',
  services: { api: { kind: 'api', image: 'ghcr.io/acme/api:1.0.0', port: 8080 } } as Record<string, any>,
};

/** For each optional field, a manifest that sets it (to a value other than its default). */
const SAMPLES: Record<string, (tier: string) => Record<string, unknown>> = {
  region: () => ({ region: 'eu-west-1' }),
  aliases: () => ({ aliases: ['www.shop.example.com'] }),
  hostedZone: () => ({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ' } }),
  'hostedZone.name': () => ({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com' } }),
  adminCidr: () => ({ adminCidr: '203.0.113.7/32' }),
  tier: (tier) => ({ tier }),
  arch: () => ({ arch: 'arm64', services: { api: { ...BASE.services.api, arm64: true } } }),
  availability: () => ({ availability: 'multi-az' }),
  'backups.rpoHours': () => ({ backups: { rpoHours: 0.5 } }),
  'backups.retentionDays': () => ({ backups: { retentionDays: 30 } }),
  'logs.retentionDays': () => ({ logs: { retentionDays: 90 } }),
  'traffic.requestsPerMonth': () => ({ traffic: { requestsPerMonth: 5_000_000 } }),
  'traffic.gbOutPerMonth': () => ({ traffic: { gbOutPerMonth: 40 } }),
  egress: () => ({ egress: 'nat-instance' }),
  contentSecurityPolicy: () => ({ contentSecurityPolicy: "default-src 'self'" }),
  waf: () => ({ waf: true }),
  'services.*.image': () => svc({ image: 'ghcr.io/acme/api:2.0.0' }),
  'services.*.build': () => svc({ image: undefined, build: './api' }),
  'services.*.output': () => ({
    services: { ...BASE.services, web: { kind: 'static', build: './web', output: 'build' } },
  }),
  'services.*.port': () => svc({ port: 9000 }),
  'services.*.route': () => svc({ route: '/v1/' }),
  'services.*.health': () => svc({ health: '/ready' }),
  'services.*.user': () => svc({ user: '1000:1000' }),
  'services.*.readonlyRootFilesystem': () => svc({ readonlyRootFilesystem: false }),
  'services.*.healthCommand': () => svc({ healthCommand: ['/app/healthcheck'] }),
  'services.*.cpu': () => svc({ cpu: 0.5 }),
  'services.*.memory': () => svc({ memory: 1024 }),
  'services.*.replicas': () => svc({ replicas: { min: 1, max: 3 } }),
  'services.*.env': () => svc({ env: { LOG_LEVEL: 'debug' } }),
  'services.*.secrets': () => svc({ secrets: ['JWT_SECRET'] }),
  'services.*.websocket': () => svc({ websocket: true }),
  'services.*.arm64': () => svc({ arm64: true }),
  'services.*.command': () => svc({ command: ['serve', '--port', '8080'] }),
  'services.*.releaseTimeout': () => svc({ releaseTimeout: 120 }),
  'services.*.migrate': () => ({ ...svc({ migrate: ['migrate', 'up'] }), postgres: true }),
  'services.*.uses': () => ({ ...svc({ uses: ['postgres'] }), postgres: true, redis: true }),
  'services.*.spot': () => ({
    services: { ...BASE.services, jobs: { kind: 'worker', image: 'ghcr.io/acme/jobs:1.0.0', spot: true } },
  }),
  'services.*.rehearse': () => svc({ rehearse: { command: 'node server.mjs' } }),
  'services.*.rehearse.cwd': () => svc({ rehearse: { command: 'node server.mjs', cwd: 'api' } }),
  postgres: () => ({ postgres: true }),
  'postgres.version': () => ({ postgres: { version: '15' } }),
  'postgres.storageGb': () => ({ postgres: { storageGb: 50 } }),
  'postgres.database': () => ({ postgres: { database: 'orders' } }),
  'postgres.memoryMb': () => ({ postgres: { memoryMb: 2048 } }),
  redis: () => ({ redis: true }),
  'redis.persistence': () => ({ redis: { persistence: true } }),
  'redis.role': () => ({ redis: { role: 'broker', persistence: true } }),
  'redis.memoryMb': () => ({ redis: { memoryMb: 256 } }),
  'redis.engine': () => ({ redis: { engine: 'redis' } }),
  search: () => ({ search: true }),
  'search.storageGb': () => ({ search: { storageGb: 20 } }),
  'search.nodes': () => ({ search: { nodes: 2 } }),
  buckets: () => ({ buckets: { uploads: {} } }),
  'buckets.*.purpose': () => ({ buckets: { uploads: { purpose: 'user uploads' } } }),
  'buckets.*.storageGb': () => ({ buckets: { uploads: { storageGb: 25 } } }),
  'buckets.*.versioned': () => ({ buckets: { uploads: { versioned: false } } }),
  'integrations.bedrock': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0' }] } },
  }),
  'integrations.bedrock.models.*.inputTokensPerMonth': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0', inputTokensPerMonth: 1e6 }] } },
  }),
  'integrations.bedrock.models.*.outputTokensPerMonth': () => ({
    integrations: { bedrock: { models: [{ id: 'amazon.nova-lite-v1:0', outputTokensPerMonth: 1e5 }] } },
  }),
  'integrations.ses': () => ({ integrations: { ses: { sender: 'noreply@shop.example.com' } } }),
  'integrations.ses.emailsPerMonth': () => ({
    integrations: { ses: { sender: 'noreply@shop.example.com', emailsPerMonth: 5000 } },
  }),
  ci: () => ({ ci: { repository: 'acme/shop' } }),
  'ci.branch': () => ({ ci: { repository: 'acme/shop', branch: 'prod' } }),
  'ci.oidcProvider': () => ({ ci: { repository: 'acme/shop', oidcProvider: 'existing' } }),
};

/** The api service with some fields changed (undefined removes one). */
function svc(fields: Record<string, unknown>): Record<string, unknown> {
  const api: Record<string, unknown> = { ...BASE.services.api, ...fields };
  for (const [k, v] of Object.entries(api)) if (v === undefined) delete api[k];
  return { services: { ...BASE.services, api } };
}

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
