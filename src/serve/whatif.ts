/**
 * What-if values: the manifest fields the planner page lets a person move without editing the file
 * (traffic, availability, RPO, region) and the pricing options that are not manifest fields (free-tier
 * regime, usage profile). Manifest fields are applied to the manifest *text* with the `yaml`
 * package's document API, then the text goes through the same loader as `validate` and `plan`:
 * a what-if is exactly the manifest a person would get by typing the value in, never a second model.
 */
import { isMap, parseDocument } from 'yaml';
import { AVAILABILITY, type Availability } from '../manifest/schema.js';
import { FREE_TIER_MODES, type FreeTierMode } from '../price/types.js';
import { PROFILE_NAMES, type ProfileName } from '../price/usage.js';

export interface WhatIf {
  requestsPerMonth?: number;
  gbOutPerMonth?: number;
  availability?: Availability;
  rpoHours?: number;
  region?: string;
  /** Pricing only: @default paid-plan */
  freeTier?: FreeTierMode;
  /** Pricing only: @default chosen from the traffic */
  profile?: ProfileName;
}

/** The manifest paths a what-if writes. */
export const WHAT_IF_FIELDS = {
  requestsPerMonth: ['traffic', 'requestsPerMonth'],
  gbOutPerMonth: ['traffic', 'gbOutPerMonth'],
  availability: ['availability'],
  rpoHours: ['backups', 'rpoHours'],
  region: ['region'],
} as const satisfies Record<string, readonly string[]>;

export class WhatIfError extends Error {}

const finite = (v: unknown, name: string, min: number, max: number): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new WhatIfError(`${name} must be a number from ${min} to ${max}`);
  }
  return v;
};

/** A what-if from request JSON: unknown keys and out-of-range values are refused, never guessed. */
export function parseWhatIf(raw: unknown): WhatIf {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new WhatIfError('whatIf must be an object');
  const r = raw as Record<string, unknown>;
  const known = new Set([
    'requestsPerMonth',
    'gbOutPerMonth',
    'availability',
    'rpoHours',
    'region',
    'freeTier',
    'profile',
  ]);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new WhatIfError(`whatIf has no field ${k}`);
  const w: WhatIf = {};
  if (r.requestsPerMonth !== undefined)
    w.requestsPerMonth = Math.round(finite(r.requestsPerMonth, 'requestsPerMonth', 0, 1e13));
  if (r.gbOutPerMonth !== undefined) w.gbOutPerMonth = finite(r.gbOutPerMonth, 'gbOutPerMonth', 0, 1e9);
  if (r.rpoHours !== undefined) w.rpoHours = finite(r.rpoHours, 'rpoHours', 0, 1e5);
  if (r.availability !== undefined) {
    if (!AVAILABILITY.includes(r.availability as Availability))
      throw new WhatIfError(`availability must be one of ${AVAILABILITY.join(', ')}`);
    w.availability = r.availability as Availability;
  }
  if (r.region !== undefined) {
    if (typeof r.region !== 'string' || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r.region))
      throw new WhatIfError('region must be an AWS region such as us-east-1');
    w.region = r.region;
  }
  if (r.freeTier !== undefined) {
    if (!FREE_TIER_MODES.includes(r.freeTier as FreeTierMode))
      throw new WhatIfError(`freeTier must be one of ${FREE_TIER_MODES.join(', ')}`);
    w.freeTier = r.freeTier as FreeTierMode;
  }
  if (r.profile !== undefined) {
    if (!PROFILE_NAMES.includes(r.profile as ProfileName))
      throw new WhatIfError(`profile must be one of ${PROFILE_NAMES.join(', ')}`);
    w.profile = r.profile as ProfileName;
  }
  return w;
}

/** Whether the what-if changes any manifest field. */
export function changesManifest(w: WhatIf): boolean {
  return Object.keys(WHAT_IF_FIELDS).some((k) => w[k as keyof typeof WHAT_IF_FIELDS] !== undefined);
}

/**
 * The manifest text with the what-if's manifest fields set, through the yaml document API: comments,
 * key order, quoting and every other field stay as they were. Text that is not a YAML mapping is
 * returned unchanged (its diagnostics say why).
 */
export function applyWhatIf(text: string, w: WhatIf): string {
  if (!changesManifest(w)) return text;
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents)) return text;
  for (const [key, p] of Object.entries(WHAT_IF_FIELDS)) {
    const v = w[key as keyof typeof WHAT_IF_FIELDS];
    if (v === undefined) continue;
    if (doc.getIn(p) === v) continue;
    doc.setIn([...p], v);
  }
  return doc.toString();
}
