/**
 * The eks tier's CI workflow and k6 load script: each parsed by a real parser (yaml, and node's
 * JavaScript parser for the k6 module), every shell step clean under shellcheck, OIDC only, images
 * tagged with the commit SHA, deploy after the images, values escaped, goldens per example.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { eksFiles } from '../../../src/tiers/eks/files.js';
import { renderK6Script } from '../../../src/tiers/eks/render/k6.js';
import { renderEksWorkflow } from '../../../src/tiers/eks/render/workflow.js';
import { manifestFrom } from '../../helpers/assembly.js';
import { expectGolden } from '../../helpers/golden.js';
import { expectCheckJob, workflowErrors } from '../../helpers/workflow.js';
import { EKS_EXAMPLES, planExampleEks, planOf } from './helpers.js';

type Json = Record<string, any>;

const WITH_CI = ['support-analytics/stackplan.yaml', 'default-rate/stackplan.yaml'] as const;

function runSteps(workflow: Json): Array<{ job: string; name?: string; run: string }> {
  return Object.entries(workflow.jobs as Record<string, Json>).flatMap(([job, j]) =>
    (j.steps as Json[]).filter((s) => s.run).map((s) => ({ job, name: s.name, run: s.run as string })),
  );
}

describe.each(WITH_CI)('%s: ci/deploy.yml', (file) => {
  const plan = planExampleEks(file);
  const wf = renderEksWorkflow(plan);
  const doc = parse(wf.content) as Json;

  it('is YAML GitHub reads: push to the branch, OIDC token, no AWS keys', () => {
    expect(wf.path).toBe('ci/deploy.yml');
    expect(doc.on.push.branches).toEqual([plan.ci!.branch]);
    expect(doc.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(wf.content).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
    for (const j of Object.values(doc.jobs as Record<string, Json>)) {
      const creds = (j.steps as Json[]).filter((s) =>
        String(s.uses).startsWith('aws-actions/configure-aws-credentials'),
      );
      for (const c of creds) expect(Object.keys(c.with).sort()).toEqual(['aws-region', 'role-to-assume']);
    }
  });

  it('tags images with the commit SHA and deploys that tag after they are pushed', () => {
    expect(doc.env.IMAGE_TAG).toBe(['$', '{{ github.sha }}'].join(''));
    if (plan.repositories.length) {
      expect(doc.jobs.deploy.needs).toContain('images');
      const builds = runSteps(doc).filter((s) => s.job === 'images');
      expect(builds).toHaveLength(plan.repositories.length);
      for (const b of builds) expect(b.run).toContain(':$IMAGE_TAG" --push');
      expect(runSteps(doc).find((s) => s.job === 'deploy')!.run).toContain(
        `--parameters "$STACK_NAME:ImageTag=$IMAGE_TAG"`,
      );
    }
    expect(wf.content).not.toContain(':latest');
  });

  it('passes shellcheck in every run step', () => {
    for (const s of runSteps(doc)) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: s.run, encoding: 'utf8' });
      expect(r.error, 'shellcheck must be installed (npm test installs it)').toBeUndefined();
      expect(r.stdout, `${s.job}: ${s.name}`).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('matches its golden file', () => {
    expectGolden(`eks/${path.dirname(file)}/ci/deploy.yml`, wf.content);
  });

  it('is a workflow GitHub accepts (its own parser and schema)', async () => {
    expect(await workflowErrors(wf.content)).toEqual([]);
  });

  it('checks the assembly and uploads the SARIF to code scanning before deploying', () => {
    expectCheckJob(wf.content);
  });
});

describe('escaping', () => {
  it('keeps odd branch names and build paths values, not syntax', () => {
    const m = manifestFrom(`
name: odd
domain: odd.example.com
alarmEmail: ops@example.com
ci: {repository: acme/odd, branch: "release/1#x'$(id)"}
services:
  api: {kind: api, build: "./my api's dir", port: 8080}
`);
    const wf = renderEksWorkflow(planOf(m));
    const doc = parse(wf.content) as Json;
    expect(doc.on.push.branches).toEqual(["release/1#x'$(id)"]);
    const build = runSteps(doc).find((s) => s.job === 'images')!;
    expect(build.run).toContain(`'./my api'"'"'s dir'`);
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: build.run, encoding: 'utf8' });
    expect(r.stdout).toBe('');
  });
});

describe.each(EKS_EXAMPLES)('%s: load/k6.js', (file) => {
  const plan = planExampleEks(file);
  const script = renderK6Script(plan);

  it('is a JavaScript module node can parse, ramping to the peak with p95 and error thresholds', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-k6-'));
    try {
      const f = path.join(dir, 'k6.mjs');
      writeFileSync(f, script.content);
      const r = spawnSync(process.execPath, ['--check', f], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const options = JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(script.content)![1]!);
    const stages = options.scenarios.peak.stages as Array<{ target: number }>;
    expect(Math.max(...stages.map((s) => s.target))).toBe(plan.load.peakRps);
    expect(options.thresholds).toEqual({
      http_req_duration: [`p(95)<${plan.load.thresholds.p95Ms}`],
      http_req_failed: [`rate<${plan.load.thresholds.errorRate}`],
    });
    expect(script.content).toContain(JSON.stringify(`https://${plan.edge.certificates[0]!.names[0]}`));
  });
});

describe('seed 001 load script', () => {
  it('is pinned by a golden file', () => {
    expectGolden(
      'eks/cloud-consulting-ha/load/k6.js',
      renderK6Script(planExampleEks('cloud-consulting/stackplan.ha.yaml')).content,
    );
  });
});

describe('every file the tier writes', () => {
  it.each(EKS_EXAMPLES)('%s: unique paths, each parsed by its format, no secret value', (file) => {
    const files = eksFiles(planExampleEks(file));
    const paths = files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('load/k6.js');
    expect(paths).toContain('k8s/README.md');
    for (const f of files) {
      if (f.path.endsWith('.yml') || f.path.endsWith('.yaml')) {
        for (const d of parseAllDocuments(f.content)) expect(d.errors, f.path).toEqual([]);
      }
      expect(f.content, f.path).not.toMatch(/AKIA[0-9A-Z]{16}|postgresql:\/\/[^$]/);
    }
  });
});
