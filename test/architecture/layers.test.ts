/**
 * The shape of src/: folders import each other without cycles (and so do files), and outside a
 * tier's own folder no code branches on a tier's name — a new tier is one folder and one line in
 * src/tiers/registry.ts, and nothing else has to learn its name.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIERS } from '../../src/manifest/schema.js';
import { cycles, folderOf, graph, SRC, sourceFiles } from './imports.js';

describe('imports between the folders of src/', () => {
  it('form no cycle', () => {
    expect(cycles(graph(folderOf))).toEqual([]);
  });

  it('form no cycle between files either', () => {
    expect(cycles(graph((f) => f))).toEqual([]);
  });

  it('keep the manifest layer and the model below the planner and the tiers', () => {
    const edges = graph(folderOf);
    for (const low of ['manifest', 'model', 'price', 'render']) {
      const up = [...(edges.get(low)?.keys() ?? [])].filter((f) => ['plan', 'tiers', 'cli'].includes(f));
      expect(up, `${low} imports ${up.join(', ')}`).toEqual([]);
    }
  });

  it('finds a cycle when there is one', () => {
    const edges = new Map([
      ['a', new Map([['b', 'a/x.ts → b/y.ts']])],
      ['b', new Map([['c', 'b/y.ts → c/z.ts']])],
      ['c', new Map([['a', 'c/z.ts → a/x.ts']])],
    ]);
    expect(cycles(edges)).toEqual([['a/x.ts → b/y.ts', 'b/y.ts → c/z.ts', 'c/z.ts → a/x.ts']]);
  });
});

/** Code that branches on a tier's name: comparisons, switch cases, plan.<tier> and ['<tier>']. */
function branchesOn(name: string): RegExp[] {
  const q = `['"\`]${name}['"\`]`;
  return [
    new RegExp(`[!=]==?\\s*${q}`),
    new RegExp(`${q}\\s*[!=]==?`),
    new RegExp(`\\bcase\\s+${q}`),
    new RegExp(`[\\w)\\]!]\\.${name}\\b(?!\\s*\\()`),
    new RegExp(`\\[\\s*${q}\\s*\\]`),
  ];
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe("no code branches on a tier's name outside the tier's folder", () => {
  const files = sourceFiles();

  it.each(TIERS)('%s', (name) => {
    const own = path.join(SRC, 'tiers', name) + path.sep;
    const hits = files
      .filter((f) => !f.startsWith(own))
      .flatMap((f) =>
        withoutComments(readFileSync(f, 'utf8'))
          .split('\n')
          .flatMap((line, i) =>
            branchesOn(name).some((re) => re.test(line))
              ? [`${path.relative(SRC, f)}:${i + 1}: ${line.trim()}`]
              : [],
          ),
      );
    expect(hits).toEqual([]);
  });

  it('catches a branch when there is one', () => {
    for (const line of [
      "if (tier === 'lean') {",
      "case 'ecs':",
      'const lean = plan.lean;',
      "const x = plan.tiers['eks'];",
      "'ecs' !== t",
    ]) {
      expect(
        TIERS.some((n) => branchesOn(n).some((re) => re.test(line))),
        line,
      ).toBe(true);
    }
    expect(branchesOn('ecs').some((re) => re.test('new ecs.Cluster(this)'))).toBe(false);
  });
});
