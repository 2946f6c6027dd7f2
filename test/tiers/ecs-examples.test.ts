/**
 * Every example on the ecs tier, with the real price book: recommended where the seed designed
 * it, nag-clean and CloudFormation-schema-clean, pinned as golden templates, byte-identical
 * across synths, and readable by the CDK CLI. The lean examples get an ecs tier too, for plan's
 * side-by-side comparison.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { synthTier } from '../../src/synth/index.js';
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

function planOf(file: string) {
  const r = loadManifest(path.join('examples', file));
  if (!r.ok) throw new Error(`${file} is invalid`);
  return planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir });
}

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe.each(EXAMPLES)('example %s, ecs tier', (file, name, seedIsEcs) => {
  it(seedIsEcs ? 'is the recommended tier' : 'is planned beside the lean tier', () => {
    const plan = planOf(file);
    expect(plan.ecs).toBeDefined();
    expect(plan.assessments.find((a) => a.tier === 'ecs')!.eligible).toBe(true);
    if (seedIsEcs) expect(plan.recommended).toBe('ecs');
    else expect(plan.recommended).toBe('lean');
  });

  it('has no unacknowledged cdk-nag or CloudFormation schema finding, and matches its golden template', async () => {
    const result = await synthTier(planOf(file), 'ecs', {
      assemblyDir: path.join(work, `${name}-validated`),
      schemaValidation: true,
    });
    expect(result.findings).toEqual([]);
    expect(result.acknowledgements.length).toBeGreaterThan(20);
    for (const a of result.acknowledgements) expect(a.reason.length, a.rule).toBeGreaterThanOrEqual(10);
    expectGoldenTemplate(`templates/${name}.ecs.json`, result.template);
  });

  it('synthesizes byte-identical assemblies twice', async () => {
    const a = await synthTier(planOf(file), 'ecs', { assemblyDir: path.join(work, `${name}-a`) });
    const b = await synthTier(planOf(file), 'ecs', { assemblyDir: path.join(work, `${name}-b`) });
    const fa = filesOf(a.assemblyDir);
    const fb = filesOf(b.assemblyDir);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [k, v] of fa) expect(fb.get(k), k).toBe(v);
    for (const v of fa.values()) expect(v).not.toContain(process.cwd());
  });

  it('is a cloud assembly the CDK CLI reads', () => {
    const r = spawnSync(
      path.resolve('node_modules/.bin/cdk'),
      ['ls', '--app', path.join(work, `${name}-a`)],
      {
        encoding: 'utf8',
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 60_000,
      },
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout.trim()).toBe(`${planOf(file).manifest.name}-ecs`);
  });
});
