/**
 * Compose values with the file and line each came from. A compose file is read into plain JS
 * values (objects, arrays, scalars); a side table remembers, for every object and array, where
 * each of its members was written, so a value that travelled through merge keys, `extends`,
 * `include` or several `-f` files still names the line a user wrote.
 */

export interface Loc {
  /** The compose file, as the user named it (relative to the working directory when possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type PathSegment = string | number;

const members = new WeakMap<object, Map<PathSegment, Loc>>();
const selves = new WeakMap<object, Loc>();

/** Records where `container[key]` was written. */
export function setLoc(container: object, key: PathSegment, loc: Loc | undefined): void {
  if (!loc) return;
  let m = members.get(container);
  if (!m) {
    m = new Map();
    members.set(container, m);
  }
  m.set(key, loc);
}

/** Records where an object or array itself starts. */
export function setSelfLoc(value: object, loc: Loc | undefined): void {
  if (loc && !selves.has(value)) selves.set(value, loc);
}

/** Where `container[key]` was written; without a key, where the container starts. */
export function locOf(container: unknown, key?: PathSegment): Loc | undefined {
  if (container === null || typeof container !== 'object') return undefined;
  if (key !== undefined) {
    const l = members.get(container)?.get(key);
    if (l) return l;
  }
  return selves.get(container);
}

/** Copies every recorded location of `from`'s members onto `to` (same keys). */
export function copyLocs(from: object, to: object): void {
  const m = members.get(from);
  if (m) for (const [k, l] of m) setLoc(to, k, l);
  const s = selves.get(from);
  if (s) setSelfLoc(to, s);
}

/** The value at a path and the location of its last segment (or the nearest located parent). */
export function resolvePath(root: unknown, path: readonly PathSegment[]): { value: unknown; loc?: Loc } {
  let value: unknown = root;
  let loc = locOf(root);
  for (const seg of path) {
    if (value === null || typeof value !== 'object') break;
    const here = locOf(value, seg);
    if (here) loc = here;
    const next = (value as Record<PathSegment, unknown>)[seg];
    if (next === undefined) {
      value = undefined;
      break;
    }
    value = next;
  }
  return loc ? { value, loc } : { value };
}

export function formatLoc(loc: Loc | undefined): string {
  return loc ? `${loc.file}:${loc.line}` : '';
}

/** `!reset` in an override file: the attribute is cleared. */
export const RESET: unique symbol = Symbol('compose !reset');
/** `!override` in an override file: the attribute replaces, instead of merging with, the one below. */
export const OVERRIDE: unique symbol = Symbol('compose !override');

export interface ResetMarker {
  [RESET]: true;
}
export interface OverrideMarker {
  [OVERRIDE]: unknown;
}

export function isReset(v: unknown): v is ResetMarker {
  return v !== null && typeof v === 'object' && RESET in v;
}
export function isOverride(v: unknown): v is OverrideMarker {
  return v !== null && typeof v === 'object' && OVERRIDE in v;
}

/** The value with `!reset` entries removed and `!override` wrappers unwrapped (locations kept). */
export function stripMarkers(v: unknown): unknown {
  if (isOverride(v)) return stripMarkers(v[OVERRIDE]);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    v.forEach((item, i) => {
      if (isReset(item)) return;
      setLoc(out, out.length, locOf(v, i));
      out.push(stripMarkers(item));
    });
    setSelfLoc(out, locOf(v));
    return out;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (isReset(item)) continue;
      out[k] = stripMarkers(item);
      setLoc(out, k, locOf(v, k));
    }
    setSelfLoc(out, locOf(v));
    return out;
  }
  return v;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isReset(v) && !isOverride(v);
}
