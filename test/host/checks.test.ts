/**
 * The host checks pass on every lean example's files, and fail on the seeds' mistakes: each check
 * is shown both ways. Needs nginx, shellcheck and openssl (npm test installs them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkCompose,
  checkHostFiles,
  checkNginx,
  checkShellcheck,
  checkSystemd,
  unknownCiphers,
  which,
} from '../../src/check/host.js';
import { leanPlanOf } from '../../src/model/lean.js';
import type { HostFile } from '../../src/render/host/contract.js';
import { renderHostFiles } from '../../src/render/host/index.js';
import { LEAN_EXAMPLES, planExample, planYaml, requireSystemTools } from './helpers.js';

beforeAll(() => requireSystemTools());

function replaceIn(files: HostFile[], path: string, from: string | RegExp, to: string): HostFile[] {
  return files.map((f) => {
    if (f.path !== path) return f;
    const content = f.content.replace(from, to);
    if (content === f.content) throw new Error(`mutation of ${path} changed nothing`);
    return { ...f, content };
  });
}

describe.each(LEAN_EXAMPLES)('checks on %s', (example) => {
  const plan = planExample(example);
  const files = renderHostFiles(plan);

  it('pass: nginx -t, shellcheck, compose schema, systemd-analyze verify', () => {
    const results = checkHostFiles(plan, files);
    for (const r of results) {
      if (r.status === 'skip') {
        console.warn(`${example}: ${r.name} check skipped: ${r.note}`);
        continue;
      }
      expect(r.findings, `${r.name}: ${r.findings.join('\n')}`).toEqual([]);
      expect(r.status).toBe('pass');
    }
  });
});

describe('checks on names at the limits of the schema', () => {
  it('nginx starts with a 253-character alias (the server names hash is sized from the plan)', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.io`;
    expect(long).toHaveLength(253);
    const plan = planYaml(`
name: shop
domain: ${'s'.repeat(45)}.example.com
aliases: [${long}]
alarmEmail: ops@example.com
tier: lean
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080, route: /}
`);
    const r = checkNginx(plan, renderHostFiles(plan));
    expect(r.findings).toEqual([]);
  });
});

describe('checks catch what the seeds got wrong', () => {
  const plan = planExample('cloud-consulting');
  const files = renderHostFiles(plan);
  const site = `/etc/nginx/conf.d/${plan.manifest.name}.conf`;

  it('nginx -t fails on a server block outside http {} (seed 000)', () => {
    const bad = replaceIn(
      files,
      '/etc/nginx/nginx.conf',
      /^events \{/m,
      'server {\n    listen 80;\n}\n\nevents {',
    );
    const r = checkNginx(plan, bad);
    expect(r.status).toBe('fail');
    expect(r.findings.join('\n')).toMatch(/"server" directive is not allowed here/);
  });

  it('finds cipher names that do not exist, which nginx -t lets through (seed 000)', () => {
    const bad = replaceIn(
      files,
      '/etc/nginx/nginx.conf',
      /ssl_ciphers [^;]+;/,
      'ssl_ciphers ECDHE-RSA-AES256-GCM-SHA512:ECDHE-RSA-AES256-GCM-SHA384;',
    );
    expect(unknownCiphers(files)).toEqual([]);
    expect(unknownCiphers(bad)).toEqual([
      '/etc/nginx/nginx.conf: ssl_ciphers names ECDHE-RSA-AES256-GCM-SHA512, which OpenSSL does not know',
    ]);
    expect(checkNginx(plan, bad).status).toBe('fail');
  });

  it('nginx -t fails on an unknown directive in the site', () => {
    const worse = replaceIn(files, site, /ssl_certificate_key [^;]+;/, '$&\n    ssl_protocol TLSv1.3;');
    expect(checkNginx(plan, worse).findings.join('\n')).toMatch(/unknown directive "ssl_protocol"/);
  });

  it('shellcheck reports an unquoted expansion', () => {
    const bad = replaceIn(
      files,
      '/opt/stackplan/bin/stackplan-monitor',
      'healthy=0\n',
      'healthy=0\nrm -rf $STACKPLAN_DATA/x\n',
    );
    const r = checkShellcheck(bad);
    expect(r.status).toBe('fail');
    expect(r.findings.join('\n')).toMatch(/stackplan-monitor:\d+:\d+: .*SC2086/);
  });

  it('the compose check rejects public ports, ports with host networking and unpinned images (seed 000)', () => {
    const compose = leanPlanOf(plan)!.host.composeFile;
    const publicPort = replaceIn(
      files,
      compose,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, literally
      '- 127.0.0.1:${STACKPLAN_PORT_API:-8061}:8061',
      '- "8061:8061"',
    );
    expect(checkCompose(plan, publicPort).findings).toContain(
      'services.api.ports: "8061:8061" is not bound to 127.0.0.1',
    );
    const hostNet = replaceIn(
      files,
      compose,
      '    restart: unless-stopped\n    init: true',
      '    restart: unless-stopped\n    network_mode: host\n    init: true',
    );
    expect(checkCompose(plan, hostNet).findings).toContain(
      'services.api: ports together with network_mode: host (the ports are ignored)',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, literally
    const latest = replaceIn(files, compose, '${RELEASE_API:-1.8.2}', '${RELEASE_API:-latest}');
    expect(checkCompose(plan, latest).findings.join('\n')).toMatch(/not pinned/);
    const schema = replaceIn(
      files,
      compose,
      '    init: true\n',
      '    init: true\n    restart_policy: always\n',
    );
    expect(checkCompose(plan, schema).findings.join('\n')).toMatch(/^schema: /m);
  });

  it.skipIf(!which('systemd-analyze'))('systemd-analyze verify catches a misspelt key', () => {
    const bad = replaceIn(files, '/etc/systemd/system/stackplan-monitor.service', 'ExecStart=', 'ExecStrat=');
    const r = checkSystemd(bad);
    expect(r.status).toBe('fail');
    expect(r.findings.join('\n')).toMatch(/ExecStrat/);
  });
});
