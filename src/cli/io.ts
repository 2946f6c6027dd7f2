import type { Io } from '../pipeline/io.js';

export type { Io };

export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
};

/**
 * Collects output in memory, for tests. `text()` is what processIo would have written (stdout,
 * then stderr): each chunk as a line, a newline added only where the chunk lacks one — without
 * the very last newline.
 */
export function memoryIo(): Io & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => {
      stdout.push(t);
    },
    err: (t) => {
      stderr.push(t);
    },
    text: () =>
      [...stdout, ...stderr]
        .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
        .join('')
        .replace(/\n$/, ''),
  };
}
