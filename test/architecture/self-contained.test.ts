/**
 * A clone of this repository is all a user has: the examples and the README never point at files
 * outside it, and the examples describe the designs they encode in their own words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const EXAMPLES = readdirSync('examples', { recursive: true, encoding: 'utf8' })
  .filter((f) => /stackplan.*\.ya?ml$/.test(f))
  .map((f) => path.join('examples', f))
  .sort();

describe('the examples and the README stand on their own', () => {
  it('finds the example manifests', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...EXAMPLES, 'README.md'])('%s points at nothing outside the repository', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\.\.\/shared|\/work\/shared|seeds\/\d{3}_/);
  });

  it.each(EXAMPLES)('%s describes its source design in words, not by a seed number', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\bseed\s*\d{3}\b/i);
    expect(text.split('\n')[0]).toMatch(/^# .{20,}/);
  });
});
