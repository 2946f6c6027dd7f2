/**
 * `stackplan serve`'s server without a browser: what it answers (the same figures `plan` writes in
 * the committed example documents), and what it refuses — other Hosts (DNS rebinding), other
 * Origins and cross-site requests, bodies over the limit, malformed requests, paths outside the
 * manifest's directory — while staying up. Raw node:http requests, so any header can be sent;
 * traffic goes to 127.0.0.1 only.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { buildServeClient } from '../../scripts/serve-client.mjs';
import { MAX_BODY_BYTES, type RunningServer, startServer } from '../../src/serve/server.js';
import { PlannerSession } from '../../src/serve/session.js';
import { EXAMPLE_DATE_EPOCH } from '../design/examples.js';

const EXAMPLE_DATE = new Date(EXAMPLE_DATE_EPOCH * 1000).toISOString().slice(0, 10);
let work: string;
let manifest: string;
let session: PlannerSession;
let srv: RunningServer;
let client: string;

// The serve command finds its page in dist/serve/client: build it there too.
beforeAll(async () => {
  await buildServeClient();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => any;
}

function send(
  method: string,
  pathname: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: srv.port, method, path: pathname, headers: opts.headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString()),
          });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const host = () => `127.0.0.1:${srv.port}`;
const origin = () => `http://127.0.0.1:${srv.port}`;
const api = (pathname: string, body: unknown, headers: Record<string, string> = {}) =>
  send('POST', pathname, {
    headers: { Host: host(), Origin: origin(), 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (pathname: string, headers: Record<string, string> = {}) =>
  send('GET', pathname, { headers: { Host: host(), ...headers } });

beforeAll(async () => {
  client = await buildServeClient(mkdtempSync(path.join(tmpdir(), 'stackplan-serve-client-')));
  work = mkdtempSync(path.join(tmpdir(), 'stackplan-serve-test-'));
  // The example's manifest in a directory of its own: saves must not touch the repository.
  manifest = path.join(work, 'app', 'stackplan.yaml');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(manifest));
  copyFileSync('examples/gyva-shop/stackplan.yaml', manifest);
  writeFileSync(path.join(work, 'secret.txt'), 'outside the manifest directory\n');
  session = new PlannerSession({ file: manifest, asOf: EXAMPLE_DATE });
  srv = await startServer({ session, client });
}, 60_000);

afterAll(async () => {
  await srv?.close();
  session?.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(client, { recursive: true, force: true });
});

describe('what the planner answers', () => {
  it('prices every tier at 1× and 10× as the committed design document of plan does, and names the tier', async () => {
    const text = readFileSync(manifest, 'utf8');
    // The document `stackplan plan` wrote for this example (npm run examples:design, same date).
    const doc = readFileSync('examples/gyva-shop/DESIGN.md', 'utf8');
    const row = (x: string) => {
      const line = doc.split('\n').find((l) => l.startsWith(`| ${x} |`));
      const cells = line!.split('|').map((c) => c.trim());
      return { lean: cells[3], ecs: cells[4], eks: cells[5], recommended: cells[6] };
    };
    const usd = (n: number | null) =>
      n === null ? '—' : `$${n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
    for (const [x, factor] of [
      ['1×', 1],
      ['10×', 10],
      ['100×', 100],
    ] as const) {
      const base = parseDocument(text).toJS().traffic;
      const whatIf = {
        requestsPerMonth: base.requestsPerMonth * factor,
        gbOutPerMonth: base.gbOutPerMonth * factor,
      };
      const r = await api('/api/evaluate', { text, whatIf, wait: true });
      expect(r.status).toBe(200);
      const j = r.json();
      expect(j.complete).toBe(true);
      const m13 = Object.fromEntries(j.tiers.map((t: any) => [t.name, usd(t.month13)]));
      const want = row(x);
      expect({ ...m13, recommended: j.recommended }).toEqual(want);
      // The tiers fragment says the same, escaped and valid.
      expect(j.html.tiers).toContain(`data-recommended>${want.recommended}<`);
    }
  }, 180_000);

  it('reports validate diagnostics for the editor text with line and fix, and survives invalid manifests', async () => {
    const text = readFileSync(manifest, 'utf8');
    const r = await api('/api/evaluate', {
      text: text.replace(/^name: .*$/m, 'name: 42\nnmae: x'),
      whatIf: {},
    });
    expect(r.status).toBe(200);
    const j = r.json();
    expect(j.ok).toBe(false);
    const unknown = j.diagnostics.find((d: any) => d.code === 'unknown-key');
    expect(unknown).toMatchObject({
      severity: 'error',
      line: expect.any(Number),
      fix: expect.stringMatching(/name/),
    });
    expect(j.html.diagnostics).toMatch(/stackplan\.yaml:\d+:\d+/);
    for (const bad of [
      '',
      '::: [',
      '- a\n- b\n',
      `a: &a [${'x,'.repeat(50)}x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${`*${i ? `b${i - 1}` : 'a'},`.repeat(9)}*a]`).join('\n')}\n`,
      `${'['.repeat(5000)}`,
      '\u0000\u0001\uFFFE binary',
      'name: <script>alert(1)</script>\n',
    ]) {
      const b = await api('/api/evaluate', { text: bad, whatIf: {} });
      expect(b.status, JSON.stringify(bad.slice(0, 40))).toBe(200);
      expect(b.json().ok).toBe(false);
      expect(b.json().html.diagnostics).not.toContain('<script>');
    }
    expect((await get('/api/manifest')).status).toBe(200);
  }, 60_000);

  it('what-if values that make the manifest invalid are reported, not planned', async () => {
    const text = readFileSync(manifest, 'utf8');
    const r = await api('/api/evaluate', { text, whatIf: { rpoHours: 0 } });
    const j = r.json();
    expect(r.status).toBe(200);
    expect(j.ok).toBe(true);
    expect(j.tiers).toEqual([]);
    expect(j.html.tiers).toMatch(/what-if values make the manifest invalid/);
    const bad = await api('/api/evaluate', { text, whatIf: { requestsPerMonth: -1 } });
    expect(bad.status).toBe(400);
    expect((await api('/api/evaluate', { text, whatIf: { region: '../etc' } })).status).toBe(400);
    expect((await api('/api/evaluate', { text, whatIf: { nope: 1 } })).status).toBe(400);
  });

  it('writes what-ifs into the text through the document API: comments and every other line kept', async () => {
    const text = readFileSync(manifest, 'utf8');
    const r = await api('/api/apply', {
      text,
      whatIf: { requestsPerMonth: 5_000_000, availability: 'multi-az', freeTier: 'none' },
    });
    const out: string = r.json().text;
    // Every comment kept where it was, at the same column.
    const comments = (s: string) =>
      s.split('\n').map((l) => (l.includes('#') ? `${l.indexOf('#')}${l.slice(l.indexOf('#'))}` : ''));
    expect(comments(out)).toEqual(comments(text));
    const doc = parseDocument(out).toJS();
    expect(doc.traffic.requestsPerMonth).toBe(5_000_000);
    expect(doc.availability).toBe('multi-az');
    const changed = out.split('\n').filter((l, i) => l !== text.split('\n')[i]);
    expect(changed.map((l) => l.split('#')[0]!.trim())).toEqual([
      'availability: multi-az',
      'requestsPerMonth: 5000000',
    ]);
    expect(out.split('\n').length).toBe(text.split('\n').length);
  });

  it('saves the editor text byte for byte, and refuses when the file changed on disk since it was loaded', async () => {
    const loaded = (await get('/api/manifest')).json();
    const edited = `${loaded.text.replace(/^(name: .*)$/m, '$1 # renamed here')}`;
    const s = await api('/api/save', { text: edited, hash: loaded.hash });
    expect(s.status).toBe(200);
    expect(readFileSync(manifest, 'utf8')).toBe(edited);
    // Someone else writes the file: a save based on the old hash is refused, the file left alone.
    writeFileSync(manifest, `${edited}# edited elsewhere\n`);
    const conflict = await api('/api/save', { text: 'name: lost\n', hash: s.json().hash });
    expect(conflict.status).toBe(409);
    expect(conflict.json().error).toMatch(/changed on disk/);
    expect(readFileSync(manifest, 'utf8')).toBe(`${edited}# edited elsewhere\n`);
    writeFileSync(manifest, loaded.text);
  });

  it('zips the plan directory plan writes: cloud assemblies, host files, design document', async () => {
    const r = await api('/api/download', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const files = Object.keys(unzipSync(new Uint8Array(r.body)));
    for (const f of [
      'out/DESIGN.md',
      'out/design.html',
      'out/lean/cdk.out/manifest.json',
      'out/lean/cost.json',
      'out/ecs/template.json',
      'out/PLAN.txt',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('out/lean/host/'))).toBe(true);
  }, 240_000);

  it('refuses the download of a saved manifest plan refuses, and a save of a removed file, with their reasons', async () => {
    const good = readFileSync(manifest, 'utf8');
    try {
      writeFileSync(manifest, 'name: 42\n');
      const r = await api('/api/download', {});
      expect(r.status).toBe(422);
      expect(r.json().error).toMatch(/not a valid manifest/);
      rmSync(manifest);
      const s = await api('/api/save', { text: good, hash: 'x' });
      expect(s.status).toBe(409);
      expect(s.json().error).toMatch(/moved or removed/);
    } finally {
      writeFileSync(manifest, good);
    }
    expect((await get('/api/manifest')).status).toBe(200);
  }, 120_000);

  it('serves a page and fragments that pass html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended', 'html-validate:document'] });
    const errorsOf = async (html: string, name: string) =>
      (await validator.validateString(html, name)).results.flatMap((x) =>
        x.messages
          .filter((m) => m.severity === 2)
          .map((m) => `${name} ${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
      );
    const page = (await get('/')).body.toString();
    expect(await errorsOf(page, 'page.html')).toEqual([]);
    const text = readFileSync(manifest, 'utf8');
    const ev = (
      await api('/api/evaluate', {
        text,
        whatIf: { requestsPerMonth: 5_000_000 },
        wait: true,
        selected: 'lean',
      })
    ).json();
    const detail = (await api('/api/tier', { text, whatIf: {}, tier: 'lean' })).json();
    // Each fragment where the page puts it: under the page's h1, and the section's h2 where it has one.
    const wrap = (body: string, section = '') =>
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><h1>stackplan</h1><main>${section ? `<h2>${section}</h2>` : ''}${body}</main></body></html>`;
    expect(await errorsOf(wrap(ev.html.tiers + ev.html.chart, 'What if…'), 'tiers.html')).toEqual([]);
    expect(
      await errorsOf(wrap(`<section aria-labelledby="detail-title">${detail.html}</section>`), 'detail.html'),
    ).toEqual([]);
    const bad = (await api('/api/evaluate', { text: 'name: 1\nfoo: <b>x</b>\n', whatIf: {} })).json();
    expect(await errorsOf(wrap(bad.html.diagnostics, 'Manifest'), 'diagnostics.html')).toEqual([]);
  }, 120_000);
});

describe('manifests of public apps (stackplan init on their compose files: test/fixtures/compose)', () => {
  const PUBLIC = readdirSync('test/golden/init')
    .filter((f) => f.endsWith('.stackplan.yaml') && !f.startsWith('example-'))
    .sort();

  it('finds the public manifests', () => {
    expect(PUBLIC.length).toBeGreaterThanOrEqual(8);
  });

  it.each(PUBLIC)(
    '%s: every eligible tier priced, the chart drawn, the recommended tier shown in full, valid HTML',
    async (f) => {
      const file = path.join('test', 'golden', 'init', f);
      const s = new PlannerSession({ file, asOf: EXAMPLE_DATE });
      const other = await startServer({ session: s, client });
      try {
        const text = readFileSync(file, 'utf8');
        const post = (p: string, body: unknown) =>
          fetch(`${other.url}${p.slice(1)}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Stackplan': '1' },
            body: JSON.stringify(body),
          }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
        const ev = await post('/api/evaluate', { text, whatIf: {}, wait: true });
        expect(ev.status).toBe(200);
        expect(ev.json.ok).toBe(true);
        expect(ev.json.complete).toBe(true);
        const eligible = ev.json.tiers.filter((t: any) => t.eligible);
        expect(eligible.length).toBeGreaterThanOrEqual(1);
        for (const t of eligible) expect(t.month13).toBeGreaterThan(0);
        expect(ev.json.html.chart).toContain('<svg');
        const detail = await post('/api/tier', { text, whatIf: {}, tier: ev.json.recommended });
        expect(detail.json.ok).toBe(true);
        expect(detail.json.html).toContain('<svg');
        const validator = new HtmlValidate({
          extends: ['html-validate:recommended', 'html-validate:document'],
        });
        const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><h1>t</h1><main><h2>What if…</h2>${ev.json.html.tiers}${ev.json.html.chart}<section aria-labelledby="detail-title">${detail.json.html}</section></main></body></html>`;
        const report = await validator.validateString(html, f);
        expect(
          report.results.flatMap((r) =>
            r.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`),
          ),
        ).toEqual([]);
      } finally {
        await other.close();
        s.close();
      }
    },
    120_000,
  );
});

describe('what the server refuses, and survives', () => {
  it('listens on 127.0.0.1 only', async () => {
    const address = srv.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      // Connecting through another interface of this machine is refused (nothing leaves it).
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect(srv.port, external.address);
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  });

  it('rejects other Hosts (DNS rebinding) and other Origins, cross-site fetches and form posts', async () => {
    expect((await get('/')).status).toBe(200);
    expect((await get('/', { Host: `localhost:${srv.port}` })).status).toBe(200);
    expect((await get('/', { Host: `evil.example:${srv.port}` })).status).toBe(421);
    expect((await get('/api/manifest', { Host: 'evil.example' })).status).toBe(421);
    // No Host at all: node itself answers 400 to an HTTP/1.1 request without one.
    expect([400, 421]).toContain((await send('GET', '/', { headers: {} })).status);
    expect((await get('/api/manifest', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const text = readFileSync(manifest, 'utf8');
    for (const o of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${srv.port + 1}`,
      `https://127.0.0.1:${srv.port}`,
    ]) {
      expect((await api('/api/evaluate', { text, whatIf: {} }, { Origin: o })).status, o).toBe(403);
      expect((await api('/api/save', { text: 'x', hash: 'y' }, { Origin: o })).status, o).toBe(403);
    }
    // A POST without Origin (not from a browser page) must name itself.
    const bare = await send('POST', '/api/save', {
      headers: { Host: host(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'x', hash: 'y' }),
    });
    expect(bare.status).toBe(403);
    // A cross-site form can only send form encodings: refused before anything is read.
    expect(
      (await api('/api/save', 'text=x', { 'Content-Type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    expect((await api('/api/save', 'text=x', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect(readFileSync(manifest, 'utf8')).toBe(text);
  });

  it('reads and writes nothing outside the manifest directory', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/app.js/../../secret.txt',
      `/${encodeURIComponent(path.join(work, 'secret.txt'))}`,
      '/api/manifest/../../secret.txt',
      '/etc/passwd',
      '/stackplan.yaml',
    ]) {
      const r = await get(p);
      expect(r.body.toString(), p).not.toContain('outside the manifest directory');
      expect(r.body.toString(), p).not.toMatch(/root:x:0/);
    }
    // The manifest API takes no path: parameters are ignored, it is always the manifest.
    const m = await get(`/api/manifest?file=${encodeURIComponent(path.join(work, 'secret.txt'))}`);
    expect(m.json().text).toBe(readFileSync(manifest, 'utf8'));
    const before = readFileSync(path.join(work, 'secret.txt'), 'utf8');
    const loaded = m.json();
    const s = await api('/api/save', {
      text: loaded.text,
      hash: loaded.hash,
      file: path.join(work, 'secret.txt'),
    });
    expect(s.status).toBe(200);
    expect(readFileSync(path.join(work, 'secret.txt'), 'utf8')).toBe(before);
  });

  it('limits body size and answers malformed requests with 4xx, staying up', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES + 10), whatIf: {} });
    expect((await api('/api/evaluate', big)).status).toBe(413);
    expect((await api('/api/evaluate', '{"text": ')).status).toBe(400);
    expect((await api('/api/evaluate', '[]')).status).toBe(400);
    expect((await api('/api/evaluate', '{"text": 5}')).status).toBe(400);
    expect((await api('/api/tier', { text: 'x', tier: '../../etc' })).json().ok).toBe(false);
    expect((await api('/api/nope', {})).status).toBe(404);
    expect((await send('PUT', '/api/save', { headers: { Host: host() } })).status).toBe(405);
    // Garbage on the socket: the server answers 400 and keeps serving.
    const raw = await new Promise<string>((resolve) => {
      const s = connect(srv.port, '127.0.0.1', () => s.write('\x00\x01GARBAGE / HTTP/9.9\r\n\r\n'));
      let got = '';
      s.on('data', (d) => {
        got += d.toString();
      });
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await get('/')).status).toBe(200);
  });

  it('sends a restrictive content security policy with every response', async () => {
    const r = await get('/');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the serve command', () => {
  it('prints the URL, serves the page on 127.0.0.1 and stops cleanly', async () => {
    const { serve } = await import('../../src/cli/commands/serve.js');
    const { memoryIo } = await import('../../src/cli/io.js');
    const io = memoryIo();
    let stop!: () => void;
    const until = new Promise<void>((r) => {
      stop = r;
    });
    let url = '';
    const done = serve(
      {
        file: manifest,
        until,
        onListening: (u) => {
          url = u;
        },
      },
      io,
    );
    await expect.poll(() => url, { timeout: 30_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(io.text()).toContain(url);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>gyva-shop');
    stop();
    expect(await done).toBe(0);
  }, 60_000);

  it('refuses a missing manifest and a bad port with a clear error', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { memoryIo } = await import('../../src/cli/io.js');
    const io = memoryIo();
    expect(await main(['serve', path.join(work, 'nope.yaml')], io)).toBe(1);
    expect(io.text()).toMatch(/nope\.yaml: no such file/);
    const io2 = memoryIo();
    expect(await main(['serve', manifest, '--port', 'http'], io2)).toBe(1);
    expect(io2.text()).toMatch(/--port http is not a port number/);
    expect(io2.text()).not.toMatch(/at .*\.ts:\d+/);
  });
});
