/**
 * The backup bucket has an S3 Object Lock default retention, and S3 refuses a PutObject or
 * UploadPart into such a bucket unless it carries Content-MD5 or an x-amz-checksum-* value. s3rver
 * implements no Object Lock, so rehearse cannot catch a missing checksum; this test runs the
 * rendered backup script's own upload lines (through the rendered common.sh and this machine's AWS
 * CLI v2) against s3rver behind a recording proxy, and asserts every object upload, multipart
 * parts included, carries one.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/rehearse/ports.js';
import { findAwsCli, findS3rver } from '../../src/rehearse/tools.js';
import { renderHostFiles } from '../../src/render/host/index.js';
import { planExample, requireSystemTools } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Object uploads: PutObject (PUT without partNumber or with) and UploadPart. */
const isObjectWrite = (r: Seen) => r.method === 'PUT' && /^\/[^/?]+\/[^?]+/.test(r.url);
const integrity = (r: Seen) =>
  r.headers['content-md5'] !== undefined ||
  Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-')) ||
  /x-amz-checksum-/.test(String(r.headers['x-amz-trailer'] ?? ''));

describe('the backup upload into an Object Lock bucket', () => {
  const plan = planExample('cloud-consulting');
  let dir: string;
  let s3: ChildProcess;
  let proxy: Server;
  let proxyPort: number;
  const seen: Seen[] = [];

  beforeAll(async () => {
    requireSystemTools();
    dir = mkdtempSync(path.join(tmpdir(), 'stackplan-backup-lock-'));
    for (const f of renderHostFiles(plan)) {
      if (!f.path.startsWith('/opt/stackplan/')) continue;
      const p = path.join(dir, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
    }
    const s3Port = await freePort();
    s3 = spawn(
      process.execPath,
      [
        findS3rver()!,
        '-d',
        path.join(dir, 's3'),
        '-a',
        '127.0.0.1',
        '-p',
        String(s3Port),
        '--silent',
        '--configure-bucket',
        'backups-test',
      ],
      { stdio: 'ignore' },
    );
    proxyPort = await freePort();
    proxy = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
      const upstream = request(
        { host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    // s3rver answers once it listens.
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const r = request({ host: '127.0.0.1', port: s3Port, path: '/' }, (res) => {
          res.resume();
          resolve(true);
        });
        r.on('error', () => resolve(false));
        r.end();
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    s3?.kill();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("is the rendered script's aws_cli s3 cp, with no setting that turns the CLI's checksum off", () => {
    const backup = renderHostFiles(plan).find((f) => f.path.endsWith('/stackplan-backup'))!.content;
    expect(backup.split('\n').filter((l) => l.startsWith('aws_cli s3 cp'))).toHaveLength(2);
    expect(backup).not.toMatch(/checksum|WHEN_REQUIRED|when_required/i);
  });

  it('sends Content-MD5 or an x-amz-checksum on every PutObject and UploadPart, multipart included', async () => {
    const backup = renderHostFiles(plan).find((f) => f.path.endsWith('/stackplan-backup'))!.content;
    const uploads = backup.split('\n').filter((l) => l.startsWith('aws_cli s3 cp'));
    const work = path.join(dir, 'work');
    mkdirSync(work);
    // Above the CLI's 8 MB multipart threshold, so UploadPart is exercised too.
    writeFileSync(path.join(work, 'postgres.dump'), Buffer.alloc(9 * 1024 * 1024, 7));
    writeFileSync(path.join(work, 'tables.txt'), 'public.t|1|2\n');
    writeFileSync(path.join(work, 'SHA256SUMS'), 'x  postgres.dump\n');
    const script = [
      'set -euo pipefail',
      `source ${JSON.stringify(path.join(dir, 'opt/stackplan/lib/common.sh'))}`,
      `work=${JSON.stringify(work)}`,
      'key=backups/20260101T000000Z',
      ...uploads,
    ].join('\n');
    const result = await new Promise<{ code: number; err: string }>((resolve) =>
      execFile(
        'bash',
        ['--norc', '-c', script], // --norc: with a socket for stdin, bash would read ~/.bashrc
        {
          env: {
            PATH: process.env.PATH,
            STACK_ENV_FILE: path.join(dir, 'none.env'),
            STACKPLAN_LIB: path.join(dir, 'opt/stackplan/lib'),
            STACKPLAN_AWS_CLI: findAwsCli()!.path,
            STACKPLAN_S3_ENDPOINT: `http://127.0.0.1:${proxyPort}`,
            AWS_REGION: 'us-east-1',
            BACKUP_BUCKET: 'backups-test',
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_CONFIG_FILE: path.join(dir, 'none'),
          },
          encoding: 'utf8',
        },
        (e, _out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, err }),
      ),
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const writes = seen.filter(isObjectWrite);
    expect(
      writes.some((r) => /[?&]partNumber=/.test(r.url)),
      'a multipart part was uploaded',
    ).toBe(true);
    expect(writes.map((r) => r.url.split('?')[0])).toEqual(
      expect.arrayContaining([
        '/backups-test/backups/20260101T000000Z/tables.txt',
        '/backups-test/backups/20260101T000000Z/SHA256SUMS',
      ]),
    );
    expect(writes.filter((r) => !integrity(r)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });
});
