/**
 * The examples' design documents as `plan` writes them, on a fixed date: shared by the drift test
 * and `npm run examples:design` (scripts/examples-design.ts), so both produce the same bytes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { plan } from '../../src/cli/commands/plan.js';
import { memoryIo } from '../../src/cli/io.js';

/** 2026-12-01T00:00:00Z: the date the committed example documents are priced on. */
export const EXAMPLE_DATE_EPOCH = 1796083200;

export function exampleNames(): string[] {
  return readdirSync('examples')
    .filter((e) => existsSync(path.join('examples', e, 'stackplan.yaml')))
    .sort();
}

export interface ExampleRun {
  out: string;
  /** What plan printed on stdout. */
  stdout: string;
}

/** `stackplan plan examples/<name>/stackplan.yaml --out OUT` in process, on the examples' date. */
export async function planExampleTo(
  example: string,
  out: string,
  extra: { verbose?: boolean } = {},
): Promise<ExampleRun> {
  const before = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = String(EXAMPLE_DATE_EPOCH);
  try {
    const io = memoryIo();
    const code = await plan({ file: path.join('examples', example, 'stackplan.yaml'), out, ...extra }, io);
    if (code !== 0) throw new Error(`plan ${example} exited ${code}: ${io.stderr.join('')}`);
    return { out, stdout: io.stdout.join('') };
  } finally {
    if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = before;
  }
}

/** The files committed under examples/<name>/: DESIGN.md and the figures it references. */
export function committedDesignFiles(dir: string): Map<string, string> {
  const md = readFileSync(path.join(dir, 'DESIGN.md'), 'utf8');
  const files = new Map([['DESIGN.md', md]]);
  for (const m of md.matchAll(/\]\((design\/[^)\s]+\.svg)\)/g)) {
    files.set(m[1]!, readFileSync(path.join(dir, m[1]!), 'utf8'));
  }
  return files;
}

export async function exampleDesignFiles(example: string, out: string): Promise<Map<string, string>> {
  await planExampleTo(example, out);
  return committedDesignFiles(out);
}
