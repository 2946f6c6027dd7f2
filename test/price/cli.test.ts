/**
 * `stackplan cost` and its error paths: bad input is a UserError naming the file or key and what
 * to do, exit 1 through main(), never a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cost } from '../../src/cli/commands/cost.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/errors.js';
import type { CostReport } from '../../src/price/types.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'cost');
const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-cost-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
}

const EIP = JSON.stringify({
  Resources: { Ip: { Type: 'AWS::EC2::EIP' }, Bucket: { Type: 'AWS::S3::Bucket' } },
});

async function userError(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('stackplan cost', () => {
  it('prints a table by default and JSON on request', async () => {
    const io = memoryIo();
    const f = file('eip.json', EIP);
    expect(await cost({ input: f, asOf: '2026-11-22' }, io)).toBe(0);
    expect(io.text()).toContain('Public IPv4 address (Elastic IP)');
    const json = memoryIo();
    await cost({ input: f, asOf: '2026-11-22', format: 'json', freeTier: 'none' }, json);
    const report = JSON.parse(json.stdout.join('')) as CostReport;
    expect(report.totals.listMonthlyUsd).toBeCloseTo(3.65, 6);
    expect(report.schemaVersion).toBe(1);
  });

  it('reads a cdk.out directory and a YAML template with short tags', async () => {
    const io = memoryIo();
    await cost({ input: path.join(FIXTURES, 'cdk.out'), asOf: '2026-11-22', format: 'markdown' }, io);
    expect(io.text()).toContain('## Stack EuStack (eu-west-1)');
    expect(io.text()).toContain('## Stack Prod/Web (us-east-1)');
    const yaml = memoryIo();
    await cost({ input: path.join(FIXTURES, 'yaml.template.yaml'), asOf: '2026-11-22' }, yaml);
    expect(yaml.text()).toContain('Instance usage (Linux/UNIX, on-demand, t4g.small)');
  });

  it('applies a usage file, and checks its keys against the template', async () => {
    const f = file('eip2.json', EIP);
    const ok = file('ok.yaml', 'profile: small\nresources:\n  Bucket:\n    storageGb: 100\n');
    const io = memoryIo();
    await cost({ input: f, usage: ok, format: 'json', asOf: '2026-11-22', freeTier: 'none' }, io);
    const r = JSON.parse(io.stdout.join('')) as CostReport;
    const storage = r.stacks[0]!.resources.find((x) => x.logicalId === 'Bucket')!.components[0]!;
    expect(storage.monthlyUsd).toBeCloseTo(100 * 0.023, 6);

    const typo = file('typo.yaml', 'resources:\n  Bucket:\n    storageGB: 100\n');
    const e = await userError(cost({ input: f, usage: typo }, memoryIo()));
    expect(e.message).toBe(`${typo} is not a valid usage file for ${f}`);
    expect(e.detail).toContain(
      'resources.Bucket.storageGB: not a usage key of AWS::S3::Bucket (valid: storageGb, getRequests, putRequests)',
    );

    const stray = file('stray.yaml', 'resources:\n  Nope:\n    storageGb: 1\n');
    const warn = memoryIo();
    await cost({ input: f, usage: stray }, warn);
    expect(warn.stderr.join('\n')).toContain('resources.Nope is not a resource of');
  });

  it.each([
    ['unknown top-level key', 'dataTransferOutGB: 10\n', /dataTransferOutGB/],
    ['negative number', 'dataTransferOutGb: -1\n', /dataTransferOutGb/],
    [
      'unknown type key',
      'types:\n  AWS::S3::Bucket:\n    size: 1\n',
      /types\.AWS::S3::Bucket\.size: not a usage key/,
    ],
    ['type without usage', 'types:\n  AWS::IAM::Role:\n    x: 1\n', /types\.AWS::IAM::Role: no usage keys/],
    ['bad YAML', 'a: [1, 2\n', /not valid YAML/],
    ['unknown profile', 'profile: huge\n', /profile/],
  ])('rejects a usage file with %s', async (_name, text, detail) => {
    const u = file(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
    const e = await userError(cost({ input: file('t.json', EIP), usage: u }, memoryIo()));
    expect(e.message).toBe(`${u} is not a valid usage file`);
    expect(e.detail).toMatch(detail);
    expect(e.actions.length).toBeGreaterThan(0);
  });

  it.each([
    ['a missing file', () => path.join(tmp, 'nope.json'), /nope\.json does not exist/],
    [
      'a file that is not JSON',
      () => file('broken.json', '{"Resources": '),
      /broken\.json is not valid JSON/,
    ],
    [
      'JSON that is not a template',
      () => file('pkg.json', '{"name": "x"}'),
      /pkg\.json is not a CloudFormation template: it has no "Resources" object/,
    ],
    [
      'a directory that is not a cdk.out',
      () => mkdtempSync(path.join(tmp, 'empty-')),
      /is not a cdk.out directory/,
    ],
    [
      'YAML that is not a template',
      () => file('list.yaml', '- a\n- b\n'),
      /list\.yaml is not a CloudFormation template/,
    ],
  ])('rejects %s', async (_name, make, message) => {
    const e = await userError(cost({ input: make() }, memoryIo()));
    expect(e.message).toMatch(message);
    expect(e.actions.length).toBeGreaterThan(0);
  });

  it('takes the old --free-tier free-plan as paid-plan, with a deprecation warning', async () => {
    const f = file('eip-old.json', EIP);
    const io = memoryIo();
    await cost({ input: f, asOf: '2026-11-22', format: 'json', freeTier: 'free-plan' }, io);
    expect((JSON.parse(io.stdout.join('')) as CostReport).freeTier).toBe('paid-plan');
    expect(io.stderr.join('\n')).toMatch(
      /--free-tier free-plan is deprecated and means --free-tier paid-plan/,
    );
    const quiet = memoryIo();
    await cost({ input: f, asOf: '2026-11-22', format: 'json' }, quiet);
    expect((JSON.parse(quiet.stdout.join('')) as CostReport).freeTier).toBe('paid-plan');
    expect(quiet.stderr).toEqual([]);
  });

  it('rejects contradictory or unknown options', async () => {
    const f = file('o.json', EIP);
    expect((await userError(cost({ input: f, profile: 'huge' }, memoryIo()))).message).toBe(
      '--profile huge is not one of small, medium, large',
    );
    expect(
      (await userError(cost({ input: f, profile: 'small', usage: 'u.yaml' }, memoryIo()))).message,
    ).toMatch(/not both/);
    expect((await userError(cost({ input: f, region: 'moon-1' }, memoryIo()))).message).toMatch(
      /not an AWS region/,
    );
    expect((await userError(cost({ input: f, freeTier: 'always' }, memoryIo()))).message).toMatch(
      /--free-tier always/,
    );
    expect(
      (await userError(cost({ input: f, usage: path.join(tmp, 'missing.yaml') }, memoryIo()))).message,
    ).toMatch(/cannot read usage file/);
  });

  it('exits 1 through the CLI with the error and what to do, no stack trace', async () => {
    const io = memoryIo();
    expect(await main(['cost', path.join(tmp, 'absent.json')], io)).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^error: .*absent\.json does not exist/m);
    expect(err).toContain('what to do:');
    expect(err).not.toMatch(/\n\s+at /);
    const ok = memoryIo();
    expect(await main(['cost', file('m.json', EIP), '--profile', 'small', '--as-of', '2026-11-22'], ok)).toBe(
      0,
    );
    expect(ok.stdout.join('')).toContain('usage: profile small');
  });
});
