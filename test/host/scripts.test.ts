/**
 * The scripts' settings resolve environment → STACK_ENV_FILE → plan default, and the secrets
 * script turns SSM parameters into a 0600 env file (or names what is missing). These run the
 * rendered files with bash against a local SSM fake; rehearse covers the rest end to end.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanPlanOf } from '../../src/model/lean.js';
import { FakeAws } from '../../src/rehearse/fake-aws.js';
import { freePort } from '../../src/rehearse/ports.js';
import { findAwsCli } from '../../src/rehearse/tools.js';
import { renderHostFiles } from '../../src/render/host/index.js';
import { planExample, requireSystemTools } from './helpers.js';

function run(
  file: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile('bash', [file, ...args], { env, encoding: 'utf8' }, (e, out, err) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
    ),
  );
}

describe('host scripts', () => {
  const plan = planExample('cloud-consulting');
  const lean = leanPlanOf(plan)!;
  let dir: string;
  let fake: FakeAws;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    requireSystemTools();
    dir = mkdtempSync(path.join(tmpdir(), 'stackplan-scripts-'));
    for (const f of renderHostFiles(plan)) {
      if (!f.path.startsWith('/opt/stackplan/')) continue;
      const p = path.join(dir, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
    }
    writeFileSync(
      path.join(dir, 'stack.env'),
      `AWS_REGION=us-east-1\nPARAM_PREFIX=${lean.params.prefix}\nBACKUP_BUCKET='from-file'\nPGPORT=6000\n`,
    );
    writeFileSync(path.join(dir, 'relay.env'), `RELAY_TOKEN=${'f'.repeat(64)}\n`);
    fake = new FakeAws();
    await fake.start(await freePort());
    env = {
      PATH: process.env.PATH,
      STACK_ENV_FILE: path.join(dir, 'stack.env'),
      STACKPLAN_LIB: path.join(dir, 'opt/stackplan/lib'),
      STACKPLAN_ENV_FILE: path.join(dir, 'app.env'),
      STACKPLAN_SECRETS_DIR: path.join(dir, 'secrets'),
      STACKPLAN_SECRETS_CHOWN: '0',
      STACKPLAN_RELAY_ENV_FILE: path.join(dir, 'relay.env'),
      STACKPLAN_AWS_CLI: findAwsCli()!.path,
      STACKPLAN_SSM_ENDPOINT: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(dir, 'none'),
    };
  });

  afterAll(async () => {
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('take settings from the environment first, then STACK_ENV_FILE, then the plan', async () => {
    const probe = path.join(dir, 'probe.sh');
    writeFileSync(
      probe,
      `set -euo pipefail\nsource "$STACKPLAN_LIB/common.sh"\necho "$BACKUP_BUCKET $PGPORT $STACKPLAN_DATA $PGDATABASE"\n`,
    );
    const r = await run(probe, { ...env, PGPORT: '7000' });
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe(`from-file 7000 ${lean.host.data} ${lean.postgres!.database}`);
  });

  it('stackplan-secrets names the parameters missing from SSM and writes nothing', async () => {
    fake.parameters.clear();
    fake.parameters.set(lean.params.postgresPassword, 'pw');
    const r = await run(path.join(dir, 'opt/stackplan/bin/stackplan-secrets'), env);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`missing in SSM under ${lean.params.prefix}: JWT_SECRET REDIS_PASSWORD`);
    expect(() => statSync(path.join(dir, 'app.env'))).toThrow();
    expect(() => statSync(path.join(dir, 'secrets'))).toThrow();
    expect(readdirSync(dir).filter((f) => f.startsWith('.secrets'))).toEqual([]);
  });

  it('stackplan-secrets writes each container its secret files, values whole, and no secret in the env file', async () => {
    const multiLine = '-----BEGIN KEY-----\nline two with \'quotes\' and "doubles"\n-----END KEY-----\n';
    fake.parameters.clear();
    fake.parameters.set(lean.params.postgresPassword, 'p@ss/w:rd');
    fake.parameters.set(lean.params.redisPassword, 'r#1"\\');
    fake.parameters.set(`${lean.params.secrets}JWT_SECRET`, multiLine);
    const r = await run(path.join(dir, 'opt/stackplan/bin/stackplan-secrets'), env);
    expect(r.err).toContain('wrote');
    expect(r.code).toBe(0);
    const secrets = path.join(dir, 'secrets');
    const read = (f: string) => readFileSync(path.join(secrets, f), 'utf8');
    // Multi-line values are kept whole (the old env-file format kept only the first line).
    expect(read('api/JWT_SECRET')).toBe(multiLine);
    expect(read('postgres/POSTGRES_PASSWORD')).toBe('p@ss/w:rd');
    expect(read('api/DATABASE_URL')).toBe(
      `postgres://app:p%40ss%2Fw%3Ard@postgres:5432/${lean.postgres!.database}`,
    );
    expect(read('api/REDIS_URL')).toBe('redis://default:r%231%22%5C@redis:6379/0');
    expect(read('api/AWS_CONTAINER_AUTHORIZATION_TOKEN')).toBe('f'.repeat(64));
    expect(read('redis/REDIS_PASSWORD')).toBe('r#1"\\');
    expect(read('redis/redis.conf')).toBe('requirepass "r#1\\"\\\\"\n');
    // Each directory is its container's alone (ownership is left as is here: STACKPLAN_SECRETS_CHOWN=0).
    for (const c of ['api', 'postgres', 'redis']) {
      expect(statSync(path.join(secrets, c)).mode & 0o777, c).toBe(0o500);
      for (const f of readdirSync(path.join(secrets, c))) {
        expect(statSync(path.join(secrets, c, f)).mode & 0o777, `${c}/${f}`).toBe(0o400);
      }
    }
    const envFile = readFileSync(path.join(dir, 'app.env'), 'utf8');
    for (const secret of ['p@ss', 'r#1', 'line two', 'f'.repeat(64)]) expect(envFile).not.toContain(secret);
    expect(envFile).toMatch(/^SECRETS_API=[0-9a-f]{16}$/m);
    expect(envFile).toMatch(/^SECRETS_POSTGRES=[0-9a-f]{16}$/m);

    // A second run replaces the set atomically, changes the digest of what changed, and leaves one set.
    fake.parameters.set(`${lean.params.secrets}JWT_SECRET`, 'rotated');
    const before = envFile.match(/^SECRETS_API=.*$/m)![0];
    expect((await run(path.join(dir, 'opt/stackplan/bin/stackplan-secrets'), env)).code).toBe(0);
    expect(read('api/JWT_SECRET')).toBe('rotated');
    const after = readFileSync(path.join(dir, 'app.env'), 'utf8');
    expect(after).not.toContain(before);
    expect(after).toContain(envFile.match(/^SECRETS_POSTGRES=.*$/m)![0]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.secrets'))).toHaveLength(1);
  });
});
