#!/usr/bin/env node
// npm run bench (or node bench/rehearse.mjs): the rehearsal figures for every lean example —
// cold start to healthy, backup and restore of 100,000 rows, and recovery time per fault —
// against the targets (cold start ≤ 10 s; 100k-row backup + restore ≤ 10 s). Runs the built CLI
// (`stackplan rehearse FILE --bench --json …`), so it measures what users run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'stackplan.js');
if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench/rehearse.mjs: run `npm run build` first');
  process.exit(1);
}
const { formatFigures } = await import(path.join(root, 'dist', 'cli', 'commands', 'rehearse.js'));

const examples = process.argv.slice(2).length ? process.argv.slice(2) : ['cloud-consulting', 'gyva-shop'];
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-rehearse-'));
let failed = false;
try {
  for (const example of examples) {
    const json = path.join(work, `${example}.json`);
    const r = spawnSync(
      process.execPath,
      [bin, 'rehearse', path.join(root, 'examples', example, 'stackplan.yaml'), '--bench', '--json', json],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (!existsSync(json)) {
      console.error(`stackplan rehearse ${example} --bench failed:\n${r.stdout}${r.stderr}`);
      failed = true;
      continue;
    }
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const f = report.figures;
    const cold = f.coldStartMs <= 10_000;
    const br = f.backupMs + f.restoreMs <= 10_000;
    console.log(
      `stackplan rehearse ${example} --bench (${f.rows} rows): ${report.ok ? 'all steps passed' : 'STEPS FAILED'}`,
    );
    console.log(formatFigures(report));
    console.log(
      `  targets: cold start ${cold ? 'ok' : 'OVER TARGET'}, backup + restore ${br ? 'ok' : 'OVER TARGET'}`,
    );
    if (!report.ok) {
      failed = true;
      for (const s of report.steps.filter((x) => !x.ok)) console.log(`  failed step ${s.step}: ${s.summary}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
