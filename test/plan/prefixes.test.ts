/**
 * Each tier owns its own SSM parameter path: the lean host's role reads `prefix*`, so a lean prefix
 * that is a prefix of the ecs one would hand the lean host every ecs secret of the same app.
 */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/load.js';
import { ecsPlanOf } from '../../src/model/ecs.js';
import { leanPlanOf } from '../../src/model/lean.js';
import { planApp } from '../../src/plan/index.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

describe('parameter paths', () => {
  it('of the lean and ecs tiers of one app are disjoint', () => {
    const r = parseManifest(
      `name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, secrets: [JWT_SECRET]}
postgres: true
`,
      'test.yaml',
    );
    if (!r.ok) throw new Error('invalid');
    const plan = planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: '/app' });
    const lean = leanPlanOf(plan)!.params.prefix;
    const ecs = ecsPlanOf(plan)!.params.prefix;
    expect(lean).toBe('/stackplan/shop/lean/');
    expect(ecs.startsWith(lean)).toBe(false);
    expect(lean.startsWith(ecs)).toBe(false);
    for (const p of [leanPlanOf(plan)!.params.secrets, leanPlanOf(plan)!.params.postgresPassword])
      expect(p.startsWith(lean)).toBe(true);
  });
});
