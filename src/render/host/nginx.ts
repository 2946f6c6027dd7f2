/**
 * nginx for the lean host: one complete nginx.conf (every directive inside `events {}` or
 * `http {}`), the app's site, and two snippets (proxy headers, security headers). TLS follows
 * Mozilla's intermediate profile (TLS 1.2 and 1.3, its cipher list, curves and session
 * settings, ffdhe2048 for the DHE suites); HTTP redirects with `$host`, never `$server_name`.
 */
import type { LeanPlan, LeanService } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import { commentText, NGINX_DOLLAR_DECLARATION, nginxString, nginxToken } from '../escape.js';
import { hostPortsOf } from './compose.js';
import type { HostFile } from './contract.js';
import { HOST_PATHS, leanOf, primaryApi } from './settings.js';

/** Mozilla Server Side TLS, intermediate configuration (guidelines v5.7). */
export const MOZILLA_INTERMEDIATE = {
  protocols: ['TLSv1.2', 'TLSv1.3'],
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'DHE-RSA-AES128-GCM-SHA256',
    'DHE-RSA-AES256-GCM-SHA384',
    'DHE-RSA-CHACHA20-POLY1305',
  ],
  curves: ['X25519', 'prime256v1', 'secp384r1'],
  sessionTimeout: '1d',
  sessionCache: 'shared:MozSSL:10m',
  hstsMaxAge: 63072000,
} as const;

/** RFC 7919 ffdhe2048 group (what Mozilla's generator serves as ffdhe2048.txt). */
export const FFDHE2048 = `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
`;

/** Per-client-IP rate limit on API routes. */
export const API_RATE = { zone: 'api', rate: '10r/s', burst: 20 } as const;

/**
 * Security headers every response carries (HSTS only over HTTPS): the fixed ones, and the
 * manifest's Content-Security-Policy (DEFAULT_CSP unless it sets its own, none when it says false).
 */
export function securityHeaders(plan: Plan): Array<readonly [string, string]> {
  const csp = plan.manifest.contentSecurityPolicy;
  return [
    ['Strict-Transport-Security', `max-age=${MOZILLA_INTERMEDIATE.hstsMaxAge}`],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ...(csp === false ? [] : [['Content-Security-Policy', csp] as const]),
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
  ];
}

/** File names served with a year-long immutable cache: a hash segment of 8+ characters with a digit. */
export const HASHED_ASSET_REGEX =
  '[.-](?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{8,}\\.(?:js|mjs|css|map|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|avif|ico)$';

export const NGINX_FILES = {
  main: HOST_PATHS.nginxConf,
  proxy: `${HOST_PATHS.nginxSnippets}proxy.conf`,
  security: `${HOST_PATHS.nginxSnippets}security-headers.conf`,
  dhparam: `${HOST_PATHS.nginxSnippets}ffdhe2048.pem`,
  tlsCert: `${HOST_PATHS.tls}fullchain.pem`,
  tlsKey: `${HOST_PATHS.tls}privkey.pem`,
} as const;

export function siteFile(plan: Plan): string {
  return `${HOST_PATHS.nginxSites}${nginxToken(plan.manifest.name)}.conf`;
}

/** Upstream block name of a service. */
export function upstreamName(s: LeanService): string {
  return nginxToken(`svc_${s.service.name.replace(/-/g, '_')}`);
}

/**
 * server_names_hash_bucket_size for the app's names: nginx refuses to start when the longest
 * server_name does not fit a bucket (the default is one cache line, often 64 bytes), and a manifest
 * name may be 253 characters. The next power of two with room for the name and nginx's pointers.
 */
export function serverNamesBucketSize(names: readonly string[]): number {
  const longest = Math.max(0, ...names.map((n) => n.length));
  let size = 64;
  while (size < longest + 32) size *= 2;
  return size;
}

