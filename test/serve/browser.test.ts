/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `stackplan serve` in a real browser: Debian's chromium driven by playwright-core (never a
 * downloaded browser), every request outside the served origin refused and counted. Loads the page
 * for each example; on a copy of gyva-shop: edits a value and sees the diagnostic, moves the
 * traffic and sees costs and chart change (to the figures plan's committed document gives at 10×),
 * switches tiers, writes the what-if into the editor and saves (comments kept), and checks the
 * Host/Origin protections from a browser. axe-core audits the page (0 serious violations) and the
 * keyboard reaches every control. Screenshots at desktop and phone widths go to test/output/serve/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, servePageSettled } from '../../scripts/chromium.mjs';
import { buildServeClient } from '../../scripts/serve-client.mjs';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { PlannerSession } from '../../src/serve/session.js';
import { EXAMPLE_DATE_EPOCH } from '../design/examples.js';

const OUT = path.join('test', 'output', 'serve');
const EXAMPLE_DATE = new Date(EXAMPLE_DATE_EPOCH * 1000).toISOString().slice(0, 10);
const ARGS = [
  ...CHROMIUM_ARGS,
  // evil.example resolves to this machine: the DNS-rebinding case, without any real DNS.
  '--host-resolver-rules=MAP evil.example 127.0.0.1',
];
const EXAMPLES = ['cloud-consulting', 'default-rate', 'gyva-shop', 'support-analytics'];

let browser: Browser;
let client: string;
let work: string;
const running: Array<{ srv: RunningServer; session: PlannerSession }> = [];

