/** The import graph of src/: every static, re-export and dynamic import between its files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const SRC = path.resolve('src');

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
    });
}

const IMPORT =
  /(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Relative imports of a file, resolved to absolute .ts paths. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith('.')) continue;
    out.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** src/<folder> of a file (`errors.ts` for files directly in src/). */
export function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

/** Edges between nodes, each with one file-level example. */
export function graph(node: (file: string) => string): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles()) {
    for (const target of importsOf(file)) {
      const [a, b] = [node(file), node(target)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a)!.has(b)) {
        edges.get(a)!.set(b, `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
  }
  return edges;
}

/** Every cycle (as the nodes on it, with the file edge that makes each step), or []. */
export function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of [...(edges.get(n)?.keys() ?? [])].sort()) {
      if (state.get(m) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(m)), m];
        found.push(cycle.slice(0, -1).map((x, i) => edges.get(x)!.get(cycle[i + 1]!)!));
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}
