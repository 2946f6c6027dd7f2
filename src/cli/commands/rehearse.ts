/**
 * `stackplan rehearse FILE`: runs the lean tier's host on this machine and reports every step
 * live, pass or fail with its time, and as JSON. Exit 0 only when every step passed.
 */
import { writeFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { formatDiagnostics } from '../../manifest/diagnostics.js';
import { LEAN_TIER, leanPlanOf } from '../../model/lean.js';
import type { Plan } from '../../model/plan.js';
import { planApp } from '../../plan/index.js';
import { loadManifest } from '../../plan/load.js';
import { loadPriceBook } from '../../price/book/index.js';
import {
  Rehearsal,
  type RehearseReport,
  type StepResult,
  servicesNeedingCommands,
} from '../../rehearse/run.js';
import { APT_COMMAND, missingRequired } from '../../rehearse/tools.js';
import type { Io } from '../io.js';

export interface RehearseCommandOptions {
  file: string;
  keep?: boolean;
  /** 100,000 rows and the figures table. */
  bench?: boolean;
  json?: string;
  /** `name=command` entries overriding services.<name>.rehearse.command. */
  serviceCmd?: string[];
  /** Rows to write (tests use fewer). @default 1000, or 100000 with bench */
  rows?: number;
  /** Cancels the run (Ctrl-C does this from the CLI). */
  signal?: AbortSignal;
  /** The plan to rehearse, when the caller has one (tests); else planned from the manifest. */
  plan?: Plan;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;
}

function formatStep(r: StepResult): string {
  const mark = r.skipped ? '-' : r.ok ? '✓' : '✗';
  const lines = [`${mark} ${r.step.padEnd(15)} ${seconds(r.ms).padStart(7)}  ${r.summary}`];
  for (const c of r.checks) {
    if (!c.ok) lines.push(`    ✗ ${c.name}: ${c.detail.split('\n').join('\n      ')}`);
  }
  return lines.join('\n');
}

export function formatFigures(report: RehearseReport): string {
  const f = report.figures;
  const rows: Array<[string, string, string]> = [];
  const add = (what: string, value: number | undefined, target = '') => {
    if (value !== undefined && value >= 0) rows.push([what, seconds(value), target]);
  };
  add('cold start to healthy', f.coldStartMs, '≤ 10 s');
  add(`backup (${f.rows ?? 0} rows written)`, f.backupMs);
  add('restore into a fresh database, verified', f.restoreMs);
  if (f.backupMs !== undefined && f.restoreMs !== undefined)
    add('backup + restore', f.backupMs + f.restoreMs, '≤ 10 s');
  add('restore with swap', f.swapRestoreMs);
  for (const [name, v] of Object.entries(f.recoveryMs)) {
    add(`recovery after killing ${name}`, v);
    add(`  ${name} down reported after`, f.detectMs[name], '≤ 5 s');
  }
  if (f.release) {
    add(
      `release under load (${f.release.requests} requests, ${f.release.failed} failed)`,
      f.release.releaseMs,
    );
    add('  new version served after the switch began', f.release.switchMs);
  }
  if (f.failedRelease)
    add(
      `broken release refused (${f.failedRelease.requests} requests, ${f.failedRelease.failed} failed)`,
      f.failedRelease.releaseMs,
    );
  if (f.rollback)
    add(`rollback (${f.rollback.requests} requests, ${f.rollback.failed} failed)`, f.rollback.releaseMs);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b, c]) => `  ${a.padEnd(w)}  ${b.padStart(7)}  ${c}`.trimEnd()).join('\n');
}

