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

export interface RootOutput {
  /** Files beside the tier directories (DESIGN.md, design/…), by path relative to the output directory. */
  files?: Record<string, string>;
  /** Top-level entries to remove (a document `--no-design` no longer keeps in step with the tiers). */
  remove?: readonly string[];
}

const ROOT_STAGING = '.root.new';

export function writeOutput(
  outDir: string,
  tiers: readonly TierOutput[],
  root: RootOutput = {},
): WrittenTier[] {
  mkdirSync(outDir, { recursive: true });
  const staged: Array<{ tier: string; next: string; final: string; files: string[] }> = [];
  const rootNext = path.join(outDir, ROOT_STAGING);
  const rootFiles = Object.keys(root.files ?? {}).sort((a, b) => a.localeCompare(b));
  try {
    rmSync(rootNext, { recursive: true, force: true });
    for (const rel of rootFiles) {
      const norm = safeRelative(rel);
      if (tiers.some((t) => norm === t.tier || norm.startsWith(`${t.tier}/`)))
        throw new Error(`refusing to write ${rel} over the ${norm.split('/')[0]} tier's directory`);
      const target = path.join(rootNext, norm);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, root.files![rel]!);
    }
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
    rmSync(rootNext, { recursive: true, force: true });
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
  // Top-level entries: each one swapped in whole (a directory by two renames, like a tier).
  const tops = [...new Set(rootFiles.map((f) => path.posix.normalize(f).split('/')[0]!))];
  for (const name of root.remove ?? [])
    if (!tops.includes(name)) rmSync(path.join(outDir, name), { recursive: true, force: true });
  for (const name of tops) {
    const final = path.join(outDir, name);
    const old = path.join(outDir, `.${name}.old`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(final)) renameSync(final, old);
    renameSync(path.join(rootNext, name), final);
    rmSync(old, { recursive: true, force: true });
  }
  rmSync(rootNext, { recursive: true, force: true });
  return written;
}
