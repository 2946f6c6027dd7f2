#!/usr/bin/env node
// The stackplan command. The TypeScript sources are compiled to dist/ and bundled into
// dist/bundle/ by `npm ci` (prepare) or `npm run build`; the bundle starts faster (a few chunks
// instead of ~80 modules). STACKPLAN_UNBUNDLED=1 runs dist/ as tsc wrote it.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const entry =
  process.env.STACKPLAN_UNBUNDLED !== '1' && existsSync(bundle)
    ? bundle
    : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: stackplan is not built yet.\nwhat to do:\n  1. npm run build\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
