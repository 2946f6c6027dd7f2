/**
 * `stackplan validate` and `stackplan cost` never load aws-cdk-lib (nor cdk-nag or constructs): the
 * tier registry they load must stay cheap to import, with the CDK code behind each tier's synth().
 * `cost` reads no manifest, so it does not load zod either. Runs the built CLI (npm test builds it
 * first) with a module-resolution hook that records them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/stackplan.js');
const HOOK = path.resolve('test/helpers/record-imports.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-imports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The CDK modules a process resolved, running `args` (node arguments after the hook). */
function heavyImports(name: string, args: string[]): { code: number | null; modules: string[]; err: string } {
  const log = path.join(work, `${name}.log`);
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, STACKPLAN_IMPORT_LOG: log },
  });
  return {
    code: r.status,
    modules: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
    err: r.stderr,
  };
}

describe('commands that never load aws-cdk-lib', () => {
  it('the hook sees aws-cdk-lib when something imports it', () => {
    const r = heavyImports('control', ['--input-type=module', '-e', "await import('aws-cdk-lib')"]);
    expect(r.code, r.err).toBe(0);
    expect(r.modules.some((m) => m.includes('/aws-cdk-lib/'))).toBe(true);
  });

  it.each([
    ['validate', [BIN, 'validate', 'examples/support-analytics/stackplan.yaml']],
    ['validate (invalid)', [BIN, 'validate', 'test/fixtures/manifests/bad/lean-rpo-and-search.yaml']],
    ['cost', [BIN, 'cost', 'test/golden/templates/support-analytics.ecs.json', '--profile', 'small']],
  ])('%s', (name, args) => {
    const r = heavyImports(name, args as string[]);
    expect(r.code === 0 || name.includes('invalid'), r.err).toBe(true);
    const allowed = name === 'cost' ? [] : r.modules.filter((m) => m.includes('/zod/'));
    expect(r.modules).toEqual(allowed);
  });
});
