/**
 * The GitHub Actions workflow of the lean tier: pinned as a golden file per lean example with
 * ci.repository, valid YAML in the shape GitHub runs, OIDC only (no keys, no SSH), images tagged
 * with the commit SHA and built once per build context, stackplan-release run through SSM Run
 * Command with the migrating service first and workers last, manifest values only through `env:`,
 * and every shell step clean under shellcheck.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import { leanPlanOf } from '../../src/model/lean.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { renderLeanWorkflow } from '../../src/render/ci/lean.js';
import { leanTier } from '../../src/tiers/lean/index.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';
import { expectGolden } from '../helpers/golden.js';

type Json = Record<string, any>;
const gh = (e: string) => `\${{ ${e} }}`;

function example(name: string) {
  const r = loadManifest(path.join('examples', name, 'stackplan.yaml'));
  if (!r.ok) throw new Error(`${name} is invalid`);
  return planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir });
}

function fromYaml(yaml: string) {
  const r = parseManifest(yaml, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: '/app' });
}

const steps = (wf: Json): Json[] => Object.values(wf.jobs as Record<string, Json>).flatMap((j) => j.steps);

function shellcheckClean(wf: Json): void {
  for (const s of steps(wf).filter((x) => x.run)) {
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: s.run, encoding: 'utf8' });
    expect(r.error, 'shellcheck must be installed (npm test installs it)').toBeUndefined();
    expect(r.stdout, s.name ?? s.run).toBe('');
    expect(r.status).toBe(0);
  }
}

const LEAN_CI_EXAMPLES = ['cloud-consulting'];

describe.each(LEAN_CI_EXAMPLES)('the lean workflow of %s', (name) => {
  const plan = example(name);
  const text = renderLeanWorkflow(plan, { manifestDir: `examples/${name}` }).content;
  const wf = parse(text) as Json;

  it('is written by plan, and matches its golden file', async () => {
    expect(leanPlanOf(plan)?.ci?.repository).toBeDefined();
    const files = await leanTier.files(plan, { tierDir: path.resolve('out', name, 'lean') });
    expect(files.map((f) => f.path)).toContain('ci/deploy.yml');
    expectGolden(`ci/lean/${name}.deploy.yml`, text);
  });

  it('authenticates through OIDC only: no keys, no secrets, no SSH', () => {
    expect(wf.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(text).not.toMatch(
      /secrets\.|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|\bssh\b|scp /,
    );
    const auth = steps(wf).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(auth.length).toBe(Object.keys(wf.jobs).length);
    for (const s of auth) expect(s.with['role-to-assume']).toBe(gh('vars.AWS_DEPLOY_ROLE_ARN'));
  });

  it('uploads each static bundle under its service and commit, then releases through SSM and fails with the host output', () => {
    expect(wf.env.IMAGE_TAG).toBe(gh('github.sha'));
    const upload = wf.jobs.static.steps.find((s: Json) => String(s.run).includes('aws s3 sync'));
    expect(upload.run).toContain('"s3://$bucket/static/$SERVICE_1/$IMAGE_TAG/"');
    expect(upload.env.SERVICE_1).toBe('web');
    expect(wf.jobs.release.needs).toEqual(['static']);
    const release = wf.jobs.release.steps.find((s: Json) => s.run)!;
    expect(release.env.SERVICES).toBe('web');
    expect(release.run).toContain('--document-name AWS-RunShellScript');
    expect(release.run).toContain('--query StandardErrorContent --output text >&2');
    expect(release.run).toMatch(/test "\$status" = Success\n$/);
  });

  it('passes shellcheck in every run step', () => shellcheckClean(wf));
});

describe('the lean workflow of an app built from source', () => {
  const plan = fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
tier: lean
services:
  jobs: {kind: worker, build: ./backend, command: [celery, worker]}
  web: {kind: static, build: './web \${{ github.token }}'}
  api: {kind: api, build: ./backend, port: 8000, migrate: [alembic, upgrade, head], arm64: true}
  admin: {kind: frontend, build: ./admin, port: 3000, route: /admin/}
postgres: true
ci: {repository: acme/shop, branch: release/2.x}
`);
  const text = renderLeanWorkflow(plan).content;
  const wf = parse(text) as Json;

  it('runs on the branch the deploy role trusts', () => {
    expect(wf.on.push.branches).toEqual(['release/2.x']);
  });

  it('builds each build context once, tagging every repository that uses it with the commit SHA', () => {
    const builds = wf.jobs.images.steps.filter((s: Json) => String(s.run).includes('docker buildx build'));
    expect(builds.length).toBe(2);
    const backend = builds.find((b: Json) => b.env.CONTEXT === './backend')!;
    expect([backend.env.REPOSITORY_1, backend.env.REPOSITORY_2].sort()).toEqual(['shop/api', 'shop/jobs']);
    expect(backend.run).toContain('--tag "$REGISTRY/$REPOSITORY_2:$IMAGE_TAG"');
    expect(text).not.toContain(':latest');
  });

  it('releases the migrating service first, web before static, workers last', () => {
    const release = wf.jobs.release.steps.find((s: Json) => s.run)!;
    expect(release.env.SERVICES).toBe('api admin web jobs');
    expect(wf.jobs.release.needs).toEqual(['images', 'static']);
  });

  it('keeps manifest values out of expressions and scripts', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, literally
    expect(text).not.toContain('${{ github.token }}');
    const build = wf.jobs.static.steps.find((s: Json) => String(s.name).startsWith('build web'))!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, literally
    expect(build['working-directory']).toBe("./web ${{ '${{' }} github.token }}");
  });

  it('passes shellcheck in every run step', () => shellcheckClean(wf));
});

describe('the lean workflow when a worker owns the migration', () => {
  const plan = fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
tier: lean
services:
  api: {kind: api, build: ./backend, port: 8000}
  jobs: {kind: worker, build: ./backend, command: [celery, worker], migrate: [alembic, upgrade, head]}
postgres: true
ci: {repository: acme/shop}
`);
  const wf = parse(renderLeanWorkflow(plan).content) as Json;
  const release = wf.jobs.release.steps.find((s: Json) => s.run)!;

  it('migrates with the worker first, switches the web services, and restarts the worker last', () => {
    expect(release.env.SERVICES).toBe('migrate:jobs api jobs:migrated');
  });

  it('sends SSM Run Command those stackplan-release commands, in that order (the jq program run for real)', () => {
    // The step's own jq program, cut out of its script and run with the step's values.
    const script = String(release.run);
    const start = script.indexOf("'{commands:");
    const program = script.slice(start + 1, script.indexOf("')", start));
    const r = spawnSync(
      'jq',
      [
        '-n',
        '--arg',
        'bin',
        release.env.RELEASE_BIN,
        '--arg',
        'tag',
        'f'.repeat(40),
        '--arg',
        'services',
        release.env.SERVICES,
        program,
      ],
      { encoding: 'utf8' },
    );
    expect(r.error, 'jq must be installed (npm test installs it)').toBeUndefined();
    expect(r.stderr).toBe('');
    const bin = release.env.RELEASE_BIN;
    expect(JSON.parse(r.stdout).commands).toEqual([
      'set -euo pipefail',
      `${bin} --migrate jobs ${'f'.repeat(40)}`,
      `${bin} api ${'f'.repeat(40)}`,
      `${bin} jobs ${'f'.repeat(40)} --migrated`,
    ]);
  });

  it('passes shellcheck in every run step', () => shellcheckClean(wf));
});
