// Bundles the page of `stackplan serve` (src/serve/client/main.ts with CodeMirror 6) into one script,
// dist/serve/client/app.js, with its stylesheet beside it: serve loads nothing from the network.
// Called by scripts/bundle.mjs (npm run build) and by the serve tests.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildServeClient(outdir = path.join(root, 'dist', 'serve', 'client')) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'serve', 'client', 'main.ts')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(path.join(root, 'src', 'serve', 'client', 'app.css'), path.join(outdir, 'app.css'));
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await buildServeClient();
