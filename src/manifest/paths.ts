/**
 * Paths in a manifest (`build`, `output`, `rehearse.cwd`) point into the manifest's repository and
 * nowhere else: CI builds them, syncs them to the public CDN bucket, and rehearse runs commands in
 * them. The repository is the nearest directory above the manifest that holds `.git` (a directory,
 * or the file a git worktree or submodule has); without one, the manifest's own directory.
 * Symbolic links are followed where the path exists, so a link cannot lead outside either.
 */
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { PathSegment } from './diagnostics.js';
import type { Manifest } from './normalize.js';
import type { Finding } from './rules.js';

/** The repository holding a manifest directory: the nearest ancestor with `.git`, else the directory itself. */
export function repositoryRoot(manifestDir: string): string {
  let dir = path.resolve(manifestDir);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(manifestDir);
    dir = parent;
  }
}

/** The real location of a path: symbolic links resolved for the part of it that exists. */
function realLocation(p: string): string {
  let existing = p;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(realpathSync(existing), ...rest);
  } catch {
    return p;
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface PathField {
  path: PathSegment[];
  /** As written in the manifest (for messages). */
  written: string;
  /** Absolute, resolved against the manifest's directory. */
  resolved: string;
}

function pathFields(m: Manifest, manifestDir: string): PathField[] {
  const out: PathField[] = [];
  for (const s of m.services) {
    if (s.build !== undefined) {
      const build = path.resolve(manifestDir, s.build);
      out.push({ path: ['services', s.name, 'build'], written: s.build, resolved: build });
      if (s.output !== undefined) {
        out.push({
          path: ['services', s.name, s.defaulted.includes('output') ? 'build' : 'output'],
          written: path.posix.join(s.build, s.output),
          resolved: path.resolve(build, s.output),
        });
      }
    }
    if (s.rehearse?.cwd !== undefined) {
      out.push({
        path: ['services', s.name, 'rehearse', 'cwd'],
        written: s.rehearse.cwd,
        resolved: path.resolve(manifestDir, s.rehearse.cwd),
      });
    }
  }
  return out;
}

const WHY: Record<string, string> = {
  build: 'CI builds what it holds',
  output: 'CI uploads what it holds to the public static bucket',
  cwd: 'rehearse runs commands there',
};

/** Every path field that leads outside the manifest's repository, as findings naming the field. */
export function pathFindings(m: Manifest, manifestDir: string): Finding[] {
  const root = repositoryRoot(manifestDir);
  const realRoot = realLocation(root);
  const repository = existsSync(path.join(root, '.git'))
    ? 'the repository that holds the manifest'
    : "the manifest's directory (no .git above it, so that is the repository)";
  const reported = new Set<string>();
  return pathFields(m, manifestDir).flatMap((f): Finding[] => {
    const key = f.path.join('.');
    if (reported.has(key)) return [];
    const lexicallyInside = inside(root, f.resolved);
    if (lexicallyInside && inside(realRoot, realLocation(f.resolved))) return [];
    const field = String(f.path[f.path.length - 1]);
    reported.add(key);
    return [
      {
        severity: 'error',
        code: 'path-outside-repository',
        path: f.path,
        message: `${f.written} leads outside ${repository}${lexicallyInside ? ' through a symbolic link' : ''}, and ${WHY[field] ?? 'stackplan uses it'}`,
        expected: 'a path inside the repository',
        found: lexicallyInside ? 'a symbolic link out of it' : 'a path above it',
        fix: `keep the directory inside the repository and point ${f.path.join('.')} at it with a relative path such as ./web`,
      },
    ];
  });
}
