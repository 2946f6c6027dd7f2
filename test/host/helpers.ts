import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import type { Plan } from '../../src/model/plan.js';
import { planApp } from '../../src/plan/index.js';
import { APT_COMMAND, missingRequired } from '../../src/rehearse/tools.js';
import { FIXTURE_CATALOG } from '../helpers/catalog.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lean examples: every example manifest whose plan has a lean tier. */
export const LEAN_EXAMPLES = ['cloud-consulting', 'gyva-shop'] as const;

export function manifestPath(example: string): string {
  return path.join(ROOT, 'examples', example, 'stackplan.yaml');
}

export function planExample(example: string): Plan {
  const r = loadManifest(manifestPath(example));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: r.dir });
}

/** A plan from manifest text; `dir` is where rehearse commands and build paths resolve. */
export function planYaml(yaml: string, dir = ROOT): Plan {
  const r = parseManifest(yaml, 'test.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return planApp(r.manifest, { catalog: FIXTURE_CATALOG, manifestDir: dir });
}

/** Fails loudly, with the install command, when the machine lacks what these tests run. */
export function requireSystemTools(): void {
  const missing = missingRequired();
  if (missing.length) {
    throw new Error(
      `these tests need ${missing.map((m) => m.name).join(', ')}; install them (as root):\n  ${APT_COMMAND}\n(or run npm test, which installs them)`,
    );
  }
}
