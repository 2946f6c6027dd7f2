/** Helpers for the eks tier's tests: plans of the examples on a fixed planning date. */
import * as path from 'node:path';
import { loadManifest } from '../../../src/manifest/load.js';
import type { Manifest } from '../../../src/manifest/normalize.js';
import { loadPriceBook } from '../../../src/price/book/index.js';
import { type EksPlan, planEks } from '../../../src/tiers/eks/plan/index.js';

/** The planning date the tests pin (a real date keeps the version choice from drifting). */
export const TODAY = '2026-12-02';

/** Examples the eks tier plans (every example: none asks for endpoints-only egress). */
export const EKS_EXAMPLES = [
  'cloud-consulting/stackplan.ha.yaml',
  'cloud-consulting/stackplan.yaml',
  'gyva-shop/stackplan.yaml',
  'support-analytics/stackplan.yaml',
  'default-rate/stackplan.yaml',
] as const;

export function exampleManifest(file: string): Manifest {
  const r = loadManifest(path.join('examples', file));
  if (!r.ok) throw new Error(`examples/${file} is invalid`);
  return r.manifest;
}

export function planExampleEks(file: string, today = TODAY): EksPlan {
  return planEks(exampleManifest(file), loadPriceBook(), { today });
}

export function planOf(m: Manifest, today = TODAY): EksPlan {
  return planEks(m, loadPriceBook(), { today });
}
