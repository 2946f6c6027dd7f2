/**
 * `stackplan rehearse` end to end on real processes (nginx, PostgreSQL, Redis, s3rver and the
 * example app on loopback ports), for every lean example; Ctrl-C; and the errors a user can act on.
 * Needs the apt packages listed by `stackplan doctor` (npm test installs them).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../src/cli/commands/rehearse.js';
import { memoryIo } from '../../src/cli/io.js';
import { UserError } from '../../src/errors.js';
import { isPortFree } from '../../src/rehearse/ports.js';
import { Rehearsal, type RehearseReport, STEPS } from '../../src/rehearse/run.js';
import { pidAlive } from '../../src/rehearse/supervisor.js';
import {
  LEAN_EXAMPLES,
  manifestPath,
  planExample,
  planYaml,
  ROOT,
  requireSystemTools,
} from '../host/helpers.js';

let out: string;
beforeAll(() => {
  requireSystemTools();
  out = mkdtempSync(path.join(tmpdir(), 'stackplan-rehearse-test-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.each(LEAN_EXAMPLES)('stackplan rehearse %s', (example) => {
  it('passes every step, reports live and as JSON, and leaves nothing behind', async () => {
    const io = memoryIo();
    const json = path.join(out, `${example}.json`);
    const code = await rehearse({ file: manifestPath(example), json, rows: 300 }, io);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RehearseReport;
    const failures = report.steps.flatMap((s) =>
      s.checks.filter((c) => !c.ok).map((c) => `${s.step}: ${c.name}: ${c.detail}`),
    );
    expect(failures, io.text()).toEqual([]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.step)).toEqual([...STEPS]);
    for (const step of STEPS)
      expect(io.stdout.join('\n')).toMatch(new RegExp(`^✓ ${step} +\\d+\\.\\d+ s`, 'm'));
    const checks = report.steps.flatMap((s) => s.checks.map((c) => c.name));
    expect(checks).toEqual(
      expect.arrayContaining([
        'TLSv1 refused',
        'TLSv1.1 refused',
        'TLSv1.2 accepted',
        'TLSv1.3 accepted',
        'restore into a fresh database',
        'kill api: unhealthy within 5 s',
        'kill postgres: no committed row lost',
        'kill redis: restarted, healthy again',
        'nothing left running',
        'ports free',
        'release rehearse-2: 0 failed requests',
        'release rehearse-2: the new version serves',
        'release rehearse-broken: refused with its log lines',
        'release rehearse-broken: the old version keeps serving, 0 failed requests',
      ]),
    );
    expect(checks.some((c) => /^rollback to .+: 0 failed requests/.test(c))).toBe(true);
    // The releases ran under load, and not one request failed.
    const f = report.figures;
    for (const r of [f.release, f.failedRelease, f.rollback]) {
      expect(r?.failed).toBe(0);
      expect(r?.requests).toBeGreaterThan(50);
    }
    expect(f.release!.switchMs).toBeGreaterThanOrEqual(0);
    expect(io.stdout.join('\n')).toMatch(/^releases under load: release \d+ requests, 0 failed/m);
    expect(report.figures.rows).toBe(300);
    expect(existsSync(report.tmpDir)).toBe(false);
  });
});

describe('rehearse is interrupted cleanly (Ctrl-C)', () => {
  it('stops between steps, tears everything down and reports the interruption', async () => {
    const controller = new AbortController();
    const rehearsal = new Rehearsal(planExample('cloud-consulting'), {
      rows: 10,
      signal: controller.signal,
      onStep: (r) => {
        if (r.step === 'start') controller.abort();
      },
    });
    const report = await rehearsal.run();
    expect(report.ok).toBe(false);
    expect(report.interrupted).toBe(true);
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['start', true],
      ['smoke', false],
      ['teardown', true],
    ]);
    const pids = rehearsal.procs.flatMap((p) => p.pids);
    expect(pids.length).toBeGreaterThan(3);
    expect(pids.filter(pidAlive)).toEqual([]);
    expect(existsSync(report.tmpDir)).toBe(false);
  });

  it('keeps the temporary directory with --keep', async () => {
    const controller = new AbortController();
    controller.abort();
    const report = await new Rehearsal(planExample('cloud-consulting'), {
      keep: true,
      signal: controller.signal,
    }).run();
    expect(report.kept).toBe(true);
    expect(existsSync(report.tmpDir)).toBe(true);
    rmSync(report.tmpDir, { recursive: true, force: true });
  });
});

describe('rehearse errors a user can act on', () => {
  const noCommand = planYaml(
    `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
tier: lean
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080}
postgres: true
`,
    path.join(ROOT, 'examples', 'cloud-consulting'),
  );

  it('names each service without a rehearse command, and how to give one', async () => {
    const err = await rehearse({ file: 'shop.yaml', plan: noCommand }, memoryIo()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('no command to start api on this machine');
    expect((err as UserError).actions.join('\n')).toContain("--service-cmd 'api=…'");
  });

  it('rejects a --service-cmd for a service that does not exist', async () => {
    const err = await rehearse(
      { file: 'shop.yaml', plan: noCommand, serviceCmd: ['worker=node w.js'] },
      memoryIo(),
    ).catch((e: unknown) => e);
    expect((err as UserError).message).toContain('worker, which is not a service of shop');
    const bad = await rehearse({ file: 'shop.yaml', plan: noCommand, serviceCmd: ['api'] }, memoryIo()).catch(
      (e: unknown) => e,
    );
    expect((bad as UserError).message).toBe('--service-cmd api is not name=command');
  });

  it('refuses an invalid manifest with its diagnostics', async () => {
    const err = await rehearse({ file: path.join(out, 'missing.yaml') }, memoryIo()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).actions[0]).toContain('stackplan validate');
  });
});

describe('ports', () => {
  it('isPortFree tells a bound port from a free one', async () => {
    const { createServer } = await import('node:net');
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((r) => s.close(() => r()));
    expect(await isPortFree(port)).toBe(true);
  });
});
