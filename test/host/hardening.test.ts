/**
 * Least privilege on the lean host: every container (the app's and the data stores') runs as a
 * non-root user with no capabilities, no privilege escalation and a read-only image unless the
 * manifest opts out; app services get a healthcheck from their health path so `up --wait` waits
 * for healthy; and the health probe itself works with whichever HTTP client an image has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeRuleFindings, which } from '../../src/check/host.js';
import { leanPlanOf } from '../../src/model/lean.js';
import { healthProbe } from '../../src/render/host/compose.js';
import { renderHostFiles } from '../../src/render/host/index.js';
import { LEAN_EXAMPLES, planExample, planYaml } from './helpers.js';

type Services = Record<string, Record<string, any>>;

function composeOf(plan: ReturnType<typeof planYaml>): Services {
  const file = renderHostFiles(plan).find((f) => f.path === leanPlanOf(plan)!.host.composeFile)!;
  return (parse(file.content) as { services: Services }).services;
}

describe.each(LEAN_EXAMPLES)('containers of %s', (example) => {
  const services = composeOf(planExample(example));

  it('all run as a non-root user, with no capabilities and no privilege escalation', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
    for (const [name, s] of Object.entries(services)) {
      expect(s.user, name).toMatch(/^[1-9][0-9]*:[0-9]+$/);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.cap_add, name).toBeUndefined();
      expect(s.security_opt, name).toContain('no-new-privileges:true');
      expect(s.read_only, name).toBe(true);
      expect(
        (s.tmpfs as string[]).some((t) => t.startsWith('/tmp:')),
        name,
      ).toBe(true);
    }
    // Redis ran as root (sh -c bypassed the image's switch to its user); PostgreSQL's entrypoint did too.
    expect(services.redis!.user).toBe('999:1000');
    expect(services.postgres!.user).toBe('70:70');
    expect(services.postgres!.tmpfs).toContain('/var/run/postgresql:size=1m,uid=70,gid=70,mode=0775');
  });

  it('give every app service with a health path a healthcheck, so up --wait waits for healthy', () => {
    const plan = planExample(example);
    for (const s of leanPlanOf(plan)!.services) {
      if (s.image.kind === 'none' || s.service.health === undefined) continue;
      const hc = services[s.service.name]!.healthcheck;
      expect(hc.test[0], s.service.name).toBe('CMD-SHELL');
      expect(hc.test[1]).toContain(`u=http://127.0.0.1:${s.service.port}${s.service.health}`);
    }
    const deploy = renderHostFiles(plan).find((f) => f.path.endsWith('stackplan-deploy'))!.content;
    expect(deploy).toContain('up --detach --remove-orphans --wait');
  });
});

describe('per-service switches', () => {
  const BASE = `name: shop
domain: shop.example.com
alarmEmail: ops@example.com
tier: lean
`;

  it('readonlyRootFilesystem: false leaves the image writable; user and healthCommand are honoured', () => {
    const services = composeOf(
      planYaml(`${BASE}services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, user: "1000", readonlyRootFilesystem: false, healthCommand: [/app/healthcheck, --quick]}
  worker: {kind: worker, image: ghcr.io/acme/api:1.0.0}
`),
    );
    expect(services.api!.read_only).toBeUndefined();
    expect(services.api!.tmpfs).toBeUndefined();
    expect(services.api!.user).toBe('1000:1000');
    expect(services.api!.healthcheck.test).toEqual(['CMD', '/app/healthcheck', '--quick']);
    expect(services.worker!.read_only).toBe(true);
    expect(services.worker!.healthcheck).toBeUndefined(); // no health path, no healthCommand
  });

  it('a port below 1024 is bound without a capability (unprivileged ports start at it)', () => {
    const services = composeOf(
      planYaml(`${BASE}services:
  web: {kind: frontend, image: ghcr.io/acme/web:1.0.0, port: 80}
`),
    );
    expect(services.web!.sysctls).toEqual({ 'net.ipv4.ip_unprivileged_port_start': 80 });
    expect(services.web!.cap_add).toBeUndefined();
  });

  it('gives the credentials relay only to services that call AWS; the others get no token, address or AWS variable', () => {
    const plan = planYaml(`${BASE}services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, uses: [bedrock]}
  web: {kind: frontend, image: ghcr.io/acme/web:1.0.0, port: 3000}
integrations:
  bedrock: {models: [{id: amazon.nova-lite-v1:0}]}
`);
    const services = composeOf(plan);
    expect(services.api!.environment.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).toBe(
      '/run/secrets/AWS_CONTAINER_AUTHORIZATION_TOKEN',
    );
    expect(services.api!.environment.AWS_CONTAINER_AUTHORIZATION_TOKEN).toBeUndefined();
    // (its logging options name the region for the awslogs driver, on the host side)
    expect(JSON.stringify({ ...services.web, logging: undefined })).not.toMatch(/AWS_|169\.254\.170\.2/);
    expect(services.web!.secrets).toBeUndefined();
    const script = renderHostFiles(plan).find((f) => f.path.endsWith('stackplan-secrets'))!.content;
    expect(script).toContain('printf \'%s\' "$relay_token" | put api AWS_CONTAINER_AUTHORIZATION_TOKEN');
    expect(script).not.toMatch(/put web /);
  });

  it('user: root, 0 or a name is refused by validation', () => {
    for (const user of ['root', '0', '0:0', 'node']) {
      expect(
        () =>
          planYaml(`${BASE}services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /, user: "${user}"}
`),
        user,
      ).toThrow(/services\.api\.user/);
    }
  });

  it('the compose check flags a root user, kept capabilities and missing no-new-privileges', () => {
    expect(
      composeRuleFindings({
        services: {
          a: { image: 'x:1', user: '0', cap_drop: ['NET_RAW'], cap_add: ['SYS_ADMIN'], privileged: true },
        },
      }),
    ).toEqual([
      'services.a.user: "0" is not a non-root numeric uid',
      'services.a: cap_drop is not [ALL]',
      'services.a: cap_add gives capabilities back',
      'services.a: security_opt lacks no-new-privileges:true',
      'services.a: privileged',
    ]);
  });
});

describe('the default health probe', () => {
  let server: Server;
  let port: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-probe-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/health' });
      else res.statusCode = req.url === '/health' ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the probe with only `tool` on PATH, as in an image that has just that client. */
  async function probe(tool: string | undefined, healthPath: string): Promise<{ code: number; err: string }> {
    const bin = path.join(dir, tool ?? 'none');
    mkdirSync(bin, { recursive: true });
    if (tool) {
      try {
        // The real binary (a version manager's shim would need its own PATH).
        const system = `/usr/bin/${tool}`;
        symlinkSync(realpathSync(existsSync(system) ? system : which(tool)!), path.join(bin, tool));
      } catch {}
    }
    const { spawn } = await import('node:child_process');
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', healthProbe(port, healthPath)], { env: { PATH: bin } });
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.on('close', (code) => resolve({ code: code ?? 1, err }));
    });
  }

  it('passes shellcheck as a POSIX sh script', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], {
      input: `${healthProbe(8080, '/health')}\n`,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('');
  });

  it.each(['curl', 'wget', 'node', 'python3'].filter((t) => which(t)))(
    'with only %s: healthy on 2xx and 3xx, unhealthy on 5xx',
    async (tool) => {
      expect((await probe(tool, '/health')).code).toBe(0);
      expect((await probe(tool, '/moved')).code).toBe(0);
      expect((await probe(tool, '/broken')).code).not.toBe(0);
    },
  );

  it('without any client, fails and says what to set', async () => {
    const r = await probe(undefined, '/health');
    expect(r.code).toBe(1);
    expect(r.err).toContain('set healthCommand in the manifest');
  });
});
