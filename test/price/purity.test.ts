/**
 * The cost engine is pure (issue 9): the price book and the date are inputs, and nothing the
 * engine loads reads a file, the clock or the environment. Checked on the source of every module
 * the engine reaches through value imports, so a new pricer that reaches for `fs` fails here.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplate } from '../../src/price/engine.js';

const SRC = path.join(import.meta.dirname, '..', '..', 'src');

/** Every module reachable from `entry` through value (not `import type`) imports. */
function valueImports(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)) {
      if (m[1]) continue;
      const spec = m[2]!;
      if (!spec.startsWith('.')) {
        seen.set(spec, '');
        continue;
      }
      visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(entry);
  return seen;
}

describe('engine purity', () => {
  const modules = valueImports(path.join(SRC, 'price', 'engine.ts'));

  it('loads no Node module and not the price-book loader', () => {
    const names = [...modules.keys()].map((f) => (f.startsWith('/') ? path.relative(SRC, f) : f));
    expect(names.filter((n) => n.startsWith('node:') || n === 'price/book/index.ts')).toEqual([]);
    expect(names).toContain('price/resources/index.ts');
  });

  it('reads neither the clock nor the environment', () => {
    for (const [file, text] of modules) {
      expect(/new Date\(|Date\.now\(|process\./.test(text), path.relative(SRC, file)).toBe(false);
    }
  });

  it('requires the book and the date', () => {
    const t = { Resources: { Ip: { Type: 'AWS::EC2::EIP' } } };
    const book = loadPriceBook();
    expect(() => priceTemplate(t, { book, asOf: 'today' })).toThrow(/not a YYYY-MM-DD date/);
    const r = priceTemplate(t, { book, asOf: '2026-11-22', freeTier: 'none' });
    expect(r.asOf).toBe('2026-11-22');
  });
});
