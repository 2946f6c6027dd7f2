/** Throwaway self-signed certificates for `nginx -t` and `stackplan rehearse`. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

export interface CertFiles {
  cert: string;
  key: string;
}

/** Writes DIR/fullchain.pem and DIR/privkey.pem for `names` (the first is the CN), valid 2 days. */
export function selfSignedCert(dir: string, names: string[]): CertFiles {
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'privkey.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'pipe' },
  );
  return { cert, key };
}
