// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the values under test are compose and shell syntax
/**
 * The same manifest value reaches the container as the same string on every tier: lean through
 * compose (which interpolates `$` unless it is escaped) and rehearse, ecs through the task
 * definition in the synthesized template (CloudFormation passes it verbatim). So does an image
 * pinned by digest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, cx_api } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { which } from '../../src/check/host.js';
import { parseManifest } from '../../src/manifest/load.js';
import { leanPlanOf } from '../../src/model/lean.js';
import { planApp } from '../../src/plan/index.js';
import { composeDocument, renderCompose, serviceEnvironment } from '../../src/render/host/compose.js';
import { EcsStack } from '../../src/tiers/ecs/stack.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

const ENV: Record<string, string> = {
  NOTE: 'price $5 and ${POSTGRES_PASSWORD}',
  SHELL: 'echo $HOME `id` $(id) $$',
  MULTI: 'line one\nline two: "quoted" \'single\'\n',
  YAMLISH: 'yes',
  NUMBERISH: '1e3',
  UNICODE: 'ünïcödé ✓ \u2028 🚀',
};
const COMMAND = ['sh', '-c', 'echo $HOME ${X:-default} $$'];
const IMAGE = `ghcr.io/acme/api:1.0.0@sha256:${'0123456789abcdef'.repeat(4)}`;

const MANIFEST = `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
services:
  api:
    kind: api
    image: ${IMAGE}
    port: 8080
    route: /
    command: ${JSON.stringify(COMMAND)}
    env:
${Object.entries(ENV)
  .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
postgres: true
`;

function plan() {
  const r = parseManifest(MANIFEST, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: '/app' });
}

const tmp = mkdtempSync(path.join(tmpdir(), 'stackplan-parity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a manifest env value on every tier', () => {
  const p = plan();

  it('ecs: the task definition carries each value and the command verbatim', () => {
    // cfn-lint's E1029 reads "${POSTGRES_PASSWORD}" in a plain string as a forgotten Fn::Sub; outside
    // Fn::Sub CloudFormation passes the string as it is, which is the point here. (plan runs
    // without the built-in validator; the suite runs it on the examples, which hold no such value.)
    const app = new App({
      context: { ...cx_api.CURRENTLY_RECOMMENDED_FLAGS },
      builtinCloudFormationValidation: false,
    });
    const stack = new EcsStack(app, 'Parity', { plan: p, env: { region: p.manifest.region } });
    const json = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
    };
    const containers = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
      .flatMap((r) => r.Properties.ContainerDefinitions as Array<Record<string, any>>);
    const api = containers.find((c) =>
      (c.Environment as Array<{ Name: string }> | undefined)?.some((e) => e.Name === 'NOTE'),
    )!;
    const env = Object.fromEntries(
      (api.Environment as Array<{ Name: string; Value: string }>).map((e) => [e.Name, e.Value]),
    );
    for (const [k, v] of Object.entries(ENV)) expect(env[k], k).toBe(v);
    expect(api.Command).toEqual(COMMAND);
    expect(api.Image).toBe(IMAGE);
  });

  it('lean: compose hands the container the same strings, with every variable of the host set', () => {
    const text = renderCompose(p);
    const doc = composeDocument(p) as { services: { api: { environment: Record<string, string> } } };
    const file = path.join(tmp, 'docker-compose.yml');
    // Debian's docker-compose (v1) predates healthcheck.start_interval (Compose 2.20, Docker 25, what the
    // host runs); it is the only key v1 refuses, and it carries no environment.
    writeFileSync(file, text.replace(/^ +start_interval: .*\n/gm, ''));
    if (!which('docker-compose')) {
      throw new Error(
        'docker-compose is needed for this test: apt-get install -y docker-compose (npm test installs it)',
      );
    }
    const r = spawnSync('docker-compose', ['--project-directory', tmp, '-f', file, 'config'], {
      encoding: 'utf8',
      env: {
        // Every key the file requires (`${KEY:?…}`: tags, secret digests …), then the ones this test reads.
        ...Object.fromEntries([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => [m[1]!, 'x'])),
        PATH: process.env.PATH,
        HOME: '/root',
        X: 'x',
        POSTGRES_PASSWORD: 'SECRET',
        AWS_REGION: 'us-east-1',
        LOG_GROUP: '/x',
        DATABASE_URL: 'postgres://x',
      },
    });
    expect(r.status, r.stderr).toBe(0);
    // config prints the file resolved, each literal "$" written "$$" again; PyYAML wrote it.
    const py = spawnSync(
      'python3',
      ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
      {
        input: r.stdout,
        encoding: 'utf8',
      },
    );
    const resolved = JSON.parse(py.stdout) as {
      services: { api: { environment: Record<string, string>; command: string[] } };
    };
    const composeUnescape = (s: string) => s.replace(/\$\$/g, '$');
    for (const [k, v] of Object.entries(ENV)) {
      expect(composeUnescape(resolved.services.api.environment[k]!), k).toBe(v);
      expect(resolved.services.api.environment[k]).not.toContain('SECRET');
    }
    expect(resolved.services.api.command.map(composeUnescape)).toEqual(COMMAND);
    expect((resolved.services.api as unknown as { image: string }).image).toBe(IMAGE);
    expect(parse(text).services.api.environment).toEqual(doc.services.api.environment);
  });

  it('rehearse: the service gets the same strings (serviceEnvironment literals are the raw values)', () => {
    const lean = leanPlanOf(p)!;
    const entries = serviceEnvironment(lean, lean.services.find((s) => s.service.name === 'api')!);
    const literals = Object.fromEntries(
      entries.flatMap((e) => (e.value.kind === 'literal' ? [[e.name, e.value.text]] : [])),
    );
    for (const [k, v] of Object.entries(ENV)) expect(literals[k], k).toBe(v);
  });
});
