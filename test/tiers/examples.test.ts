/**
 * Every example that the lean tier fits: synthesized with the real price book, checked by cdk-nag
 * and by aws-cdk-lib's CloudFormation schema validator, pinned as golden templates, byte-identical
 * across synths, and readable by the CDK CLI.
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

const LEAN_EXAMPLES = ['cloud-consulting', 'gyva-shop'];
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function planOf(example: string) {
  const r = loadManifest(path.join('examples', example, 'stackplan.yaml'));
  if (!r.ok) throw new Error(`${example} is invalid`);
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

describe.each(LEAN_EXAMPLES)('example %s, lean tier', (example) => {
  it('is the recommended (or forced) tier', () => {
    expect(planOf(example).recommended).toBe('lean');
  });

  it('has no unacknowledged cdk-nag or CloudFormation schema finding, and matches its golden template', async () => {
    const result = await synthTier(planOf(example), 'lean', {
      assemblyDir: path.join(work, `${example}-validated`),
      schemaValidation: true,
    });
    expect(result.findings).toEqual([]);
    expect(result.acknowledgements.length).toBeGreaterThan(10);
    for (const a of result.acknowledgements) expect(a.reason.length, a.rule).toBeGreaterThanOrEqual(10);
    expectGoldenTemplate(`templates/${example}.lean.json`, result.template);
  });

  it('synthesizes byte-identical assemblies twice', async () => {
    const a = await synthTier(planOf(example), 'lean', { assemblyDir: path.join(work, `${example}-a`) });
    const b = await synthTier(planOf(example), 'lean', { assemblyDir: path.join(work, `${example}-b`) });
    const fa = filesOf(a.assemblyDir);
    const fb = filesOf(b.assemblyDir);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [k, v] of fa) expect(fb.get(k), k).toBe(v);
    for (const v of fa.values()) expect(v).not.toContain(process.cwd());
  });

  it('is a cloud assembly the CDK CLI reads', async () => {
    const r = spawnSync(
      path.resolve('node_modules/.bin/cdk'),
      ['ls', '--app', path.join(work, `${example}-a`)],
      {
        encoding: 'utf8',
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 60_000,
      },
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout.trim()).toBe(`${example}-lean`);
  });
});
