/**
 * Rebasing: the rendered nginx files, unchanged but for their paths, ports and worker user, so
 * `nginx -t` and `stackplan rehearse` run the production config under a temporary prefix on
 * loopback ports. Each substitution must apply at least once (a template change that escapes the
 * map fails loudly), and no production path may survive.
 */
import type { Plan } from '../../model/plan.js';
import type { HostFile } from './contract.js';
import { HOST_PATHS, leanOf } from './settings.js';

export interface NginxTarget {
  /** Directory standing in for `/`: every host path P becomes root + P. */
  root: string;
  httpPort: number;
  httpsPort: number;
  /** Rehearsal port for each production upstream port (127.0.0.1:PORT). */
  upstreamPorts: ReadonlyMap<number, number>;
  /** Worker user line (`nobody nogroup` when run as root); undefined drops the `user` directive. */
  user?: string;
  /**
   * The local nginx predates 1.25.1, which introduced `http2 on;`: move HTTP/2 back onto the
   * listen line (`listen … ssl http2`), the only form older versions know (Debian 12 has 1.22).
   */
  legacyHttp2?: boolean;
}

/** Whether an `nginx -v` banner (nginx version: nginx/1.22.1) names a version without `http2 on;`. */
export function needsLegacyHttp2(versionBanner: string): boolean {
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(versionBanner);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return major < 1 || (major === 1 && (minor < 25 || (minor === 25 && patch < 1)));
}

/** Absolute path prefixes the nginx files mention and that move under the root. */
export function nginxPathPrefixes(plan: Plan): string[] {
  const lean = leanOf(plan);
  const hasStatic = lean.services.some((s) => s.image.kind === 'none');
  return [
    HOST_PATHS.nginxSites,
    HOST_PATHS.nginxSnippets,
    HOST_PATHS.tls,
    HOST_PATHS.nginxLogs,
    HOST_PATHS.nginxPid,
    HOST_PATHS.nginxTemp,
    HOST_PATHS.acmeWebroot,
    ...(hasStatic ? [`${lean.host.staticDir}/`] : []),
  ];
}

/** Paths that must not appear in a rebased file. */
const PRODUCTION_PATH =
  /(?<![\w/.-])\/(?:etc\/stackplan|etc\/nginx\/(?:conf\.d|stackplan|nginx\.conf)|srv\/|var\/log\/|run\/|var\/lib\/nginx|var\/www)/;

export function rebaseNginxText(plan: Plan, text: string, target: NginxTarget, used: Set<string>): string {
  let out = text;
  const root = target.root.replace(/\/$/, '');
  for (const prefix of nginxPathPrefixes(plan)) {
    const re = new RegExp(`(?<![\\w/.-])${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
    out = out.replace(re, () => {
      used.add(prefix);
      return `${root}${prefix}`;
    });
  }
  out = out.replace(/^(\s*)listen (80|443)\b/gm, (_m, pad: string, port: string) => {
    used.add(`listen ${port}`);
    return `${pad}listen 127.0.0.1:${port === '80' ? target.httpPort : target.httpsPort}`;
  });
  out = out.replace(/^(\s*)server 127\.0\.0\.1:(\d+);/gm, (m, pad: string, port: string) => {
    const to = target.upstreamPorts.get(Number(port));
    if (to === undefined) return m;
    used.add(`upstream ${port}`);
    return `${pad}server 127.0.0.1:${to};`;
  });
  if (target.legacyHttp2) {
    out = out.replace(/^(\s*)http2 on;\n/gm, () => {
      used.add('http2');
      return '';
    });
    out = out.replace(/^(\s*listen \S+ ssl)\b/gm, '$1 http2');
  }
  out = out.replace(/^user nginx;$/m, () => {
    used.add('user');
    return target.user ? `user ${target.user};` : '# user: nginx runs as the invoking user here';
  });
  return out;
}

/** The nginx host files, moved under target.root with paths, ports and user rebased. */
export function rebaseNginxFiles(plan: Plan, files: HostFile[], target: NginxTarget): HostFile[] {
  const nginx = files.filter((f) => f.path.startsWith('/etc/nginx/'));
  const used = new Set<string>();
  const root = target.root.replace(/\/$/, '');
  const out = nginx.map((f) => ({
    path: `${root}${f.path}`,
    mode: f.mode,
    content: rebaseNginxText(plan, f.content, target, used),
  }));
  const expected = [
    ...nginxPathPrefixes(plan),
    'listen 80',
    'listen 443',
    'user',
    ...(target.legacyHttp2 ? ['http2'] : []),
    ...[...target.upstreamPorts.keys()].map((p) => `upstream ${p}`),
  ];
  const missing = expected.filter((e) => !used.has(e));
  if (missing.length) {
    throw new Error(
      `nginx rebase: these production values no longer appear in the config: ${missing.join(', ')}`,
    );
  }
  for (const f of out) {
    const leak = PRODUCTION_PATH.exec(f.content);
    if (leak) throw new Error(`nginx rebase: ${f.path} still refers to a production path (${leak[0]}…)`);
  }
  return out;
}