function renderMain(plan: Plan): string {
  const bucket = serverNamesBucketSize([plan.manifest.domain, ...plan.manifest.aliases]);
  const t = MOZILLA_INTERMEDIATE;
  const tmp = HOST_PATHS.nginxTemp;
  return `# nginx for the lean host. Rendered by stackplan from the plan; do not edit.
# Every server block lives inside http {} (in ${HOST_PATHS.nginxSites}*.conf).
user nginx;
worker_processes auto;
pid ${HOST_PATHS.nginxPid};
error_log ${HOST_PATHS.nginxLogs}error.log warn;

events {
    worker_connections 1024;
}

http {
    include ${HOST_PATHS.nginxMimeTypes};
    default_type application/octet-stream;

    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                    '"$http_referer" "$http_user_agent" rt=$request_time urt=$upstream_response_time';
    access_log ${HOST_PATHS.nginxLogs}access.log main;

    client_body_temp_path ${tmp}client_body;
    proxy_temp_path ${tmp}proxy;
    fastcgi_temp_path ${tmp}fastcgi;
    uwsgi_temp_path ${tmp}uwsgi;
    scgi_temp_path ${tmp}scgi;

    server_tokens off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    types_hash_max_size 4096;
    server_names_hash_bucket_size ${bucket};
    client_max_body_size 10m;

    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_comp_level 5;
    gzip_min_length 1024;
    gzip_types text/plain text/css text/xml application/json application/javascript application/xml application/rss+xml image/svg+xml;

    # Mozilla intermediate TLS (https://ssl-config.mozilla.org, guidelines v5.7).
    ssl_protocols ${t.protocols.join(' ')};
    ssl_ciphers ${t.ciphers.join(':')};
    ssl_prefer_server_ciphers off;
    ssl_ecdh_curve ${t.curves.join(':')};
    ssl_dhparam ${NGINX_FILES.dhparam};
    ssl_session_timeout ${t.sessionTimeout};
    ssl_session_cache ${t.sessionCache};
    ssl_session_tickets off;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }

    limit_req_zone $binary_remote_addr zone=${API_RATE.zone}:10m rate=${API_RATE.rate};
    limit_req_status 429;

    # "$" for quoted values that must contain one (nginx strings have no escape for it).
${NGINX_DOLLAR_DECLARATION.split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}

    include ${HOST_PATHS.nginxSites}*.conf;
}
`;
}

function renderProxySnippet(): string {
  return `# Proxy headers for every proxied location. Rendered by stackplan; do not edit.
# nginx is the edge: nothing in front of it may vouch for a client address, so the client's own
# X-Forwarded-For is replaced, never appended to (an app would otherwise log or rate-limit by a
# forged address).
proxy_http_version 1.1;
proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $remote_addr;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header X-Forwarded-Host $host;
proxy_connect_timeout 5s;
proxy_send_timeout 60s;
proxy_read_timeout 60s;
`;
}

function renderSecuritySnippet(plan: Plan): string {
  const lines = securityHeaders(plan).map(
    ([k, v]) => `add_header ${nginxToken(k)} ${nginxString(v)} always;`,
  );
  return `# Security headers. Included at server level and again in every location that sets its own
# add_header (nginx drops inherited add_header directives there). Rendered by stackplan; do not edit.
${lines.join('\n')}
`;
}

function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
}

function proxyLocation(s: LeanService, match: string, rateLimited: boolean): string {
  const lines = [`location ${match} {`];
  if (rateLimited) lines.push(`    limit_req zone=${API_RATE.zone} burst=${API_RATE.burst} nodelay;`);
  lines.push(`    include ${NGINX_FILES.proxy};`);
  if (s.service.websocket) {
    lines.push('    proxy_set_header Upgrade $http_upgrade;');
    lines.push('    proxy_set_header Connection $connection_upgrade;');
    lines.push('    proxy_read_timeout 1h;');
  } else {
    lines.push('    proxy_set_header Connection "";');
  }
  lines.push(`    proxy_pass http://${upstreamName(s)};`);
  lines.push('}');
  return lines.join('\n');
}

function staticLocation(lean: LeanPlan, s: LeanService): string {
  const route = nginxToken(s.service.route ?? '/');
  const dir = nginxToken(`${lean.host.staticDir}/${s.service.name}`);
  const rootLine = route === '/' ? `root ${dir};` : `alias ${dir}/;`;
  const fallback = route === '/' ? '/index.html' : `${route}index.html`;
  return [
    `location ${route === '/' ? '/' : `^~ ${route}`} {`,
    `    ${rootLine}`,
    '    index index.html;',
    `    try_files $uri $uri/ ${fallback};`,
    '    # The SPA shell must be revalidated so a deploy is picked up at once.',
    '    add_header Cache-Control "no-cache" always;',
    `    include ${NGINX_FILES.security};`,
    '    # Hashed build assets never change under the same name: cache them for a year.',
    `    location ~* "${HASHED_ASSET_REGEX}" {`,
    '        add_header Cache-Control "public, max-age=31536000, immutable" always;',
    `        include ${NGINX_FILES.security};`,
    '        try_files $uri =404;',
    '    }',
    '}',
  ].join('\n');
}

