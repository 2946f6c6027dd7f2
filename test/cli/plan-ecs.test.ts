/**
 * `stackplan plan` on the seed 003 and 004 examples as users run it: a whole process that writes
 * a nag-clean ecs cloud assembly, its priced cost (services built from source priced as CI runs
 * them) and the CI workflow. Runs the built CLI (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/stackplan.js');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-cli-ecs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(['support-analytics', 'default-rate'])('stackplan plan examples/%s', (name) => {
  const out = path.join(work, name);
  const r = spawnSync(
    process.execPath,
    [BIN, 'plan', path.resolve('examples', name, 'stackplan.yaml'), '--out', out, '--verbose'],
    {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );

  it('recommends ecs and writes the assembly, template, checks, cost and CI workflow', () => {
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${name} → ecs tier`));
    const dir = path.join(out, 'ecs');
    expect(readdirSync(dir).sort()).toEqual([
      'cdk.out',
      'checks.json',
      'ci',
      'cost.json',
      'cost.md',
      'template.json',
    ]);
    expect(existsSync(path.join(dir, 'cdk.out', 'manifest.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'checks.json'), 'utf8')).findings).toEqual([]);
    const workflow = readFileSync(path.join(dir, 'ci', 'deploy.yml'), 'utf8');
    expect(workflow).toContain(`STACK_NAME: ${name}-ecs`);
    // The assembly where --out put it, relative to the repository root (wherever the clone is).
    expect(workflow).toContain(`CDK_APP: ${path.relative(process.cwd(), path.join(dir, 'cdk.out'))}`);
    expect(r.stdout).toContain(`deploy: npx aws-cdk deploy --app`);
  });

  it('prices the services built from source with their planned tasks', () => {
    const cost = readFileSync(path.join(out, 'ecs', 'cost.md'), 'utf8');
    const services = cost.split('\n').filter((l) => l.includes('`AWS::ECS::Service`'));
    expect(services.length).toBeGreaterThan(0);
    for (const l of services) expect(l).not.toContain('**$0.00**');
  });

  it('prints the sizes, the cheaper designs and the CI setup', () => {
    expect(r.stdout).toMatch(/^ecs: VPC over 2 AZs, NAT gateway × 1/m);
    expect(r.stdout).toMatch(/cheaper designs \(estimates of the monthly difference/);
    expect(r.stdout).toMatch(
      /egress: NAT gateway × 1 vs egress: nat-instance .*: costs \$\d+\.\d\d\/month more/,
    );
    expect(r.stdout).toMatch(/CI: ci\/deploy\.yml deploys from/);
  });

  it('shows eks beside it: priced, or the reason it cannot run the app', () => {
    const row = r.stdout.split('\n').find((l) => /^ {2}. eks /.test(l))!;
    if (name === 'support-analytics') {
      // Its Celery worker asks for Spot, which the eks tier does not generate.
      expect(row).toMatch(/ +— +— +cannot: spot: worker would run on on-demand nodes/);
      expect(existsSync(path.join(out, 'eks'))).toBe(false);
    } else {
      const cost = JSON.parse(readFileSync(path.join(out, 'eks', 'cost.json'), 'utf8'));
      expect(row).toContain(`$${cost.totals.month13Usd.toFixed(2)}`);
      expect(cost.totals.month13Usd).toBeGreaterThan(
        JSON.parse(readFileSync(path.join(out, 'ecs', 'cost.json'), 'utf8')).totals.month13Usd,
      );
    }
  });
});
