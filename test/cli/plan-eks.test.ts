/**
 * `stackplan plan examples/cloud-consulting/stackplan.ha.yaml --tier eks` as a user runs it (issue
 * 10's "done when"): a whole process that writes a nag-clean, priced eks cloud assembly the CDK CLI
 * reads, the Kubernetes YAML the stack applies, the CI workflow and the k6 load script, and prints
 * eks beside lean and ecs. Runs the built CLI (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cdkLs } from '../helpers/assembly.js';

const BIN = path.resolve('bin/stackplan.js');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-cli-eks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('stackplan plan examples/cloud-consulting/stackplan.ha.yaml --tier eks', () => {
  const out = path.join(work, 'out');
  const r = spawnSync(
    process.execPath,
    [BIN, 'plan', path.resolve('examples/cloud-consulting/stackplan.ha.yaml'), '--tier', 'eks', '--out', out],
    {
      cwd: work,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, SOURCE_DATE_EPOCH: '1796169600' },
    },
  );
  const dir = path.join(out, 'eks');

  it('writes only the eks tier: assembly, template, checks, cost, k8s/, ci/ and load/', () => {
    expect(r.status, r.stderr).toBe(0);
    // Beside the tier, the design document that describes what was built.
    expect(readdirSync(out).sort()).toEqual(['DESIGN.md', 'design', 'design.html', 'eks']);
    expect(readdirSync(dir).sort()).toEqual([
      'cdk.out',
      'checks.json',
      'ci',
      'cost.json',
      'cost.md',
      'k8s',
      'load',
      'template.json',
    ]);
    expect(readdirSync(path.join(dir, 'k8s')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(3);
    expect(existsSync(path.join(dir, 'ci', 'deploy.yml'))).toBe(true);
    expect(existsSync(path.join(dir, 'load', 'k6.js'))).toBe(true);
  });

  it('is nag-clean and a cloud assembly the CDK CLI reads; the deploy command is printed', () => {
    expect(JSON.parse(readFileSync(path.join(dir, 'checks.json'), 'utf8')).findings).toEqual([]);
    const ls = cdkLs(path.join(dir, 'cdk.out'));
    expect(ls.stderr).not.toMatch(/error/i);
    expect(ls.stdout.trim()).toBe('cloud-consulting-eks');
    expect(r.stdout).toContain(`deploy: npx aws-cdk deploy --app ${path.relative(work, dir)}/cdk.out`);
  });

  it('is priced by the cost engine: control plane, nodes, NAT, the Ingress ALB, data stores, logs, add-ons', () => {
    const cost = JSON.parse(readFileSync(path.join(dir, 'cost.json'), 'utf8'));
    const byType = new Map<string, number>();
    for (const res of cost.stacks[0].resources)
      byType.set(res.type, (byType.get(res.type) ?? 0) + (res.monthlyUsd ?? 0));
    expect(byType.get('AWS::EKS::Cluster')).toBeCloseTo(73, 1);
    expect(byType.get('AWS::EKS::Nodegroup')).toBeGreaterThan(80);
    expect(byType.get('AWS::EC2::NatGateway')).toBeGreaterThan(90);
    expect(byType.get('Custom::AWSCDK-EKS-KubernetesResource')).toBeGreaterThan(16);
    expect(byType.get('AWS::RDS::DBInstance')).toBeGreaterThan(0);
    expect(byType.get('AWS::ElastiCache::ReplicationGroup')).toBeGreaterThan(0);
    expect(byType.get('AWS::Logs::LogGroup')).toBeGreaterThan(0);
    // The Container Insights add-on bills observations: an explicit line, not $0.
    const md = readFileSync(path.join(dir, 'cost.md'), 'utf8');
    expect(md).toContain('Container Insights observations');
    // The summary's eks row is the cost report's figures.
    const month13 = `$${cost.totals.month13Usd.toFixed(2)}`;
    expect(r.stdout).toMatch(
      new RegExp(
        `^ {2}. eks +\\$${cost.totals.month1Usd.toFixed(2)} +\\${month13} +meets the manifest$`,
        'm',
      ),
    );
    // Without its price, ecs is still recommended (registry order): --tier builds, it does not choose.
    expect(r.stdout).toMatch(/^ {2}→ ecs +— +— +meets the manifest; not built/m);
    expect(r.stdout).toMatch(/^ {4}lean +— +— +cannot: availability multi-az-ha/m);
  });

  it('writes Kubernetes YAML that parses, and a workflow that deploys this assembly through OIDC', () => {
    for (const f of readdirSync(path.join(dir, 'k8s')).filter((x) => x.endsWith('.yaml'))) {
      const docs = parseAllDocuments(readFileSync(path.join(dir, 'k8s', f), 'utf8'));
      for (const d of docs) expect(d.errors, f).toEqual([]);
    }
    const workflow = readFileSync(path.join(dir, 'ci', 'deploy.yml'), 'utf8');
    expect(workflow).toContain('id-token: write');
    expect(workflow).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect(workflow).toContain('cdk.out');
    expect(readFileSync(path.join(dir, 'load', 'k6.js'), 'utf8')).toContain('https://cloudpartner.pro');
  });

  it('prints the eks section: version and the decisions of the tier it built, not the recommended one', () => {
    expect(r.stdout).toMatch(
      /^eks: cluster cloud-consulting-eks, Kubernetes 1\.\d+ \(standard support until/m,
    );
    expect(r.stdout).toMatch(/^ {2}- compute: managed node group of \S+/m);
    expect(r.stdout).toMatch(/^ {2}- nodes: 3 × \S+/m);
    expect(r.stdout).toMatch(/^ {2}- data-store access: /m);
    // ecs was recommended but not built: its decisions are not listed.
    expect(r.stdout).not.toMatch(/^ {2}- load balancer: /m);
  });

  it('--verbose prints the eks section whole: compute and why, pods, files, decisions with reasons', () => {
    const v = spawnSync(
      process.execPath,
      [
        BIN,
        'plan',
        path.resolve('examples/cloud-consulting/stackplan.ha.yaml'),
        '--tier',
        'eks',
        '--no-design',
        '--verbose',
        '--out',
        path.join(work, 'verbose'),
      ],
      {
        cwd: work,
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, SOURCE_DATE_EPOCH: '1796169600' },
      },
    );
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^ {2}compute: managed node group, 3 × \S+ .*Auto Mode would be \$/m);
    expect(v.stdout).toMatch(/^ {4}- data-store access: /m);
    expect(readdirSync(path.join(work, 'verbose'))).toEqual(['eks']);
  });
});
