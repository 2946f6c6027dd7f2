/**
 * The CLI as users run it: a whole process, exit codes, what reaches the terminal, and what is
 * (and is not) written to disk. Runs the built CLI (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesOf } from '../helpers/assembly.js';

const BIN = path.resolve('bin/stackplan.js');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('bad input: exit 1, a clear error, no stack trace, no output', () => {
  mkdirSync(path.join(work, 'emptydir'), { recursive: true });
  writeFileSync(path.join(work, 'empty.yaml'), '');
  writeFileSync(path.join(work, 'broken.yaml'), 'name: [unclosed\n');
  writeFileSync(path.join(work, 'types.yaml'), 'name: 42\ndomain: true\nservices: []\n');
  writeFileSync(path.join(work, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
  const cases: Array<[string, string, RegExp]> = [
    ['missing file', 'nope/stackplan.yaml', /no such file/],
    ['a directory without a manifest', 'emptydir', /directory without a stackplan\.yaml/],
    ['an empty file', 'empty.yaml', /the manifest is empty/],
    ['malformed YAML', 'broken.yaml', /broken\.yaml:\d+:\d+: error \[yaml\]/],
    ['wrong types', 'types.yaml', /types\.yaml:1:7: error \[type\] name: must be a string/],
    ['binary garbage', 'binary.yaml', /error/],
    [
      'a bad example manifest',
      path.resolve('test/fixtures/manifests/bad/unknown-keys.yaml'),
      /did you mean "services"/,
    ],
  ];
  it.each(cases)('%s', (_what, file, message) => {
    for (const command of ['validate', 'plan']) {
      const out = path.join(work, `out-${command}-${path.basename(file)}`);
      const r = run(command === 'plan' ? ['plan', file, '--out', out] : ['validate', file]);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err + r.out).not.toMatch(STACK_TRACE);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an unknown option or tier is a usage error', () => {
    expect(run(['plan', 'x.yaml', '--bogus']).code).toBe(1);
    const r = run(['plan', path.resolve('examples/cloud-consulting/stackplan.yaml'), '--tier', 'gke']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Allowed choices are lean, ecs, eks/);
  });
});

describe('stackplan plan on an example', () => {
  const manifest = path.resolve('examples/cloud-consulting/stackplan.yaml');
  it('runs the Control Tower controls once per tier, requires them to pass, lists each pack in checks.json, and agrees with check', () => {
    const r = run(['plan', manifest, '--out', 'out-ct']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /AWS Control Tower proactive controls \(cfn-guard\) — 0 unacknowledged, \d+ acknowledged \(required to pass/,
    );
    const fromCheck = run([
      'check',
      manifest,
      '--pack',
      'control-tower',
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(fromCheck.code, fromCheck.err).toBe(0);
    const report = JSON.parse(fromCheck.out) as {
      findings: Array<{
        ruleId: string;
        suppression?: unknown;
        location: { tier: string; constructPath: string };
      }>;
    };
    for (const tier of ['lean', 'ecs']) {
      const checks = JSON.parse(readFileSync(path.join(work, 'out-ct', tier, 'checks.json'), 'utf8'));
      expect(checks.packs.map((p: { id: string }) => p.id)).toEqual([
        'AwsSolutions',
        'NIST.800.53.R5',
        'control-tower',
      ]);
      const ct = checks.packs[2];
      expect(ct.rulesEvaluated).toBeGreaterThan(10);
      // The same findings, unacknowledged and acknowledged, as stackplan check on the manifest.
      const planSide = [
        ...ct.findings.map((f: { rule: string; path: string }) => `${f.rule} ${f.path} open`),
        ...ct.acknowledgements.map((a: { rule: string; path: string }) => `${a.rule} ${a.path} acknowledged`),
      ].sort();
      const checkSide = report.findings
        .filter((f) => f.location.tier === tier)
        .map((f) => `${f.ruleId} ${f.location.constructPath} ${f.suppression ? 'acknowledged' : 'open'}`)
        .sort();
      expect(planSide.length).toBeGreaterThan(0);
      expect(planSide).toEqual(checkSide);
    }
  });

  it('writes a deployable cloud assembly, the template and the checks, and says so', () => {
    const r = run(['plan', manifest, '--out', 'out1', '--verbose']);
    expect(r.code, r.err).toBe(0);
    const lean = path.join(work, 'out1', 'lean');
    expect(existsSync(path.join(lean, 'cdk.out', 'manifest.json'))).toBe(true);
    const template = JSON.parse(readFileSync(path.join(lean, 'template.json'), 'utf8'));
    expect(template.Resources.HostB4E45AD7.Type).toBe('AWS::EC2::Instance');
    const checks = JSON.parse(readFileSync(path.join(lean, 'checks.json'), 'utf8'));
    expect(checks.findings).toEqual([]);
    expect(r.out).toMatch(/0 unacknowledged, \d+ acknowledged/);
    expect(r.out).toContain('deploy: npx aws-cdk deploy --app out1/lean/cdk.out');
    // The planner's sizing and why.
    expect(r.out).toMatch(/lean: t3a\.small .*\n {2}sizing/);
    expect(r.out).toMatch(/t3a\.micro .*needs 1344 MiB/);
    // Priced from the template it wrote: the figures in cost.json are the ones the summary prints.
    const cost = JSON.parse(readFileSync(path.join(lean, 'cost.json'), 'utf8'));
    expect(cost.stacks[0].name).toBe('cloud-consulting-lean');
    const month13 = `$${cost.totals.month13Usd.toFixed(2)}`;
    expect(cost.totals.month13Usd).toBeGreaterThan(15);
    expect(r.out).toMatch(new RegExp(`→ lean +\\$${cost.totals.month1Usd.toFixed(2)} +\\${month13}`));
    expect(readFileSync(path.join(lean, 'cost.md'), 'utf8')).toContain(`**Month 13** | **${month13}**`);
    // The ecs and eks tiers are planned beside it (side by side), with the design document, and no
    // staging directories are left behind.
    expect(readdirSync(path.join(work, 'out1')).sort()).toEqual([
      'DESIGN.md',
      'design',
      'design.html',
      'ecs',
      'eks',
      'lean',
    ]);
    expect(r.out).toMatch(/^ {4}ecs +\$\d+\.\d\d +\$\d+\.\d\d +meets the manifest/m);
    expect(r.out).toMatch(/^ {4}eks +\$\d+\.\d\d +\$\d+\.\d\d +meets the manifest/m);
  });

  it('writes byte-identical output on a second run', () => {
    expect(run(['plan', manifest, '--out', 'out2']).code).toBe(0);
    expect(run(['plan', manifest, '--out', 'out3']).code).toBe(0);
    // The CI workflows name the assembly they deploy, which is where --out put it.
    const second = new Map(
      [...filesOf(path.join(work, 'out2'))].map(([f, text]) => [
        f,
        f.endsWith('ci/deploy.yml') ? text.replaceAll('/out2/', '/out3/') : text,
      ]),
    );
    expect(second).toEqual(filesOf(path.join(work, 'out3')));
  });

  it('replaces a previous output completely', () => {
    writeFileSync(path.join(work, 'out2', 'lean', 'stale.txt'), 'old');
    expect(run(['plan', manifest, '--out', 'out2']).code).toBe(0);
    expect(existsSync(path.join(work, 'out2', 'lean', 'stale.txt'))).toBe(false);
  });
});
