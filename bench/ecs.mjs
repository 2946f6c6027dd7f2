#!/usr/bin/env node
// npm run bench (or node bench/ecs.mjs): `stackplan plan` of the ecs tier, whole process, median
// of 5 runs: --tier ecs for the seed 003 and 004 examples, and every tier (lean and ecs side by
// side) for the lean examples. Same goal as the lean tier (< 2000 ms); the figures are printed,
// never asserted in tests. Runs the built CLI, so it measures what users run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, RUNS, root, timeStackplan } from '../scripts/bench-lib.mjs';

const TARGET_MS = 2000;

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/ecs.mjs: run `npm run build` first');
  process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-ecs-'));
try {
  const cases = [
    ['support-analytics', ['--tier', 'ecs']],
    ['default-rate', ['--tier', 'ecs']],
    ['cloud-consulting', []],
    ['gyva-shop', []],
  ];
  console.log(`stackplan plan with the ecs tier, whole process, median of ${RUNS} (goal < ${TARGET_MS} ms)`);
  for (const [example, extra] of cases) {
    const manifest = path.join('examples', example, 'stackplan.yaml');
    const runs = Array.from({ length: RUNS }, () =>
      timeStackplan(['plan', manifest, ...extra, '--out', path.join(work, example)]),
    );
    const m = median(runs);
    const label = `${example} ${extra.length ? extra.join(' ') : '(lean + ecs)'}`;
    console.log(
      `  ${label.padEnd(32)} ${m.toFixed(0).padStart(6)} ms  ${m < TARGET_MS ? 'ok' : 'OVER GOAL'}  (runs: ${runs.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
