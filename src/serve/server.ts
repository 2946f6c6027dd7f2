/**
 * `stackplan serve`'s HTTP server: node:http on 127.0.0.1 only. Every request must name the served
 * origin in Host (DNS rebinding) and, when the browser sends them, in Origin and Sec-Fetch-Site
 * (cross-site requests); API writes take JSON only, bodies are size-limited, and the API takes no
 * file paths: the one file it reads and writes is the manifest the command was started with.
 * A bad request gets a 4xx with a JSON error; nothing a request sends can stop the server.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../design/escape.js';
import { renderChart, renderDetail, renderDiagnostics, renderPage, renderTiers } from './render.js';
import { ConflictError, PlanError, type PlannerSession } from './session.js';
import { applyWhatIf, parseWhatIf, WhatIfError } from './whatif.js';

/** Largest request body: a manifest is a few kilobytes; 1 MiB leaves room and nothing more. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where the page's script and stylesheet are: dist/serve/ (npm run build writes them). */
export function clientDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/serve/server.js, dist/bundle/*.js (bundled CLI) and src/serve/server.ts (tests) all find dist/serve.
  for (const dir of [here, path.join(here, '..', 'serve'), path.join(here, '..', '..', 'dist', 'serve')]) {
    try {
      readFileSync(path.join(dir, 'client', 'app.js'));
      return path.join(dir, 'client');
    } catch {
      /* next */
    }
  }
  throw new Error('the serve page is not built: run npm run build (it bundles dist/serve/client/app.js)');
}

export interface ServeOptions {
  session: PlannerSession;
  /** @default 0: a free port */
  port?: number;
  /** Where the page's app.js and app.css are. @default clientDir() */
  client?: string;
  /** Called when a page has loaded the manifest (the page is painted; heavy work may start). */
  onPageLoad?: () => void;
  /** Errors the server survived, for the log. */
  onError?: (e: Error) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'send JSON (Content-Type: application/json)');
  const text = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, 'the request body must be a JSON object');
  return value as Record<string, unknown>;
}

function textField(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string') throw new HttpError(400, `${name} must be a string`);
  return v;
}

/** Starts the server on 127.0.0.1; resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { session } = opts;
  const client = opts.client ?? clientDir();
  const assets: Record<string, { type: string; body: Buffer }> = {
    '/app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(client, 'app.js')) },
    '/app.css': { type: 'text/css; charset=utf-8', body: readFileSync(path.join(client, 'app.css')) },
  };
  let origins = new Set<string>();
  let hosts = new Set<string>();
  const regions = session.book.regions('ec2');
  const schema = JSON.stringify((await import('../manifest/json-schema.js')).manifestJsonSchema());
  const pageName = (() => {
    try {
      const m = /^name:\s*['"]?([^'"#\n]+)/m.exec(session.read().text);
      return m?.[1]?.trim() ?? path.basename(session.dir);
    } catch {
      return path.basename(session.dir);
    }
  })();
  const sri = (b: Buffer) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
  const page = renderPage({
    label: session.label,
    name: pageName,
    regions,
    integrity: { js: sri(assets['/app.js']!.body), css: sri(assets['/app.css']!.body) },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 still sends Host: evil.example.
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) throw new HttpError(421, 'this server answers only to the origin it printed');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(String(origin).toLowerCase()))
      throw new HttpError(403, 'cross-origin requests are refused');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw new HttpError(403, 'cross-site requests are refused');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', page);
      const asset = assets[url.pathname];
      if (asset) return send(res, 200, asset.type, asset.body);
      if (url.pathname === '/api/schema') return send(res, 200, 'application/json; charset=utf-8', schema);
      if (url.pathname === '/api/manifest') {
        const { text, hash } = session.read();
        json(res, 200, { file: session.label, text, hash });
        opts.onPageLoad?.();
        return;
      }
      throw new HttpError(404, `no such page: ${url.pathname}`);
    }
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed`);
    // A POST must come from the page: cross-site forms cannot send JSON without a preflight this
    // server never answers, and browsers name their origin on every POST.
    if (origin === undefined && site === undefined && req.headers['x-stackplan'] !== '1')
      throw new HttpError(
        403,
        'requests to the API come from the page (Origin) or name themselves (X-Stackplan: 1)',
      );
    const body = await readJson(req);
    switch (route) {
      case 'POST /api/evaluate': {
        const text = textField(body, 'text');
        const whatIf = parseWhatIf(body.whatIf);
        const ev = await session.evaluate(text, whatIf, { wait: body.wait === true });
        const selected = typeof body.selected === 'string' ? body.selected : undefined;
        return json(res, 200, {
          ok: ev.ok,
          complete: ev.complete,
          diagnostics: ev.diagnostics,
          effective: ev.effective ?? null,
          base: ev.base ?? null,
          recommended: ev.recommended ?? null,
          tiers: ev.tiers.map((t) => ({
            name: t.name,
            eligible: t.eligible,
            pending: t.pending,
            month1: t.cost?.totals.month1Usd ?? null,
            month13: t.cost?.totals.month13Usd ?? null,
          })),
          html: {
            diagnostics: renderDiagnostics(ev.diagnostics, session.label),
            tiers: renderTiers(ev, selected),
            chart: await renderChart(ev),
          },
        });
      }
      case 'POST /api/tier': {
        const text = textField(body, 'text');
        const whatIf = parseWhatIf(body.whatIf);
        const d = await session.detail(text, whatIf, textField(body, 'tier'));
        if ('error' in d)
          return json(res, 200, {
            ok: false,
            html: `<h2 id="detail-title">Tier</h2><p class="note">${escapeHtml(d.error)}</p>`,
          });
        return json(res, 200, {
          ok: true,
          tier: d.tier,
          month13: d.cost.totals.month13Usd,
          html: renderDetail(d, session.label),
        });
      }
      case 'POST /api/apply': {
        const text = textField(body, 'text');
        return json(res, 200, { text: applyWhatIf(text, parseWhatIf(body.whatIf)) });
      }
      case 'POST /api/save': {
        const saved = session.save(textField(body, 'text'), textField(body, 'hash'));
        return json(res, 200, { saved: true, hash: saved.hash });
      }
      case 'POST /api/download': {
        const zip = await session.zip().catch((e: Error) => {
          throw e instanceof PlanError ? new HttpError(422, e.message) : e;
        });
        const name = `${pageName.replace(/[^A-Za-z0-9._-]+/g, '-') || 'stackplan'}-plan.zip`;
        return send(res, 200, 'application/zip', zip, {
          'Content-Disposition': `attachment; filename="${name}"`,
        });
      }
      default:
        throw new HttpError(404, `no such API: ${route}`);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e as Error;
      const status =
        e instanceof HttpError
          ? e.status
          : e instanceof WhatIfError
            ? 400
            : e instanceof ConflictError
              ? 409
              : 500;
      if (status === 500) opts.onError?.(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      json(res, status, { error: status === 500 ? `internal error: ${err.message}` : err.message });
    });
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 10_000;
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
