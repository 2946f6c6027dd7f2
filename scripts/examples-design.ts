#!/usr/bin/env -S npx tsx
/**
 * npm run examples:design [-- EXAMPLE...]: runs `stackplan plan` on each example (on a fixed date,
 * SOURCE_DATE_EPOCH, so the document is byte-reproducible) and copies its DESIGN.md and the SVG
 * figures it references into examples/<name>/ (DESIGN.md, design/*.svg), so a visitor reads a
 * real design before installing anything. test/design/examples.test.ts fails when they drift.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_DATE_EPOCH, exampleDesignFiles, exampleNames } from '../test/design/examples.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
process.env.SOURCE_DATE_EPOCH = String(EXAMPLE_DATE_EPOCH);
const wanted = process.argv.slice(2);
const all = exampleNames();
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`examples:design: unknown example(s): ${unknown.join(', ')} (known: ${all.join(', ')})`);
  process.exit(1);
}
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-examples-'));
try {
  for (const example of wanted.length ? wanted : all) {
    const t0 = performance.now();
    const files = await exampleDesignFiles(example, path.join(work, example));
    const dir = path.join('examples', example);
    rmSync(path.join(dir, 'design'), { recursive: true, force: true });
    mkdirSync(path.join(dir, 'design'), { recursive: true });
    for (const [rel, content] of files) writeFileSync(path.join(dir, rel), content);
    const figures = readdirSync(path.join(dir, 'design')).length;
    console.log(
      `${example.padEnd(20)} DESIGN.md + ${figures} figures  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
