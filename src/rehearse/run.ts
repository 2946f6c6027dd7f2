/**
 * `stackplan rehearse`: the lean tier on this machine, without Docker. Real PostgreSQL, Redis and
 * nginx run as local processes on free loopback ports in a temporary directory; s3rver stands in
 * for the buckets, a local fake for SSM and CloudWatch, a self-signed certificate for Let's
 * Encrypt, and a supervisor for Docker's restart policy. nginx runs the rendered config and the
 * scripts are the rendered scripts: only paths, ports and endpoints differ, through the documented
 * variables (src/render/host/settings.ts) and the nginx rebase (src/render/host/rebase.ts).
 *
 * This file runs the steps in order and always tears down; the environment (environment.ts), the
 * processes (processes.ts) and each step (steps/) live in their own files.
 */
import type { Plan } from '../model/plan.js';
import { leanOf, primaryApi } from '../render/host/settings.js';
import {
  type Check,
  Interrupted,
  ms,
  RehearsalContext,
  type RehearseReport,
  STEPS,
  type StepResult,
} from './context.js';
import { backupRestore } from './steps/backup-restore.js';
import { faults } from './steps/faults.js';
import { release } from './steps/release.js';
import { rows, rowsPath } from './steps/rows.js';
import { smoke } from './steps/smoke.js';
import { start } from './steps/start.js';
import { teardown } from './steps/teardown.js';

export type {
  Check,
  RehearseFigures,
  RehearseOptions,
  RehearseReport,
  StepResult,
} from './context.js';
export { STEPS } from './context.js';

/** A rehearsal run: owns the temp dir and every process; `run()` always tears down. */
export class Rehearsal extends RehearsalContext {
  async teardown(): Promise<Check[]> {
    return teardown(this);
  }

  async run(): Promise<RehearseReport> {
    const startedAt = new Date().toISOString();
    const steps: StepResult[] = [];
    let interrupted = false;
    let failed = false;
    const record = (step: string, t0: number, checks: Check[], error?: Error, skipped?: string) => {
      const ok = !error && checks.every((c) => c.ok);
      const bad = checks.filter((c) => !c.ok).length;
      const result: StepResult = {
        step,
        ok,
        ...(skipped && { skipped: true }),
        ms: ms(t0),
        summary:
          skipped ??
          (error ? error.message.split('\n')[0]! : `${checks.length - bad}/${checks.length} checks passed`),
        checks: error ? [...checks, { name: 'error', ok: false, detail: error.message }] : checks,
      };
      steps.push(result);
      this.opts.onStep?.(result);
      return ok;
    };
    const body: Array<[string, () => Promise<Check[]>, string | undefined]> = [
      ['start', () => start(this), undefined],
      ['smoke', () => smoke(this), undefined],
      ['rows', () => rows(this), rowsPath(this) ? undefined : 'skipped: no API using PostgreSQL'],
      ['backup-restore', () => backupRestore(this), rowsPath(this) ? undefined : 'skipped: no PostgreSQL'],
      ['faults', () => faults(this), undefined],
      [
        'release',
        () => release(this),
        primaryApi(this.host)?.service.health ? undefined : 'skipped: no API with a health path',
      ],
    ];
    for (const [name, fn, skip] of body) {
      if (failed || interrupted) break;
      const t0 = performance.now();
      this.opts.onStepStart?.(name);
      if (skip) {
        record(name, t0, [], undefined, skip);
        continue;
      }
      try {
        this.checkSignal();
        if (!record(name, t0, await fn())) failed = name === 'start';
      } catch (e) {
        if (e instanceof Interrupted || this.opts.signal?.aborted) {
          interrupted = true;
          record(name, t0, [], new Error('interrupted (Ctrl-C)'));
        } else {
          record(name, t0, [], e as Error);
          if (name === 'start') failed = true;
        }
      }
    }
    const t0 = performance.now();
    this.opts.onStepStart?.('teardown');
    try {
      record('teardown', t0, await teardown(this));
    } catch (e) {
      record('teardown', t0, [], e as Error);
    }
    return {
      app: this.plan.manifest.name,
      manifest: this.opts.manifestFile ?? this.plan.manifestDir,
      startedAt,
      ok: !interrupted && steps.length === STEPS.length && steps.every((s) => s.ok),
      interrupted,
      tmpDir: this.tmp,
      kept: Boolean(this.opts.keep),
      steps,
      figures: this.figures,
    };
  }
}

/** The services that need a command to run locally (everything but static bundles). */
export function servicesNeedingCommands(plan: Plan, overrides: Record<string, string> = {}): string[] {
  return leanOf(plan)
    .services.filter(
      (s) => s.image.kind !== 'none' && !overrides[s.service.name] && !s.service.rehearse?.command,
    )
    .map((s) => s.service.name);
}
