/**
 * The GitHub Actions workflow of the ecs tier: pinned as golden files per example, read by
 * GitHub's own workflow parser, no long-lived keys, jobs in the order check → build → migrate →
 * deploy → static, the shared check job's SARIF upload, and every shell step clean under
 * shellcheck (npm test installs it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { renderGithubWorkflow } from '../../src/render/ci/github.js';
import { actionsLiteral } from '../../src/render/escape.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';
import { expectGolden } from '../helpers/golden.js';
import { expectCheckJob, workflowErrors } from '../helpers/workflow.js';

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
  const text = renderGithubWorkflow(example(name), { manifestDir: `examples/${name}` }).content;
  const wf = parse(text) as Json;

  it('matches its golden file', () => {
    expectGolden(`ci/${name}.deploy.yml`, text);
  });

  it('is a workflow GitHub accepts (its own parser and schema)', async () => {
    expect(await workflowErrors(text)).toEqual([]);
  });

  it('checks the assembly and uploads the SARIF to code scanning before deploying', () => {
    expectCheckJob(text);
  });

  it('authenticates through OIDC only: no keys, no repository secrets', () => {
    expect(wf.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(text).not.toMatch(/secrets\.|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
    const auth = steps(wf).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    // Every job but the check job (which needs no AWS access) assumes the deploy role.
    expect(auth.length).toBe(Object.keys(wf.jobs).length - 1);
    for (const s of auth) expect(s.with['role-to-assume']).toBe(gh('vars.AWS_DEPLOY_ROLE_ARN'));
  });

  it('tags images with the commit SHA, never latest', () => {
    expect(wf.env.IMAGE_TAG).toBe(gh('github.sha'));
    expect(text).not.toContain(':latest');
    const builds = steps(wf).filter((s) => String(s.run).includes('docker buildx build'));
    expect(builds.length).toBeGreaterThan(0);
    for (const b of builds) {
      expect(b.run).toContain('--tag "$REGISTRY/$REPOSITORY:$IMAGE_TAG" --push "$CONTEXT"');
      expect(b.env.REPOSITORY).toMatch(/^[a-z-]+\/[a-z-]+$/);
      expect(b.env.CONTEXT).toMatch(new RegExp(`^\\./examples/${name}(/|$)`));
    }
  });

  it('deploys the committed cloud assembly with the new tag after the images (and the migration)', () => {
    expect(wf.jobs.deploy.needs).toEqual(
      wf.jobs.migrate ? ['check', 'images', 'migrate'] : ['check', 'images'],
    );
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

describe('the check job', () => {
  it('installs the stackplan release that generated the workflow unless STACKPLAN_PACKAGE says otherwise', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const wf = parse(renderGithubWorkflow(example('default-rate')).content) as Json;
    expect(wf.jobs.check.env.STACKPLAN_PACKAGE).toBe(
      gh(`vars.STACKPLAN_PACKAGE || 'stackplan@${pkg.version}'`),
    );
  });
});

describe('the workflow validator', () => {
  it('rejects what GitHub rejects: an unknown permission level, a misspelt key, a job without runs-on', async () => {
    const errors = await workflowErrors(
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-24.04',
        '    permissions: {security-events: writ}',
        '    stepz: []',
        '  b:',
        '    steps: [{run: echo}]',
      ].join('\n'),
    );
    expect(errors.join('\n')).toMatch(/Line: 5.*'writ'/);
    expect(errors.join('\n')).toMatch(/Line: 6.*'stepz'/);
    expect(errors.join('\n')).toMatch(/runs-on/);
  });
});

describe('workflow shapes', () => {
  it('runs the migration with the new image before deploying, and publishes static files after', () => {
    const wf = parse(
      renderGithubWorkflow(example('support-analytics'), { manifestDir: 'examples/support-analytics' })
        .content,
    ) as Json;
    expect(Object.keys(wf.jobs)).toEqual(['check', 'images', 'migrate', 'deploy', 'static']);
    expect(wf.jobs.migrate.needs).toBe('images');
    const run = wf.jobs.migrate.steps.at(-1).run as string;
    expect(run).toContain('image="$(output "$REPOSITORY_OUTPUT"):$IMAGE_TAG"');
    expect(wf.jobs.migrate.steps.at(-1).env).toEqual({ REPOSITORY_OUTPUT: 'RepositoryUriapi' });
    expect(run).toContain('aws ecs run-task');
    expect(run).toContain('test "$code" = 0');
    expect(wf.jobs.static.needs).toBe('deploy');
    const publish = wf.jobs.static.steps.at(-1);
    // The manifest lives in examples/support-analytics: paths are written from the repository root.
    expect(publish.env).toEqual({ SOURCE_1: './examples/app/web/dist', PREFIX_1: '' });
    expect(publish.run).toContain('aws s3 sync "$SOURCE_1" "s3://$bucket/$PREFIX_1" --delete');
    expect(wf.jobs.static.steps.at(-2)['working-directory']).toBe('./examples/app/web');
    expect(publish.run).toContain('create-invalidation --distribution-id "$distribution" --paths \'/*\'');
  });

  it('builds multi-arch images when services of one build run on both architectures', () => {
    const text = renderGithubWorkflow(example('support-analytics')).content;
    const builds = (parse(text) as Json).jobs.images.steps.filter((x: Json) => x.env?.PLATFORMS);
    expect(builds.map((b: Json) => b.env.PLATFORMS)).toEqual(['linux/amd64,linux/arm64', 'linux/arm64']);
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
    expect(Object.keys(wf.jobs)).toEqual(['check', 'deploy']);
    expect(wf.jobs.deploy.needs).toEqual(['check']);
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
    const publish = (parse(text) as Json).jobs.static.steps.at(-1);
    expect(publish.env).toEqual({
      SOURCE_1: './docs/site',
      PREFIX_1: 'docs/',
      SOURCE_2: './web/dist',
      PREFIX_2: '',
      PREFIX_2_KEEP_1: 'docs/',
    });
    expect(publish.run).toContain(
      'aws s3 sync "$SOURCE_2" "s3://$bucket/$PREFIX_2" --delete --exclude "$PREFIX_2_KEEP_1*"',
    );
    expect(publish.run).toContain('aws s3 sync "$SOURCE_1" "s3://$bucket/$PREFIX_1" --delete\n');
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

describe('manifest values never become code in the workflow', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
  const branch = 'x$(touch${IFS}pwned)`id`${{github.token}}+!';
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
  const web = './web"; rm -rf / #`id`$(id)${{ secrets.TOKEN }}';
  const api = "./api' && curl evil #";
  const text = renderGithubWorkflow(
    fromYaml(`
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  web: {kind: static, build: ${JSON.stringify(web)}, output: "out$(id)"}
  api: {kind: api, build: ${JSON.stringify(api)}, port: 8080, migrate: [sh, -c, 'echo \${{ secrets.X }} $(id)']}
postgres: true
ci: {repository: acme/shop, branch: ${JSON.stringify(branch)}}
`),
  ).content;
  const wf = parse(text) as Json;

  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
  it('is valid YAML whose every ${{ }} Actions evaluates is one stackplan wrote or a neutralized literal', () => {
    // Actions evaluates expressions in jobs and env, not in comments nor in the on: filters.
    const evaluated = JSON.stringify({ name: wf.name, env: wf.env, jobs: wf.jobs });
    const expressions = [...evaluated.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1]!.trim());
    expect(expressions).toContain("'${{'");
    for (const e of expressions) {
      expect(e, e).toMatch(
        /^(github\.sha|vars\.AWS_DEPLOY_ROLE_ARN|env\.AWS_REGION|steps\.ecr\.outputs\.registry|'\$\{\{'|vars\.STACKPLAN_PACKAGE \|\| 'stackplan@[\d.]+'|!cancelled\(\) && hashFiles\('stackplan-check\.sarif'\) != '')$/,
      );
    }
  });

  it('filters the push on exactly the branch, its glob characters escaped', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
    expect(wf.on.push.branches).toEqual(['x$(touch${IFS}pwned)`id`${{github.token}}\\+!']);
  });

  it('passes paths to scripts through env, never inside the script', () => {
    const runs = steps(wf).filter((x) => x.run);
    for (const st of runs) {
      for (const needle of ['rm -rf', 'curl', '$(id)', '`id`', 'secrets.']) {
        expect(st.run, `${st.name}: ${needle}`).not.toContain(needle);
      }
    }
    const build = steps(wf).find((x) => x.env?.CONTEXT?.includes('web'));
    expect(build).toBeUndefined(); // static services are not images
    expect(steps(wf).find((x) => x.env?.CONTEXT)?.env.CONTEXT).toBe(actionsLiteral(api));
    const publish = wf.jobs.static.steps.at(-1);
    expect(publish.env.SOURCE_1).toBe(actionsLiteral(`${web}/out$(id)`));
    expect(wf.jobs.static.steps.at(-2)['working-directory']).toBe(actionsLiteral(web));
    expect(wf.jobs.migrate.name).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, GitHub Actions or compose syntax, literally
      actionsLiteral('migrate the database (sh -c echo ${{ secrets.X }} $(id))'),
    );
  });

  it('keeps every run step clean under shellcheck', () => {
    for (const st of steps(wf).filter((x) => x.run)) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: st.run, encoding: 'utf8' });
      expect(r.stdout, st.name ?? st.run).toBe('');
    }
  });
});
