/**
 * Host files rendered from each lean example: pinned by golden files (UPDATE_GOLDEN=1 rewrites
 * them), and held to properties that fail on the seeds' mistakes.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeRuleFindings } from '../../src/check/host.js';
import { DEFAULT_CSP } from '../../src/manifest/schema.js';
import { leanPlanOf } from '../../src/model/lean.js';
import type { Plan } from '../../src/model/plan.js';
import { cloudwatchAgentConfig } from '../../src/render/host/cloudwatch.js';
import { BOOTSTRAP_SCRIPT, STACK_ENV_FILE } from '../../src/render/host/contract.js';
import { isShellScript, renderHostFiles } from '../../src/render/host/index.js';
import { MOZILLA_INTERMEDIATE } from '../../src/render/host/nginx.js';
import { needsLegacyHttp2, rebaseNginxFiles } from '../../src/render/host/rebase.js';
import { expectGolden } from '../helpers/golden.js';
import { LEAN_EXAMPLES, planExample, planYaml, ROOT } from './helpers.js';

/** Top-level nginx blocks and directives of a config, with brace depth tracking. */
function topLevelBlocks(conf: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (depth === 0) out.push(line);
    depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
  }
  return out;
}

describe.each(LEAN_EXAMPLES)('host files of %s', (example) => {
  const plan: Plan = planExample(example);
  const files = renderHostFiles(plan);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const lean = leanPlanOf(plan)!;

  it('match their golden files', () => {
    expectGolden(
      `host/${example}/FILES`,
      files.map((f) => `${f.mode.toString(8)} ${f.path}`).join('\n') + '\n',
    );
    for (const f of files) expectGolden(`host/${example}${f.path}`, f.content);
  });

  it('are deterministic and sorted by path', () => {
    expect(renderHostFiles(planExample(example))).toEqual(files);
    expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
  });

  it('include the bootstrap script user data runs, executable', () => {
    expect(byPath.get(BOOTSTRAP_SCRIPT)?.mode).toBe(0o755);
  });

  it('put every nginx server block inside http {}', () => {
    const main = byPath.get('/etc/nginx/nginx.conf')!.content;
    const top = topLevelBlocks(main);
    expect(top.some((l) => l.startsWith('server'))).toBe(false);
    expect(top.filter((l) => l.endsWith('{'))).toEqual(['events {', 'http {']);
    expect(main).toMatch(/http \{[\s\S]*include \/etc\/nginx\/conf\.d\/\*\.conf;[\s\S]*\}/);
    const site = byPath.get(`/etc/nginx/conf.d/${plan.manifest.name}.conf`)!.content;
    // The site is included inside http {}: it may only hold upstream and server blocks.
    for (const l of topLevelBlocks(site)) expect(l).toMatch(/^(upstream \S+|server) \{$/);
  });

  it('redirect with $host, never $server_name', () => {
    const all = files.map((f) => f.content).join('\n');
    expect(all).not.toContain('$server_name');
    expect(all).toContain('return 301 https://$host$request_uri;');
  });

  it("use Mozilla's intermediate TLS profile with cipher names that exist", () => {
    const main = byPath.get('/etc/nginx/nginx.conf')!.content;
    expect(main).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(main).toContain(`ssl_ciphers ${MOZILLA_INTERMEDIATE.ciphers.join(':')};`);
    expect(main).toContain('server_tokens off;');
    expect(main).toContain('ssl_session_tickets off;');
  });

  it('serve HTTP/2 with `http2 on;`, never the deprecated `listen … http2`', () => {
    const site = byPath.get(`/etc/nginx/conf.d/${plan.manifest.name}.conf`)!.content;
    expect(site).not.toMatch(/listen[^;]*http2/);
    const servers443 = site.split('server {').filter((b) => /listen 443 ssl/.test(b));
    expect(servers443).toHaveLength(2);
    for (const b of servers443) expect(b).toContain('http2 on;');
  });

  it("replace the client's X-Forwarded-For instead of trusting it", () => {
    const proxy = byPath.get('/etc/nginx/stackplan/proxy.conf')!.content;
    expect(proxy).toMatch(/^proxy_set_header X-Forwarded-For \$remote_addr;$/m);
    expect(proxy).not.toContain('$proxy_add_x_forwarded_for');
  });

  it('send the default Content-Security-Policy', () => {
    const security = byPath.get('/etc/nginx/stackplan/security-headers.conf')!.content;
    expect(security).toContain(`add_header Content-Security-Policy "${DEFAULT_CSP}" always;`);
  });

  it('keep backups on the data volume, never under /tmp', () => {
    expect(lean.host.backupDir.startsWith(`${lean.host.data}/`)).toBe(true);
    const common = byPath.get('/opt/stackplan/lib/common.sh')!.content;
    expect(common).toContain(`default_setting STACKPLAN_BACKUP_DIR ${lean.host.backupDir} `);
    for (const f of files) expect(f.content).not.toMatch(/(^|[\s"'=])\/tmp\//m);
  });

  it('run every script in strict mode', () => {
    const scripts = files.filter(isShellScript);
    expect(scripts.length).toBeGreaterThan(5);
    for (const s of scripts) {
      if (s.path.endsWith('common.sh')) continue; // sourced by scripts that set it
      expect(s.content, s.path).toMatch(/^set -euo pipefail$/m);
    }
  });

  it('bind compose ports to 127.0.0.1 only, with pinned images and no host networking', () => {
    const doc = parse(byPath.get(lean.host.composeFile)!.content) as {
      services: Record<string, Record<string, unknown>>;
    };
    expect(composeRuleFindings(doc)).toEqual([]);
    for (const [name, s] of Object.entries(doc.services)) {
      expect(s.network_mode, name).toBeUndefined();
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.mem_limit, name).toMatch(/^\d+m$/);
    }
  });

  it('put no secret in a container environment: each is a file under /run/secrets, from the secrets directory', () => {
    const doc = parse(byPath.get(lean.host.composeFile)!.content) as {
      services: Record<
        string,
        {
          environment?: Record<string, string>;
          secrets?: Array<{ source: string; target: string }>;
          command?: string[];
        }
      >;
      secrets: Record<string, { file: string }>;
    };
    const SECRET =
      /^(POSTGRES_PASSWORD|REDIS_PASSWORD|REDISCLI_AUTH|DATABASE_URL|REDIS_URL|JWT_SECRET|COOKIE_SECRET|AWS_CONTAINER_AUTHORIZATION_TOKEN|CREDENTIALS_RELAY_TOKEN)$/;
    for (const [name, s] of Object.entries(doc.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        expect(k, name).not.toMatch(SECRET);
        if (k.endsWith('_FILE'))
          expect(v, `${name} ${k}`).toBe(`/run/secrets/${k.slice(0, -'_FILE'.length)}`);
      }
      for (const m of s.secrets ?? []) {
        expect(doc.secrets[m.source]!.file, `${name} ${m.source}`).toBe(
          `/etc/stackplan/secrets/${name}/${m.target}`,
        );
      }
      expect(JSON.stringify(s.command ?? [])).not.toMatch(/requirepass|PASSWORD/);
    }
    expect(doc.services.postgres!.environment!.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/POSTGRES_PASSWORD');
    expect(doc.services.redis!.command![1]).toBe('/run/secrets/redis.conf');
  });

  it('start exactly the rendered compose file from the systemd unit', () => {
    const unit = byPath.get('/etc/systemd/system/stackplan-app.service')!.content;
    const execs = [...unit.matchAll(/^Exec\w+=(.*)$/gm)].map((m) => m[1]!);
    const composeExecs = execs.filter((e) => e.includes(' compose '));
    expect(composeExecs.length).toBe(3);
    // Start and reload: the data stores, then every released service on its slot.
    expect(execs.filter((e) => e === '/opt/stackplan/bin/stackplan-release --boot').length).toBe(2);
    for (const e of composeExecs) {
      expect(e).toContain(`--file ${lean.host.composeFile} `);
      expect(e).toContain(`--env-file ${STACK_ENV_FILE} --env-file ${lean.host.envFile}`);
    }
    expect(byPath.has(lean.host.composeFile)).toBe(true);
  });

  it('time backups from the plan and renew certificates with a timer, never a crontab', () => {
    const timer = byPath.get('/etc/systemd/system/stackplan-backup.timer')!.content;
    expect(timer).toContain(`OnCalendar=${lean.backup.onCalendar}\n`);
    for (const f of files) expect(f.content).not.toMatch(/crontab/);
    expect(byPath.get('/etc/letsencrypt/renewal-hooks/deploy/stackplan-reload-nginx')!.content).toContain(
      'systemctl reload nginx',
    );
    const cert = byPath.get('/opt/stackplan/bin/stackplan-certificate')!.content;
    expect(cert).toContain(`\nnames=(${[plan.manifest.domain, ...plan.manifest.aliases].join(' ')})\n`);
    expect(cert).toContain('domains+=(-d "$name")');
  });

  it('publish exactly the metrics the alarms read', () => {
    const cw = cloudwatchAgentConfig(plan) as {
      metrics: {
        namespace: string;
        append_dimensions: Record<string, string>;
        aggregation_dimensions: string[][];
        metrics_collected: {
          mem: { measurement: string[] };
          disk: { measurement: string[]; resources: string[] };
        };
      };
    };
    expect(cw.metrics.namespace).toBe('CWAgent');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent's placeholder, literally
    expect(cw.metrics.append_dimensions).toEqual({ InstanceId: '${aws:InstanceId}' });
    expect(cw.metrics.aggregation_dimensions).toContainEqual(['InstanceId']);
    expect(cw.metrics.aggregation_dimensions).toContainEqual(['InstanceId', 'path']);
    expect(`mem_${cw.metrics.metrics_collected.mem.measurement[0]}`).toBe(lean.metrics.memUsedPercent);
    expect(`disk_${cw.metrics.metrics_collected.disk.measurement[0]}`).toBe(lean.metrics.diskUsedPercent);
    expect(cw.metrics.metrics_collected.disk.resources).toEqual(['/', lean.host.data]);
    const backup = byPath.get('/opt/stackplan/bin/stackplan-backup')!.content;
    expect(backup).toContain(`MetricName=${lean.metrics.backupSuccess},Value=1,Unit=Count`);
    expect(backup).toContain(`MetricName=${lean.metrics.backupSizeBytes},Value="$size",Unit=Bytes`);
    const common = byPath.get('/opt/stackplan/lib/common.sh')!.content;
    expect(common).toContain(`default_setting STACKPLAN_METRICS_NAMESPACE ${lean.metrics.namespace} `);
    expect(byPath.get('/opt/stackplan/bin/stackplan-monitor')!.content).toContain(
      `put_metric ${lean.metrics.healthOk} `,
    );
  });

  it('leave SSH hardening and fail2ban out when port 22 is closed', () => {
    expect(lean.ssh.enabled).toBe(false);
    expect(byPath.has('/etc/ssh/sshd_config.d/10-stackplan.conf')).toBe(false);
    expect(byPath.has('/etc/fail2ban/jail.d/stackplan.local')).toBe(false);
    expect(byPath.get('/etc/dnf/automatic.conf')!.content).toContain('upgrade_type = security');
  });
});

describe('host files from other manifests', () => {
  const BASE = `
name: shop
domain: shop.example.com
alarmEmail: ops@example.com
tier: lean
`;

  it('harden sshd and add fail2ban only when adminCidr opens port 22', () => {
    const plan = planYaml(`${BASE}adminCidr: 203.0.113.7/32
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080}
postgres: true
`);
    const files = new Map(renderHostFiles(plan).map((f) => [f.path, f]));
    const sshd = files.get('/etc/ssh/sshd_config.d/10-stackplan.conf')!;
    expect(sshd.content).toMatch(/^PermitRootLogin no$/m);
    expect(sshd.content).toMatch(/^PasswordAuthentication no$/m);
    expect(files.get('/etc/fail2ban/jail.d/stackplan.local')!.content).toContain('[sshd]\nenabled = true');
    expect(files.get('/opt/stackplan/bin/stackplan-bootstrap')!.content).toContain('fail2ban');
  });

  it('pull ECR-built images with the released tag, start nothing before the first release, and upgrade websockets where declared', () => {
    const plan = planYaml(`${BASE}services:
  api: {kind: api, build: ./api, port: 8080, websocket: true}
`);
    const files = new Map(renderHostFiles(plan).map((f) => [f.path, f]));
    const compose = parse(files.get('/opt/stackplan/docker-compose.yml')!.content) as {
      services: { api: { image: string } };
    };
    expect(compose.services.api.image).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, literally
      '${ECR_REGISTRY:?run stackplan-secrets}/shop/api:${RELEASE_API:-unreleased}',
    );
    // No tag is required before CI's first release: stackplan-secrets writes what SSM has.
    const secrets = files.get('/opt/stackplan/bin/stackplan-secrets')!.content;
    expect(secrets).toMatch(/for name in RELEASE_API; do\n {4}\[\[ -s "\$values\/\$name" \]\] \|\| continue/);
    expect(files.get('/opt/stackplan/bin/stackplan-release')!.content).toContain('no release yet');
    expect(files.get('/opt/stackplan/bin/stackplan-secrets')!.content).toContain('RELEASE_API');
    const site = files.get('/etc/nginx/conf.d/shop.conf')!.content;
    expect(site).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(site).toContain('proxy_set_header Connection $connection_upgrade;');
    // no PostgreSQL: no backup script or timer
    expect(files.has('/opt/stackplan/bin/stackplan-backup')).toBe(false);
    expect(files.has('/etc/systemd/system/stackplan-backup.timer')).toBe(false);
  });

  it("send the manifest's Content-Security-Policy, or none when the app sends its own", () => {
    const security = (csp: string) =>
      renderHostFiles(
        planYaml(`${BASE}contentSecurityPolicy: ${csp}
services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080}
`),
      ).find((f) => f.path.endsWith('security-headers.conf'))!.content;
    // A "$" and quotes survive nginx's quoting (a geo variable stands in for "$").
    expect(security(`"script-src 'nonce-$x' \\"q\\""`)).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: nginx variable syntax, literally
      'add_header Content-Security-Policy "script-src \'nonce-${stackplan_dollar}x\' \\"q\\"" always;',
    );
    expect(security('false')).not.toContain('Content-Security-Policy');
    expect(() =>
      planYaml(
        `${BASE}contentSecurityPolicy: "a\\nb"\nservices: {api: {kind: api, image: a/b:1, port: 1}}\n`,
      ),
    ).toThrow(/contentSecurityPolicy/);
  });

  it('move HTTP/2 back onto the listen line only for a local nginx older than 1.25.1', () => {
    expect(needsLegacyHttp2('nginx version: nginx/1.22.1')).toBe(true);
    expect(needsLegacyHttp2('nginx version: nginx/1.25.1')).toBe(false);
    expect(needsLegacyHttp2('nginx version: nginx/1.28.0')).toBe(false);
    const plan = planExample('gyva-shop');
    const target = { root: '/r', httpPort: 1, httpsPort: 2, upstreamPorts: new Map<number, number>() };
    const legacy = rebaseNginxFiles(plan, renderHostFiles(plan), { ...target, legacyHttp2: true });
    const site = legacy.find((f) => f.path.endsWith('gyva-shop.conf'))!.content;
    expect(site).not.toContain('http2 on;');
    expect(site).toMatch(/listen 127\.0\.0\.1:2 ssl http2;/);
    const current = rebaseNginxFiles(plan, renderHostFiles(plan), target);
    expect(current.find((f) => f.path.endsWith('gyva-shop.conf'))!.content).toContain('http2 on;');
  });

  it('turn on Redis AOF only when the manifest asks for persistence', () => {
    const persistent = renderHostFiles(
      planYaml(`${BASE}services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080}
redis: {persistence: true}
`),
    ).find((f) => f.path.endsWith('docker-compose.yml'))!.content;
    expect(persistent).toMatch(/- --appendonly\n\s+- "yes"/);
    expect(persistent).toContain('redis-data:/data');
    const cache = renderHostFiles(
      planYaml(`${BASE}services:
  api: {kind: api, image: ghcr.io/acme/api:1.0.0, port: 8080}
redis: true
`),
    ).find((f) => f.path.endsWith('docker-compose.yml'))!.content;
    expect(cache).toMatch(/- --appendonly\n\s+- "no"/);
    expect(cache).not.toContain('redis-data');
  });
});

describe('docs/rehearse.md', () => {
  it('documents every script setting', async () => {
    const { readFileSync } = await import('node:fs');
    const { scriptSettings } = await import('../../src/render/host/settings.js');
    const doc = readFileSync(new URL('../../docs/rehearse.md', import.meta.url), 'utf8');
    const missing = scriptSettings(planExample('cloud-consulting'))
      .map((s) => s.name.replace(/^STACKPLAN_SLOTS_\w+$/, 'STACKPLAN_SLOTS_<SERVICE>'))
      .filter((n) => !doc.includes(n) && !doc.includes(n.replace(/_(HOST|PORT)$/, '')));
    expect(missing).toEqual([]);
  });
});

describe('lean examples', () => {
  it('are exactly the examples whose recommended tier is lean, each rehearsable out of the box', async () => {
    const { readdirSync } = await import('node:fs');
    const { loadManifest } = await import('../../src/manifest/load.js');
    const { planApp } = await import('../../src/plan/index.js');
    const { loadPriceBook } = await import('../../src/price/book/index.js');
    const { servicesNeedingCommands } = await import('../../src/rehearse/run.js');
    const lean: string[] = [];
    for (const dir of readdirSync(`${ROOT}/examples`)) {
      let files: string[] = [];
      try {
        files = readdirSync(`${ROOT}/examples/${dir}`).filter((f) => /^stackplan.*\.ya?ml$/.test(f));
      } catch {
        continue;
      }
      for (const f of files) {
        const r = loadManifest(`${ROOT}/examples/${dir}/${f}`);
        if (!r.ok) continue;
        const plan = planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir });
        if (plan.recommended !== 'lean' || !leanPlanOf(plan)) continue;
        lean.push(`${dir}/${f}`);
        expect(servicesNeedingCommands(plan), `${dir}/${f}`).toEqual([]);
      }
    }
    expect(lean.sort()).toEqual(LEAN_EXAMPLES.map((e) => `${e}/stackplan.yaml`));
  });
});
