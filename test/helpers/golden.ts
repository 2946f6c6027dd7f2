/**
 * Golden files: expected outputs pinned in test/golden/. Run with UPDATE_GOLDEN=1 to rewrite them
 * (then review the diff in git). A mismatch fails with a unified diff of the two texts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'golden');
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

export function unifiedDiff(expected: string, actual: string, label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'golden-'));
  try {
    const a = path.join(dir, 'expected');
    const b = path.join(dir, 'actual');
    writeFileSync(a, expected);
    writeFileSync(b, actual);
    const r = spawnSync(
      'diff',
      ['-u', '--label', `${label} (golden)`, '--label', `${label} (actual)`, a, b],
      {
        encoding: 'utf8',
      },
    );
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares `actual` with test/golden/<name>, or writes it when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE_GOLDEN) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1 to create it, then review it`,
    );
  }
  const expected = readFileSync(file, 'utf8');
  if (expected !== actual) {
    expect.fail(
      `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it):\n${unifiedDiff(expected, actual, name)}`,
    );
  }
}

/**
 * Compares a CloudFormation template with its golden file resource by resource, so a failure
 * names the logical id (and type) that changed, appeared or disappeared, with a diff of just it.
 */
export function expectGoldenTemplate(name: string, template: Record<string, unknown>): void {
  const text = `${JSON.stringify(template, null, 2)}\n`;
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE_GOLDEN || !existsSync(file)) {
    if (!UPDATE_GOLDEN) {
      throw new Error(
        `golden template ${name} is missing: run the tests with UPDATE_GOLDEN=1 to create it, then review it`,
      );
    }
    expectGolden(name, text);
    return;
  }
  const golden = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  const actual = template as Record<string, Record<string, unknown>>;
  const problems: string[] = [];
  for (const section of ['Resources', 'Outputs', 'Parameters', 'Conditions', 'Rules']) {
    const g = golden[section] ?? {};
    const a = actual[section] ?? {};
    for (const id of [...new Set([...Object.keys(g), ...Object.keys(a)])].sort()) {
      const gs = g[id] === undefined ? undefined : JSON.stringify(g[id], null, 2);
      const as = a[id] === undefined ? undefined : JSON.stringify(a[id], null, 2);
      if (gs === as) continue;
      const type = ((a[id] ?? g[id]) as { Type?: string }).Type ?? section;
      if (gs === undefined) problems.push(`${section}.${id} (${type}) is new`);
      else if (as === undefined) problems.push(`${section}.${id} (${type}) is gone`);
      else problems.push(`${section}.${id} (${type}) changed:\n${unifiedDiff(`${gs}\n`, `${as}\n`, id)}`);
    }
  }
  const rest = (t: Record<string, unknown>) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(t).filter(
          ([k]) => !['Resources', 'Outputs', 'Parameters', 'Conditions', 'Rules'].includes(k),
        ),
      ),
    );
  if (rest(golden) !== rest(actual))
    problems.push(`top-level keys changed:\n${unifiedDiff(rest(golden), rest(actual), 'template')}`);
  if (problems.length) {
    expect.fail(
      `${name} differs from its golden template (UPDATE_GOLDEN=1 rewrites it):\n${problems.join('\n')}`,
    );
  }
}
