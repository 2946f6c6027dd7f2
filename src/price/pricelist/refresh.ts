/**
 * Rebuilds the price book from AWS Price List bulk files: offer index → each offer's region index
 * → the region files, then merges what the mappers recognise into an existing book. A refreshed
 * price replaces the book's figure for the same region, service and item and cites its offer file
 * (provenance `aws-pricelist`, asOf the file's publication date); everything else is kept. Pure
 * except for reading through the given source: writing the result is the caller's job.
 */
import { UserError } from '../../errors.js';
import type { PriceBookData, PriceRecord, PriceSource } from '../book/types.js';
import type { OfferFile, OfferIndex, RegionIndex } from './format.js';
import { DEFAULT_OFFERS, extractOffer, MAPPERS } from './mappers.js';
import { OFFER_INDEX_PATH, type PriceListSource } from './source.js';

export interface RefreshOptions {
  /** Offer codes to read. @default every offer with a mapper (DEFAULT_OFFERS) */
  offers?: string[];
  /** Regions to read, or 'all' for every region of each offer's region index. @default 'all' */
  regions?: string[] | 'all';
}

export interface RefreshedFile {
  offer: string;
  region: string;
  url: string;
  sourceId: string;
  /** Prices recognised in the file. */
  prices: number;
  added: number;
  changed: number;
}

export interface RefreshResult {
  data: PriceBookData;
  files: RefreshedFile[];
  /** Offers or regions asked for but absent, and spec disagreements worth a look. */
  warnings: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function check<T>(v: unknown, what: string, url: string, keys: string[]): T {
  if (!isObject(v) || !keys.every((k) => k in v)) {
    throw new UserError(`${url} is not an AWS Price List ${what} (expected the keys ${keys.join(', ')})`, {
      actions: [`Download it again from ${url}`],
    });
  }
  return v as T;
}

const key = (r: { region: string; service: string; item: string }) =>
  `${r.region}\u0000${r.service}\u0000${r.item}`;

/** Ids of every source still cited by a price, a spec or a rule (`src` anywhere in rules). */
function referencedSources(data: PriceBookData): Set<string> {
  const used = new Set<string>();
  for (const p of data.prices) used.add(p.src);
  for (const list of Object.values(data.specs)) for (const s of list) used.add(s.src);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'src' && typeof x === 'string') used.add(x);
        else walk(x);
      }
    }
  };
  walk(data.rules);
  return used;
}

export async function refreshPriceBook(
  base: PriceBookData,
  source: PriceListSource,
  opts: RefreshOptions = {},
): Promise<RefreshResult> {
  const offers = opts.offers ?? DEFAULT_OFFERS;
  for (const o of offers) {
    if (!MAPPERS[o]) {
      throw new UserError(`stackplan does not read the Price List offer ${o}`, {
        actions: [`Use one or more of: ${DEFAULT_OFFERS.join(', ')}`],
      });
    }
  }
  const warnings: string[] = [];
  const files: RefreshedFile[] = [];
  const index = check<OfferIndex>(
    await source.get(OFFER_INDEX_PATH),
    'offer index',
    source.url(OFFER_INDEX_PATH),
    ['offers'],
  );

  const prices = new Map<string, PriceRecord>(base.prices.map((p) => [key(p), p]));
  const sources = new Map<string, PriceSource>(base.sources.map((s) => [s.id, s]));
  const specIndex = new Map<string, { vcpu: number; memoryGiB: number; arch: string }>();
  for (const [kind, list] of Object.entries(base.specs))
    for (const s of list) specIndex.set(`${kind}:${s.type}`, s);
  const specWarned = new Set<string>();

  for (const offerCode of offers) {
    const entry = index.offers[offerCode];
    if (!entry) {
      warnings.push(`offer ${offerCode} is not in the offer index`);
      continue;
    }
    const regionIndexPath =
      entry.currentRegionIndexUrl ?? `/offers/v1.0/aws/${offerCode}/current/region_index.json`;
    if (!source.has(regionIndexPath)) {
      warnings.push(
        `${offerCode}: no region index (${regionIndexPath.slice(1)}) in the ${source.description}`,
      );
      continue;
    }
    const regionIndex = check<RegionIndex>(
      await source.get(regionIndexPath),
      'region index',
      source.url(regionIndexPath),
      ['regions'],
    );
    const wanted =
      opts.regions === undefined || opts.regions === 'all' ? Object.keys(regionIndex.regions) : opts.regions;
    for (const region of [...wanted].sort()) {
      const r = regionIndex.regions[region];
      if (!r) {
        if (opts.regions !== 'all' && opts.regions !== undefined)
          warnings.push(`${offerCode}: no region ${region} in its region index`);
        continue;
      }
      if (!source.has(r.currentVersionUrl)) {
        warnings.push(
          `${offerCode} ${region}: ${r.currentVersionUrl.slice(1)} not downloaded, kept the book's prices`,
        );
        continue;
      }
      const url = source.url(r.currentVersionUrl);
      const offer = check<OfferFile>(await source.get(r.currentVersionUrl), 'offer file', url, [
        'offerCode',
        'publicationDate',
        'products',
        'terms',
      ]);
      const date = String(offer.publicationDate).slice(0, 10);
      const sourceId = `aws-pricelist-${offerCode}-${region}-${date}`;
      sources.set(sourceId, {
        id: sourceId,
        provenance: 'aws-pricelist',
        source: `AWS Price List bulk API: ${offerCode} ${region}, version ${offer.version}`,
        url,
        asOf: date,
      });
      const { prices: found, specs } = extractOffer(offer, MAPPERS[offerCode]!);
      let added = 0;
      let changed = 0;
      let count = 0;
      for (const f of found) {
        if (f.usd === 0 && f.unit === 'hours') continue; // an instance is never free: a placeholder SKU
        const rec: PriceRecord = {
          region,
          service: f.service,
          item: f.item,
          unit: f.unit,
          usd: f.usd,
          src: sourceId,
          note: `AWS SKU ${f.sku}`,
        };
        const old = prices.get(key(rec));
        if (!old) added++;
        else if (old.usd !== rec.usd) changed++;
        prices.set(key(rec), rec);
        count++;
      }
      for (const s of specs) {
        const k = `${s.kind}:${s.spec.type}`;
        const mine = specIndex.get(k);
        if (
          mine &&
          !specWarned.has(k) &&
          (mine.vcpu !== s.spec.vcpu ||
            Math.abs(mine.memoryGiB - s.spec.memoryGiB) > 0.01 ||
            mine.arch !== s.spec.arch)
        ) {
          specWarned.add(k);
          warnings.push(
            `${s.spec.type}: the price book says ${mine.vcpu} vCPU, ${mine.memoryGiB} GiB, ${mine.arch}; the Price List says ${s.spec.vcpu} vCPU, ${s.spec.memoryGiB} GiB, ${s.spec.arch}`,
          );
        }
      }
      files.push({ offer: offerCode, region, url, sourceId, prices: count, added, changed });
    }
  }

  const data: PriceBookData = {
    schemaVersion: 1,
    sources: [],
    prices: [...prices.values()],
    specs: base.specs,
    rules: base.rules,
  };
  const used = referencedSources(data);
  data.sources = [...sources.values()].filter((s) => used.has(s.id));
  return { data, files, warnings };
}
