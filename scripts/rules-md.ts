/**
 * Writes RULES.md from stackplan check's rules and the price book's support calendars.
 *
 *   npm run rules
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown } from '../src/check/rules-md.js';
import { loadPriceBook } from '../src/price/book/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(path.join(ROOT, 'RULES.md'), renderRulesMarkdown(loadPriceBook()));
process.stdout.write('wrote RULES.md\n');
