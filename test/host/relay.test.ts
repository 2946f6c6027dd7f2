/**
 * The credentials relay (python3, standard library): it serves the instance role's credentials
 * from a fake IMDSv2 in the ECS container-credentials format, only with the per-boot token, caches
 * them, and the AWS CLI (botocore) and the AWS SDK for JavaScript accept it as
 * AWS_CONTAINER_CREDENTIALS_FULL_URI, the SDK with the token read from a file.
 * The real address, 169.254.170.2, needs root and a dummy interface; here it listens on loopback.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../src/check/host.js';
import { freePorts } from '../../src/rehearse/ports.js';
import { findAwsCli } from '../../src/rehearse/tools.js';
import { RELAY_PY } from '../../src/render/host/relay.js';

const TOKEN = 'a'.repeat(64);
const python = which('python3');

describe.skipIf(!python)('credentials relay', () => {
  let dir: string;
  let imds: Server;
  let relay: ChildProcess;
  let relayPort: number;
  const hits: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stackplan-relay-'));
    const file = path.join(dir, 'relay.py');
    writeFileSync(file, RELAY_PY);
    const [imdsPort, port] = await freePorts(2);
    relayPort = port!;
    const expiration = new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    imds = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (
        req.method === 'PUT' &&
        req.url === '/latest/api/token' &&
        req.headers['x-aws-ec2-metadata-token-ttl-seconds']
      ) {
        res.end('imds-token');
      } else if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-token') {
        res.statusCode = 401;
        res.end();
      } else if (req.url === '/latest/meta-data/iam/security-credentials/') {
        res.end('app-instance-role');
      } else if (req.url === '/latest/meta-data/iam/security-credentials/app-instance-role') {
        res.end(
          JSON.stringify({
            Code: 'Success',
            Type: 'AWS-HMAC',
            AccessKeyId: 'ASIARELAYTEST',
            SecretAccessKey: 'secret',
            Token: 'session-token',
            Expiration: expiration,
          }),
        );
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => imds.listen(imdsPort, '127.0.0.1', () => r()));
    relay = spawn(python!, [file], {
      env: {
        ...process.env,
        RELAY_TOKEN: TOKEN,
        RELAY_ADDRESS: '127.0.0.1',
        RELAY_PORT: String(relayPort),
        IMDS_ENDPOINT: `http://127.0.0.1:${imdsPort}`,
      },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${relayPort}/`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  afterAll(() => {
    relay?.kill('SIGKILL');
    imds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    const url = `http://127.0.0.1:${relayPort}/v1/credentials`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'b'.repeat(64) } })).status).toBe(401);
    expect(hits).toEqual([]);
  });

  it('serves the role credentials in the ECS format, fetched once through IMDSv2', async () => {
    const url = `http://127.0.0.1:${relayPort}/v1/credentials`;
    const first = await fetch(url, { headers: { authorization: TOKEN } });
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, string>;
    expect(body).toMatchObject({
      AccessKeyId: 'ASIARELAYTEST',
      SecretAccessKey: 'secret',
      Token: 'session-token',
      RoleArn: 'app-instance-role',
    });
    await fetch(url, { headers: { authorization: TOKEN } });
    expect(hits.filter((h) => h.startsWith('PUT'))).toHaveLength(1);
  });

  it.skipIf(!findAwsCli())('is accepted by the AWS CLI as the container credentials endpoint', () => {
    const out = execFileSync(findAwsCli()!.path, ['configure', 'export-credentials', '--format', 'env'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${relayPort}/v1/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN,
      },
    });
    expect(out).toContain('AWS_ACCESS_KEY_ID=ASIARELAYTEST');
    expect(out).toContain('AWS_SESSION_TOKEN=session-token');
  });

  it('gives the AWS SDK its credentials with the token read from a file, as containers get it', async () => {
    // On the host the token is the secret file /run/secrets/AWS_CONTAINER_AUTHORIZATION_TOKEN, never
    // an environment variable; the SDK's container provider reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
    const tokenFile = path.join(dir, 'AWS_CONTAINER_AUTHORIZATION_TOKEN');
    writeFileSync(tokenFile, TOKEN, { mode: 0o400 });
    const credentials = await fromHttp({
      awsContainerCredentialsFullUri: `http://127.0.0.1:${relayPort}/v1/credentials`,
      awsContainerAuthorizationTokenFile: tokenFile,
    })();
    expect(credentials.accessKeyId).toBe('ASIARELAYTEST');
    expect(credentials.sessionToken).toBe('session-token');
    writeFileSync(path.join(dir, 'wrong'), 'b'.repeat(64));
    await expect(
      fromHttp({
        awsContainerCredentialsFullUri: `http://127.0.0.1:${relayPort}/v1/credentials`,
        awsContainerAuthorizationTokenFile: path.join(dir, 'wrong'),
        maxRetries: 0,
      })(),
    ).rejects.toThrow();
  });
});
