/** The app's services on the host: where their images come from and the loopback ports nginx proxies to. */
import type { Service } from '../../../manifest/normalize.js';
import type { LeanService } from '../../../model/lean.js';

export function leanImage(s: Service, app: string): LeanService['image'] {
  if (s.kind === 'static') return { kind: 'none' };
  if (s.image) return { kind: 'pinned', ref: s.image };
  return { kind: 'ecr', repository: `${app}/${s.name}` };
}

/** Loopback ports nginx proxies to: the container port when free and unprivileged, else the next free one. */
export function assignHostPorts(services: Service[]): Map<string, number> {
  const taken = new Set([5432, 6379]);
  const out = new Map<string, number>();
  for (const s of services) {
    if (s.port === undefined || s.kind === 'static' || s.kind === 'worker') continue;
    let port = s.port >= 1024 ? s.port : 8000;
    while (taken.has(port)) port++;
    taken.add(port);
    out.set(s.name, port);
  }
  return out;
}

/**
 * The second release slot of every service nginx proxies to: `copies` consecutive loopback ports
 * clear of every other service's ports (both slots), PostgreSQL's and Redis's. stackplan-release
 * starts a new version on the slot that is not serving, so old and new run side by side.
 */
export function assignReleasePorts(
  services: Service[],
  hostPorts: ReadonlyMap<string, number>,
  copies: (s: Service) => number,
): Map<string, number> {
  const taken = new Set([5432, 6379]);
  for (const s of services) {
    const first = hostPorts.get(s.name);
    if (first !== undefined) for (let i = 0; i < copies(s); i++) taken.add(first + i);
  }
  const out = new Map<string, number>();
  for (const s of services) {
    const first = hostPorts.get(s.name);
    if (first === undefined) continue;
    const n = copies(s);
    let port = first + n;
    const clear = (p: number) => Array.from({ length: n }, (_, i) => p + i).every((q) => !taken.has(q));
    while (!clear(port)) port++;
    if (port + n - 1 > 65535) throw new Error(`no free loopback ports for ${s.name}'s second release slot`);
    for (let i = 0; i < n; i++) taken.add(port + i);
    out.set(s.name, port);
  }
  return out;
}
