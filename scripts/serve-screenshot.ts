#!/usr/bin/env -S npx tsx
/**
 * npm run serve:screenshot: the README's picture of `stackplan serve` — examples/gyva-shop at 10× its
 * traffic, in Debian's chromium (playwright-core), written to docs/serve.png. The page only reads
 * the example (nothing is saved); prices as of the examples' fixed date, like their documents.
 */
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { EXAMPLE_DATE_EPOCH } from '../test/design/examples.js';
import { CHROMIUM, CHROMIUM_ARGS, servePageSettled } from './chromium.mjs';
import { buildServeClient } from './serve-client.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const { PlannerSession } = await import('../src/serve/session.js');
const { startServer } = await import('../src/serve/server.js');
const client = await buildServeClient();
const session = new PlannerSession({
  file: 'examples/gyva-shop/stackplan.yaml',
  asOf: new Date(EXAMPLE_DATE_EPOCH * 1000).toISOString().slice(0, 10),
});
const srv = await startServer({ session, client });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  await page.route('**/*', (r) => (r.request().url().startsWith(srv.url) ? r.continue() : r.abort()));
  await page.goto(srv.url);
  const settled = () => servePageSettled(page);
  await settled();
  await page.selectOption('#multiple', '10');
  await settled();
  await page.locator('#requests').blur();
  const file = path.join('docs', 'serve.png');
  await page.screenshot({ path: file });
  console.log(`${file} written`);
} finally {
  await browser.close();
  await srv.close();
  session.close();
}
