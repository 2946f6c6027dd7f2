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
