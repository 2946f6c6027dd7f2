/**
 * Every optional field's sample manifest plans: `stackplan plan` (whole process, every eligible
 * tier synthesized, cdk-nag's two packs and the Control Tower controls required to pass) exits 0.
 * A valid manifest that makes a tier's template fail a pack is a bug that ends in "internal error"
 * — the Control Tower controls found five (adminCidr on eks, egress: nat-instance,
 * readonlyRootFilesystem: false on ecs, redis.engine: redis, a bucket with versioned: false). CI plans those and a few more that change what the packs judge;
 * STACKPLAN_FIELDS_PLAN=all plans every sample (about 70, several minutes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BASE, SAMPLES } from '../helpers/field-samples.js';

const BIN = path.resolve('bin/stackplan.js');
const CI_SAMPLES = [
  'adminCidr',
  'egress',
  'availability',
  'waf',
  'services.*.readonlyRootFilesystem',
  'services.*.spot',
  'search',
  'integrations.ses',
  'buckets.*.versioned',
  'redis.engine',
];
const chosen =
  process.env.STACKPLAN_FIELDS_PLAN === 'all' ? Object.keys(SAMPLES) : CI_SAMPLES.filter((f) => f in SAMPLES);

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-fields-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('each optional field, set in a manifest, plans through every tier and pack', () => {
  it('samples exist for the fields CI plans', () => {
    for (const f of CI_SAMPLES) expect(SAMPLES[f], f).toBeDefined();
  });

  it.each(chosen)('%s', (field) => {
    const file = path.join(work, `${field.replace(/[^A-Za-z0-9]/g, '_')}.yaml`);
    writeFileSync(file, stringify({ ...BASE, ...SAMPLES[field]!('ecs') }));
    const r = spawnSync(
      process.execPath,
      [BIN, 'plan', file, '--no-design', '--out', path.join(work, 'out')],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
  });
});
