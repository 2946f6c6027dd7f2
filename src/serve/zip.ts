/**
 * The plan directory of a manifest, zipped: exactly what `stackplan plan FILE --out DIR` writes
 * (every eligible tier, compliance packs, design document, its summary as PLAN.txt), built in a
 * temporary directory. Runs in serve's worker thread, so the page stays responsive meanwhile.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { formatUserError, UserError } from '../errors.js';
import { plan } from '../pipeline/plan.js';

/** A manifest `plan` refuses: its message, as `plan` prints it. */
export class PlanRefused extends Error {}

export async function zipPlan(file: string): Promise<Uint8Array> {
  const out = mkdtempSync(path.join(tmpdir(), 'stackplan-serve-zip-'));
  try {
    const log: string[] = [];
    try {
      await plan({ file, out }, { out: (s) => log.push(s), err: (s) => log.push(s) });
    } catch (e) {
      if (e instanceof UserError) throw new PlanRefused(formatUserError(e));
      throw e;
    }
    // Already-compressed assets (the eks assembly's kubectl and AWS CLI layers, tens of MB) are
    // stored as they are: deflating them again costs seconds and saves nothing.
    const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {};
    const walk = (dir: string, rel: string) => {
      for (const name of readdirSync(dir).sort()) {
        const abs = path.join(dir, name);
        const r = rel ? `${rel}/${name}` : name;
        if (statSync(abs).isDirectory()) walk(abs, r);
        else if (/\.(zip|gz|tgz|png|jpe?g)$/i.test(name))
          files[`out/${r}`] = [readFileSync(abs), { level: 0 }];
        else files[`out/${r}`] = readFileSync(abs);
      }
    };
    walk(out, '');
    files['out/PLAN.txt'] = new TextEncoder().encode(`${log.join('\n')}\n`);
    return zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
