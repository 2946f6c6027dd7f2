/**
 * `stackplan check` as a user runs it: formats, distinct exit codes (0 nothing at or above
 * --fail-on, 1 bad input, 3 findings), bad input named by file and line without a stack trace,
 * the ignore file, acknowledgements written in a template, and a cloud assembly with its
 * construct paths and acknowledgements.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/types.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { AS_OF } from './helpers.js';

const RULES = 'test/fixtures/check/rules';
const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-check-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
}

async function run(...args: string[]) {
  const io = memoryIo();
  const code = await main(['check', ...args, ...(args.includes('--as-of') ? [] : ['--as-of', AS_OF])], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const schema = JSON.parse(readFileSync('schema/check-report.schema.json', 'utf8'));
const validateReport = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('stackplan check: exit codes', () => {
  it('0 when nothing reaches --fail-on, 3 when something does', async () => {
    expect((await run(`${RULES}/SP-tls-policy/pass.yaml`, '--pack', 'stackplan')).code).toBe(0);
    const failed = await run(`${RULES}/SP-tls-policy/fail.yaml`, '--pack', 'stackplan');
    expect(failed.code).toBe(3);
    expect(failed.err).toContain('fails at --fail-on error (exit 3)');
    expect(
      (await run(`${RULES}/SP-tls-policy/fail.yaml`, '--pack', 'stackplan', '--fail-on', 'none')).code,
    ).toBe(0);
  });

  it('--fail-on decides by severity: warnings fail only at warning, notes only at note', async () => {
    const warnings = `${RULES}/SP-ecr-scan-on-push/fail.yaml`;
    expect((await run(warnings, '--pack', 'stackplan')).code).toBe(0);
    expect((await run(warnings, '--pack', 'stackplan', '--fail-on', 'warning')).code).toBe(3);
    const notes = `${RULES}/SP-cost-log-retention/fail.yaml`;
    expect((await run(notes, '--pack', 'stackplan', '--fail-on', 'warning')).code).toBe(0);
    expect((await run(notes, '--pack', 'stackplan', '--fail-on', 'note')).code).toBe(3);
  });
});

describe('stackplan check: formats', () => {
  it('table: each finding at file:line with its message, then a summary', async () => {
    const r = await run(`${RULES}/SP-open-admin-port/fail.yaml`, '--pack', 'stackplan');
    expect(r.out).toMatch(
      /^error {4}SP-open-admin-port +test\/fixtures\/check\/rules\/SP-open-admin-port\/fail\.yaml:9 Web/m,
    );
    expect(r.out).toContain('security group allows port 22 to 0.0.0.0/0 (SSH)');
    expect(r.out).toContain('3 errors, 0 warnings, 0 notes (0 suppressed)');
    expect(r.out).toContain('what the packs cannot see:');
  });

  it('json: follows schema/check-report.schema.json', async () => {
    for (const f of [
      'SP-cost-nat-per-az/fail.yaml',
      'SP-k8s-selector-labels/fail.yaml',
      'SP-tls-policy/pass.yaml',
    ]) {
      const r = await run(`${RULES}/${f}`, '--pack', 'stackplan', '--format', 'json', '--fail-on', 'none');
      const report = JSON.parse(r.out) as CheckReport;
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      expect(r.err).toMatch(/error\(s\), .* warning\(s\), .* note\(s\), .* suppressed/);
    }
    // The validator can fail.
    expect(validateReport({ schemaVersion: 2 })).toBe(false);
  });

  it('--output writes the report to a file and prints the summary', async () => {
    const out = path.join(tmp, 'report.sarif');
    const r = await run(
      `${RULES}/SP-tls-policy/fail.yaml`,
      '--pack',
      'stackplan',
      '--format',
      'sarif',
      '-o',
      out,
    );
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toContain(`wrote ${out}: 3 error(s)`);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('stackplan check: bad input is exit 1 with where and what to do', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing file', () => [path.join(tmp, 'nope.yaml')], /nope\.yaml does not exist/],
    ['an empty file', () => [file('empty.yaml', '\n')], /empty\.yaml is empty/],
    [
      'invalid JSON, at its line and column',
      () => [file('bad.json', '{\n  "Resources": {\n    "A": {"Type": "AWS::SNS::Topic",}\n  }\n}\n')],
      /bad\.json:3:\d+: not valid JSON/,
    ],
    [
      'invalid YAML, at its line',
      () => [file('bad.yaml', 'Resources:\n  A:\n    Type: [AWS::SNS::Topic\n')],
      /bad\.yaml:\d+:\d+: not valid YAML/,
    ],
    [
      'a file that is not a template',
      () => [file('compose.yaml', 'services:\n  web: {image: nginx}\n')],
      /compose\.yaml is not a CloudFormation template/,
    ],
    [
      'a resource without a Type, at its line',
      () => [file('notype.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Properties: {}\n')],
      /notype\.yaml:4: resource B has no "Type"/,
    ],
    ['a directory that is no cdk.out', () => [tmp], /is not a cdk\.out directory/],
    [
      'an unknown pack',
      () => [`${RULES}/SP-tls-policy/pass.yaml`, '--pack', 'default,sox'],
      /--pack sox is not a pack/,
    ],
    [
      'a bad date',
      () => [`${RULES}/SP-tls-policy/pass.yaml`, '--as-of', '2026-13'],
      /--as-of 2026-13 is not a YYYY-MM-DD date/,
    ],
    [
      'an unwritable output',
      () => [`${RULES}/SP-tls-policy/pass.yaml`, '-o', path.join(tmp, 'no', 'such', 'dir', 'r.json')],
      /cannot write .*r\.json/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await run(...args());
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toContain('what to do:');
      expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
    });
  }

  it('an unknown --format is refused by the parser', async () => {
    const io = memoryIo();
    expect(await main(['check', `${RULES}/SP-tls-policy/pass.yaml`, '--format', 'xml'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/Allowed choices are table, json, sarif/);
  });

  it('the real process: exit 1, the file and line, no stack trace', () => {
    const bad = file('proc.json', '{"Resources": {"A": }}');
    const r = spawnSync(process.execPath, ['bin/stackplan.js', 'check', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/proc\.json:1:\d+: not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('stackplan check: the installed command', () => {
  it('runs the cdk-nag packs in worker threads from the bundle on a large template', () => {
    // 153 resources, two cdk-nag packs: each pack runs in its own thread (bundle entry nag-worker.js)
    const r = spawnSync(
      process.execPath,
      [
        'bin/stackplan.js',
        'check',
        'test/golden/templates/support-analytics.ecs.json',
        '--format',
        'json',
        '--fail-on',
        'none',
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.packs.map((p) => p.id)).toEqual(['aws-solutions', 'nist-800-53-r5', 'stackplan']);
    for (const prefix of ['AwsSolutions-', 'NIST.800.53.R5-']) {
      expect(
        report.findings.some((f) => f.ruleId.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  }, 180_000);
});

describe('stackplan check: suppressions', () => {
  it('an ignore file suppresses matching findings, with the reason, and reports entries that matched nothing', async () => {
    const ignore = file(
      'ignore.yaml',
      [
        'ignore:',
        '  - rule: SP-open-admin-port',
        '    resource: Web',
        '    reason: the bastion allow-list is enforced by the VPN in front of it',
        '  - rule: SP-cost-*',
        '    reason: cost notes are reviewed quarterly, not in CI',
        '  - rule: SP-tls-policy',
        '    reason: no listener in this template, the entry is stale',
        '  - rule: SP-open-admin-port',
        '    resource: Everything',
        '    reason: temporary exception for the migration window',
        '    expires: 2026-11-30',
        '',
      ].join('\n'),
    );
    const r = await run(
      `${RULES}/SP-open-admin-port/fail.yaml`,
      '--pack',
      'stackplan',
      '--ignore-file',
      ignore,
      '--format',
      'json',
    );
    const report = JSON.parse(r.out) as CheckReport;
    const web = report.findings.find((f) => f.location.logicalId === 'Web')!;
    expect(web.suppression).toEqual({
      kind: 'ignore-file',
      reason: 'the bastion allow-list is enforced by the VPN in front of it',
      source: `${ignore}:2`,
    });
    // Expired: the finding is reported again.
    expect(report.findings.find((f) => f.location.logicalId === 'Everything')!.suppression).toBeUndefined();
    expect(report.counts).toMatchObject({ error: 2, suppressed: 1 });
    expect(report.warnings).toContain(`${ignore}:7: ignore entry for SP-tls-policy matched no finding`);
    expect(report.warnings).toContain(
      `${ignore}:9: ignore entry for SP-open-admin-port expired on 2026-11-30`,
    );
    expect(r.code).toBe(3);
  });

  it('refuses ignore entries without a real reason, at their line', async () => {
    const bad = file(
      'short.yaml',
      'ignore:\n  - rule: SP-image-tag\n    reason: later\n  - resource: Web\n    reason: no rule named here at all\n',
    );
    const r = await run(`${RULES}/SP-image-tag/fail.yaml`, '--pack', 'stackplan', '--ignore-file', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:2: ignore[0].reason: a reason of at least 10 characters is required`);
    expect(r.err).toMatch(new RegExp(`${bad.replace(/[.]/g, '\\.')}:4: ignore\\[1\\]\\.rule: `));
  });

  it('reads cdk-nag suppressions written in a template (Metadata.cdk_nag.rules_to_suppress)', async () => {
    const t = file(
      'nag-metadata.yaml',
      [
        'Resources:',
        '  Logs:',
        '    Type: AWS::S3::Bucket',
        '    Metadata:',
        '      cdk_nag:',
        '        rules_to_suppress:',
        '          - id: SP-s3-tls-only',
        '            reason: written only by the S3 log delivery service over TLS',
        '          - id: AwsSolutions-S1',
        '            reason: this bucket is itself the access-log bucket',
        '    Properties:',
        '      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}',
        '      BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}',
        '',
      ].join('\n'),
    );
    const r = await run(t, '--pack', 'aws-solutions,stackplan', '--format', 'json', '--fail-on', 'none');
    const report = JSON.parse(r.out) as CheckReport;
    const tls = report.findings.find((f) => f.ruleId === 'SP-s3-tls-only')!;
    expect(tls.suppression?.kind).toBe('acknowledgement');
    expect(tls.suppression?.reason).toBe('written only by the S3 log delivery service over TLS');
    const s1 = report.findings.find((f) => f.ruleId === 'AwsSolutions-S1')!;
    expect(s1.suppression?.reason).toBe('this bucket is itself the access-log bucket');
    // AwsSolutions-S10 (SSL) is not suppressed: only the ids named are.
    expect(report.findings.find((f) => f.ruleId === 'AwsSolutions-S10')?.suppression).toBeUndefined();
  }, 120_000);
});

describe('stackplan check: a cloud assembly', () => {
  it('reports template lines with construct paths, and acknowledgements as suppressed', async () => {
    const { planExample } = await import('../helpers/assembly.js');
    const { synthTier } = await import('../../src/synth/index.js');
    const plan = planExample('gyva-shop/stackplan.yaml');
    const dir = path.join(tmp, 'gyva.out');
    await synthTier(plan, 'lean', { assemblyDir: dir, nag: false });
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(true);
    const r = await run(dir, '--format', 'json', '--fail-on', 'none');
    const report = JSON.parse(r.out) as CheckReport;
    expect(report.input.kind).toBe('assembly');
    expect(report.counts.error).toBe(0);
    expect(report.counts.suppressed).toBeGreaterThan(10);
    const ack = report.findings.find((f) => f.suppression)!;
    expect(ack.location.file).toBe(path.join(dir, 'gyva-shop-lean.template.json'));
    expect(ack.location.constructPath).toMatch(/^gyva-shop-lean\//);
    expect(ack.suppression!.source).toMatch(/^\/gyva-shop-lean\//);
    // The line is the resource's Properties, right below its logical id, in the template.
    const text = readFileSync(ack.location.file, 'utf8').split('\n');
    expect(text[ack.location.line - 1]).toMatch(/^\s+"Properties": \{/);
    const indent = text[ack.location.line - 1]!.search(/\S/);
    const above = text
      .slice(0, ack.location.line - 1)
      .reverse()
      .find((l) => l.search(/\S/) < indent && /"[^"]+": \{$/.test(l));
    expect(above?.trim()).toBe(`"${ack.location.logicalId}": {`);
  }, 180_000);
});
