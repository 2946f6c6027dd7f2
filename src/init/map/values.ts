/**
 * Small compose values: ports (short and long syntax), byte sizes, CPU counts, health checks that
 * call an HTTP URL, and Redis settings in a server command line.
 */
import { isMapping } from '../compose/located.js';

export interface PortSpec {
  /** The port inside the container. */
  target: number;
  /** Published on the host (a port, or true for a random one); undefined when only exposed. */
  published?: number | true;
  hostIp?: string;
  protocol: string;
}

/** One `ports:` entry; undefined when it cannot be read. */
export function parsePort(v: unknown): PortSpec | undefined {
  if (typeof v === 'number') return { target: v, published: true, protocol: 'tcp' };
  if (isMapping(v)) {
    const target = Number(String(v.target ?? '').split('-')[0]);
    if (!Number.isInteger(target) || target < 1) return undefined;
    const pub = v.published === undefined ? true : Number(String(v.published).split('-')[0]) || true;
    return {
      target,
      published: pub,
      ...(typeof v.host_ip === 'string' && { hostIp: v.host_ip }),
      protocol: typeof v.protocol === 'string' ? v.protocol : 'tcp',
    };
  }
  if (typeof v !== 'string') return undefined;
  let s = v.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (v6) {
    hostIp = v6[1];
    s = v6[2]!;
  }
  const parts = s.split(':');
  if (parts.length === 3) hostIp = parts.shift();
  const first = (p: string | undefined) => Number((p ?? '').split('-')[0]);
  if (parts.length === 1) {
    const target = first(parts[0]);
    return Number.isInteger(target) && target > 0 ? { target, published: true, protocol } : undefined;
  }
  const target = first(parts[1]);
  const published = parts[0] === '' ? true : first(parts[0]);
  if (!Number.isInteger(target) || target < 1) return undefined;
  return {
    target,
    published: published === true || (Number.isInteger(published) && published > 0) ? published : true,
    ...(hostIp !== undefined && { hostIp }),
    protocol,
  };
}

/** `expose:` entries. */
export function parseExpose(v: unknown): number[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((e) => Number(String(e).split('/')[0]!.split('-')[0]))
    .filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
}

/** A compose byte size ('512m', '1g', '268435456', 512000000) in MiB, rounded up. */
export function mebibytes(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.ceil(v / 1024 / 1024);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(String(v));
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  const bytes =
    n *
    (unit === 'k'
      ? 1024
      : unit === 'm'
        ? 1024 ** 2
        : unit === 'g'
          ? 1024 ** 3
          : unit === 't'
            ? 1024 ** 4
            : 1);
  return Math.ceil(bytes / 1024 / 1024);
}

export function cpus(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export interface HttpHealth {
  path?: string;
  port?: number;
}

/** The URL a health check calls (curl, wget, or any command naming http://localhost…). */
export function httpHealth(test: unknown): HttpHealth | undefined {
  if (test === undefined || test === null) return undefined;
  const words = Array.isArray(test) ? test.map(String) : [String(test)];
  if (words[0] === 'NONE') return undefined;
  const text = words.filter((w) => w !== 'CMD' && w !== 'CMD-SHELL').join(' ');
  if (!/curl|wget|http|fetch|urlopen|requests\.|healthcheck/i.test(text)) return undefined;
  const re =
    /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\$\{?HOSTNAME\}?)(?::(\d{2,5}))?(\/[^\s'"|;&)<>]*)?/g;
  const out: HttpHealth = {};
  for (const m of text.matchAll(re)) {
    if (!m[1] && !m[2]) continue;
    if (m[1]) out.port = Number(m[1]);
    const rawPath = m[2]?.split(/[?#]/)[0];
    if (rawPath) out.path = rawPath;
    break;
  }
  return out.path || out.port ? out : undefined;
}

/** Settings a redis-server/valkey-server command line sets. */
export function redisFlags(cmd: string): { appendonly?: boolean; maxmemoryMb?: number; save?: boolean } {
  const out: { appendonly?: boolean; maxmemoryMb?: number; save?: boolean } = {};
  const ao = /--appendonly\s+(yes|no)/i.exec(cmd);
  if (ao) out.appendonly = ao[1]!.toLowerCase() === 'yes';
  const mm = /--maxmemory\s+(\S+)/i.exec(cmd);
  if (mm) {
    const mb = mebibytes(mm[1]!.replace(/b$/i, ''));
    if (mb !== undefined) out.maxmemoryMb = mb;
  }
  const save = /--save\s+("[^"]*"|'[^']*'|\S+)/i.exec(cmd);
  if (save) out.save = !/^["']{2}$|^""$|^''$/.test(save[1]!);
  return out;
}
