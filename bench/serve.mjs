#!/usr/bin/env node
// npm run bench (or node bench/serve.mjs): `stackplan serve` in headless chromium (Debian's
// /usr/bin/chromium, driven by playwright-core), on examples/gyva-shop, median of 5 fresh server
// processes each:
//   - first paint: from starting `stackplan serve` (the built CLI, a whole process) to the page's
//     first contentful paint, and to the editor holding the manifest (marked by the page), and to
//     the first costs;
//   - what-if updates once the page has settled: a pricing-only change (free-tier regime), a
//     traffic change whose plans are cached (10× after the sweep), an availability change (synthesizes
//     the tiers whose plan changes, the first time), each until the tiers and costs show it;
//   - a tier's diagram and full cost table after a click.
// Goals from issue 16: first paint < 1 s, tiers and costs < 300 ms, diagram and table < 2 s.
// Figures are printed, never asserted. Traffic goes to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { bin, median, RUNS, root } from '../scripts/bench-lib.mjs';
import { CHROMIUM, CHROMIUM_ARGS, servePageSettled } from '../scripts/chromium.mjs';

if (!existsSync(path.join(root, 'dist', 'serve', 'client', 'app.js'))) {
  console.error('bench/serve.mjs: run `npm run build` first');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.log('bench/serve.mjs: skipped (no /usr/bin/chromium; apt-get install chromium)');
  process.exit(0);
}

function startServe() {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', 'examples/gyva-shop/stackplan.yaml'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve({ child, url: m[0], t0, listening: performance.now() - t0 });
    });
    child.on('exit', (code) => reject(new Error(`stackplan serve exited with ${code}`)));
  });
}

const settled = (page) => servePageSettled(page, { polling: 5 });

/** Milliseconds from a change until the tiers show new costs, and until the chart is redrawn too. */
async function timeChange(page, change) {
  const before = await page.locator('#tiers').innerHTML();
  const t = performance.now();
  await change();
  await page.waitForFunction(
    (b) => {
      const tiers = document.querySelector('#tiers');
      return tiers.innerHTML !== b && !tiers.querySelector('.pending');
    },
    before,
    { timeout: 180_000, polling: 5 },
  );
  const tiers = performance.now() - t;
  await settled(page);
  return { tiers, all: performance.now() - t };
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
});
const rows = {
  listening: [],
  paint: [],
  paintListening: [],
  fcpNav: [],
  scriptNav: [],
  editorNav: [],
  usableListening: [],
  usable: [],
  costs: [],
  freeTier: [],
  freeTierAll: [],
  traffic10All: [],
  availabilityAll: [],
  traffic10: [],
  availability: [],
  detail: [],
};
try {
  for (let i = 0; i < RUNS; i++) {
    const { child, url, t0, listening } = await startServe();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.route('**/*', (r) => (r.request().url().startsWith(url) ? r.continue() : r.abort()));
      await page.goto(url);
      const fcp = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      );
      const navStart = await page.evaluate(() => performance.timeOrigin);
      rows.listening.push(listening);
      // The page's clock starts at navigation; the server's at spawn: join them on the wall clock.
      rows.paint.push(navStart + fcp - (performance.timeOrigin + t0));
      rows.paintListening.push(navStart + fcp - (performance.timeOrigin + t0 + listening));
      await page.waitForSelector('.cm-content', { timeout: 60_000 });
      const marks = await page.evaluate(() => ({
        script: performance.getEntriesByName('stackplan:script')[0]?.startTime ?? Number.NaN,
        editor: performance.getEntriesByName('stackplan:editor')[0]?.startTime ?? Number.NaN,
      }));
      // The editor exists (the page marks it) — on the same wall clock as the spawn.
      rows.usable.push(navStart + marks.editor - (performance.timeOrigin + t0));
      rows.usableListening.push(navStart + marks.editor - (performance.timeOrigin + t0 + listening));
      rows.scriptNav.push(marks.script);
      rows.editorNav.push(marks.editor);
      rows.fcpNav.push(fcp);
      await page.waitForFunction(
        () => /\$/.test(document.querySelector('[data-month13]')?.textContent ?? ''),
        undefined,
        {
          timeout: 180_000,
          polling: 5,
        },
      );
      rows.costs.push(performance.now() - t0);
      await settled(page);
      for (const [name, change] of [
        ['freeTier', () => page.selectOption('#freetier', 'legacy')],
        ['traffic10', () => page.selectOption('#multiple', '10')],
        ['availability', () => page.selectOption('#availability', 'multi-az')],
      ]) {
        const r = await timeChange(page, change);
        rows[name].push(r.tiers);
        rows[`${name}All`].push(r.all);
      }
      const t = performance.now();
      await page.click('button[data-tier="ecs"]');
      await page.waitForSelector('#detail svg', { timeout: 60_000 });
      rows.detail.push(performance.now() - t);
      await context.close();
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  }
} finally {
  await browser.close();
}

const line = (label, xs, goal) => {
  const m = median(xs);
  const verdict = goal === undefined ? '' : m < goal ? `ok (goal < ${goal} ms)` : `OVER GOAL (< ${goal} ms)`;
  console.log(
    `  ${label.padEnd(44)} ${m.toFixed(0).padStart(6)} ms  ${verdict}  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`,
  );
};
console.log(
  `stackplan serve examples/gyva-shop, headless chromium, median of ${RUNS} server processes (load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
);
line('server listening (from spawn)', rows.listening);
line('first contentful paint (from spawn)', rows.paint, 1000);
line('first contentful paint (from listening)', rows.paintListening, 1000);
line('  in the page: first paint after navigation', rows.fcpNav);
line('  in the page: script running after navigation', rows.scriptNav);
line('  in the page: editor created after navigation', rows.editorNav);
line('editor ready (from spawn)', rows.usable, 1000);
line('editor ready (from listening)', rows.usableListening, 1000);
line('first costs on the page (from spawn)', rows.costs);
line('what-if: free-tier regime → tiers and costs', rows.freeTier, 300);
line('  … and the chart redrawn', rows.freeTierAll);
line('what-if: traffic 10× → tiers and costs', rows.traffic10, 300);
line('  … and the chart redrawn', rows.traffic10All);
line('what-if: multi-az (synthesizes) → tiers and costs', rows.availability, 2000);
line('  … and the chart redrawn', rows.availabilityAll);
line('tier click → diagram and full cost table', rows.detail, 2000);
