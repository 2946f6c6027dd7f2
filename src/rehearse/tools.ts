/**
 * What `stackplan rehearse` and the host checks need on this machine, where each is found, and
 * the command that installs it (Debian/Ubuntu, as root). `stackplan doctor` prints this table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { which } from '../check/host.js';

export interface ToolStatus {
  name: string;
  purpose: string;
  /** Where it was found, or undefined. */
  found?: string;
  version?: string;
  /** Exact command that installs it. */
  install: string;
  /** Rehearsal cannot run without it (optional tools only skip a check). */
  required: boolean;
}

/** Debian packages that provide everything below. */
export const APT_PACKAGES = [
  'nginx',
  'postgresql',
  'redis-server',
  'awscli',
  'shellcheck',
  'openssl',
  'python3',
] as const;
export const APT_COMMAND = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;

/** PostgreSQL server binaries (initdb, postgres), which Debian keeps off PATH. */
export function findPostgresBin(): { bindir: string; version: string } | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return { bindir: path.join(base, versions[0], 'bin'), version: versions[0] };
  }
  const initdb = which('initdb');
  if (initdb) {
    const out = execFileSync(initdb, ['--version'], { encoding: 'utf8' });
    return { bindir: path.dirname(initdb), version: /(\d+)/.exec(out)?.[1] ?? '?' };
  }
  return undefined;
}

/** AWS CLI v2: Debian's is /usr/bin/aws (an `aws` earlier on PATH may be an old v1 shim). */
export function findAwsCli(): { path: string; version: string } | undefined {
  for (const candidate of ['/usr/bin/aws', '/usr/local/bin/aws', which('aws')]) {
    if (!candidate || !existsSync(candidate)) continue;
    try {
      const v = execFileSync(candidate, ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (v.startsWith('aws-cli/2.')) return { path: candidate, version: v.split(' ')[0]! };
    } catch {
      // not runnable: try the next one
    }
  }
  return undefined;
}

export function findS3rver(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('s3rver/package.json');
    return path.join(path.dirname(pkg), 'bin', 's3rver.js');
  } catch {
    return undefined;
  }
}

function version(cmd: string | undefined, args: string[], re = /(\d+\.\d+(\.\d+)?)/): string | undefined {
  if (!cmd) return undefined;
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return re.exec(out)?.[1];
  } catch (e) {
    const out = String((e as { stderr?: string }).stderr ?? '');
    return re.exec(out)?.[1];
  }
}

export function toolStatuses(): ToolStatus[] {
  const apt = (pkg: string) => `apt-get install -y ${pkg}`;
  const pg = findPostgresBin();
  const aws = findAwsCli();
  const nginx = which('nginx');
  const t = (
    name: string,
    purpose: string,
    found: string | undefined,
    install: string,
    required = true,
    v?: string,
  ): ToolStatus => ({ name, purpose, ...(found && { found }), ...(v && { version: v }), install, required });
  return [
    t(
      'nginx',
      'serves the rendered nginx config; nginx -t',
      nginx,
      apt('nginx'),
      true,
      version(nginx, ['-v']),
    ),
    t(
      'postgresql server',
      'initdb and postgres for the rehearsal database',
      pg?.bindir,
      apt('postgresql'),
      true,
      pg?.version,
    ),
    t('psql, pg_dump, pg_restore', 'backup and restore scripts', which('pg_dump'), apt('postgresql-client')),
    t(
      'redis-server',
      'the rehearsal Redis',
      which('redis-server'),
      apt('redis-server'),
      true,
      version(which('redis-server'), ['--version'], /v=(\S+)/),
    ),
    t('redis-cli', 'Redis snapshot copy in the backup script', which('redis-cli'), apt('redis-tools')),
    t(
      'aws CLI v2',
      'the scripts talk to S3, SSM and CloudWatch with it',
      aws?.path,
      apt('awscli'),
      true,
      aws?.version,
    ),
    t(
      'shellcheck',
      'zero findings on every script',
      which('shellcheck'),
      apt('shellcheck'),
      true,
      version(which('shellcheck'), ['--version'], /version: (\S+)/),
    ),
    t(
      'openssl',
      'throwaway self-signed certificates',
      which('openssl'),
      apt('openssl'),
      true,
      version(which('openssl'), ['version']),
    ),
    t('curl', 'used by the monitor and bootstrap scripts', which('curl'), apt('curl')),
    t('flock', 'backup and restore lock', which('flock'), apt('util-linux')),
    t(
      's3rver',
      'local S3 standing in for the backup and artifacts buckets',
      findS3rver(),
      'npm install --save-dev s3rver',
    ),
    t(
      'systemd-analyze',
      'verifies the systemd units (skipped without it)',
      which('systemd-analyze'),
      apt('systemd'),
      false,
    ),
    t(
      'python3',
      'stackplan-secrets decodes SSM parameters with it (and the credentials relay runs on it)',
      which('python3'),
      apt('python3'),
    ),
  ];
}

export function missingRequired(statuses = toolStatuses()): ToolStatus[] {
  return statuses.filter((s) => s.required && !s.found);
}
