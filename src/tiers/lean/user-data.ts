/**
 * User data for the lean host. It runs on every boot (cloud-init `scripts-user always`), so a
 * deploy that changes the host files reaches the host through CloudFormation's stop/start of the
 * instance, and a reboot re-applies the same state. It:
 *   1. writes the deploy-time values to STACK_ENV_FILE (the only place CloudFormation tokens go),
 *   2. fetches the rendered host files — a gzip'd installer published as a content-addressed CDK
 *      asset (the files are ~50 KB, over EC2's 16 KB user-data limit even compressed) — and runs it,
 *   3. runs the bootstrap script, which does the rest idempotently.
 * The files themselves are pure text rendered from the plan; no secret is ever in user data.
 */
import { gzipSync } from 'node:zlib';
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import {
  BOOTSTRAP_SCRIPT,
  BUCKET_ENV_PATTERN,
  type HostFile,
  STACK_ENV_FILE,
  STACK_ENV_KEYS,
  type StackEnvKey,
} from '../../render/host/contract.js';

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
  /** Values for STACK_ENV_FILE; may contain CloudFormation tokens. */
  stackEnv: Record<StackEnvKey, string>;
  /** App bucket names by their variable (BUCKET_<KEY>), also written to STACK_ENV_FILE. */
  buckets?: Readonly<Record<string, string>>;
  /** The gzip'd file installer (see fileInstaller), published as a CDK asset. */
  installer: { bucket: string; key: string };
}

/**
 * The multipart user data: a cloud-config part that re-runs scripts every boot, then the script
 * that writes STACK_ENV_FILE, fetches the host files (through the VPC's S3 gateway endpoint, so it
 * works before the Elastic IP is attached) and runs the bootstrap.
 */
export function leanUserData(props: LeanUserDataProps): ec2.MultipartUserData {
  const keys = Object.keys(STACK_ENV_KEYS) as StackEnvKey[];
  const bucketNames = Object.entries(props.buckets ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [name] of bucketNames) {
    if (!BUCKET_ENV_PATTERN.test(name)) throw new Error(`not an app bucket variable: ${name}`);
  }
  const envLines = [
    ...keys.map((k) => `${k}=${props.stackEnv[k]}`),
    ...bucketNames.map(([name, bucket]) => `${name}=${bucket}`),
  ];
  for (const line of envLines) heredocSafe(line, 'STACKPLAN_ENV');
  const installer = '/root/stackplan-install-files.sh';
  const script = ec2.UserData.forLinux();
  script.addCommands(
    'set -euo pipefail',
    'umask 022',
    `install -d -m 0755 ${STACK_ENV_FILE.slice(0, STACK_ENV_FILE.lastIndexOf('/'))}`,
    `cat > ${STACK_ENV_FILE} <<'STACKPLAN_ENV'`,
    ...envLines,
    'STACKPLAN_ENV',
    'for attempt in $(seq 1 60); do',
    `  if aws s3 cp --only-show-errors "s3://${props.installer.bucket}/${props.installer.key}" ${installer}.gz; then break; fi`,
    '  [ "$attempt" -eq 60 ] && { echo "stackplan: cannot fetch the host files" >&2; exit 1; }',
    '  sleep 10',
    'done',
    `gunzip -f ${installer}.gz`,
    `bash ${installer}`,
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
  return userData;
}

/** The installer as published: gzip'd, byte-identical for the same files. */
export function gzippedInstaller(files: readonly HostFile[]): Buffer {
  return gzipSync(Buffer.from(fileInstaller(files)), { level: 9 });
}
