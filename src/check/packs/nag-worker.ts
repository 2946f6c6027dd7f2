/** Worker thread entry: one cdk-nag pack on the stacks in workerData, result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type NagContext, runNagPack } from './nag.js';

const data = workerData as NagContext & { specId: string };
try {
  parentPort!.postMessage({ result: await runNagPack(data.specId, data) });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
}
