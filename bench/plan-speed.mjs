#!/usr/bin/env node
// npm run bench (or node bench/plan-speed.mjs): issue 12's goals for `stackplan plan` — with every
// eligible tier synthesized, on each example, < 1.5 s wall and never slower than `npx aws-cdk ls`
// on the same cloud assembly. Whole process, median of 5 (BENCH_RUNS overrides), wall and CPU
// (user + system, every thread), `plan --no-design` (the design document has its own goal in
// bench/plan-design.mjs), then where the time goes: the top of a `node --cpu-prof` profile of one
// plan, by module and by function. Printed, never asserted. Runs the built CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, median, RUNS, root, timedStackplan, topOfProfile, yardstick } from '../scripts/bench-lib.mjs';

const GOAL_MS = 1500;
const runs = Number(process.env.BENCH_RUNS) || RUNS;
const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/plan-speed.mjs: run `npm run build` first');
  process.exit(1);
}

/** Wall and CPU ms of `npx aws-cdk ls --app DIR` (the CLI reading an existing assembly). */
function cdkLs(assembly) {
  const r = spawnSync(
    'bash',
    [
      '-c',
      'TIMEFORMAT="%R %U %S"; time "$@" >/dev/null',
      'bash',
      process.execPath,
      cdk,
      'ls',
      '--app',
      assembly,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } },
  );
  const [real, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (r.status !== 0 || !Number.isFinite(real)) throw new Error(`cdk ls failed:\n${r.stderr}`);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

const med = (xs, k) => median(xs.map((x) => x[k]));
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-plan-'));
try {
  const y = Array.from({ length: runs }, () => yardstick());
  console.log(
    `stackplan plan --no-design, every eligible tier synthesized, whole process, median of ${runs} (goal < ${GOAL_MS} ms wall, and no slower than cdk ls on the same assembly)`,
  );
  const examples = readdirSync(path.join(root, 'examples'))
    .filter((e) => existsSync(path.join(root, 'examples', e, 'stackplan.yaml')))
    .sort();
  for (const example of examples) {
    const out = path.join(work, example);
    const manifest = path.join('examples', example, 'stackplan.yaml');
    const plans = Array.from({ length: runs }, () =>
      timedStackplan(['plan', manifest, '--no-design', '--out', out]),
    );
    const tiers = readdirSync(out).filter((t) => existsSync(path.join(out, t, 'cdk.out')));
    const ls = tiers.map((t) => {
      const xs = Array.from({ length: runs }, () => cdkLs(path.join(out, t, 'cdk.out')));
      return { tier: t, wall: med(xs, 'wall') };
    });
    const wall = med(plans, 'wall');
    const cpu = med(plans, 'cpu');
    // One `cdk ls` per synthesized tier: what reading each assembly costs the CDK CLI.
    const lsTotal = ls.reduce((a, x) => a + x.wall, 0);
    console.log(
      `  ${example.padEnd(18)} ${tiers.join('+').padEnd(12)} ${wall.toFixed(0).padStart(6)} ms wall ${cpu.toFixed(0).padStart(6)} ms CPU  ${wall < GOAL_MS ? 'ok' : `MISSED by ${(wall - GOAL_MS).toFixed(0)} ms`};  cdk ls ${ls.map((x) => `${x.tier} ${x.wall.toFixed(0)}`).join(', ')} ms (sum ${lsTotal.toFixed(0)}): plan is ${(wall / lsTotal).toFixed(2)}× that`,
    );
  }
  console.log(
    `  node -e 0 (yardstick)  ${med(y, 'wall').toFixed(0)} ms wall ${med(y, 'cpu').toFixed(0)} ms CPU;  load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );

  const example = 'cloud-consulting';
  const dir = path.join(work, 'profile');
  spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      bin,
      'plan',
      path.join('examples', example, 'stackplan.yaml'),
      '--no-design',
      '--out',
      path.join(work, 'p'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    const top = topOfProfile(path.join(dir, file), 10);
    console.log(
      `\n  profile, plan ${example} (node --cpu-prof, main thread, ${top.total.toFixed(0)} ms sampled), self time by module:`,
    );
    for (const l of top.modules) console.log(`    ${l}`);
    console.log('  …and by function:');
    for (const l of top.functions) console.log(`    ${l}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
