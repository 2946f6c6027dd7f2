/**
 * `stackplan check stackplan.yaml` on every example: plans and synthesizes every tier the
 * manifest is eligible for (not only the recommended one) as `plan` does, and finds no
 * unacknowledged finding of the three packs `plan` requires (cdk-nag AwsSolutions, NIST 800-53 R5,
 * AWS Control Tower) and no unacknowledged error of stackplan's own; every finding points at the
 * manifest line of the field that caused it, and every acknowledgement is reported with a reason
 * specific to its resource.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reasonProblem } from '../../src/tiers/nag.js';
import { check } from './helpers.js';

/** The line of a YAML key path (`services.api`), found by indentation, independently of check. */
function lineOf(text: string, field: string): number {
  const lines = text.split('\n');
  let from = 0;
  let indent = -1;
  let found = 0;
  for (const key of field.split('.')) {
    const i = lines.findIndex((l, n) => {
      if (n < from) return false;
      const m = /^(\s*)([A-Za-z0-9_-]+):/.exec(l);
      return m !== null && m[1]!.length > indent && m[2] === key;
    });
    if (i < 0) break;
    found = i + 1;
    indent = lines[i]!.search(/\S/);
    from = i + 1;
  }
  return found || lines.findIndex((l) => l.startsWith('name:')) + 1;
}

const manifests = readdirSync('examples', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'app')
  .flatMap((d) =>
    readdirSync(path.join('examples', d.name))
      .filter((f) => /^stackplan(\.[\w-]+)?\.yaml$/.test(f))
      .map((f) => path.join('examples', d.name, f)),
  );

describe('check on every example manifest', () => {
  it('covers the examples', () => expect(manifests.length).toBeGreaterThanOrEqual(5));

  for (const manifest of manifests) {
    it(`${manifest}: 0 unacknowledged findings of the required packs; findings at their manifest lines`, async () => {
      const report = await check(manifest, 'default,control-tower');
      expect(report.input.kind).toBe('manifest');
      const required = ['aws-solutions', 'nist-800-53-r5', 'control-tower'];
      expect(report.packs.map((p) => p.id)).toEqual(expect.arrayContaining(required));
      const open = report.findings.filter((f) => !f.suppression && required.includes(f.pack));
      expect(open.map((f) => `${f.pack} ${f.ruleId} ${f.location.tier} ${f.location.constructPath}`)).toEqual(
        [],
      );
      // Every tier the manifest is eligible for was checked, and each passed Control Tower with
      // acknowledgements (none of the tiers meets every control by construction).
      const tiers = new Set(report.findings.map((f) => f.location.tier));
      const ct = report.findings.filter((f) => f.pack === 'control-tower');
      for (const tier of tiers)
        expect(
          ct.some((f) => f.location.tier === tier),
          `${tier}`,
        ).toBe(true);
      for (const f of ct) expect(reasonProblem(f.suppression!.reason), f.ruleId).toBeUndefined();
      expect(
        report.counts.error,
        report.findings
          .filter((f) => !f.suppression && f.severity === 'error')
          .map((f) => `${f.ruleId} ${f.location.constructPath}`)
          .join('\n'),
      ).toBe(0);
      expect(report.counts.suppressed).toBeGreaterThan(10);
      const text = readFileSync(manifest, 'utf8');
      for (const f of report.findings) {
        expect(f.location.file).toBe(manifest);
        expect(f.location.tier).toMatch(/^(lean|ecs|eks)$/);
        expect(f.location.constructPath).toMatch(/^[\w-]+\//);
        expect(f.location.line, `${f.ruleId} ${f.location.manifestField}`).toBe(
          lineOf(text, f.location.manifestField!),
        );
        if (f.suppression) expect(f.suppression.reason.length).toBeGreaterThanOrEqual(10);
      }
    }, 240_000);
  }
});
