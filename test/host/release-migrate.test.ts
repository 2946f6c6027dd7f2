/**
 * stackplan-release when a worker owns the migration: CI migrates alone first (`--migrate`), the
 * web services switch, and the worker restarts last without migrating again (`--migrated`). The
 * rendered script runs for real under bash with a recording runtime (STACKPLAN_RUNTIME: what
 * docker would be asked to do, written to a file) and the loopback SSM fake.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanPlanOf } from '../../src/model/lean.js';
import { FakeAws } from '../../src/rehearse/fake-aws.js';
import { freePort } from '../../src/rehearse/ports.js';
import { findAwsCli } from '../../src/rehearse/tools.js';
import { renderHostFiles } from '../../src/render/host/index.js';
import { planYaml, requireSystemTools } from './helpers.js';

const plan = planYaml(`
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

const RUNTIME = `#!/usr/bin/env bash
# Records each operation; every container starts and is healthy.
echo "$*" >>"$RUNTIME_LOG"
`;

function run(file: string, env: NodeJS.ProcessEnv, args: string[]) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) =>
    execFile('bash', [file, ...args], { env, encoding: 'utf8' }, (e, out, err) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
    ),
  );
}

describe('stackplan-release with a worker that owns the migration', () => {
  const lean = leanPlanOf(plan)!;
  let dir: string;
  let fake: FakeAws;
  let env: NodeJS.ProcessEnv;
  let release: string;
  const log = () => readFileSync(path.join(dir, 'runtime.log'), 'utf8').trim().split('\n');

  beforeAll(async () => {
    requireSystemTools();
    dir = mkdtempSync(path.join(tmpdir(), 'stackplan-release-migrate-'));
    for (const f of renderHostFiles(plan)) {
      if (!f.path.startsWith('/opt/stackplan/')) continue;
      const p = path.join(dir, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
    }
    release = path.join(dir, 'opt/stackplan/bin/stackplan-release');
    writeFileSync(path.join(dir, 'runtime'), RUNTIME, { mode: 0o755 });
    writeFileSync(
      path.join(dir, 'stack.env'),
      `AWS_REGION=us-east-1\nPARAM_PREFIX=${lean.params.prefix}\nSTACKPLAN_APP=${dir}/app\nECR_REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com\nARTIFACTS_BUCKET=artifacts\n`,
    );
    fake = new FakeAws();
    await fake.start(await freePort());
    env = {
      PATH: process.env.PATH,
      RUNTIME_LOG: path.join(dir, 'runtime.log'),
      STACK_ENV_FILE: path.join(dir, 'stack.env'),
      STACKPLAN_LIB: path.join(dir, 'opt/stackplan/lib'),
      STACKPLAN_ENV_FILE: path.join(dir, 'app.env'),
      STACKPLAN_RELEASES_DIR: path.join(dir, 'releases'),
      STACKPLAN_RUNTIME: path.join(dir, 'runtime'),
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--migrate runs the migration once with the new image and starts nothing', async () => {
    const r = await run(release, env, ['--migrate', 'jobs', 'a'.repeat(40)]);
    expect(r.code, r.err).toBe(0);
    const ops = log();
    expect(ops[0]).toMatch(/^pull jobs \S+ a{40}$/);
    expect(ops.filter((o) => o.startsWith('migrate '))).toEqual([
      `migrate jobs ${'a'.repeat(40)} alembic upgrade head`,
    ]);
    expect(ops.some((o) => o.startsWith('start '))).toBe(false);
    expect(r.err).toContain(`stackplan-release jobs ${'a'.repeat(40)} --migrated`);
  });

  it('SERVICE TAG --migrated restarts the worker with the new image without migrating again', async () => {
    rmSync(path.join(dir, 'runtime.log'), { force: true });
    const r = await run(release, env, ['jobs', 'a'.repeat(40), '--migrated']);
    expect(r.code, r.err).toBe(0);
    const ops = log();
    expect(ops.some((o) => o.startsWith('migrate '))).toBe(false);
    expect(ops.some((o) => o.startsWith(`start jobs a ${'a'.repeat(40)}`))).toBe(true);
    expect(fake.parameters.get(`${lean.params.prefix}release/jobs`)).toBe('a'.repeat(40));
  });

  it('a plain release still migrates before the restart', async () => {
    rmSync(path.join(dir, 'runtime.log'), { force: true });
    const r = await run(release, env, ['jobs', 'b'.repeat(40)]);
    expect(r.code, r.err).toBe(0);
    const ops = log().map((o) => o.split(' ')[0]);
    expect(ops.indexOf('migrate')).toBeGreaterThan(-1);
    expect(ops.indexOf('migrate')).toBeLessThan(ops.indexOf('start'));
  });

  it('refuses --migrate for a service without a migrate command, changing nothing', async () => {
    rmSync(path.join(dir, 'runtime.log'), { force: true });
    const r = await run(release, env, ['--migrate', 'api', 'c'.repeat(40)]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('api has no migrate command in the manifest');
    expect(() => log()).toThrow();
  });
});
