/**
 * Every example that the lean tier fits: synthesized with the real price book, checked by cdk-nag
 * and by aws-cdk-lib's CloudFormation schema validator, pinned as golden templates, byte-identical
 * across synths, and readable by the CDK CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthTier } from '../../src/synth/index.js';
import { cdkLs, filesOf, planExample } from '../helpers/assembly.js';
import { expectGoldenTemplate } from '../helpers/golden.js';

const LEAN_EXAMPLES = ['cloud-consulting', 'gyva-shop'];
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(LEAN_EXAMPLES)('example %s, lean tier', (example) => {
  it('is the recommended (or forced) tier', () => {
    expect(planExample(`${example}/stackplan.yaml`).recommended).toBe('lean');
  });

  it('has no unacknowledged cdk-nag or CloudFormation schema finding, and matches its golden template', async () => {
    const result = await synthTier(planExample(`${example}/stackplan.yaml`), 'lean', {
      assemblyDir: path.join(work, `${example}-validated`),
      schemaValidation: true,
    });
    expect(result.findings).toEqual([]);
    expect(result.acknowledgements.length).toBeGreaterThan(10);
    for (const a of result.acknowledgements) expect(a.reason.length, a.rule).toBeGreaterThanOrEqual(10);
    expectGoldenTemplate(`templates/${example}.lean.json`, result.template);
  });

  it('synthesizes byte-identical assemblies twice', async () => {
    const a = await synthTier(planExample(`${example}/stackplan.yaml`), 'lean', {
      assemblyDir: path.join(work, `${example}-a`),
    });
    const b = await synthTier(planExample(`${example}/stackplan.yaml`), 'lean', {
      assemblyDir: path.join(work, `${example}-b`),
    });
    const fa = filesOf(a.assemblyDir);
    const fb = filesOf(b.assemblyDir);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [k, v] of fa) expect(fb.get(k), k).toBe(v);
    for (const v of fa.values()) expect(v).not.toContain(process.cwd());
  });

  it('is a cloud assembly the CDK CLI reads', async () => {
    const r = cdkLs(path.join(work, `${example}-a`));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout.trim()).toBe(`${example}-lean`);
  });
});
