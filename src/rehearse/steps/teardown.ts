/** Step 6, teardown: every process stopped, every port free, the temporary directory removed (unless kept). */
import { rmSync } from 'node:fs';
import type { Check, RehearsalContext } from '../context.js';
import { isPortFree } from '../ports.js';
import { pidAlive } from '../supervisor.js';

export async function teardown(rh: RehearsalContext): Promise<Check[]> {
  const checks: Check[] = [];
  const order = [...rh.procs].reverse();
  await Promise.all(order.filter((p) => p !== rh.postgres && p !== rh.redis).map((p) => p.stop()));
  await Promise.all([rh.postgres?.stop(), rh.redis?.stop()]);
  await rh.fake.stop();
  const alive = rh.procs.flatMap((p) => p.pids.filter(pidAlive).map((pid) => `${p.spec.name}:${pid}`));
  checks.push({
    name: 'nothing left running',
    ok: alive.length === 0,
    detail: alive.length ? `still running: ${alive.join(', ')}` : `${rh.procs.length} processes stopped`,
  });
  const busy: number[] = [];
  for (const port of rh.allPorts) if (!(await isPortFree(port))) busy.push(port);
  checks.push({
    name: 'ports free',
    ok: busy.length === 0,
    detail: busy.length ? `still bound: ${busy.join(', ')}` : `${rh.allPorts.length} ports free`,
  });
  if (!rh.opts.keep) {
    rmSync(rh.tmp, { recursive: true, force: true });
    checks.push({ name: 'temp dir removed', ok: true, detail: rh.tmp });
  } else {
    checks.push({ name: 'temp dir kept', ok: true, detail: `${rh.tmp} (--keep)` });
  }
  return checks;
}
