/**
 * The GitHub Actions workflow of the ecs tier: pinned as golden files per example, valid YAML in
 * the shape GitHub runs, no long-lived keys, jobs in the order build → migrate → deploy →
 * static, and every shell step clean under shellcheck (npm test installs it).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { renderGithubWorkflow } from '../../src/render/ci/github.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';
import { expectGolden } from '../helpers/golden.js';

type Json = Record<string, any>;
/** A GitHub Actions expression as the workflow spells it. */
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

function steps(workflow: Json): Json[] {
  return Object.values(workflow.jobs as Record<string, Json>).flatMap((j) => j.steps as Json[]);
}

describe.each(['support-analytics', 'default-rate'])('the %s workflow', (name) => {
  const text = renderGithubWorkflow(example(name)).content;
  const wf = parse(text) as Json;

  it('matches its golden file', () => {
    expectGolden(`ci/${name}.deploy.yml`, text);
  });

  it('authenticates through OIDC only: no keys, no repository secrets', () => {
    expect(wf.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(text).not.toMatch(/secrets\.|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
    const auth = steps(wf).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(auth.length).toBe(Object.keys(wf.jobs).length);
    for (const s of auth) expect(s.with['role-to-assume']).toBe(gh('vars.AWS_DEPLOY_ROLE_ARN'));
  });

  it('tags images with the commit SHA, never latest', () => {
    expect(wf.env.IMAGE_TAG).toBe(gh('github.sha'));
    expect(text).not.toContain(':latest');
    const builds = steps(wf).filter((s) => String(s.run).includes('docker buildx build'));
    expect(builds.length).toBeGreaterThan(0);
    for (const b of builds) expect(b.run).toMatch(/--tag "\$REGISTRY\/[a-z-]+\/[a-z-]+:\$IMAGE_TAG" --push/);
  });

  it('deploys the committed cloud assembly with the new tag after the images (and the migration)', () => {
    expect(wf.jobs.deploy.needs).toEqual(wf.jobs.migrate ? ['images', 'migrate'] : ['images']);
    const deploy = wf.jobs.deploy.steps.find((s: Json) => String(s.run).includes('aws-cdk@2 deploy'));
    expect(deploy.run).toContain('--app "$CDK_APP" --require-approval never');
    expect(deploy.run).toContain('--parameters "$STACK_NAME:ImageTag=$IMAGE_TAG"');
  });

  it('passes shellcheck in every run step', () => {
    for (const s of steps(wf).filter((x) => x.run)) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: s.run, encoding: 'utf8' });
      expect(r.error, 'shellcheck must be installed (npm test installs it)').toBeUndefined();
      expect(r.stdout, s.name ?? s.run).toBe('');
      expect(r.status).toBe(0);
    }
  });
});

describe('workflow shapes', () => {
  it('runs the migration with the new image before deploying, and publishes static files after', () => {
    const wf = parse(renderGithubWorkflow(example('support-analytics')).content) as Json;
    expect(Object.keys(wf.jobs)).toEqual(['images', 'migrate', 'deploy', 'static']);
    expect(wf.jobs.migrate.needs).toBe('images');
    const run = wf.jobs.migrate.steps.at(-1).run as string;
    expect(run).toContain('image="$(output RepositoryUriapi):$IMAGE_TAG"');
    expect(run).toContain('aws ecs run-task');
    expect(run).toContain('test "$code" = 0');
    expect(wf.jobs.static.needs).toBe('deploy');
    const publish = wf.jobs.static.steps.at(-1).run as string;
    expect(publish).toContain('aws s3 sync "../app/web/dist" "s3://$bucket/" --delete');
    expect(publish).toContain('create-invalidation --distribution-id "$distribution" --paths \'/*\'');
  });

  it('builds multi-arch images when services of one build run on both architectures', () => {
    const text = renderGithubWorkflow(example('support-analytics')).content;
    expect(text).toContain('docker buildx build --platform linux/amd64,linux/arm64');
    expect(text).toContain('docker/setup-qemu-action@v3');
  });

  it('has no image job or tag parameter when every image is pinned', () => {
    const wf = parse(
      renderGithubWorkflow(
        fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
ci: {repository: acme/shop}
`),
      ).content,
    ) as Json;
    expect(Object.keys(wf.jobs)).toEqual(['deploy']);
    expect(wf.on.push.branches).toEqual(['main']);
    expect(JSON.stringify(wf)).not.toContain('--parameters');
  });

  it('keeps nested static sites when syncing the root one', () => {
    const text = renderGithubWorkflow(
      fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  web: {kind: static, build: ./web}
  docs: {kind: static, build: ./docs, route: /docs/, output: site}
ci: {repository: acme/shop}
`),
    ).content;
    expect(text).toContain('aws s3 sync "./web/dist" "s3://$bucket/" --delete --exclude "docs/*"');
    expect(text).toContain('aws s3 sync "./docs/site" "s3://$bucket/docs/" --delete');
  });

  it('refuses to render without ci in the manifest', () => {
    expect(() =>
      renderGithubWorkflow(
        fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
`),
      ),
    ).toThrow(/add ci\.repository/);
  });
});
