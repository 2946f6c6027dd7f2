/**
 * One cost model: every price planning quotes comes from the price book. Changing one price in the
 * book changes the sentence that quotes it, and no price is written anywhere outside the book.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecsPlanOf } from '../../src/model/ecs.js';
import { leanPlanOf } from '../../src/model/lean.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { loadManifest } from '../../src/plan/load.js';
import { loadPriceBook, PriceBook } from '../../src/price/book/index.js';
import { priceQuotes, RegionPrices, usd } from '../../src/price/estimates.js';

const book = loadPriceBook();

/** The real book with one us-east-1 price replaced. */
function bookWith(service: string, item: string, usdValue: number): PriceBook {
  const data = book.toData();
  const record = data.prices.find(
    (p) => p.region === 'us-east-1' && p.service === service && p.item === item,
  );
  if (!record) throw new Error(`no ${service} ${item} in the book`);
  record.usd = usdValue;
  return PriceBook.fromData(data);
}

function plan(example: string, catalog: PriceBook): Plan {
  const r = loadManifest(path.join('examples', example));
  if (!r.ok) throw new Error(`examples/${example} is invalid`);
  return planApp(r.manifest, { catalog, manifestDir: r.dir });
}

/** Every sentence an ecs plan shows: decisions and the cheaper designs. */
function ecsText(p: Plan): string {
  const ecs = ecsPlanOf(p)!;
  return JSON.stringify([ecs.decisions, ecs.savings, ecs.services.map((s) => s.archWhy)]);
}

describe("a price changed in the book changes plan's text", () => {
  const cases: Array<[string, string, string, number, (p: Plan) => string, string]> = [
    // example, service, item, new price, what to read, the text the new price gives
    ['default-rate/stackplan.yaml', 'vpc', 'nat_gateway_gb_processed', 0.052, ecsText, '$0.052 per GB'],
    // (0.0042 + 0.005) × 730 + 8 × 0.08 for the NAT instance, minus (0.05 + 0.005) × 730
    ['default-rate/stackplan.yaml', 'vpc', 'nat_gateway_hour', 0.05, ecsText, '"monthlyUsd":-32.79'],
    [
      'support-analytics/stackplan.yaml',
      'fargate',
      'linux_arm_vcpu_hour',
      0.02024,
      ecsText,
      'about 50% less',
    ],
    [
      'default-rate/stackplan.yaml',
      'cloudwatch',
      'logs_stored_gb_month',
      0.05,
      ecsText,
      'each GB kept costs $0.05 a month',
    ],
    [
      'default-rate/stackplan.yaml',
      'elasticache',
      'node:cache.t4g.micro:redis',
      0.032,
      ecsText,
      'at 60% less per node',
    ],
    [
      'cloud-consulting/stackplan.yaml',
      'kms',
      'key_month',
      1.5,
      (p) => JSON.stringify(leanPlanOf(p)!.quotes),
      '"kmsKeyMonthly":1.5',
    ],
  ];
  it.each(cases)('%s: %s %s', (example, service, item, price, read, expected) => {
    const before = read(plan(example, book));
    const after = read(plan(example, bookWith(service, item, price)));
    expect(before).not.toContain(expected);
    expect(after).toContain(expected);
  });

  it('quotes what acknowledgement reasons cite from the book', () => {
    const q = priceQuotes(new RegionPrices(book, 'us-east-1'));
    const unit = (s: string, i: string) => book.price('us-east-1', s, i)!.usd;
    expect(q.kmsKeyMonthly).toBe(unit('kms', 'key_month'));
    expect(q.detailedMonitoringMonthly).toBeCloseTo(7 * unit('cloudwatch', 'custom_metric_month'), 6);
    expect(q.wafMonthly).toBeCloseTo(unit('waf', 'web_acl_month') + 2 * unit('waf', 'rule_month'), 6);
    expect(q.wafPerMillion).toBe(unit('waf', 'requests_per_million'));
    expect(priceQuotes(new RegionPrices(book, 'xx-nowhere-1'))).toEqual({});
  });

  it('formats money for text', () => {
    expect([usd(1), usd(2.1), usd(0.045), usd(0.0042), usd(12.345), usd(0.6), usd(0.03)]).toEqual([
      '$1',
      '$2.10',
      '$0.045',
      '$0.0042',
      '$12.35',
      '$0.60',
      '$0.03',
    ]);
  });
});

/** Source files under dir, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The code of a file without its comments (a `//` inside a string ends the scan of that line). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

describe('no price literal outside the price book', () => {
  const PATTERNS: Array<[string, RegExp]> = [
    ['a dollar amount', /\$\d+(?:\.\d+)?(?:\/(?:month|h\b|hour|GB)| per | a month| an hour)/],
    ['a discount in percent', /\b\d+% (?:less|off|cheaper|more)\b/],
    ['a fallback price', /\?\?\s*0\.\d+/],
  ];
  const files = sources('src').filter((f) => !f.startsWith(`src${path.sep}price${path.sep}`));

  it('scans the source tree', () => {
    expect(files.length).toBeGreaterThan(80);
  });

  it.each(PATTERNS)('no %s in src/ outside src/price', (_what, pattern) => {
    const hits = files.flatMap((f) =>
      code(readFileSync(f, 'utf8'))
        .split('\n')
        .map((line, i) => [f, i + 1, line] as const)
        .filter(([, , line]) => pattern.test(line))
        .map(([file, n, line]) => `${file}:${n}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it('catches one when there is one', () => {
    expect(PATTERNS.some(([, p]) => p.test("why: 'a KMS key would add $1/month'"))).toBe(true);
    expect(PATTERNS.some(([, p]) => p.test('Graviton costs about 20% less'))).toBe(true);
  });
});
