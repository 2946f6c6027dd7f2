/**
 * `stackplan init` on a real terminal: the built CLI under a pseudo-terminal (python3's pty
 * module, test/init/terminal.py), answering its questions as a person would — defaults with Enter, a
 * wrong answer asked again, Ctrl-C cancelling with nothing written, --yes never asking.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/load.js';

const BIN = path.resolve('bin/stackplan.js');
const PTY = path.resolve('test/init/terminal.py');
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-init-tty-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Step {
  expect: string;
  send: string;
}

/** Runs `stackplan ARGS` in dir under a pseudo-terminal, playing the steps. */
function onTerminal(dir: string, args: string[], steps: Step[]) {
  const spec = path.join(work, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    spec,
    JSON.stringify({
      cmd: [process.execPath, BIN, ...args],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', TERM: 'dumb', HOME: dir },
      timeout: 60,
      steps,
    }),
  );
  const r = spawnSync('python3', [PTY, spec], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`terminal.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { code: number | null; transcript: string; failed: number | null };
  // What the terminal showed, without the escape sequences readline draws with.
  const ESC = String.fromCharCode(27);
  const text = out.transcript.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g'), '').replace(/\r/g, '');
  return { ...out, text };
}

const enter = (expect: string) => ({ expect, send: '\r' });
const answer = (expect: string, text: string) => ({ expect, send: `${text}\r` });

describe('stackplan init on a terminal, without a compose file', () => {
  it('asks, with defaults, re-asks a wrong answer, and writes a manifest that validates', () => {
    const dir = mkdtempSync(path.join(work, 'shop-'));
    const r = onTerminal(
      dir,
      ['init'],
      [
        answer('App name \\[shop-\\w+\\]: ', 'shop'),
        answer('Domain the app answers on \\[shop\\.example\\.com\\]: ', 'Shop Example'),
        answer(
          '✗ a lowercase DNS name.*?Domain the app answers on \\[shop\\.example\\.com\\]: ',
          'shop.example.org',
        ),
        enter('Email for alarms \\[ops@shop\\.example\\.org\\]: '),
        enter('Availability \\(single-instance, multi-az, multi-az-ha\\) \\[single-instance\\]: '),
        answer('RPO\\) \\[24\\]: ', '4'),
        enter('Service name \\[web\\]: '),
        answer('web: kind \\(frontend, static, api, worker, ml\\) \\[frontend\\]: ', 'static'),
        answer('web: image .* or build directory \\[\\.\\]: ', './web'),
        enter('web: route \\[/\\]: '),
        answer('Service name: ', 'api'),
        answer('api: kind .* \\[api\\]: ', 'api'),
        answer('api: image .* \\[\\./api\\]: ', 'ghcr.io/acme/api:latest'),
        answer(
          '✗ a pinned tag or digest, not :latest.*?api: image .* \\[\\./api\\]: ',
          'ghcr.io/acme/api:1.4.2',
        ),
        answer('api: port it listens on \\[8080\\]: ', '9000'),
        enter('api: route \\[/api/\\]: '),
        enter('Service name: '),
        enter('PostgreSQL version \\(14-17, or none\\) \\[16\\]: '),
        answer('Redis \\(cache, broker, cache-and-broker, or none\\) \\[none\\]: ', 'broker'),
      ],
    );
    expect(r.failed, r.text).toBeNull();
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(
      /stackplan init: wrote stackplan\.yaml \(shop, 2 services, PostgreSQL 16, Redis as broker\)/,
    );
    expect(r.text).toMatch(/next: stackplan plan stackplan\.yaml/);
    const m = loadManifest(path.join(dir, 'stackplan.yaml'));
    expect(m.ok, JSON.stringify(m.diagnostics)).toBe(true);
    if (!m.ok) return;
    expect(m.manifest).toMatchObject({
      name: 'shop',
      domain: 'shop.example.org',
      alarmEmail: 'ops@shop.example.org',
      backups: { rpoHours: 4 },
      redis: { role: 'broker', persistence: true },
    });
    expect(m.manifest.services.map((s) => [s.name, s.kind, s.route, s.port ?? null])).toEqual([
      ['api', 'api', '/api/', 9000],
      ['web', 'static', '/', null],
    ]);
  });

  it('Ctrl-C cancels: exit 1, nothing written', () => {
    const dir = mkdtempSync(path.join(work, 'cancel-'));
    const r = onTerminal(
      dir,
      ['init'],
      [answer('App name \\[.*?\\]: ', 'shop'), { expect: 'Domain the app answers on', send: '\x03' }],
    );
    expect(r.code, r.text).toBe(1);
    expect(r.text).toMatch(/error: cancelled: nothing was written/);
    expect(existsSync(path.join(dir, 'stackplan.yaml'))).toBe(false);
  });

  it('--yes on a terminal asks nothing', () => {
    const dir = mkdtempSync(path.join(work, 'yes-'));
    const r = onTerminal(dir, ['init', '--yes', '--name', 'quiet-app'], []);
    expect(r.code, r.text).toBe(0);
    expect(r.text).not.toMatch(/\]: /);
    expect(readFileSync(path.join(dir, 'stackplan.yaml'), 'utf8')).toMatch(/^name: quiet-app$/m);
  });

  it('never overwrites stackplan.yaml without --force, before asking anything', () => {
    const dir = mkdtempSync(path.join(work, 'exists-'));
    writeFileSync(path.join(dir, 'stackplan.yaml'), '# mine\n');
    const r = onTerminal(dir, ['init'], []);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/already exists: init does not overwrite it/);
    expect(r.text).not.toMatch(/App name/);
    expect(readFileSync(path.join(dir, 'stackplan.yaml'), 'utf8')).toBe('# mine\n');
  });
});

describe('stackplan init on a terminal, with a compose file', () => {
  it('offers the compose file it finds, asks what compose cannot say, and converts it', () => {
    const dir = path.join(work, 'saleor');
    cpSync(path.resolve('test/fixtures/compose/saleor-platform'), dir, { recursive: true });
    const r = onTerminal(
      dir,
      ['init'],
      [
        enter('Start from docker-compose\\.yml\\? \\(y/n\\) \\[y\\]: '),
        enter('App name \\[saleor\\]: '),
        answer('Domain the app answers on \\[saleor\\.example\\.com\\]: ', 'shop.saleor.example.net'),
        enter('Email for alarms \\[ops@shop\\.saleor\\.example\\.net\\]: '),
        answer('Availability .* \\[single-instance\\]: ', 'multi-az'),
        enter('RPO\\) \\[24\\]: '),
      ],
    );
    expect(r.failed, r.text).toBeNull();
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(/stackplan init: docker-compose\.yml → stackplan\.yaml \(wrote; 3 services\)/);
    const m = loadManifest(path.join(dir, 'stackplan.yaml'));
    expect(m.ok, JSON.stringify(m.diagnostics)).toBe(true);
    if (m.ok) {
      expect(m.manifest).toMatchObject({
        name: 'saleor',
        domain: 'shop.saleor.example.net',
        availability: 'multi-az',
      });
      expect(m.manifest.services.map((s) => s.name)).toEqual(['api', 'dashboard', 'worker']);
    }
  });
});