async function serveFile(file: string) {
  const session = new PlannerSession({ file, asOf: EXAMPLE_DATE });
  const srv = await startServer({ session, client });
  running.push({ srv, session });
  return { session, srv };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; scripts/test.sh does it)`,
    );
  }
  client = await buildServeClient(mkdtempSync(path.join(tmpdir(), 'stackplan-serve-client-')));
  work = mkdtempSync(path.join(tmpdir(), 'stackplan-serve-browser-'));
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const r of running) {
    await r.srv.close();
    r.session.close();
  }
  if (work) rmSync(work, { recursive: true, force: true });
  if (client) rmSync(client, { recursive: true, force: true });
});

async function open(url: string, width = 1280, height = 900) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 1,
    bypassCSP: false,
  });
  const page = await context.newPage();
  const refused: string[] = [];
  const errors: string[] = [];
  const origin = new URL(url).origin;
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(`${origin}/`) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    refused.push(u);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { context, page, refused, errors };
}

/** Waits until the page has planned and priced everything (no tier or chart pending). */
async function settled(page: Page) {
  await servePageSettled(page, { timeout: 120_000 });
}

const month13 = (page: Page): Promise<Record<string, string | null>> =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-month13]')].map((e) => [
        e.dataset.month13 ?? '',
        e.textContent,
      ]),
    ),
  );

describe('stackplan serve in chromium', () => {
  it.each(EXAMPLES)(
    '%s: the page loads, plans every tier and draws the chart, fetching nothing else',
    async (example) => {
      const { srv } = await serveFile(path.join('examples', example, 'stackplan.yaml'));
      const { context, page, refused, errors } = await open(srv.url);
      try {
        await settled(page);
        expect(await page.locator('.cm-content').textContent()).toContain('services');
        const prices = Object.values(await month13(page)).filter((v) => v?.startsWith('$'));
        expect(prices.length).toBeGreaterThanOrEqual(1);
        expect(await page.locator('[data-recommended]').textContent()).toMatch(/^(lean|ecs|eks)$/);
        expect(refused).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    180_000,
  );

  describe('on a copy of gyva-shop', () => {
    let manifest: string;
    let url: string;
    let original: string;

    beforeAll(async () => {
      manifest = path.join(work, 'shop', 'stackplan.yaml');
      mkdirSync(path.dirname(manifest), { recursive: true });
      copyFileSync('examples/gyva-shop/stackplan.yaml', manifest);
      original = readFileSync(manifest, 'utf8');
      url = (await serveFile(manifest)).srv.url;
    });

    it('answers "what at 10× traffic, and which tier" with plan\'s figures; edits show diagnostics; tiers switch; save keeps comments', async () => {
      const { context, page, refused, errors } = await open(url);
      try {
        await settled(page);
        const before = await month13(page);
        const chartBefore = await page.locator('#chart svg').innerHTML();
        await page.screenshot({ path: path.join(OUT, 'gyva-shop-desktop.png'), fullPage: false });

        // An edit that breaks a value: the editor marks the line, the list says file:line and fix.
        await page.locator('.cm-line', { hasText: /^\s*requestsPerMonth: 500000$/ }).click();
        await page.keyboard.press('End');
        await page.keyboard.type('x');
        await page.waitForSelector('.cm-lint-marker-error', { timeout: 30_000 });
        await expect
          .poll(() => page.locator('#diagnostics').textContent(), { timeout: 30_000 })
          .toMatch(/stackplan\.yaml:17:\d+.*traffic\.requestsPerMonth/s);
        expect(await page.locator('#status').textContent()).toMatch(/errors/);
        await page.keyboard.press('Backspace');
        await page.waitForSelector('.cm-lint-marker-error', { state: 'detached', timeout: 30_000 });
        await settled(page);

        // 10× the traffic: costs and the chart move, and say what `plan` says at 10×.
        await page.selectOption('#multiple', '10');
        await page.waitForFunction(() =>
          document.querySelector('#requests-value')?.textContent?.includes('5,000,000'),
        );
        await settled(page);
        const at10 = await month13(page);
        expect(at10).not.toEqual(before);
        const doc = readFileSync('examples/gyva-shop/DESIGN.md', 'utf8');
        const row = doc
          .split('\n')
          .find((l) => l.startsWith('| 10× |'))!
          .split('|')
          .map((c) => c.trim());
        expect(at10).toEqual({ lean: row[3], ecs: row[4], eks: row[5] });
        expect(await page.locator('[data-recommended]').textContent()).toBe(row[6]);
        const chartAt10 = await page.locator('#chart svg').innerHTML();
        expect(chartAt10).not.toEqual(chartBefore);
        expect(chartAt10).toContain('what-if 10×');

        // The GB-out slider, by keyboard: data transfer is priced per GB, so costs move again.
        await page.focus('#gbout');
        for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowRight');
        await settled(page);
        expect(await month13(page)).not.toEqual(at10);
        await page.selectOption('#multiple', '10');
        await settled(page);

        // Availability: lean cannot run multi-az, and says why.
        await page.selectOption('#availability', 'multi-az');
        await settled(page);
        expect(await page.locator('[data-tier-row="lean"]').textContent()).toMatch(/not eligible/);
        await page.selectOption('#availability', 'single-instance');
        await settled(page);

        // Switch tiers: the diagram and the cost table of each.
        await page.click('button[data-tier="ecs"]');
        await page.waitForSelector('#detail svg', { timeout: 60_000 });
        expect(await page.locator('#detail-title').textContent()).toBe('The ecs tier');
        expect(await page.locator('#detail table.cost tr.component').count()).toBeGreaterThan(2);
        expect(await page.locator('#detail table.cost').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
        expect(await page.locator('#detail [data-detail-month13]').textContent()).toBe(row[4]);
        await page.click('button[data-tier="lean"]');
        await page.waitForFunction(
          () => document.querySelector('#detail-title')?.textContent === 'The lean tier',
        );
        expect(await page.locator('#detail svg title').first().textContent()).toMatch(
          /lean tier architecture/,
        );
        expect(await page.locator('#detail .steps pre').first().textContent()).toMatch(/npx stackplan plan/);
        await page.screenshot({ path: path.join(OUT, 'gyva-shop-desktop-10x-lean.png'), fullPage: true });

        // Write the what-if into the editor and save: the file changes only then, comments kept.
        expect(readFileSync(manifest, 'utf8')).toBe(original);
        await page.click('#apply');
        await page.waitForFunction(() => !(document.getElementById('save') as HTMLButtonElement).disabled);
        expect(readFileSync(manifest, 'utf8')).toBe(original);
        await page.click('#save');
        await expect.poll(() => page.locator('#status').textContent()).toBe('Saved');
        const saved = readFileSync(manifest, 'utf8');
        expect(saved).toContain('requestsPerMonth: 5000000');
        expect(saved).toMatch(/\n {2}gbOutPerMonth: 300 +# original: "Data Transfer \.\.\. \$1-5"\n/);
        // Every comment kept, at its column.
        const commentLines = (s: string) =>
          s
            .split('\n')
            .filter((l) => l.includes('#'))
            .map((l) => `${l.indexOf('#')} ${l.slice(l.indexOf('#'))}`);
        expect(commentLines(saved)).toEqual(commentLines(original));
        expect(refused).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 300_000);

    it('completes keys and their values from the JSON Schema', async () => {
      const { context, page } = await open(url);
      try {
        await settled(page);
        await page.locator('.cm-content').click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type('\ntie');
        const option = page.locator('.cm-tooltip-autocomplete li', { hasText: /^tier$/ });
        await option.waitFor({ timeout: 10_000 });
        // Accepted with the mouse: Enter can race the popup on a loaded machine and insert a newline.
        await option.click();
        await page.locator('.cm-line', { hasText: /^tier: $/ }).waitFor({ timeout: 10_000 });
        await page.keyboard.press('Control+Space');
        const values = page.locator('.cm-tooltip-autocomplete li');
        await values.first().waitFor({ timeout: 10_000 });
        expect(await values.allTextContents()).toEqual(expect.arrayContaining(['lean', 'ecs', 'eks']));
        await page.keyboard.press('Escape');
      } finally {
        await context.close();
      }
    }, 60_000);

    it('refuses a save when the file changed on disk since the page loaded it', async () => {
      const { context, page } = await open(url);
      try {
        await settled(page);
        const { writeFileSync } = await import('node:fs');
        const onDisk = `${readFileSync(manifest, 'utf8')}# changed elsewhere\n`;
        writeFileSync(manifest, onDisk);
        await page.locator('.cm-content').click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type('# mine\n');
        await page.click('#save');
        await expect
          .poll(() => page.locator('#status').textContent())
          .toMatch(/Not saved: .*changed on disk/);
        expect(readFileSync(manifest, 'utf8')).toBe(onDisk);
      } finally {
        await context.close();
      }
    }, 120_000);

    it('another origin cannot read or write through the API; a rebound hostname gets nothing', async () => {
      // A page on another origin (another port of this machine) tries everything a browser allows.
      const evil: Server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!DOCTYPE html><title>evil</title><p>evil</p>');
      });
      await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
      const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        const before = readFileSync(manifest, 'utf8');
        await page.goto(evilUrl);
        const outcome = await page.evaluate(async (target) => {
          const results: string[] = [];
          try {
            const r = await fetch(`${target}api/manifest`);
            results.push(`read ${r.status} ${(await r.text()).slice(0, 20)}`);
          } catch {
            results.push('read blocked');
          }
          for (const type of ['text/plain', 'application/json']) {
            try {
              await fetch(`${target}api/save`, {
                method: 'POST',
                mode: 'no-cors',
                headers: { 'Content-Type': type },
                body: JSON.stringify({ text: 'name: pwned\n', hash: 'x' }),
              });
              results.push(`save sent ${type}`);
            } catch {
              results.push(`save blocked ${type}`);
            }
          }
          return results;
        }, url);
        expect(outcome[0]).toBe('read blocked');
        expect(readFileSync(manifest, 'utf8')).toBe(before);
        // DNS rebinding: evil.example resolves to 127.0.0.1, but the server answers only its own Host.
        const rebound = url.replace('127.0.0.1', 'evil.example');
        const res = await page.goto(rebound);
        expect(res?.status()).toBe(421);
        expect(await page.content()).not.toContain('services');
      } finally {
        await context.close();
        await new Promise<void>((r) => evil.close(() => r()));
      }
    }, 60_000);

    it('is accessible: axe-core finds no serious violation, every control is labelled and keyboard reachable', async () => {
      const { context, page } = await open(url);
      try {
        await settled(page);
        await page.click('button[data-tier="lean"]');
        await page.waitForSelector('#detail svg', { timeout: 60_000 });
        // axe-core evaluated in the page (the page's CSP allows no inline script; evaluate is not one).
        const axe = readFileSync(path.join('node_modules', 'axe-core', 'axe.min.js'), 'utf8');
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          const w = window as unknown as {
            axe: {
              run: (
                ctx: Document,
                o: object,
              ) => Promise<{
                violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
              }>;
            };
          };
          const r = await w.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
          }));
        });
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
        // Tab through the page: every control is reached.
        await page.focus('body');
        const reached = new Set<string>();
        for (let i = 0; i < 80; i++) {
          await page.keyboard.press('Tab');
          const id = await page.evaluate(() => {
            const a = document.activeElement as HTMLElement | null;
            return a?.id || a?.dataset.tier || a?.className || '';
          });
          reached.add(id);
        }
        // (Save is disabled, so not a tab stop, until the editor holds unsaved edits.)
        for (const id of [
          'download',
          'requests',
          'gbout',
          'multiple',
          'availability',
          'rpo',
          'region',
          'freetier',
          'profile',
          'reset',
          'apply',
          'lean',
          'ecs',
          'eks',
        ])
          expect([...reached], id).toContain(id);
        expect([...reached].some((c) => c.includes('cm-content'))).toBe(true);
      } finally {
        await context.close();
      }
    }, 120_000);

    it('fits a phone: no page-wide sideways scroll, controls usable', async () => {
      const { context, page } = await open(url, 390, 844);
      try {
        await settled(page);
        await page.click('button[data-tier="lean"]');
        await page.waitForSelector('#detail svg', { timeout: 60_000 });
        const m = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
        await page.screenshot({ path: path.join(OUT, 'gyva-shop-phone.png'), fullPage: true });
      } finally {
        await context.close();
      }
    }, 120_000);
  });
});
