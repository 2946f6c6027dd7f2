/** HTTP(S) to the rehearsal's nginx on 127.0.0.1, addressed by the app's real host names. */
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';

export interface Endpoint {
  host: string;
  httpPort: number;
  httpsPort: number;
  /** PEM of the self-signed certificate, trusted as the only CA. */
  ca: string;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  ep: Endpoint,
  path: string,
  opts: {
    method?: string;
    scheme?: 'http' | 'https';
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<HttpResult> {
  const scheme = opts.scheme ?? 'https';
  const lib = scheme === 'https' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host: '127.0.0.1',
        port: scheme === 'https' ? ep.httpsPort : ep.httpPort,
        path,
        method: opts.method ?? 'GET',
        headers: { host: ep.host, ...opts.headers },
        agent: false,
        ...(scheme === 'https' && { servername: ep.host, ca: ep.ca }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`timed out: ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whether nginx completes a handshake at exactly this TLS version (the client allows any cipher). */
export function tlsHandshake(
  ep: Endpoint,
  version: tls.SecureVersion,
): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: ep.httpsPort,
      servername: ep.host,
      ca: ep.ca,
      minVersion: version,
      maxVersion: version,
      // Let the client offer old protocols and ciphers, so a refusal is the server's doing.
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const done = (ok: boolean, detail: string) => {
      socket.destroy();
      resolve({ ok, detail });
    };
    socket.setTimeout(5000, () => done(false, 'timed out'));
    socket.once('secureConnect', () => done(true, `${socket.getProtocol()} ${socket.getCipher().name}`));
    socket.once('error', (e) => done(false, e.message));
  });
}
