/**
 * Worker thread entry for `stackplan serve`: synthesizes tiers off the server's thread, so the page's
 * re-plans and re-prices (milliseconds) never wait behind a synthesis (aws-cdk-lib loads here, once).
 * Receives { id, plan, tier, assemblyDir }; answers { id, built } or { id, error }. Also runs the
 * page's plan download ({ id, zip: { file } } → { id, zip } or { id, error, refused }).
 */
import { rmSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readConstructPaths } from '../design/architecture/template.js';
import type { TierName } from '../manifest/schema.js';
import type { Plan } from '../model/plan.js';
import { synthTier } from '../synth/index.js';

export interface SynthRequest {
  id: number;
  plan: Plan;
  tier: TierName;
  assemblyDir: string;
}

/** `stackplan plan` on the manifest, zipped (the page's download). */
export interface ZipRequest {
  id: number;
  zip: { file: string };
}

parentPort?.on('message', async (m: SynthRequest | ZipRequest) => {
  if ('zip' in m) {
    const { zipPlan, PlanRefused } = await import('./zip.js');
    try {
      const bytes = await zipPlan(m.zip.file);
      parentPort?.postMessage({ id: m.id, zip: bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (e) {
      parentPort?.postMessage({
        id: m.id,
        error: (e as Error).message ?? String(e),
        refused: e instanceof PlanRefused,
      });
    }
    return;
  }
  try {
    const r = await synthTier(m.plan, m.tier, { assemblyDir: m.assemblyDir, nag: false });
    parentPort?.postMessage({
      id: m.id,
      built: {
        template: r.template,
        stackName: r.stackName,
        constructPaths: [...readConstructPaths(r.assemblyDir, r.stackName)],
        ...(r.usage && { usage: r.usage }),
      },
    });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: (e as Error).message ?? String(e) });
  } finally {
    rmSync(m.assemblyDir, { recursive: true, force: true });
  }
});
