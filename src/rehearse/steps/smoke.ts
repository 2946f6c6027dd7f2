/**
 * Step 2, smoke: every route over HTTPS as a browser reaches it — TLS 1.0/1.1 refused and 1.2/1.3
 * accepted, HTTP redirected, unknown hosts refused, security headers, static bundles with their
 * caching and compression, the health endpoint and its metric, and the API's rate limit.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { primaryApi } from '../../render/host/settings.js';
import { type Check, type RehearsalContext, sleep } from '../context.js';
import { request, tlsHandshake } from '../http.js';

export async function smoke(rh: RehearsalContext): Promise<Check[]> {
  const ep = rh.endpoint;
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const m = rh.plan.manifest;
  const lean = rh.host;
  const api = primaryApi(lean);

  for (const [version, expectOk] of [
    ['TLSv1', false],
    ['TLSv1.1', false],
    ['TLSv1.2', true],
    ['TLSv1.3', true],
  ] as const) {
    const r = await tlsHandshake(ep, version);
    check(`${version} ${expectOk ? 'accepted' : 'refused'}`, r.ok === expectOk, r.detail);
  }

  for (const host of [m.domain, ...m.aliases]) {
    const r = await request({ ...ep, host }, '/some/path?x=1', { scheme: 'http' });
    const want = `https://${host}/some/path?x=1`;
    check(
      `http://${host} redirects`,
      r.status === 301 && r.headers.location === want,
      `${r.status} → ${r.headers.location ?? '(no Location)'}`,
    );
  }
  const unknown = await request({ ...ep, host: 'unknown.invalid' }, '/', { scheme: 'http' }).catch(
    (e: Error) => e,
  );
  check(
    'unknown host refused',
    unknown instanceof Error,
    unknown instanceof Error ? `connection closed (${unknown.message})` : `${unknown.status}`,
  );

  const headerChecks = (what: string, r: { headers: Record<string, unknown> }) => {
    const h = r.headers;
    const csp = rh.plan.manifest.contentSecurityPolicy;
    const missing = [
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
      ...(csp === false ? [] : ['content-security-policy']),
      'referrer-policy',
      'permissions-policy',
    ].filter((k) => !h[k]);
    if (csp !== false && h['content-security-policy'] !== csp)
      missing.push('the manifest’s content-security-policy');
    check(
      `${what}: security headers`,
      missing.length === 0,
      missing.length ? `missing ${missing.join(', ')}` : 'all present',
    );
    check(`${what}: server version hidden`, h.server === 'nginx', `Server: ${String(h.server)}`);
  };

  for (const s of lean.services) {
    const route = s.service.route;
    if (!route || (s.hostPort === undefined && s.image.kind !== 'none')) continue;
    const r = await request(ep, route);
    check(`${route} (${s.service.name})`, r.status >= 200 && r.status < 400, `${r.status}`);
    headerChecks(`${route}`, r);
    if (s.image.kind === 'none') {
      const dir = path.resolve(rh.plan.manifestDir, s.service.build ?? '.', s.service.output ?? 'dist');
      const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
      check(
        `${route} serves index.html`,
        r.body === html,
        r.body === html ? 'identical to the bundle' : 'differs from the bundle',
      );
      const fallback = await request(ep, `${route}deep/client/route`);
      check(`${route} SPA fallback`, fallback.status === 200 && fallback.body === html, `${fallback.status}`);
      const asset = /(?:src|href)="([^"]+\.(?:js|css))"/.exec(html)?.[1];
      if (asset) {
        const a = await request(ep, asset.startsWith('/') ? asset : `${route}${asset}`, {
          headers: { 'accept-encoding': 'gzip' },
        });
        const cc = String(a.headers['cache-control'] ?? '');
        check(
          `${asset} cached a year`,
          a.status === 200 && cc.includes('max-age=31536000') && cc.includes('immutable'),
          `${a.status} Cache-Control: ${cc}`,
        );
        headerChecks(asset, a);
        if (Number(a.headers['content-length'] ?? 2000) >= 1024 || a.headers['content-encoding']) {
          check(
            `${asset} gzip`,
            a.headers['content-encoding'] === 'gzip',
            `Content-Encoding: ${String(a.headers['content-encoding'])}`,
          );
        }
      }
      const index = await request(ep, route, { headers: { 'accept-encoding': 'gzip' } });
      check(
        `${route} gzip`,
        index.headers['content-encoding'] === 'gzip',
        `Content-Encoding: ${String(index.headers['content-encoding'])}`,
      );
      check(
        `${route} revalidated`,
        String(index.headers['cache-control']).includes('no-cache'),
        `Cache-Control: ${String(index.headers['cache-control'])}`,
      );
    }
  }
  if (api?.service.health) {
    const r = await request(ep, api.service.health);
    check(`${api.service.health} (health)`, r.status === 200, `${r.status} ${r.body.slice(0, 120)}`);
  }
  // The monitor script publishes HealthOk (to the local CloudWatch fake).
  await rh.script('monitor');
  const healthOk = rh.fake.metrics.filter(
    (x) => x.namespace === lean.metrics.namespace && x.name === lean.metrics.healthOk,
  );
  check(
    `stackplan-monitor publishes ${lean.metrics.healthOk}`,
    healthOk.at(-1)?.value === 1,
    `${lean.metrics.namespace} ${lean.metrics.healthOk}=${healthOk.at(-1)?.value ?? 'none'}`,
  );
  // Rate limiting on the API: a burst beyond the zone's allowance gets 429s, then it recovers.
  const apiRoute = lean.services.find(
    (s) =>
      (s.service.kind === 'api' || s.service.kind === 'ml') && s.service.route && s.hostPort !== undefined,
  );
  if (apiRoute) {
    // A client's own X-Forwarded-For never reaches the app (the example API echoes what it got).
    const echo = await request(ep, `${apiRoute.service.route!}whoami`, {
      headers: { 'x-forwarded-for': '203.0.113.66' },
    });
    const forwarded = (() => {
      try {
        return (JSON.parse(echo.body) as { forwardedFor?: string }).forwardedFor;
      } catch {
        return undefined;
      }
    })();
    if (forwarded !== undefined) {
      check(
        'X-Forwarded-For set by nginx, not the client',
        forwarded === '127.0.0.1',
        `the app saw ${forwarded}`,
      );
    }
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        request(ep, apiRoute.service.route!).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    const limited = results.filter((s) => s === 429).length;
    check(
      `${apiRoute.service.route} rate limited per IP`,
      limited > 0,
      `${limited} of 60 burst requests got 429`,
    );
    await sleep(2500);
  }
  return checks;
}
