#!/usr/bin/env node
// npm run bench: whole-process timings, median of 5 runs each, printed. Speed goals live here,
// never in unit tests. Runs every bench/*.mjs after its own figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, RUNS, root, timeStackplan } from './bench-lib.mjs';

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-'));
try {
  console.log(`stackplan plan --tier lean, whole process, median of ${RUNS} (target < 2000 ms)`);
  for (const example of ['cloud-consulting', 'gyva-shop']) {
    const manifest = path.join('examples', example, 'stackplan.yaml');
    const runs = Array.from({ length: RUNS }, () =>
      timeStackplan(['plan', manifest, '--tier', 'lean', '--out', path.join(work, example)]),
    );
    const m = median(runs);
    console.log(
      `  ${example.padEnd(20)} ${m.toFixed(0).padStart(6)} ms  ${m < 2000 ? 'ok' : 'OVER TARGET'}  (runs: ${runs.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
  // Issue 10: plan with all three tiers (cloud-consulting is eligible for each) against what lean
  // and ecs cost on their own (two --tier runs), goal within 1.5×.
  console.log(`stackplan plan, all three tiers vs --tier lean + --tier ecs, median of ${RUNS} (goal ≤ 1.5×)`);
  const cc = path.join('examples', 'cloud-consulting', 'stackplan.yaml');
  const timed = (args) => median(Array.from({ length: RUNS }, () => timeStackplan(args)));
  const lean = timed(['plan', cc, '--tier', 'lean', '--out', path.join(work, 'lean')]);
  const ecs = timed(['plan', cc, '--tier', 'ecs', '--out', path.join(work, 'ecs')]);
  const eks = timed(['plan', cc, '--tier', 'eks', '--out', path.join(work, 'eks')]);
  const all = timed(['plan', cc, '--out', path.join(work, 'all')]);
  const ratio = all / (lean + ecs);
  console.log(`  --tier lean          ${lean.toFixed(0).padStart(6)} ms`);
  console.log(`  --tier ecs           ${ecs.toFixed(0).padStart(6)} ms`);
  console.log(`  --tier eks           ${eks.toFixed(0).padStart(6)} ms`);
  console.log(
    `  all three            ${all.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2)}× lean + ecs  ${ratio <= 1.5 ? 'ok' : 'OVER GOAL'}`,
  );
  console.log(`stackplan validate, whole process, median of ${RUNS}`);
  const v = median(
    Array.from({ length: RUNS }, () =>
      timeStackplan(['validate', 'examples/support-analytics/stackplan.yaml']),
    ),
  );
  console.log(`  ${'support-analytics'.padEnd(20)} ${v.toFixed(0).padStart(6)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const benchDir = path.join(root, 'bench');
for (const f of readdirSync(benchDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  console.log('');
  const r = spawnSync(process.execPath, [path.join(benchDir, f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
