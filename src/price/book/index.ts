/**
 * The price book at run time: `loadPriceBook()` reads pricebook/pricebook.json (relative to the
 * package root, so it works from src/ under vitest and from dist/) once per process and answers
 * price, spec and candidate queries. It parses only the service × region blocks a caller asks for
 * (see the layout in serialize.ts), which keeps `stackplan cost` well under its time budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockOffsets, decodePriceBook, encodePriceBook, PRICES_MARKER } from './serialize.js';
import type { InstanceSpec, Price, PriceBookData, PriceBookFile, PriceSource, PriceTuple } from './types.js';

export type * from './types.js';

export type SpecKind = 'ec2' | 'rds' | 'elasticache' | 'opensearch';

/** An EC2 type the planner can choose: a spec and a Linux on-demand price in the region. */
export interface Ec2Candidate {
  type: string;
  vcpu: number;
  memoryMiB: number;
  arch: 'x86_64' | 'arm64';
  /** Burstable types: baseline share of each vCPU (0.1 = 10%). */
  baselinePerVcpu?: number;
  hourlyUsd: number;
}

/**
 * The committed price book of this package: `pricebook/pricebook.json` in the first directory up
 * from this module that has one (src/price/book under vitest, dist/price/book, or the bundle in
 * dist/bundle).
 */
export const DEFAULT_PRICEBOOK_PATH = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'pricebook', 'pricebook.json');
    if (existsSync(file)) return file;
    dir = path.dirname(dir);
  }
  return fileURLToPath(new URL('../../../pricebook/pricebook.json', import.meta.url));
})();

/** Where `loadPriceBook()` reads from: $STACKPLAN_PRICEBOOK when set, else the package's own. */
export function priceBookPath(): string {
  return process.env.STACKPLAN_PRICEBOOK || DEFAULT_PRICEBOOK_PATH;
}

type Header = Omit<PriceBookFile, 'prices'>;
type Block = Record<string, PriceTuple>;

export class PriceBook {
  private readonly header: Header;
  private readonly sourceById: Map<string, PriceSource>;
  /** Unparsed file text, when blocks are parsed on demand. */
  private readonly text: string | undefined;
  /** Fully parsed prices (books built from data, or files not in the serializer's layout). */
  private readonly parsed: PriceBookFile['prices'] | undefined;
  private readonly blocks = new Map<string, Block | null>();
  /** Where each block is in `text`, from the header's block lengths (absent in older books). */
  private offsets: Map<string, [number, number]> | undefined;
  private readonly pricesAt: number = -1;
  private readonly blockLengths: Record<string, Record<string, number>> | undefined;
  private readonly specIndex = new Map<string, Map<string, InstanceSpec>>();
  private readonly candidates = new Map<string, Ec2Candidate[]>();

  private constructor(
    header: Header,
    text: string | undefined,
    parsed: PriceBookFile['prices'] | undefined,
    pricesAt = -1,
  ) {
    this.header = header;
    this.text = text;
    this.parsed = parsed;
    this.pricesAt = pricesAt;
    this.blockLengths = (header as { blocks?: Record<string, Record<string, number>> }).blocks;
    this.sourceById = new Map(header.sources.map((s) => [s.id, s]));
  }

  /** From the text of a pricebook.json (as written by serializePriceBook, or any valid encoding). */
  static fromText(text: string): PriceBook {
    const at = text.indexOf(PRICES_MARKER);
    if (at >= 0 && text.endsWith('\n}\n}\n')) {
      const header = JSON.parse(`${text.slice(0, at)}\n"prices":{}}`) as Header;
      checkHeader(header);
      return new PriceBook(header, text, undefined, at);
    }
    const file = JSON.parse(text) as PriceBookFile;
    checkHeader(file);
    return new PriceBook(file, undefined, file.prices);
  }

  static fromData(data: PriceBookData): PriceBook {
    const file = encodePriceBook(data);
    return new PriceBook(file, undefined, file.prices);
  }

  get sources(): readonly PriceSource[] {
    return this.header.sources;
  }

  source(id: string): PriceSource | undefined {
    return this.sourceById.get(id);
  }

  get rules(): Readonly<Record<string, unknown>> {
    return this.header.rules;
  }

  rule<T>(key: string): T | undefined {
    return this.header.rules[key] as T | undefined;
  }

  /** The price of `item` in `service` and `region`, or undefined: never another region's. */
  price(region: string, service: string, item: string): Price | undefined {
    const t = this.block(service, region)?.[item];
    if (!t) return undefined;
    const src = this.header.sources[t[2]]!;
    const p: Price = {
      region,
      service,
      item,
      unit: this.header.units[t[1]]!,
      usd: t[0],
      provenance: src.provenance,
      source: src.source,
      asOf: src.asOf,
    };
    if (src.url) p.url = src.url;
    if (t[3] !== undefined) p.note = t[3];
    return p;
  }

  /**
   * The USD figure of a price and its source, without building a Price (the engine asks for
   * thousands): undefined when the book has no price there.
   */
  usdAndSource(
    region: string,
    service: string,
    item: string,
  ): [usd: number, source: PriceSource] | undefined {
    const t = this.block(service, region)?.[item];
    return t ? [t[0], this.header.sources[t[2]]!] : undefined;
  }

