/**
 * Merging compose models the way the compose specification says (reference/compose-file/merge):
 * mappings merge key by key, sequences append, `command`, `entrypoint` and `healthcheck.test`
 * replace, `ports` are unique by {ip, target, published, protocol} and `volumes`, `secrets`,
 * `configs` by target, `environment`, `labels` and friends merge as mappings whatever form each
 * file wrote them in, `!reset` clears and `!override` replaces. Used for several `-f` files and
 * for `extends`. Locations travel with the values.
 */
import { copyLocs, isMapping, isOverride, isReset, locOf, OVERRIDE, setLoc, setSelfLoc } from './located.js';

/** Keys whose value replaces, never appends. */
const REPLACE = new Set(['command', 'entrypoint', 'test']);
/** Keys written as a list of KEY=VALUE (or KEY) or as a mapping; merged as mappings. */
const KV_KEYS = new Set(['environment', 'labels', 'annotations', 'extra_hosts', 'sysctls', 'args']);
/** Sequences of unique resources and what makes an entry unique. */
const UNIQUE: Record<string, (item: unknown) => string> = {
  ports: portKey,
  volumes: (v) => targetOf(v, 'volume'),
  secrets: (v) => targetOf(v, 'secret'),
  configs: (v) => targetOf(v, 'config'),
};

function portKey(p: unknown): string {
  if (isMapping(p)) {
    return JSON.stringify([
      p.host_ip ?? '',
      String(p.target ?? ''),
      String(p.published ?? ''),
      p.protocol ?? 'tcp',
    ]);
  }
  return `short:${String(p)}`;
}

function targetOf(v: unknown, kind: string): string {
  if (isMapping(v)) return String(v.target ?? v.source ?? JSON.stringify(v));
  const s = String(v);
  if (kind === 'volume') {
    const parts = s.split(':');
    return parts.length >= 2 ? parts[1]! : parts[0]!;
  }
  return `/run/secrets/${s}`;
}

/** A KEY=VALUE list or mapping as a mapping (locations kept). `null` values stay null. */
export function kvToMap(v: unknown, separator = '='): Record<string, unknown> {
  if (isMapping(v)) return v;
  const out: Record<string, unknown> = {};
  setSelfLoc(out, locOf(v));
  if (!Array.isArray(v)) return out;
  v.forEach((item, i) => {
    if (item === null || item === undefined) return;
    const s = String(item);
    const at = s.indexOf(separator);
    const key = at < 0 ? s : s.slice(0, at);
    out[key] = at < 0 ? null : s.slice(at + 1);
    setLoc(out, key, locOf(v, i));
  });
  return out;
}

/** `depends_on` in either form as a mapping of service → {condition …}. */
export function dependsOnMap(v: unknown): Record<string, Record<string, unknown>> {
  if (isMapping(v)) return v as Record<string, Record<string, unknown>>;
  const out: Record<string, Record<string, unknown>> = {};
  setSelfLoc(out, locOf(v));
  if (Array.isArray(v)) {
    v.forEach((name, i) => {
      out[String(name)] = { condition: 'service_started' };
      setLoc(out, String(name), locOf(v, i));
    });
  }
  return out;
}

function normalizeForMerge(key: string, v: unknown): unknown {
  if (isReset(v) || isOverride(v)) return v;
  if (KV_KEYS.has(key)) return kvToMap(v, key === 'extra_hosts' ? ':' : '=');
  if (key === 'depends_on') return dependsOnMap(v);
  if (key === 'networks' && Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    setSelfLoc(out, locOf(v));
    v.forEach((n, i) => {
      out[String(n)] = null;
      setLoc(out, String(n), locOf(v, i));
    });
    return out;
  }
  if (key === 'build' && typeof v === 'string') {
    const out: Record<string, unknown> = { context: v };
    setSelfLoc(out, locOf(v));
    return out;
  }
  if (
    (key === 'env_file' || key === 'dns' || key === 'dns_search' || key === 'tmpfs') &&
    typeof v === 'string'
  ) {
    return [v];
  }
  return v;
}

/** Merges `over` onto `base`; neither is modified. `key` is the attribute both sit under. */
export function mergeValue(base: unknown, over: unknown, key = ''): unknown {
  if (isReset(over)) return undefined;
  if (isOverride(over)) return over[OVERRIDE];
  const b = normalizeForMerge(key, base);
  const o = normalizeForMerge(key, over);
  if (REPLACE.has(key)) return o;
  if (isMapping(b) && isMapping(o)) return mergeMappings(b, o);
  if (Array.isArray(b) && Array.isArray(o)) {
    const unique = UNIQUE[key];
    const out: unknown[] = [];
    setSelfLoc(out, locOf(b));
    const push = (item: unknown, from: unknown[], i: number) => {
      setLoc(out, out.length, locOf(from, i));
      out.push(item);
    };
    if (!unique) {
      b.forEach((item, i) => {
        push(item, b, i);
      });
      o.forEach((item, i) => {
        push(item, o, i);
      });
      return out;
    }
    const overKeys = new Map(o.map((item) => [unique(item), item]));
    b.forEach((item, i) => {
      if (!overKeys.has(unique(item))) push(item, b, i);
    });
    o.forEach((item, i) => {
      push(item, o, i);
    });
    return out;
  }
  return o;
}

export function mergeMappings(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  copyLocs(base, out);
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    const merged = k in out ? mergeValue(out[k], v, k) : mergeValue(undefined, v, k);
    if (merged === undefined) {
      delete out[k];
      continue;
    }
    out[k] = merged;
    setLoc(out, k, locOf(over, k) ?? locOf(base, k));
  }
  return out;
}
