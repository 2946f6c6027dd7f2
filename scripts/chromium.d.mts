import type { Page } from 'playwright-core';

export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
/** Waits until a `stackplan serve` page has planned and priced everything. */
export function servePageSettled(
  page: Page,
  options?: { timeout?: number; polling?: number },
): Promise<unknown>;