  /** Id of the source of a price (reports cite sources by id). */
  sourceOf(region: string, service: string, item: string): PriceSource | undefined {
    const t = this.block(service, region)?.[item];
    return t ? this.header.sources[t[2]] : undefined;
  }

  /** Every item priced for a service in a region (e.g. the Bedrock models of us-east-1). */
  items(region: string, service: string): string[] {
    return Object.keys(this.block(service, region) ?? {});
  }

  spec(kind: SpecKind, type: string): InstanceSpec | undefined {
    let index = this.specIndex.get(kind);
    if (!index) {
      index = new Map(this.header.specs[kind].map((s) => [s.type, s]));
      this.specIndex.set(kind, index);
    }
    return index.get(type);
  }

  specs(kind: SpecKind): readonly InstanceSpec[] {
    return this.header.specs[kind];
  }

  /** EC2 types with both a spec and a Linux on-demand price in `region`, cheapest first. */
  ec2Candidates(region: string): Ec2Candidate[] {
    const cached = this.candidates.get(region);
    if (cached) return cached.map((c) => ({ ...c }));
    const block = this.block('ec2', region);
    const out: Ec2Candidate[] = [];
    for (const s of this.header.specs.ec2) {
      const t = block?.[`instance:${s.type}`];
      if (!t) continue;
      const c: Ec2Candidate = {
        type: s.type,
        vcpu: s.vcpu,
        memoryMiB: Math.round(s.memoryGiB * 1024),
        arch: s.arch,
        hourlyUsd: t[0],
      };
      if (s.baselinePerVcpu !== undefined) c.baselinePerVcpu = s.baselinePerVcpu;
      out.push(c);
    }
    out.sort((a, b) => a.hourlyUsd - b.hourlyUsd || (a.type < b.type ? -1 : 1));
    this.candidates.set(region, out);
    return out.map((c) => ({ ...c }));
  }

  /** Regions with at least one price for `service`. */
  regions(service: string): string[] {
    if (this.parsed) return Object.keys(this.parsed[service] ?? {}).sort();
    if (this.blockLengths) return Object.keys(this.blockLengths[service] ?? {});
    const text = this.text!;
    const start = text.indexOf(`\n${JSON.stringify(service)}:{\n`);
    if (start < 0) return [];
    const end = text.indexOf('\n}', start + 1);
    const out: string[] = [];
    const re = /\n "([^"]+)":\{/g;
    re.lastIndex = start;
    for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) out.push(m[1]!);
    return out;
  }

  /** The whole book in its logical form (decodes every block: for tools, not hot paths). */
  toData(): PriceBookData {
    const prices: PriceBookFile['prices'] = this.parsed ?? (JSON.parse(this.text!) as PriceBookFile).prices;
    return decodePriceBook({ ...this.header, prices });
  }

  private block(service: string, region: string): Block | undefined {
    const key = `${service}\u0000${region}`;
    const hit = this.blocks.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let block: Block | null = null;
    if (this.parsed) block = this.parsed[service]?.[region] ?? null;
    else if (this.blockLengths) {
      this.offsets ??= blockOffsets(this.blockLengths, this.pricesAt);
      const at = this.offsets.get(key);
      if (at) {
        const text = this.text!;
        const open = text.indexOf('{', at[0]);
        if (!text.startsWith(` ${JSON.stringify(region)}:{`, at[0]) || open > at[1])
          throw new Error(`price book: the block index does not match the file at ${service}/${region}`);
        block = JSON.parse(`${text.slice(open, at[1] - 2)}}`) as Block;
      }
    } else {
      const text = this.text!;
      const s = text.indexOf(`\n${JSON.stringify(service)}:{\n`);
      if (s >= 0) {
        const serviceEnd = text.indexOf('\n}', s + 1);
        const r = text.indexOf(`\n ${JSON.stringify(region)}:{`, s);
        if (r >= 0 && r < serviceEnd) {
          const open = text.indexOf('{', r);
          const close = text.indexOf('\n }', open);
          block = JSON.parse(`${text.slice(open, close)}}`) as Block;
        }
      }
    }
    this.blocks.set(key, block);
    return block ?? undefined;
  }
}

function checkHeader(h: Partial<Header>): void {
  if (h.schemaVersion !== 1 || h.encoding !== 'indexed-1' || !Array.isArray(h.sources) || !h.specs) {
    throw new Error('not a stackplan price book (expected schemaVersion 1, encoding indexed-1)');
  }
}

const cache = new Map<string, PriceBook>();

/**
 * The price book, read once per process and path. The file is ASCII (serializePriceBook escapes
 * everything else), so latin1 decoding is exact and much faster than utf8.
 */
export function loadPriceBook(file: string = priceBookPath()): PriceBook {
  let book = cache.get(file);
  if (!book) {
    book = PriceBook.fromText(readFileSync(file, 'latin1'));
    cache.set(file, book);
  }
  return book;
}

/** Forgets loaded books (tests, and `prices refresh` after writing a new one). */
export function clearPriceBookCache(): void {
  cache.clear();
}
