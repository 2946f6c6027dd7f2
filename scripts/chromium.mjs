// Debian's chromium, as every browser run of the project launches it (tests, bench, scripts):
// headless, no sandbox (CI runs as root), nothing fetched in the background.
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Waits until a `stackplan serve` page has planned and priced everything: ready, no tier or chart
 * pending, the chart drawn.
 */
export function servePageSettled(page, options = {}) {
  return page.waitForFunction(
    () =>
      document.body.dataset.state === 'ready' &&
      !document.querySelector('#tiers .pending, #chart .pending') &&
      document.querySelector('#chart svg') !== null,
    undefined,
    { timeout: 180_000, ...options },
  );
}
