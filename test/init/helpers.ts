/** Helpers for init tests: compose projects written to temporary directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.js';
import { initFromCompose } from '../../src/init/index.js';
import type { ReportItem } from '../../src/init/map/types.js';

const roots: string[] = [];

/** Writes files (relative path → text) into a fresh directory and returns it. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-init-'));
  roots.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

export function cleanup(): void {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
}

export interface Converted {
  manifest: Record<string, any>;
  text: string;
  report: ReportItem[];
  /** Report lines of one kind, as `service: message`. */
  lines(kind: ReportItem['kind']): string[];
}

/** Converts compose text (plus other files) as `stackplan init --from-compose docker-compose.yml`. */
export function convert(
  compose: string,
  extra: Record<string, string> = {},
  opts: { env?: Record<string, string>; profiles?: string[]; files?: string[] } = {},
): Converted {
  const dir = project({ 'docker-compose.yml': compose, ...extra });
  const r = initFromCompose({
    files: opts.files ?? ['docker-compose.yml'],
    cwd: dir,
    env: opts.env ?? {},
    ...(opts.profiles && { profiles: opts.profiles }),
    outFile: path.join(dir, 'stackplan.yaml'),
  });
  return {
    manifest: parse(r.text) as Record<string, any>,
    text: r.text,
    report: r.report,
    lines: (kind) =>
      r.report.filter((i) => i.kind === kind).map((i) => `${i.service ?? i.key ?? ''}: ${i.message}`),
  };
}

/** The UserError a conversion throws (fails the test when it does not throw one). */
export function conversionError(
  compose: string,
  extra: Record<string, string> = {},
  opts: { env?: Record<string, string> } = {},
): UserError {
  try {
    convert(compose, extra, opts);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected the conversion to fail');
}
