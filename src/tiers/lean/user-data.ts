/**
 * User data for the lean host. It runs on every boot (cloud-init `scripts-user always`), so a
 * deploy that changes the host files reaches the host through CloudFormation's stop/start of the
 * instance, and a reboot re-applies the same state. It:
 *   1. writes the deploy-time values to STACK_ENV_FILE (the only place CloudFormation tokens go),
 *   2. unpacks the rendered host files (a gzip'd installer, byte-identical for the same plan),
 *   3. runs the bootstrap script, which does the rest idempotently.
 * The files themselves are pure text rendered from the plan; no secret is ever in user data.
 */
import { gzipSync } from 'node:zlib';
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import {
  BOOTSTRAP_SCRIPT,
  type HostFile,
  STACK_ENV_FILE,
  STACK_ENV_KEYS,
  type StackEnvKey,
} from '../../render/host/contract.js';

/** EC2 refuses user data over 16 KB (before base64). */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

function heredocSafe(content: string, marker: string): void {
  if (content.split('\n').some((line) => line === marker)) {
    throw new Error(`content contains the heredoc marker ${marker}`);
  }
}

/** A shell script that writes every host file with its mode, atomically per file. */
export function fileInstaller(files: readonly HostFile[]): string {
  const lines = [
    '#!/bin/bash',
    '# Written by stackplan: installs the rendered host files.',
    'set -euo pipefail',
    'umask 077',
  ];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const f of sorted) {
    if (!f.path.startsWith('/') || f.path.includes('..') || /\s/.test(f.path)) {
      throw new Error(`host file path must be absolute without spaces or "..": ${f.path}`);
    }
    const dir = f.path.slice(0, f.path.lastIndexOf('/')) || '/';
    const mode = f.mode.toString(8).padStart(4, '0');
    lines.push(
      `install -d -m 0755 '${dir}'`,
      `base64 -d > '${f.path}.stackplan-new' <<'STACKPLAN_FILE'`,
      Buffer.from(f.content, 'utf8')
        .toString('base64')
        .replace(/(.{76})/g, '$1\n')
        .trimEnd(),
      'STACKPLAN_FILE',
      `chmod ${mode} '${f.path}.stackplan-new'`,
      `mv -f '${f.path}.stackplan-new' '${f.path}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface LeanUserDataProps {
  files: readonly HostFile[];
  /** Values for STACK_ENV_FILE; may contain CloudFormation tokens. */
  stackEnv: Record<StackEnvKey, string>;
}

/** The multipart user data: a cloud-config part that re-runs scripts every boot, then the script. */
export function leanUserData(props: LeanUserDataProps): {
  userData: ec2.MultipartUserData;
  literalBytes: number;
} {
  const installer = gzipSync(Buffer.from(fileInstaller(props.files)), { level: 9 }).toString('base64');
  const keys = Object.keys(STACK_ENV_KEYS) as StackEnvKey[];
  const envLines = keys.map((k) => `${k}=${props.stackEnv[k]}`);
  for (const line of envLines) heredocSafe(line, 'STACKPLAN_ENV');

  const script = ec2.UserData.forLinux();
  script.addCommands(
    'set -euo pipefail',
    'umask 022',
    `install -d -m 0755 ${STACK_ENV_FILE.slice(0, STACK_ENV_FILE.lastIndexOf('/'))}`,
    `cat > ${STACK_ENV_FILE} <<'STACKPLAN_ENV'`,
    ...envLines,
    'STACKPLAN_ENV',
    `base64 -d <<'STACKPLAN_FILES' | gunzip > /root/stackplan-install-files.sh`,
    installer.replace(/(.{76})/g, '$1\n').trimEnd(),
    'STACKPLAN_FILES',
    'bash /root/stackplan-install-files.sh',
    `exec ${BOOTSTRAP_SCRIPT}`,
  );
  const userData = new ec2.MultipartUserData();
  userData.addPart(
    ec2.MultipartBody.fromRawBody({
      contentType: 'text/cloud-config; charset="utf-8"',
      body: '#cloud-config\ncloud_final_modules:\n  - [scripts-user, always]\n',
    }),
  );
  userData.addPart(ec2.MultipartBody.fromUserData(script));
  const literalBytes = installer.length + envLines.join('\n').length + 1024;
  if (literalBytes > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `lean user data is ${literalBytes} bytes, over EC2's ${USER_DATA_LIMIT_BYTES}-byte limit: the host files grew too large to embed`,
    );
  }
  return { userData, literalBytes };
}
