/** Helpers for the check tests: run check on a fixture, and read the findings a fixture expects. */
import { readFileSync } from 'node:fs';
import { runCheck } from '../../src/check/run.js';
import type { CheckReport, Finding } from '../../src/check/types.js';

/** The date every check test judges calendars at (EKS 1.34 leaves standard support that day). */
export const AS_OF = '2026-12-02';

/**
 * What a fixture says it should produce: `# expect: RULE[, RULE…]` at the end of a line means a
 * finding of RULE located on that line. Returns `RULE@line` keys.
 */
export function expectedFindings(file: string): Set<string> {
  const out = new Set<string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      // A marker follows code on the same line; comment lines only describe the fixture.
      if (line.trimStart().startsWith('#') || line.trimStart().startsWith('//')) return;
      const m = /#\s*expect:\s*(.+)$/.exec(line);
      if (!m) return;
      for (const id of m[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        out.add(`${id}@${i + 1}`);
    });
  return out;
}

/** `RULE@line` keys of the unsuppressed findings, optionally only some rules. */
export function foundKeys(report: CheckReport, only?: (f: Finding) => boolean): Set<string> {
  return new Set(
    report.findings
      .filter((f) => !f.suppression && (only ? only(f) : true))
      .map((f) => `${f.ruleId}@${f.location.line}`),
  );
}

export function check(input: string, packs = 'stackplan', extra: Parameters<typeof runCheck>[0] = { input }) {
  return runCheck({ ...extra, input, packs, asOf: AS_OF });
}
