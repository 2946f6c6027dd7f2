#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ with esbuild: the code of every
// command in a few chunks, split at the command table's lazy imports so `stackplan cost` never
// loads what `plan` needs. npm dependencies stay external (aws-cdk-lib loads as it always does).
// A process then resolves and compiles a handful of files instead of ~80 modules: that is most
// of `stackplan cost`'s start-up (issue 12 §4). bin/stackplan.js runs the bundle when present
// (STACKPLAN_UNBUNDLED=1 runs dist/ as tsc wrote it). Output is deterministic for the same input.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  // check's cdk-nag worker thread is an entry of its own: the check chunk starts it by file name.
  entryPoints: {
    main: path.join(root, 'dist', 'cli', 'main.js'),
    'nag-worker': path.join(root, 'dist', 'check', 'packs', 'nag-worker.js'),
    // serve's synthesis thread, started by file name from the serve chunk.
    'synth-worker': path.join(root, 'dist', 'serve', 'synth-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
});

// The page of `stackplan serve`, with its editor: one browser script and its stylesheet.
const { buildServeClient } = await import('./serve-client.mjs');
await buildServeClient();
