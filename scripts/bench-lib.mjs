// Shared by npm run bench and every bench/*.mjs: time the built CLI as a whole process.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = path.join(root, 'bin', 'stackplan.js');
export const RUNS = 5;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Milliseconds one `stackplan ARGS` process takes; throws with its stderr when it fails. */
export function timeStackplan(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`stackplan ${args.join(' ')} failed:\n${r.stderr}`);
  return ms;
}

/**
 * Wall and CPU milliseconds (user + system, every thread) of one `stackplan ARGS` process, and
 * of `node -e 0` with `yardstick()`: on a loaded machine wall time runs far above CPU time.
 */
export function timedStackplan(args) {
  return timedCommand([process.execPath, bin, ...args], `stackplan ${args.join(' ')}`);
}

export function yardstick() {
  return timedCommand([process.execPath, '-e', '0'], 'node -e 0');
}

function timedCommand(argv, label) {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time "$@" >/dev/null', 'bash', ...argv], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const [real, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(real)) throw new Error(`${label} failed:\n${r.stderr}`);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

/** Self time by function and by module from a .cpuprofile, the top `n` of each. */
export function topOfProfile(file, n = 8) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const dt = new Map();
  prof.samples.forEach((id, i) => {
    dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  const fn = new Map();
  const mod = new Map();
  let total = 0;
  for (const [id, us] of dt) {
    const cf = byId.get(id).callFrame;
    total += us;
    const url = cf.url.replace(/^file:\/\//, '').replace(`${root}/`, '') || '(node internals)';
    const where = url.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1');
    const name = `${cf.functionName || '(anonymous)'} ${where.startsWith('(') ? where : `${where}:${cf.lineNumber + 1}`}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    mod.set(where, (mod.get(where) ?? 0) + us);
  }
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `${(us / 1000).toFixed(0).padStart(5)} ms ${((100 * us) / total).toFixed(0).padStart(3)}%  ${k}`,
      );
  return { total: total / 1000, functions: top(fn), modules: top(mod) };
}
