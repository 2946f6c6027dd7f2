/**
 * The one writer to the user's output directory. Producers hand it content (and the synthesized
 * cloud assembly, which CDK must write to disk itself, in a private staging directory); the
 * writer assembles each tier in `<out>/.<tier>.new`, then swaps it into place with renames, so
 * `<out>/<tier>` is always either the previous complete output or the new complete output.
 * Nothing touches the output directory before every tier was produced successfully.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface TierOutput {
  tier: string;
  /** A cloud assembly to copy to `<tier>/cdk.out`. */
  assemblyDir?: string;
  /** Further files by path relative to `<tier>/`. */
  files: Record<string, string>;
}

export interface WrittenTier {
  tier: string;
  dir: string;
  files: string[];
}

function safeRelative(rel: string): string {
  const norm = path.posix.normalize(rel);
  if (norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm)) {
    throw new Error(`refusing to write outside the tier directory: ${rel}`);
  }
  return norm;
}

export function writeOutput(outDir: string, tiers: readonly TierOutput[]): WrittenTier[] {
  mkdirSync(outDir, { recursive: true });
  const staged: Array<{ tier: string; next: string; final: string; files: string[] }> = [];
  try {
    for (const t of tiers) {
      const final = path.join(outDir, t.tier);
      const next = path.join(outDir, `.${t.tier}.new`);
      rmSync(next, { recursive: true, force: true });
      mkdirSync(next, { recursive: true });
      const files: string[] = [];
      if (t.assemblyDir) {
        cpSync(t.assemblyDir, path.join(next, 'cdk.out'), { recursive: true });
        files.push('cdk.out/');
      }
      for (const [rel, content] of Object.entries(t.files).sort(([a], [b]) => a.localeCompare(b))) {
        const target = path.join(next, safeRelative(rel));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
        files.push(rel);
      }
      staged.push({ tier: t.tier, next, final, files });
    }
  } catch (e) {
    for (const s of staged) rmSync(s.next, { recursive: true, force: true });
    for (const t of tiers) rmSync(path.join(outDir, `.${t.tier}.new`), { recursive: true, force: true });
    throw e;
  }
  const written: WrittenTier[] = [];
  for (const s of staged) {
    const old = path.join(outDir, `.${s.tier}.old`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(s.final)) renameSync(s.final, old);
    renameSync(s.next, s.final);
    rmSync(old, { recursive: true, force: true });
    written.push({ tier: s.tier, dir: s.final, files: s.files });
  }
  return written;
}
