/**
 * The Control Tower pack: cfn-guard's bundled binary and Control Tower rules through
 * runControlTower, a module plan can call too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { controlTowerControls, guardBinary, runControlTower } from '../../src/check/packs/control-tower.js';
import { parseSource } from '../../src/check/source.js';
import { check } from './helpers.js';

const SEED = 'test/fixtures/check/corpus/seeds/seed-004-default-rate.yaml';
const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-ct-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function templateOf(file: string) {
  return (await parseSource(readFileSync(file, 'utf8'), file)).value as {
    Resources: Record<string, { Type: string }>;
  };
}

describe('Control Tower proactive controls', () => {
  it('knows every control the package ships, with its id, severity and resource types', () => {
    const controls = controlTowerControls();
    expect(controls.length).toBe(237);
    for (const c of controls) {
      expect(c.id).toMatch(/^CT\.[A-Z0-9-]+\.PR\.\d+$/);
      expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']).toContain(c.severity);
    }
    expect(controls.find((c) => c.id === 'CT.EC2.PR.4')!.resourceTypes).toContain('AWS::EC2::SecurityGroup');
  });

  it('running only the controls for the resource types present loses no finding', async () => {
    const template = await templateOf(SEED);
    const result = await runControlTower([{ name: 'seed', template }]);
    const ours = new Set(result.findings.map((f) => f.control));
    // guard itself, over every rule, parsed independently of the pack's result reader
    const data = path.join(tmp, 'seed.json');
    writeFileSync(data, JSON.stringify(template));
    const rules = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
      'rules/control-tower/cfn-guard',
    );
    let out = '';
    try {
      out = execFileSync(
        guardBinary(),
        ['validate', '--rules', rules, '--data', data, '-o', 'json', '-S', 'none', '--structured'],
        {
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        },
      );
    } catch (e) {
      out = (e as { stdout: string }).stdout; // exit 19: some rules failed
    }
    const theirs = new Set(
      [...JSON.stringify(JSON.parse(out)[0].not_compliant).matchAll(/\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/g)].map(
        (m) => m[1],
      ),
    );
    expect(ours).toEqual(theirs);
    expect(result.controlsEvaluated).toBeLessThan(controlTowerControls().length);
  }, 120_000);

  it('points each finding at its resource and property, at error level for high-severity controls', async () => {
    const report = await check(SEED, 'control-tower');
    const s3 = report.findings.find((f) => f.ruleId === 'CT.S3.PR.1')!;
    expect(s3.location.logicalId).toBe('Models');
    expect(s3.location.line).toBe(15);
    expect(s3.severity).toBe('error');
    const multiAz = report.findings.find((f) => f.ruleId === 'CT.RDS.PR.1')!;
    expect(multiAz.location.property).toBe('Properties.MultiAZ');
    expect(multiAz.location.line).toBe(26);
    const rule = report.rules.find((r) => r.id === 'CT.S3.PR.1')!;
    expect(rule.pack).toBe('control-tower');
    expect(rule.securitySeverity).toBeGreaterThan(0);
    expect(report.packs[0]!.id).toBe('control-tower');
  }, 120_000);
});