/** The proxied routes, static routes and health location of the app, in a stable order. */
function locations(lean: LeanPlan): string[] {
  const out: string[] = [];
  const routed = lean.services
    .filter((s) => s.service.route !== undefined && (s.hostPort !== undefined || s.image.kind === 'none'))
    .sort(
      (a, b) =>
        b.service.route!.length - a.service.route!.length || a.service.name.localeCompare(b.service.name),
    );
  const api = primaryApi(lean);
  const apiHealth = api?.service.health;
  if (
    api &&
    apiHealth &&
    !routed.some((s) => apiHealth.startsWith(s.service.route!) && s.service.route !== '/')
  ) {
    out.push(proxyLocation(api, `= ${nginxToken(apiHealth)}`, false));
  }
  for (const s of routed) {
    if (s.image.kind === 'none') {
      out.push(staticLocation(lean, s));
      continue;
    }
    const route = nginxToken(s.service.route!);
    const isApi = s.service.kind === 'api' || s.service.kind === 'ml';
    out.push(proxyLocation(s, route === '/' ? '/' : `^~ ${route}`, isApi));
  }
  return out;
}

/** The file holding a service's upstream servers: stackplan-release rewrites it to switch slots. */
export function upstreamFile(s: LeanService): string {
  return `${HOST_PATHS.nginxUpstreams}/${nginxToken(s.service.name)}.conf`;
}

/** The servers of a service's upstream on a slot's first port: one per copy. */
export function upstreamServers(ports: readonly number[]): string {
  return ports.map((p) => `server 127.0.0.1:${p};\n`).join('');
}

function upstreams(lean: LeanPlan): string[] {
  return lean.services
    .filter((s) => s.hostPort !== undefined)
    .map((s) =>
      [`upstream ${upstreamName(s)} {`, `    include ${upstreamFile(s)};`, '    keepalive 16;', '}'].join(
        '\n',
      ),
    );
}

/** Each proxied service's upstream servers as first installed: slot a (stackplan-release switches them). */
function upstreamFiles(lean: LeanPlan): HostFile[] {
  return lean.services
    .filter((s) => s.hostPort !== undefined)
    .map((s) => ({
      path: upstreamFile(s),
      mode: 0o644,
      content: `# ${commentText(`${s.service.name}: the slot serving now. Written by stackplan-release; installed with slot a.`)}\n${upstreamServers(hostPortsOf(s))}`,
    }));
}

function renderSite(plan: Plan): string {
  const lean = leanOf(plan);
  const m = plan.manifest;
  const names = [m.domain, ...m.aliases].map(nginxToken).join(' ');
  const body = [
    ...upstreams(lean),
    '',
    '# Names we do not serve: no redirect, no certificate, connection closed.',
    'server {',
    '    listen 80 default_server;',
    '    listen 443 ssl default_server;',
    '    http2 on;',
    '    ssl_reject_handshake on;',
    '    return 444;',
    '}',
    '',
    '# HTTP: ACME challenges for certbot, everything else to HTTPS on the name that was asked for.',
    'server {',
    '    listen 80;',
    `    server_name ${names};`,
    '    location ^~ /.well-known/acme-challenge/ {',
    `        root ${HOST_PATHS.acmeWebroot};`,
    '        default_type text/plain;',
    '    }',
    '    location / {',
    '        return 301 https://$host$request_uri;',
    '    }',
    '}',
    '',
    'server {',
    '    listen 443 ssl;',
    '    http2 on;',
    `    server_name ${names};`,
    `    ssl_certificate ${NGINX_FILES.tlsCert};`,
    `    ssl_certificate_key ${NGINX_FILES.tlsKey};`,
    `    include ${NGINX_FILES.security};`,
    '',
    ...locations(lean).map((l) => `${indent(l, 4)}\n`),
    '}',
  ];
  return `# ${commentText(`${m.name}: routes of ${m.domain}. Rendered by stackplan from the plan; do not edit.`)}\n${body.join('\n')}\n`;
}

export function renderNginxFiles(plan: Plan): HostFile[] {
  return [
    { path: NGINX_FILES.main, mode: 0o644, content: renderMain(plan) },
    { path: siteFile(plan), mode: 0o644, content: renderSite(plan) },
    { path: NGINX_FILES.proxy, mode: 0o644, content: renderProxySnippet() },
    { path: NGINX_FILES.security, mode: 0o644, content: renderSecuritySnippet(plan) },
    { path: NGINX_FILES.dhparam, mode: 0o644, content: FFDHE2048 },
    ...upstreamFiles(leanOf(plan)),
  ];
}
