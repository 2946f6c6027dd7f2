#!/usr/bin/env node
// The stackplan command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare) or
// `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('error: stackplan is not built yet.\nwhat to do:\n  1. npm run build\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
