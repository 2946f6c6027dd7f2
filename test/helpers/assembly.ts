/** Helpers for tests over examples, cloud assemblies and output trees. */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/normalize.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';

/** The plan of an example (a path under examples/), with the real price book. */
export function planExample(file: string): Plan {
  const r = loadManifest(path.join('examples', file));
  if (!r.ok) throw new Error(`examples/${file} is invalid`);
  return planApp(r.manifest, { catalog: loadPriceBook(), manifestDir: r.dir });
}

/** Every file under dir (relative path → text), in a stable order. */
export function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** `cdk ls` of a cloud assembly with the project's CDK CLI, offline. */
export function cdkLs(assemblyDir: string): SpawnSyncReturns<string> {
  return spawnSync(path.resolve('node_modules/.bin/cdk'), ['ls', '--app', assemblyDir], {
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    timeout: 60_000,
  });
}

/** A manifest from YAML text; throws with every diagnostic when it is invalid. */
export function manifestFrom(yaml: string): Manifest {
  const r = parseManifest(yaml, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return r.manifest;
}
