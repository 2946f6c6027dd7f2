#!/usr/bin/env node
// npm run bench (or node bench/design.mjs): the architecture diagram of the largest example
// template (support-analytics, ecs tier, 146 resources) and of a stress template twice its size
// (292 resources: the same stack twice, ids renamed) — parse, model, elkjs layout, checks and SVG —
// median of 5 fresh processes (whole process, and the diagram alone as the process measured it,
// wall-clock and CPU time: on a machine shared with other work the CPU time is the steadier figure).
// Figures are printed, never asserted in tests. Runs the built code in dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, RUNS, root } from '../scripts/bench-lib.mjs';

const dist = path.join(root, 'dist');
if (!existsSync(path.join(dist, 'design', 'index.js'))) {
  console.error('bench/design.mjs: run `npm run build` first');
  process.exit(1);
}
const url = (p) => pathToFileURL(path.join(dist, p)).href;
const work = mkdtempSync(path.join(tmpdir(), 'stackplan-bench-design-'));
try {
  // The input, as plan synthesizes it.
  const { loadManifest } = await import(url('manifest/load.js'));
  const { planApp } = await import(url('plan/index.js'));
  const { loadPriceBook } = await import(url('price/book/index.js'));
  const { synthTier } = await import(url('synth/index.js'));
  const { readConstructPaths } = await import(url('design/index.js'));
  const loaded = loadManifest(path.join(root, 'examples', 'support-analytics', 'stackplan.yaml'));
  const plan = planApp(loaded.manifest, { catalog: loadPriceBook(), manifestDir: loaded.dir });
  const synth = await synthTier(plan, 'ecs', { assemblyDir: path.join(work, 'cdk.out'), nag: false });
  const paths = readConstructPaths(synth.assemblyDir, synth.stackName);
  writeFileSync(path.join(work, 'sa.json'), JSON.stringify({ template: synth.template, paths: [...paths] }));

  // Twice the stack: every logical id and construct path copied under new names.
  const ids = Object.keys(synth.template.Resources);
  let text = JSON.stringify(synth.template.Resources);
  for (const id of ids.sort((a, b) => b.length - a.length)) {
    text = text
      .split(`"${id}"`)
      .join(`"${id}Copy"`)
      .split(`\${${id}}`)
      .join(`\${${id}Copy}`)
      .split(`\${${id}.`)
      .join(`\${${id}Copy.`);
  }
  const doubled = { ...synth.template, Resources: { ...synth.template.Resources, ...JSON.parse(text) } };
  const doubledPaths = [
    ...paths,
    ...[...paths].map(([id, p]) => [`${id}Copy`, p.replace(/^([^/]+)\//, '$1/Copy/')]),
  ];
  writeFileSync(path.join(work, 'x2.json'), JSON.stringify({ template: doubled, paths: doubledPaths }));

  const child = `
    const c0 = process.cpuUsage();
    const { readFileSync } = await import('node:fs');
    const { renderArchitectureDiagram } = await import(${JSON.stringify(url('design/index.js'))});
    const input = JSON.parse(readFileSync(process.argv[1], 'utf8'));
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    const d = await renderArchitectureDiagram({ template: input.template, constructPaths: new Map(input.paths), title: 'bench', idPrefix: 'b' });
    const t2 = performance.now();
    const c2 = process.cpuUsage(c0);
    const cpu = (c2.user + c2.system - c1.user - c1.system) / 1000;
    console.log(JSON.stringify({ diagram: t2 - t1, cpu, boxes: d.layout.nodes.length, bytes: d.svg.length }));
  `;
  console.log(
    `architecture diagram (parse, model, elkjs layout, checks, SVG), median of ${RUNS} fresh processes`,
  );
  for (const [name, file, count] of [
    ['support-analytics ecs', 'sa.json', ids.length],
    ['stress: the same stack twice', 'x2.json', ids.length * 2],
  ]) {
    const whole = [];
    const diagram = [];
    const cpu = [];
    let info;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, path.join(work, file)], {
        cwd: root,
        encoding: 'utf8',
      });
      whole.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) throw new Error(`diagram of ${name} failed:\n${r.stderr}`);
      info = JSON.parse(r.stdout.trim().split('\n').at(-1));
      diagram.push(info.diagram);
      cpu.push(info.cpu);
    }
    console.log(
      `  ${name.padEnd(30)} ${String(count).padStart(4)} resources → ${String(info.boxes).padStart(3)} boxes, ${(info.bytes / 1024).toFixed(0)} KiB SVG: diagram ${median(diagram).toFixed(0).padStart(5)} ms (${median(cpu).toFixed(0)} ms CPU), whole process ${median(whole).toFixed(0).padStart(5)} ms  (diagram runs: ${diagram.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
