/**
 * `stackplan design DIR`: re-renders DESIGN.md, its figures and design.html from what `plan` wrote
 * to DIR (design/design.json, each tier's template, cost and compliance reports, its cloud
 * assembly's construct paths) — no planning, no synthesis — through the one writer.
 */
import * as path from 'node:path';
import { readDesignInput, renderDesignFiles } from '../../design/write.js';
import { writeOutput } from '../../output/writer.js';
import type { Io } from '../io.js';

export interface DesignCommandOptions {
  /** A directory `stackplan plan` wrote. @default out */
  dir: string;
}

export async function design(opts: DesignCommandOptions, io: Io): Promise<number> {
  const dir = path.resolve(opts.dir);
  const input = readDesignInput(dir);
  const files = await renderDesignFiles(input);
  writeOutput(dir, [], { files });
  const shown = path.relative(process.cwd(), dir) || '.';
  const figures = Object.keys(files).filter((f) => f.endsWith('.svg')).length;
  io.out(`wrote ${shown}/DESIGN.md (${figures} figures in ${shown}/design/) and ${shown}/design.html\n`);
  return 0;
}
