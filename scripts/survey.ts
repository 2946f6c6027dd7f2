/**
 * npm run survey [-- DIR] [--profile small|medium|large] [--as-of YYYY-MM-DD]: prices every
 * CloudFormation/SAM template under DIR (default: the corpus of public templates in
 * test/fixtures/real-templates) and prints per type how many are priced, free, not priced or
 * cannot be priced, and per template its total and unpriced lines (src/price/survey.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import { loadPriceBook } from '../src/price/book/index.js';
import { priceTemplates } from '../src/price/engine.js';
import { readTemplates } from '../src/price/input.js';
import { renderSurvey, type SurveyTemplate, survey } from '../src/price/survey.js';
import type { ProfileName } from '../src/price/usage.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Template files under `dir`: .yaml, .yml, .json and .template, skipping usage files and licences. */
export function templateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json|template)$/.test(name) && !name.endsWith('.usage.yaml')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export async function surveyDir(
  dir: string,
  opts: { profile?: ProfileName; asOf: string },
): Promise<SurveyTemplate[]> {
  const book = loadPriceBook();
  const items: SurveyTemplate[] = [];
  for (const file of templateFiles(dir)) {
    const rel = path.relative(dir, file);
    try {
      const inputs = await readTemplates(file);
      for (const i of inputs) i.file = rel;
      const report = priceTemplates(inputs, {
        book,
        asOf: opts.asOf,
        freeTier: 'none',
        ...(opts.profile && { usage: { profile: opts.profile } }),
      });
      items.push({ file: rel, report });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      items.push({ file: rel, error: e.message });
    }
  }
  return items;
}

async function main(): Promise<void> {
  const positional = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const dir = path.resolve(positional[0] ?? path.join(ROOT, 'test', 'fixtures', 'real-templates'));
  const profile = arg('--profile') as ProfileName | undefined;
  const asOf = arg('--as-of') ?? new Date().toISOString().slice(0, 10);
  const s = survey(await surveyDir(dir, { asOf, ...(profile && { profile }) }));
  process.stdout.write(
    renderSurvey(
      s,
      `stackplan survey of ${path.relative(process.cwd(), dir) || '.'}, priced on ${asOf}, usage: ${profile ? `profile ${profile}` : 'none'}`,
    ),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