export async function rehearse(opts: RehearseCommandOptions, io: Io): Promise<number> {
  let plan = opts.plan;
  if (!plan) {
    const loaded = loadManifest(opts.file);
    if (!loaded.ok) {
      throw new UserError(`${loaded.file} is not a valid manifest`, {
        detail: formatDiagnostics(loaded.diagnostics),
        actions: [`stackplan validate ${opts.file}`],
      });
    }
    plan = planApp(loaded.manifest, { catalog: loadPriceBook(), manifestDir: loaded.dir });
  }
  const lean = leanPlanOf(plan);
  if (!lean) {
    const why = plan.assessments.find((a) => a.tier === LEAN_TIER)?.unmet.join('; ') ?? 'not planned';
    throw new UserError(`${plan.manifest.name} has no lean-tier plan to rehearse (${why})`, {
      actions: [
        'rehearse rehearses the lean tier (one EC2 host); set `tier: lean` in the manifest if it fits',
      ],
    });
  }
  const commands: Record<string, string> = {};
  const known = new Set(lean.services.map((s) => s.service.name));
  for (const entry of opts.serviceCmd ?? []) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (eq <= 0 || !entry.slice(eq + 1).trim()) {
      throw new UserError(`--service-cmd ${entry} is not name=command`, {
        actions: [`stackplan rehearse ${opts.file} --service-cmd 'api=node server.mjs'`],
      });
    }
    if (!known.has(name)) {
      throw new UserError(`--service-cmd names ${name}, which is not a service of ${plan.manifest.name}`, {
        actions: [`use one of: ${[...known].join(', ')}`],
      });
    }
    commands[name] = entry.slice(eq + 1);
  }
  const needing = servicesNeedingCommands(plan, commands);
  if (needing.length) {
    throw new UserError(`no command to start ${needing.join(', ')} on this machine`, {
      actions: [
        ...needing.map(
          (n) =>
            `add under services.${n} in ${opts.file}:  rehearse: {command: "node server.mjs", cwd: ./${n}}`,
        ),
        `or pass it: stackplan rehearse ${opts.file} ${needing.map((n) => `--service-cmd '${n}=…'`).join(' ')}`,
      ],
    });
  }
  const missing = missingRequired();
  if (missing.length) {
    throw new UserError(
      `rehearse needs ${missing.map((m) => m.name).join(', ')}, not found on this machine`,
      {
        actions: [`as root: ${APT_COMMAND}`, 'stackplan doctor  (lists what is present and what is missing)'],
      },
    );
  }

  const controller = new AbortController();
  const onSigint = () => {
    io.err('\ninterrupted: tearing down…');
    controller.abort();
  };
  opts.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let report: RehearseReport;
  try {
    io.out(`rehearsing ${plan.manifest.name} (lean tier) on this machine`);
    const rehearsal = new Rehearsal(plan, {
      manifestFile: opts.file,
      serviceCommands: commands,
      rows: opts.rows ?? (opts.bench ? 100_000 : 1000),
      keep: Boolean(opts.keep),
      signal: controller.signal,
      onStep: (r) => io.out(formatStep(r)),
    });
    report = await rehearsal.run();
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.bench) io.out(`\nfigures (${plan.manifest.name}):\n${formatFigures(report)}`);
  else if (report.figures.release) {
    const { release, failedRelease, rollback } = report.figures;
    const part = (what: string, x?: { requests: number; failed: number; releaseMs: number }) =>
      x ? `${what} ${x.requests} requests, ${x.failed} failed (${seconds(x.releaseMs)})` : '';
    io.out(
      `releases under load: ${[
        `${part('release', release)}, new version served ${release.switchMs} ms after the switch began`,
        part('broken release', failedRelease),
        part('rollback', rollback),
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  }
  if (report.kept) io.out(`kept ${report.tmpDir}`);
  const failed = report.steps.filter((s) => !s.ok).map((s) => s.step);
  if (report.ok) io.out(`rehearsal passed: ${report.steps.length} steps`);
  else
    io.err(
      `rehearsal ${report.interrupted ? 'interrupted' : 'failed'}${failed.length ? `: ${failed.join(', ')}` : ''}`,
    );
  return report.ok ? 0 : report.interrupted ? 130 : 1;
}
