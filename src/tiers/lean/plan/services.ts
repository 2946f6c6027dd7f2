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
