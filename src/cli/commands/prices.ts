/**
 * `stackplan prices refresh`: rebuilds the price book from AWS Price List bulk files — downloaded
 * from https://pricing.us-east-1.amazonaws.com (no credentials), or read from a directory that
 * mirrors its paths (--offline-dir) — and writes it (default: the book stackplan reads).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { clearPriceBookCache, loadPriceBook, priceBookPath } from '../../price/book/index.js';
import { serializePriceBook } from '../../price/book/serialize.js';
import { DEFAULT_OFFERS } from '../../price/pricelist/mappers.js';
import { refreshPriceBook } from '../../price/pricelist/refresh.js';
import { httpSource, offlineSource } from '../../price/pricelist/source.js';
import type { Io } from '../io.js';

export interface PricesOptions {
  /** The only action so far: `refresh`. */
  action: string;
  /** Read Price List files from this directory instead of downloading them. */
  offlineDir?: string;
  /** Where to write the new book. @default the book stackplan reads ($STACKPLAN_PRICEBOOK or the package's) */
  out?: string;
  /** Comma-separated regions, or `all`. @default all with --offline-dir, us-east-1 when downloading */
  regions?: string;
  /** Comma-separated offer codes. @default every offer stackplan maps */
  offers?: string;
}

function list(v: string | undefined): string[] | undefined {
  return v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function prices(opts: PricesOptions, io: Io): Promise<number> {
  if (opts.action !== 'refresh') {
    throw new UserError(`unknown prices action "${opts.action}"`, {
      actions: [
        'stackplan prices refresh --offline-dir DIR   (rebuild the price book from AWS Price List files)',
      ],
    });
  }
  const source = opts.offlineDir ? offlineSource(opts.offlineDir) : httpSource();
  const regionList = list(opts.regions);
  const regions =
    regionList === undefined
      ? opts.offlineDir
        ? 'all'
        : ['us-east-1']
      : regionList.length === 1 && regionList[0] === 'all'
        ? 'all'
        : regionList;
  const from = priceBookPath();
  const base = loadPriceBook(from).toData();
  const result = await refreshPriceBook(base, source, {
    offers: list(opts.offers) ?? DEFAULT_OFFERS,
    regions,
  });
  for (const f of result.files) {
    io.out(
      `${f.offer} ${f.region}: ${f.prices} prices (${f.added} new, ${f.changed} changed) from ${f.url} (${f.sourceId.slice(-10)})`,
    );
  }
  for (const w of result.warnings) io.err(`warning: ${w}`);
  if (result.files.length === 0) {
    throw new UserError(`no Price List region file was read from the ${source.description}`, {
      actions: [
        'Check --offers and --regions against the offer index and the region indexes',
        `Offers stackplan reads: ${DEFAULT_OFFERS.join(', ')}`,
      ],
    });
  }
  const out = path.resolve(opts.out ?? from);
  try {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, serializePriceBook(result.data));
  } catch (e) {
    throw new UserError(`cannot write the price book to ${out}: ${(e as Error).message}`, {
      actions: [
        'Write it somewhere you can: stackplan prices refresh … --out ~/stackplan-pricebook.json',
        'Then use it: STACKPLAN_PRICEBOOK=~/stackplan-pricebook.json stackplan cost …',
      ],
    });
  }
  clearPriceBookCache();
  io.out(`wrote ${out}: ${result.data.prices.length} prices from ${result.data.sources.length} sources`);
  if (opts.out && path.resolve(opts.out) !== path.resolve(from)) {
    io.out(`use it with: STACKPLAN_PRICEBOOK=${out} stackplan cost …`);
  }
  return 0;
}
