/** Step 3, rows: rows written through the API over HTTPS, counted and checksummed (the data later steps must keep). */
import { primaryApi } from '../../render/host/settings.js';
import { type Check, ms, type RehearsalContext, sleep } from '../context.js';
import { request } from '../http.js';

/** The API path rows are written through, when an API uses PostgreSQL. */
export function rowsPath(rh: RehearsalContext): string | undefined {
  const api = primaryApi(rh.host);
  if (!api || !rh.host.postgres || !api.service.uses.includes('postgres')) return undefined;
  return `${api.service.route ?? '/'}rows`;
}

export async function rowStats(rh: RehearsalContext): Promise<{ count: number; checksum: string }> {
  const r = await request(rh.endpoint, `${rowsPath(rh)}/stats`);
  if (r.status !== 200) throw new Error(`row stats: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as { count: number; checksum: string };
}

export async function writeRows(rh: RehearsalContext, n: number): Promise<void> {
  const p = rowsPath(rh)!;
  let left = n;
  while (left > 0) {
    rh.checkSignal();
    const k = Math.min(left, 10_000);
    const r = await request(rh.endpoint, `${p}?count=${k}`, { method: 'POST', timeoutMs: 30_000 });
    if (r.status === 429) {
      await sleep(200);
      continue;
    }
    if (r.status !== 201) throw new Error(`POST ${p}?count=${k}: ${r.status} ${r.body}`);
    left -= k;
  }
}

export async function rows(rh: RehearsalContext): Promise<Check[]> {
  const n = rh.opts.rows ?? 1000;
  const t0 = performance.now();
  const before = await rowStats(rh);
  await writeRows(rh, n);
  rh.figures.writeRowsMs = ms(t0);
  rh.figures.rows = n;
  const after = await rowStats(rh);
  rh.expected = after;
  return [
    {
      name: `${n} rows through ${rowsPath(rh)}`,
      ok: after.count === before.count + n,
      detail: `${before.count} → ${after.count} rows over HTTPS in ${rh.figures.writeRowsMs} ms`,
    },
  ];
}
