#!/usr/bin/env node
// npm run bench (or node bench/plan-design.mjs): what writing the design document adds to
// `stackplan plan` — the traffic sweep (re-planned and re-priced at ten traffic multiples), the
// diagrams' layout and the two renderings. Whole process, `plan` against `plan --no-design` (the
// command as it was before the document), runs interleaved, median of each, and the ratio beside
// issue 11's goal (< 1.5×). BENCH_RUNS overrides the number of runs. Printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { median, RUNS, timeStackplan } from '../scripts/bench-lib.mjs';

const runs = Number(process.env.BENCH_RUNS) || RUNS;
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-design-'));
try {
  console.log(
    `stackplan plan with the design document vs --no-design, whole process, median of ${runs} (goal < 1.5×)`,
  );
  for (const example of ['cloud-consulting', 'support-analytics']) {
    const manifest = path.join('examples', example, 'stackplan.yaml');
    const out = path.join(work, example);
    const without = [];
    const withDesign = [];
    for (let i = 0; i < runs; i++) {
      without.push(timeStackplan(['plan', manifest, '--out', out, '--no-design']));
      withDesign.push(timeStackplan(['plan', manifest, '--out', out]));
    }
    const a = median(without);
    const b = median(withDesign);
    const ratio = b / a;
    console.log(
      `  ${example.padEnd(20)} --no-design ${a.toFixed(0).padStart(6)} ms   with design ${b.toFixed(0).padStart(6)} ms   ${ratio.toFixed(2)}×  ${ratio < 1.5 ? 'ok' : 'OVER GOAL'}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
