/**
 * Recognising a static site in a Dockerfile: a last stage that is a plain file server (nginx,
 * httpd, Caddy…) copying a built directory out of an earlier stage that ran `npm|yarn|pnpm|bun
 * run build`. Then the service is `kind: static`, built from the directory the build ran in, with
 * `output` the built folder relative to it. Anything less clear stays a container.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface StaticSite {
  /** Absolute directory on the host where `npm run build` runs. */
  buildDir: string;
  /** Built files, relative to buildDir. */
  output: string;
  /** The Dockerfile and the line of the COPY --from that served the files. */
  dockerfile: string;
  line: number;
}

interface Instr {
  op: string;
  args: string;
  line: number;
}

function instructions(text: string): Instr[] {
  const out: Instr[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    const start = i + 1;
    if (/^\s*#/.test(l) || !l.trim()) continue;
    while (/\\\s*$/.test(l) && i + 1 < lines.length) {
      l = l.replace(/\\\s*$/, ' ') + lines[++i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(l);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start });
  }
  return out;
}

const FILE_SERVERS =
  /^(nginx|nginxinc\/nginx-unprivileged|httpd|caddy|lipanski\/docker-static-website|joseluisq\/static-web-server|pierrezemb\/gostatic)(:|@|$)/;
const BUILD_RUN = /\b(npm|yarn|pnpm|bun)\s+(run\s+)?build\b|\bnpx\s+(vite|ng)\s+build\b|\bng\s+build\b/;

function flagless(args: string): string[] {
  return args.split(/\s+/).filter((a) => a && !a.startsWith('--'));
}

export function detectStaticSite(context: string, dockerfile: string | undefined): StaticSite | undefined {
  const file = path.resolve(context, dockerfile ?? 'Dockerfile');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const all = instructions(text);
  const stages: Array<{ name?: string; image: string; instrs: Instr[] }> = [];
  for (const ins of all) {
    if (ins.op === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins.args);
      stages.push({
        image: (m?.[1] ?? '').toLowerCase(),
        ...(m?.[2] && { name: m[2].toLowerCase() }),
        instrs: [],
      });
    } else stages[stages.length - 1]?.instrs.push(ins);
  }
  const last = stages[stages.length - 1];
  if (!last || !FILE_SERVERS.test(last.image)) return undefined;
  for (const ins of last.instrs) {
    if (ins.op !== 'COPY') continue;
    const from = /--from=(\S+)/.exec(ins.args)?.[1]?.toLowerCase();
    if (!from) continue;
    const [src, dest] = flagless(ins.args);
    if (
      !src ||
      !dest ||
      !/\/(usr\/share\/nginx\/html|usr\/local\/apache2\/htdocs|srv|var\/www|public|home\/static)/.test(dest)
    )
      continue;
    const stage = stages.find((s) => s.name === from) ?? stages[Number(from)];
    if (!stage) continue;
    // Replay the stage: where did the build run, and which host directory is that?
    let workdir = '/';
    let buildDir: string | undefined;
    const copies: Array<{ src: string; dest: string }> = [];
    for (const s of stage.instrs) {
      if (s.op === 'WORKDIR') workdir = path.posix.resolve(workdir, s.args.trim());
      else if ((s.op === 'COPY' || s.op === 'ADD') && !/--from=/.test(s.args)) {
        const words = flagless(s.args);
        const d = words[words.length - 1];
        if (!d) continue;
        const destAbs = path.posix.resolve(workdir, d);
        for (const w of words.slice(0, -1)) copies.push({ src: w, dest: destAbs });
      } else if (s.op === 'RUN' && BUILD_RUN.test(s.args)) buildDir = workdir;
    }
    if (!buildDir) continue;
    const srcAbs = path.posix.resolve(buildDir, src);
    if (!srcAbs.startsWith(`${buildDir}/`)) continue;
    // The host directory copied onto buildDir (or a parent of it), longest destination first.
    const match = copies
      .filter((c) => !/\.(json|lock|ya?ml|toml|npmrc)$/.test(c.src) || c.src.endsWith('/'))
      .filter((c) => buildDir === c.dest || buildDir!.startsWith(`${c.dest}/`))
      .sort((a, b) => b.dest.length - a.dest.length)[0];
    if (!match) continue;
    const hostRoot = path.resolve(context, match.src);
    const hostBuildDir = path.join(hostRoot, path.posix.relative(match.dest, buildDir));
    return {
      buildDir: hostBuildDir,
      output: path.posix.relative(buildDir, srcAbs).replace(/\/$/, '') || '.',
      dockerfile: file,
      line: ins.line,
    };
  }
  return undefined;
}
