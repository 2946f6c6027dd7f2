/**
 * Every example on the ecs tier, with the real price book: recommended where the seed designed
 * it, nag-clean and CloudFormation-schema-clean, pinned as golden templates, byte-identical
 * across synths, and readable by the CDK CLI. The lean examples get an ecs tier too, for plan's
 * side-by-side comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ecsPlanOf } from '../../src/model/ecs.js';
import { synthTier } from '../../src/synth/index.js';
import { cdkLs, filesOf, planExample } from '../helpers/assembly.js';
import { expectGoldenTemplate } from '../helpers/golden.js';

/** manifest path under examples/ → golden name and whether the seed designed an ecs-like tier. */
const EXAMPLES: Array<[string, string, boolean]> = [
  ['support-analytics/stackplan.yaml', 'support-analytics', true],
  ['default-rate/stackplan.yaml', 'default-rate', true],
  ['cloud-consulting/stackplan.ha.yaml', 'cloud-consulting-ha', true],
  ['cloud-consulting/stackplan.yaml', 'cloud-consulting', false],
  ['gyva-shop/stackplan.yaml', 'gyva-shop', false],
];

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-ecs-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(EXAMPLES)('example %s, ecs tier', (file, name, seedIsEcs) => {
  it(seedIsEcs ? 'is the recommended tier' : 'is planned beside the lean tier', () => {
    const plan = planExample(file);
    expect(ecsPlanOf(plan)).toBeDefined();
    expect(plan.assessments.find((a) => a.tier === 'ecs')!.eligible).toBe(true);
    if (seedIsEcs) expect(plan.recommended).toBe('ecs');
    else expect(plan.recommended).toBe('lean');
  });

  it('has no unacknowledged cdk-nag or CloudFormation schema finding, and matches its golden template', async () => {
    const result = await synthTier(planExample(file), 'ecs', {
      assemblyDir: path.join(work, `${name}-validated`),
      schemaValidation: true,
    });
    expect(result.findings).toEqual([]);
    expect(result.acknowledgements.length).toBeGreaterThan(20);
    for (const a of result.acknowledgements) expect(a.reason.length, a.rule).toBeGreaterThanOrEqual(10);
    expectGoldenTemplate(`templates/${name}.ecs.json`, result.template);
  });

  it('synthesizes byte-identical assemblies twice', async () => {
    const a = await synthTier(planExample(file), 'ecs', { assemblyDir: path.join(work, `${name}-a`) });
    const b = await synthTier(planExample(file), 'ecs', { assemblyDir: path.join(work, `${name}-b`) });
    const fa = filesOf(a.assemblyDir);
    const fb = filesOf(b.assemblyDir);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [k, v] of fa) expect(fb.get(k), k).toBe(v);
    for (const v of fa.values()) expect(v).not.toContain(process.cwd());
  });

  it('is a cloud assembly the CDK CLI reads', () => {
    const r = cdkLs(path.join(work, `${name}-a`));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout.trim()).toBe(`${planExample(file).manifest.name}-ecs`);
  });
});
