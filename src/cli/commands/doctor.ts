/**
 * `stackplan doctor`: what `stackplan rehearse` and the host checks need on this machine, what is
 * present, and the exact command that installs the rest. Exit 1 when something required is missing.
 */
import { APT_COMMAND, missingRequired, type ToolStatus, toolStatuses } from '../../rehearse/tools.js';
import type { Io } from '../io.js';

export interface DoctorOptions {
  format?: 'text' | 'json';
  /** Injected by tests. */
  statuses?: ToolStatus[];
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const statuses = opts.statuses ?? toolStatuses();
  const missing = missingRequired(statuses);
  if (opts.format === 'json') {
    io.out(JSON.stringify({ ok: missing.length === 0, install: APT_COMMAND, tools: statuses }, null, 2));
    return missing.length ? 1 : 0;
  }
  const w = Math.max(...statuses.map((s) => s.name.length));
  io.out('what stackplan rehearse and the host checks need:');
  for (const s of statuses) {
    const mark = s.found ? '✓' : s.required ? '✗' : '-';
    const where = s.found ? `${s.found}${s.version ? ` (${s.version})` : ''}` : `missing: ${s.install}`;
    io.out(`  ${mark} ${s.name.padEnd(w)}  ${where}\n      ${s.purpose}${s.required ? '' : ' [optional]'}`);
  }
  if (missing.length) {
    io.out(
      `\nmissing ${missing.map((m) => m.name).join(', ')}. Install everything at once (Debian/Ubuntu, as root):\n  ${APT_COMMAND}`,
    );
    return 1;
  }
  io.out('\neverything rehearse needs is present.');
  return 0;
}
