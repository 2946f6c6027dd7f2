/**
 * Worker thread entry for `stackplan serve`: synthesizes tiers off the server's thread, so the page's
 * re-plans and re-prices (milliseconds) never wait behind a synthesis (aws-cdk-lib loads here, once).
 * Receives { id, plan, tier, assemblyDir }; answers { id, built } or { id, error }.
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

parentPort?.on('message', async (m: SynthRequest) => {
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
