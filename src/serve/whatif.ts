/**
 * What-if values: the manifest fields the planner page lets a person move without editing the file
 * (traffic, availability, RPO, region) and the pricing options that are not manifest fields (free-tier
 * regime, usage profile). Manifest fields are applied to the manifest *text* with the `yaml`
 * package's document API, then the text goes through the same loader as `validate` and `plan`:
 * a what-if is exactly the manifest a person would get by typing the value in, never a second model.
 */
import { isMap, isScalar, parseDocument } from 'yaml';
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
 * The manifest text with the what-if's manifest fields set. The `yaml` document API finds each
 * field's node and its source range; only that value's characters are replaced (or, for a field the
 * file does not have, one line is added to its block mapping), so comments, their alignment, key
 * order, quoting and flow style stay byte for byte. Text that is not a YAML mapping is returned
 * unchanged (its diagnostics say why).
 */
export function applyWhatIf(text: string, w: WhatIf): string {
  if (!changesManifest(w)) return text;
  let out = text;
  const missing: Array<[readonly string[], number | string]> = [];
  const doc = parseDocument(out);
  if (doc.errors.length || !isMap(doc.contents)) return text;
  const edits: Array<[number, number, string]> = [];
  for (const [key, p] of Object.entries(WHAT_IF_FIELDS)) {
    const v = w[key as keyof typeof WHAT_IF_FIELDS];
    if (v === undefined) continue;
    const node = doc.getIn(p, true);
    if (isScalar(node) && node.range) {
      if (node.value !== v) edits.push([node.range[0], node.range[1], scalarText(v)]);
    } else if (node === undefined) missing.push([p, v]);
    else return setWithDocument(text, w);
  }
  for (const [from, to, value] of edits.sort((a, b) => b[0] - a[0])) {
    // A comment after the value keeps its column (aligned comments stay aligned).
    const ws = /^[ \t]*(?=#)/.exec(out.slice(to))?.[0];
    const pad = ws === undefined ? '' : ' '.repeat(Math.max(1, ws.length + (to - from) - value.length));
    out = out.slice(0, from) + value + (ws === undefined ? '' : pad) + out.slice(to + (ws?.length ?? 0));
  }
  for (const [p, v] of missing) {
    const next = insertField(out, p, v);
    if (next === undefined) return setWithDocument(text, w);
    out = next;
  }
  return out;
}

/** A number or a plain-safe word (region, availability) as YAML. */
function scalarText(v: number | string): string {
  return typeof v === 'number' ? String(v) : /^[a-z0-9][a-z0-9-]*$/.test(v) ? v : JSON.stringify(v);
}

/** Adds `key: value` to the block mapping at the path's parent (creating parents as block maps). */
function insertField(text: string, p: readonly string[], v: number | string): string | undefined {
  const doc = parseDocument(text);
  // The deepest existing ancestor.
  let depth = p.length - 1;
  while (depth > 0 && doc.getIn(p.slice(0, depth), true) === undefined) depth--;
  const parent = depth === 0 ? doc.contents : doc.getIn(p.slice(0, depth), true);
  if (!isMap(parent) || parent.flow || !parent.range) return undefined;
  const first = parent.items[0];
  const firstKey = first && isScalar(first.key) && first.key.range ? first.key.range[0] : undefined;
  const indent =
    firstKey === undefined ? '' : ' '.repeat(firstKey - (text.lastIndexOf('\n', firstKey - 1) + 1));
  const rest = p.slice(depth);
  const lines = rest.map(
    (k, i) => `${indent}${'  '.repeat(i)}${k}:${i === rest.length - 1 ? ` ${scalarText(v)}` : ''}`,
  );
  // After the mapping's last value: the end of its line.
  const end = parent.range[1];
  const lineEnd = text.indexOf('\n', Math.max(end - 1, 0));
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const before = text.slice(0, at);
  return `${before}${before.endsWith('\n') || before === '' ? '' : '\n'}${lines.join('\n')}\n${text.slice(at)}`;
}

/** The fallback for flow-style mappings: set through the document and print it again. */
function setWithDocument(text: string, w: WhatIf): string {
  const doc = parseDocument(text);
  for (const [key, p] of Object.entries(WHAT_IF_FIELDS)) {
    const v = w[key as keyof typeof WHAT_IF_FIELDS];
    if (v !== undefined) doc.setIn([...p], v);
  }
  return doc.toString({ lineWidth: 0 });
}
