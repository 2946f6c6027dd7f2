/**
 * The CLI's top level: parses argv against the command table, runs one command, and is the only
 * place that prints errors and picks the exit code (0 ok, 1 bad input, 2 internal error).
 */
import { Command, CommanderError, Option } from 'commander';
import { formatUserError, REPORT_URL, UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { type Io, processIo } from './io.js';

export { VERSION };

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('stackplan')
    .description(
      'Turn a short description of a web application into AWS deployments you can deploy, price and trust.',
    )
    .version(VERSION)
    .showHelpAfterError('(run stackplan --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).description(spec.summary).exitOverride();
    for (const a of spec.args ?? []) cmd.argument(a);
    for (const o of spec.options ?? []) {
      const opt = new Option(o.flags, o.description);
      if (o.default !== undefined) opt.default(o.default);
      if (o.choices) opt.choices(o.choices);
      if (o.repeatable)
        opt.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      cmd.addOption(opt);
    }
    cmd.addHelpText('after', `\nExample:\n  $ ${spec.example}`);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const args = command.args.slice(0, spec.args?.length ?? 0);
      setCode(await spec.run(args, command.opts(), io));
    });
  }
  return program;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit through here with code 0; usage errors were already printed.
      return e.exitCode === 0 ? 0 : 1;
    }
    if (e instanceof UserError) {
      io.err(formatUserError(e));
      return 1;
    }
    const err = e as Error;
    io.err(
      `internal error: ${err?.message ?? String(e)}\n` +
        `This is a bug in stackplan, not in your manifest. Please report it at ${REPORT_URL}\n` +
        (process.env.STACKPLAN_DEBUG
          ? (err?.stack ?? '')
          : 'Run again with STACKPLAN_DEBUG=1 to include the stack trace.'),
    );
    return 2;
  }
}
