/**
 * What every part of the ecs planner shares: the manifest, the catalog and the region's prices,
 * the decisions being recorded, and small helpers over the manifest.
 */
import type { Manifest } from '../../../manifest/normalize.js';
import type { ServiceKind } from '../../../manifest/schema.js';
import type { EcsCatalog } from '../../../model/catalog.js';
import type { Arch, DatabaseCandidate, Decision } from '../../../model/plan.js';
import type { RegionPrices } from '../../../price/estimates.js';

/** The app cannot run on the ecs tier as planned (e.g. no data-store class is large enough). */
export class EcsDoesNotFit extends Error {}

export interface Ctx {
  m: Manifest;
  catalog: EcsCatalog;
  /** The region's unit prices (src/price/estimates.ts reads them). */
  prices: RegionPrices;
  decisions: Decision[];
}

export const HTTP_KINDS: ReadonlySet<ServiceKind> = new Set(['frontend', 'api', 'ml']);

/** ALB listener path patterns of a route prefix. */
export function pathPatterns(route: string): string[] {
  return route === '/' ? ['/*'] : [route.replace(/\/$/, ''), `${route}*`];
}

/** Services (never static ones) that use a data store or integration. */
export function clientsOf(m: Manifest, use: 'postgres' | 'redis' | 'search' | 'buckets'): string[] {
  return m.services.filter((s) => s.kind !== 'static' && s.uses.includes(use)).map((s) => s.name);
}

/** Cheapest priced candidate that fits; ties go to Graviton, then to more memory. */
export function chooseCheapest<T extends { type: string; memoryMiB: number; arch: Arch; hourlyUsd?: number }>(
  pool: T[],
  fits: (c: T) => { ok: boolean; why: string },
): { chosen?: T; candidates: DatabaseCandidate[] } {
  const sorted = [...pool].sort(
    (a, b) =>
      (a.hourlyUsd ?? Number.POSITIVE_INFINITY) - (b.hourlyUsd ?? Number.POSITIVE_INFINITY) ||
      (a.arch === b.arch ? 0 : a.arch === 'arm64' ? -1 : 1) ||
      a.memoryMiB - b.memoryMiB ||
      a.type.localeCompare(b.type),
  );
  const candidates: DatabaseCandidate[] = [];
  for (const c of sorted) {
    const f = fits(c);
    candidates.push({
      type: c.type,
      memoryMiB: c.memoryMiB,
      arch: c.arch,
      ...(c.hourlyUsd !== undefined && { hourlyUsd: c.hourlyUsd }),
      fits: f.ok,
      why: f.why,
    });
    if (f.ok) return { chosen: c, candidates };
  }
  return { candidates };
}

/** A data-store class priced by `hourly`, with its memory in MiB. */
export function pricedPool<S extends { type: string; memoryGiB: number }>(
  specs: readonly S[],
  families: readonly string[],
  familyOf: (type: string) => string | undefined,
  hourly: (type: string) => number | undefined,
): Array<S & { memoryMiB: number; hourlyUsd?: number }> {
  return specs
    .filter((s) => families.includes(familyOf(s.type) ?? ''))
    .map((s) => {
      const hourlyUsd = hourly(s.type);
      return {
        ...s,
        memoryMiB: Math.round(s.memoryGiB * 1024),
        ...(hourlyUsd !== undefined && { hourlyUsd }),
      };
    });
}
