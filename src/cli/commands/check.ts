/**
 * `stackplan check TEMPLATE | CDK.OUT | stackplan.yaml`: cdk-nag packs, the Control Tower
 * proactive controls and stackplan's own rules on any template, every finding at its file and
 * line (for a manifest, at the manifest field that caused it), acknowledged ones reported as
 * suppressed with their reason. Exit codes: 0 nothing at or above --fail-on, 1 bad input,
 * 2 internal error, 3 findings at or above --fail-on.
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECK_FORMATS, type CheckFormat, renderCheckReport } from '../../check/render/index.js';
import { fails, runCheck } from '../../check/run.js';
import { findIgnoreFile, readIgnoreFile } from '../../check/suppress.js';
import type { Severity } from '../../check/types.js';
import { UserError } from '../../errors.js';
import type { Io } from '../io.js';

/** Exit code when findings at or above --fail-on remain (1 is bad input, 2 an internal error). */
export const EXIT_FINDINGS = 3;

export const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;

export interface CheckCommandOptions {
  input: string;
  pack?: string[] | string;
  /** @default table */
  format?: string;
  /** @default error */
  failOn?: string;
  /** YYYY-MM-DD @default today (SOURCE_DATE_EPOCH when set) */
  asOf?: string;
  ignoreFile?: string;
  /** Write the report here instead of stdout (the summary line still goes to stderr). */
  output?: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`${flag} ${value} is not one of ${allowed.join(', ')}`, {
      actions: [`Use ${flag} ${allowed[0]} (or ${allowed.slice(1).join(', ')})`],
    });
  }
  return value as T;
}

function today(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const d = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return d.toISOString().slice(0, 10);
}

export async function check(opts: CheckCommandOptions, io: Io): Promise<number> {
  const format = oneOf<CheckFormat>(opts.format ?? 'table', CHECK_FORMATS, '--format');
  const failOn = oneOf(opts.failOn ?? 'error', FAIL_ON, '--fail-on') as Severity | 'none';
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UserError(`--as-of ${opts.asOf} is not a YYYY-MM-DD date`, {
      actions: ['Use --as-of 2026-01-31'],
    });
  }
  const ignoreFile = findIgnoreFile(opts.ignoreFile);
  const ignore = ignoreFile ? await readIgnoreFile(ignoreFile) : [];
  const report = await runCheck({
    input: opts.input,
    failOn,
    asOf: opts.asOf ?? today(),
    ignore,
    ...(opts.pack !== undefined && { packs: opts.pack }),
  });
  const text = renderCheckReport(report, format);
  const failed = fails(report);
  const c = report.counts;
  const summary = `${c.error} error(s), ${c.warning} warning(s), ${c.note} note(s), ${c.suppressed} suppressed${failed ? ` — fails at --fail-on ${failOn} (exit ${EXIT_FINDINGS})` : ''}`;
  if (opts.output) {
    const tmp = path.join(
      path.dirname(path.resolve(opts.output)),
      `.${path.basename(opts.output)}.tmp-${process.pid}`,
    );
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, opts.output);
    } catch (e) {
      throw new UserError(`cannot write ${opts.output}: ${(e as Error).message}`, {
        actions: ['Check that the directory exists and is writable'],
      });
    }
    io.err(`wrote ${opts.output}: ${summary}`);
  } else {
    io.out(text);
    if (format !== 'table') io.err(summary);
    else if (failed) io.err(`fails at --fail-on ${failOn} (exit ${EXIT_FINDINGS})`);
  }
  return failed ? EXIT_FINDINGS : 0;
}
