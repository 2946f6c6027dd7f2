/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML design document in a real browser: Debian's chromium driven by playwright-core (never
 * a downloaded browser), at a desktop and a phone width, with every network request refused and
 * counted. Screenshots, the HTML and the Markdown with its figures are written to
 * test/output/design/ (git-ignored) for a person to look at. The document is the one `plan` writes
 * for examples/cloud-consulting.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS as ARGS, CHROMIUM } from '../../scripts/chromium.mjs';
import { planExampleTo } from './examples.js';

const OUT = path.join('test', 'output', 'design');

let browser: Browser;
let htmlFile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; scripts/test.sh does it)`,
    );
  }
  // The document `stackplan plan` writes for an example with two tiers.
  const work = mkdtempSync(path.join(tmpdir(), 'stackplan-shots-'));
  try {
    await planExampleTo('cloud-consulting', work);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const f of ['design.html', 'DESIGN.md', 'design'])
      cpSync(path.join(work, f), path.join(OUT, f), { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  htmlFile = path.resolve(OUT, 'design.html');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

async function open(width: number, height: number) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requested: string[] = [];
  const self = pathToFileURL(htmlFile).href;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === self) return route.continue();
    requested.push(url);
    return route.abort();
  });
  await page.goto(self);
  return { context, page, requested };
}

describe('design.html in chromium', () => {
  it('at desktop width: nothing fetched, no page-wide sideways scroll, diagrams drawn at a legible scale', async () => {
    const { context, page, requested } = await open(1280, 900);
    try {
      expect(requested).toEqual([]);
      const m = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        // Rendered px per SVG user unit, per figure.
        scales: [...document.querySelectorAll('figure svg')].map((svg) => {
          const s = svg as SVGSVGElement;
          return s.getBoundingClientRect().width / s.viewBox.baseVal.width;
        }),
        figures: document.querySelectorAll('figure').length,
      }));
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      // Every figure the Markdown numbers is drawn (the architecture of each tier, the cost charts).
      const numbered = readFileSync(path.join(OUT, 'DESIGN.md'), 'utf8').match(/^\*Figure \d+:/gm) ?? [];
      expect(numbered.length).toBeGreaterThanOrEqual(4);
      expect(m.figures).toBe(numbered.length);
      // Labels are 11-13 px in the drawing: at 0.8 or more they stay at least ~9 px on screen.
      for (const s of m.scales) expect(s).toBeGreaterThanOrEqual(0.79);
      await page.screenshot({ path: path.join(OUT, 'desktop.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: path.join(OUT, 'design.pdf'), format: 'A4', printBackground: true });
    } finally {
      await context.close();
    }
  });

  it('at phone width: text at a readable size, wide diagrams and tables scroll inside their frames', async () => {
    const { context, page, requested } = await open(390, 844);
    try {
      expect(requested).toEqual([]);
      const m = await page.evaluate(() => {
        const frames = [...document.querySelectorAll('.figure-scroll, .table-wrap')] as HTMLElement[];
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          bodyFont: Number.parseFloat(getComputedStyle(document.body).fontSize),
          // A frame wider inside than out scrolls; it never makes the page wider.
          framesWithin: frames.every((f) => f.getBoundingClientRect().right <= window.innerWidth + 0.5),
          scrolling: frames.filter((f) => f.scrollWidth > f.clientWidth).length,
          // What sticks out past the right edge, to name it when this fails.
          wide: [...document.body.querySelectorAll('*')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .filter((e) => !e.closest('.figure-scroll, .table-wrap, pre'))
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${(e.textContent ?? '').slice(0, 60)}`),
        };
      });
      expect(m.scrollWidth, m.wide.join('\n')).toBeLessThanOrEqual(m.innerWidth);
      expect(m.bodyFont).toBeGreaterThanOrEqual(14);
      expect(m.framesWithin).toBe(true);
      expect(m.scrolling).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(OUT, 'phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
