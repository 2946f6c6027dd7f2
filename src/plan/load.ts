/**
 * Loading a manifest to plan it: the manifest layer's loader (schema, normalization, the
 * manifest's own rules) plus the rules only the tiers can judge. Commands that plan, validate or
 * rehearse load manifests through here.
 */
import {
  type LoadResult,
  loadManifest as loadWithRules,
  parseManifest as parseWithRules,
} from '../manifest/load.js';
import { tierRules } from './rules.js';

export type { LoadResult } from '../manifest/load.js';

/** A manifest file (or a directory holding stackplan.yaml), checked against the tiers too. */
export function loadManifest(input: string): LoadResult {
  return loadWithRules(input, { rules: tierRules() });
}

/** Manifest text, checked against the tiers too. */
export function parseManifest(text: string, file: string): LoadResult {
  return parseWithRules(text, file, { rules: tierRules() });
}
