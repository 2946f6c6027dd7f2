/**
 * Where Price List files come from: AWS's public endpoint (fetch; no credentials needed) or a
 * directory holding the same paths, e.g. DIR/offers/v1.0/aws/index.json, for offline use and
 * tests. Both answer `get('/offers/v1.0/aws/index.json')`.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';

export const PRICE_LIST_ENDPOINT = 'https://pricing.us-east-1.amazonaws.com';
export const OFFER_INDEX_PATH = '/offers/v1.0/aws/index.json';

export interface PriceListSource {
  /** Human description for messages. */
  readonly description: string;
  /** URL a price read from `urlPath` can be checked at. */
  url(urlPath: string): string;
  get(urlPath: string): Promise<unknown>;
  /** Whether the file exists (offline: on disk; online: assumed). */
  has(urlPath: string): boolean;
}

export function offlineSource(dir: string): PriceListSource {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, OFFER_INDEX_PATH))) {
    throw new UserError(`${dir} holds no AWS Price List offer index (${OFFER_INDEX_PATH.slice(1)})`, {
      actions: [
        `Download it: curl --create-dirs -o ${path.join(dir, OFFER_INDEX_PATH.slice(1))} ${PRICE_LIST_ENDPOINT}${OFFER_INDEX_PATH}`,
        "Then each offer's current/region_index.json and the region files it lists, under the same paths",
        'Or run stackplan prices refresh without --offline-dir on a machine with internet access',
      ],
    });
  }
  const file = (p: string) => path.join(root, p.replace(/^\/+/, ''));
  return {
    description: `offline copy in ${dir}`,
    url: (p) => `${PRICE_LIST_ENDPOINT}${p}`,
    has: (p) => existsSync(file(p)),
    get: async (p) => {
      const f = file(p);
      try {
        return JSON.parse(readFileSync(f, 'utf8'));
      } catch (e) {
        throw new UserError(`cannot read Price List file ${f}: ${(e as Error).message}`, {
          actions: [`Download it again from ${PRICE_LIST_ENDPOINT}${p}`],
        });
      }
    },
  };
}

/**
 * AWS's public Price List endpoint. Region files of large offers (AmazonEC2 in us-east-1 is
 * several hundred MB) are read whole, so they need memory to match.
 */
export function httpSource(endpoint = PRICE_LIST_ENDPOINT): PriceListSource {
  return {
    description: endpoint,
    url: (p) => `${endpoint}${p}`,
    has: () => true,
    get: async (p) => {
      let res: Response;
      try {
        res = await fetch(`${endpoint}${p}`);
      } catch (e) {
        throw new UserError(`cannot reach ${endpoint}${p}: ${(e as Error).message}`, {
          actions: [
            'Check your internet connection (no AWS credentials are needed)',
            'Or download the files elsewhere and run stackplan prices refresh --offline-dir DIR',
          ],
        });
      }
      if (!res.ok) {
        throw new UserError(`${endpoint}${p} answered ${res.status} ${res.statusText}`, {
          actions: ['Try again later, or use --offline-dir with files downloaded another way'],
        });
      }
      return res.json();
    },
  };
}
