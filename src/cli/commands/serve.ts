/**
 * `stackplan serve [FILE]`: a local planner page on 127.0.0.1 — the manifest in an editor with
 * validate's diagnostics, the tiers side by side, what-if controls, each tier's diagram and cost,
 * and the plan as a zip. Runs until interrupted (Ctrl-C).
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { MANIFEST_FILENAME } from '../../manifest/load.js';
import type { Io } from '../io.js';

export interface ServeCommandOptions {
  /** The manifest (or a directory holding stackplan.yaml). @default stackplan.yaml */
  file?: string;
  /** @default a free port */
  port?: string;
  /** Open the page in the default browser. @default false */
  open?: boolean;
  /** Resolves when the server should stop (tests); by default SIGINT/SIGTERM. */
  until?: Promise<void>;
  /** Called with the URL once listening (tests, bench). */
  onListening?: (url: string) => void;
}

function manifestFile(input: string): string {
  if (!existsSync(input)) {
    throw new UserError(`${input}: no such file`, {
      actions: [
        `pass the manifest: stackplan serve path/to/${MANIFEST_FILENAME}`,
        `or write one: stackplan init`,
      ],
    });
  }
  if (statSync(input).isDirectory()) {
    const inner = path.join(input, MANIFEST_FILENAME);
    if (!existsSync(inner))
      throw new UserError(`${input} is a directory without a ${MANIFEST_FILENAME}`, {
        actions: [`pass the manifest file itself, or write one: stackplan init ${input}`],
      });
    return inner;
  }
  return input;
}

function parsePort(p: string | undefined): number {
  if (p === undefined) return 0;
  if (!/^\d{1,5}$/.test(p) || Number(p) > 65535)
    throw new UserError(`--port ${p} is not a port number`, {
      actions: ['give a number from 1 to 65535, or leave --port out for a free one'],
    });
  return Number(p);
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* the URL is printed */
  }
}

export async function serve(opts: ServeCommandOptions, io: Io): Promise<number> {
  const file = manifestFile(opts.file ?? MANIFEST_FILENAME);
  const port = parsePort(opts.port);
  const [{ PlannerSession }, { startServer }] = await Promise.all([
    import('../../serve/session.js'),
    import('../../serve/server.js'),
  ]);
  const session = new PlannerSession({ file });
  // Warm up (synthesize every tier in the worker) a second after start when no page has come by
  // then; a page that does asks for its own costs, which starts the same synthesis, and its first
  // paint does not share the machine with a warm-up.
  const warm = setTimeout(() => {
    void session.evaluate(session.read().text, {}, { wait: true }).catch(() => undefined);
  }, 1000);
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({
      session,
      port,
      onPageLoad: () => clearTimeout(warm),
      onError: (e) => io.err(`serve: a request failed and was answered with 500: ${e.message}\n`),
    });
  } catch (e) {
    clearTimeout(warm);
    session.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new UserError(`cannot listen on 127.0.0.1:${port} (${code})`, {
        actions: ['pick another port with --port N, or leave --port out for a free one'],
      });
    throw e;
  }
  io.out(
    `stackplan serve: planning ${file} at ${running.url}\n(listening on 127.0.0.1 only; Ctrl-C stops it)\n`,
  );
  opts.onListening?.(running.url);
  if (opts.open) openBrowser(running.url);
  await (opts.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  clearTimeout(warm);
  await running.close();
  session.close();
  return 0;
}
