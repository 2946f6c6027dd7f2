#!/usr/bin/env -S npx tsx
/**
 * npm run design:preview [-- EXAMPLE...]: renders what the design renderers make of each example —
 * an architecture diagram per tier, the cost charts, and a sample design document (HTML, and
 * Markdown with its SVG figures) — into out/design-preview/<example>/ (git-ignored), so a person
 * can look at them before the document is wired into `plan`. Uses the same inputs as the tests
 * (test/design/sample-document.ts): each tier synthesized as `plan` does, priced with the price book.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { figuresOf, renderHtml, renderMarkdown } from '../src/design/index.js';
import type { TierName } from '../src/manifest/schema.js';
import { sampleDesignDocument } from '../test/design/sample-document.js';
import { planExample } from '../test/helpers/assembly.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const wanted = process.argv.slice(2);
const examples = readdirSync('examples')
  .filter((e) => existsSync(path.join('examples', e, 'stackplan.yaml')))
  .filter((e) => wanted.length === 0 || wanted.includes(e))
  .sort();
if (wanted.length && examples.length !== wanted.length) {
  console.error(
    `design-preview: unknown example(s): ${wanted.filter((w) => !examples.includes(w)).join(', ')}`,
  );
  process.exit(1);
}
const outRoot = path.join('out', 'design-preview');
for (const example of examples) {
  const t0 = performance.now();
  const plan = planExample(`${example}/stackplan.yaml`);
  const tiers = Object.keys(plan.tiers) as TierName[];
  const doc = await sampleDesignDocument(example, tiers);
  const dir = path.join(outRoot, example);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'design'), { recursive: true });
  writeFileSync(path.join(dir, 'design.html'), renderHtml(doc));
  writeFileSync(path.join(dir, 'DESIGN.md'), renderMarkdown(doc));
  for (const f of figuresOf(doc)) writeFileSync(path.join(dir, f.file), f.svg);
  console.log(
    `${example.padEnd(20)} ${tiers.join(', ').padEnd(10)} ${((performance.now() - t0) / 1000).toFixed(1)} s  → ${dir}/design.html`,
  );
}
