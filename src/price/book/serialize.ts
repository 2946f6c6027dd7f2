/**
 * Converts a price book between its logical form (PriceBookData: a flat list of records) and its
 * on-disk encoding (PriceBookFile, see types.ts). Deterministic: services, regions and items are
 * written in sorted order, one per line, ASCII only (other characters are \u-escaped so the
 * loader can decode the file as latin1, which is several times faster than utf8).
 *
 * Layout the loader relies on to parse only the blocks it needs (src/price/book/index.ts); the
 * header's `"blocks"` gives each region block's length (one line per service), so the loader
 * computes where a block is instead of scanning megabytes of text for it:
 *   "prices":{
 *   "<service>":{            ← a service opens at column 0
 *    "<region>":{            ← a region opens at column 1
 *     "<item>":[usd,unit,src(,note)]
 *    }                       ← a region closes at column 1
 *   }                        ← a service closes at column 0
 *   }
 *   }
 */
import type { PriceBookData, PriceBookFile, PriceRecord, PriceTuple } from './types.js';

/** What precedes the price blocks in the file: the loader splits the header off here. */
export const PRICES_MARKER = '\n"prices":{\n';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function encodePriceBook(book: PriceBookData): PriceBookFile {
  const sources = [...book.sources].sort((a, b) => cmp(a.id, b.id));
  const srcIndex = new Map(sources.map((s, i) => [s.id, i]));
  const units = [...new Set(book.prices.map((p) => p.unit))].sort(cmp);
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const records = [...book.prices].sort(
    (a, b) => cmp(a.service, b.service) || cmp(a.region, b.region) || cmp(a.item, b.item),
  );
  const prices: PriceBookFile['prices'] = {};
  for (const r of records) {
    const s = srcIndex.get(r.src);
    if (s === undefined)
      throw new Error(`price ${r.service}/${r.item} (${r.region}) names unknown source ${r.src}`);
    const tuple: PriceTuple = r.note
      ? [r.usd, unitIndex.get(r.unit)!, s, r.note]
      : [r.usd, unitIndex.get(r.unit)!, s];
    prices[r.service] ??= {};
    const byRegion = prices[r.service]!;
    byRegion[r.region] ??= {};
    byRegion[r.region]![r.item] = tuple;
  }
  const specs = Object.fromEntries(
    Object.entries(book.specs).map(([k, v]) => [k, [...v].sort((a, b) => cmp(a.type, b.type))]),
  ) as PriceBookData['specs'];
  return { schemaVersion: 1, encoding: 'indexed-1', sources, units, rules: book.rules, specs, prices };
}

export function decodePriceBook(file: PriceBookFile): PriceBookData {
  const prices: PriceRecord[] = [];
  for (const [service, byRegion] of Object.entries(file.prices)) {
    for (const [region, byItem] of Object.entries(byRegion)) {
      for (const [item, t] of Object.entries(byItem)) {
        const r: PriceRecord = {
          region,
          service,
          item,
          unit: file.units[t[1]]!,
          usd: t[0],
          src: file.sources[t[2]]!.id,
        };
        if (t[3] !== undefined) r.note = t[3];
        prices.push(r);
      }
    }
  }
  return { schemaVersion: 1, sources: file.sources, prices, specs: file.specs, rules: file.rules };
}

function ascii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function lines(items: unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((x) => `${indent}  ${JSON.stringify(x)}`).join(',\n')}\n${indent}]`;
}

/** The file's text. */
export function serializePriceBook(book: PriceBookData): string {
  const f = encodePriceBook(book);
  const specs = Object.entries(f.specs)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${lines(v, '    ')}`)
    .join(',\n');
  // Each region block's length, so the loader finds a block without scanning the file for it.
  const lengths: Record<string, Record<string, number>> = {};
  const prices = Object.entries(f.prices)
    .map(([service, byRegion]) => {
      const len: Record<string, number> = {};
      const regions = Object.entries(byRegion)
        .map(([region, byItem]) => {
          const items = Object.entries(byItem)
            .map(([item, t]) => `  ${JSON.stringify(item)}:${JSON.stringify(t)}`)
            .join(',\n');
          const block = ascii(` ${JSON.stringify(region)}:{\n${items}\n }`);
          len[region] = block.length;
          return block;
        })
        .join(',\n');
      lengths[service] = len;
      return `${JSON.stringify(service)}:{\n${regions}\n}`;
    })
    .join(',\n');
  const blocks = Object.entries(lengths)
    .map(([service, len]) => `  ${JSON.stringify(service)}: ${JSON.stringify(len)}`)
    .join(',\n');
  return ascii(
    '{\n' +
      `"schemaVersion": 1,\n"encoding": "indexed-1",\n` +
      `"sources": ${lines(f.sources, '')},\n` +
      `"units": ${JSON.stringify(f.units)},\n` +
      `"rules": ${JSON.stringify(f.rules, null, 2)},\n` +
      `"specs": {\n${specs}\n},\n` +
      `"blocks": {\n${blocks}\n},` +
      `${PRICES_MARKER}${prices}\n}\n` +
      '}\n',
  );
}

/**
 * Where each service × region block starts in a serialized book's text, from the header's
 * `blocks` lengths and the layout above (offsets into the whole text).
 */
export function blockOffsets(
  blocks: Record<string, Record<string, number>>,
  pricesAt: number,
): Map<string, [start: number, end: number]> {
  const out = new Map<string, [number, number]>();
  let pos = pricesAt + PRICES_MARKER.length;
  let first = true;
  for (const [service, regions] of Object.entries(blocks)) {
    if (!first) pos += 2; // ",\n" between services
    first = false;
    pos += JSON.stringify(service).length + 3; // "service":{\n
    let firstRegion = true;
    for (const [region, len] of Object.entries(regions)) {
      if (!firstRegion) pos += 2; // ",\n" between regions
      firstRegion = false;
      out.set(`${service}\u0000${region}`, [pos, pos + len]);
      pos += len;
    }
    pos += 2; // "\n}"
  }
  return out;
}
