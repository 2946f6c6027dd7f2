/**
 * `stackplan init [DIR]`: writes DIR/stackplan.yaml, from the app's docker-compose file
 * (--from-compose, several -f merged in order, --profile) or from a few questions on a terminal.
 * With --yes or without a terminal nothing is asked: flags and defaults decide. An existing
 * stackplan.yaml is never overwritten without --force; bad input writes nothing.
 */
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../../errors.js';
import type { Env } from '../../init/compose/interpolate.js';
import { checked, composeFilesIn, type InitOptions, initFromCompose } from '../../init/index.js';
import { appName } from '../../init/map/index.js';
import {
  type Answers,
  type Asker,
  answersToManifest,
  askAll,
  askBasics,
  parseServiceFlag,
  type ServiceAnswer,
  validators,
} from '../../init/questions.js';
import { renderReport } from '../../init/report.js';
import { MANIFEST_FILENAME } from '../../manifest/load.js';
import type { Io } from '../io.js';

export interface InitCommandOptions {
  /** Directory to write stackplan.yaml into. @default . */
  dir?: string;
  /** Compose files, merged in order; a directory means its default compose files. */
  fromCompose?: string[];
  profiles?: string[];
  envFiles?: string[];
  name?: string;
  domain?: string;
  alarmEmail?: string;
  region?: string;
  availability?: string;
  rpoHours?: string;
  /** Without compose: services as name=web,kind=api,image=…,port=8080,route=/ (repeatable). */
  services?: string[];
  /** Without compose: PostgreSQL major version, or none. @default 16 */
  postgres?: string;
  /** Without compose: Redis role, or none. @default none */
  redis?: string;
  yes?: boolean;
  force?: boolean;
  /** Print the manifest instead of writing it. */
  dryRun?: boolean;
  /** Ask on this terminal. @default stdin and stdout are both a TTY and --yes is not given */
  interactive?: boolean;
  /** The environment compose files are interpolated with. @default process.env */
  env?: Env;
  /** @default process.cwd() */
  cwd?: string;
}

function flagProblem(flag: string, value: string, problem: string | undefined): void {
  if (problem)
    throw new UserError(`${flag} ${value}: ${problem}`, {
      actions: [`run stackplan init --help for the flags`],
    });
}

function checkedFlags(o: InitCommandOptions): InitOptions {
  const out: InitOptions = {};
  const flags: Array<[keyof InitOptions, string, string | undefined, (v: string) => string | undefined]> = [
    ['name', '--name', o.name, validators.name],
    ['domain', '--domain', o.domain, validators.domain],
    ['alarmEmail', '--alarm-email', o.alarmEmail, validators.alarmEmail],
    ['region', '--region', o.region, validators.region],
    ['availability', '--availability', o.availability, validators.availability],
    ['rpoHours', '--rpo-hours', o.rpoHours, validators.rpoHours],
  ];
  for (const [key, flag, value, valid] of flags) {
    if (value === undefined) continue;
    flagProblem(flag, value, valid(value));
    (out as Record<string, unknown>)[key] = key === 'rpoHours' ? Number(value) : value;
  }
  return out;
}

/** A terminal asker on stdin/stdout; Ctrl-C or Ctrl-D cancels with nothing written. */
function terminalAsker(io: Io): { asker: Asker; close(): void } {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const ac = new AbortController();
  rl.on('SIGINT', () => ac.abort());
  rl.on('close', () => ac.abort());
  return {
    asker: {
      ask: async (q, def) => {
        try {
          return await rl.question(def ? `${q} [${def}]: ` : `${q}: `, { signal: ac.signal });
        } catch {
          throw new UserError('cancelled: nothing was written');
        }
      },
      say: (t) => io.out(t),
    },
    close: () => rl.close(),
  };
}

/** Writes the manifest so that readers see the old file or the whole new one, never part of it. */
function writeManifest(file: string, text: string, force: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644 });
  try {
    if (force) renameSync(tmp, file);
    else {
      // link fails if the file appeared meanwhile: still no overwrite without --force.
      linkSync(tmp, file);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw existing(file);
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function existing(file: string): UserError {
  return new UserError(`${file} already exists: init does not overwrite it`, {
    actions: [
      `run stackplan init again with --force to replace it`,
      'or give another directory: stackplan init DIR',
    ],
  });
}

export async function init(o: InitCommandOptions, io: Io): Promise<number> {
  const cwd = o.cwd ?? process.cwd();
  const dir = path.resolve(cwd, o.dir ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new UserError(`${o.dir} is a file, not a directory`, {
      actions: [`pass the directory to write ${MANIFEST_FILENAME} into (default: the current one)`],
    });
  }
  const outFile = path.join(dir, MANIFEST_FILENAME);
  const shown = path.relative(cwd, outFile) || MANIFEST_FILENAME;
  if (!o.force && !o.dryRun && existsSync(outFile)) throw existing(shown);
  const flags = checkedFlags(o);
  const interactive = o.interactive ?? (!o.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY));
  const term = interactive ? terminalAsker(io) : undefined;
  try {
    let fromCompose = o.fromCompose;
    if (!fromCompose?.length) {
      const found = composeFilesIn(dir);
      if (found.length && term) {
        const rel = found.map((f) => path.relative(cwd, f) || f);
        const yes = (await term.asker.ask(`Start from ${rel.join(' + ')}? (y/n)`, 'y')).trim().toLowerCase();
        if (yes === '' || yes.startsWith('y')) fromCompose = rel;
      } else if (found.length) {
        io.err(
          `note: ${found.map((f) => path.relative(cwd, f)).join(' + ')} is here; stackplan init --from-compose ${path.relative(cwd, found[0]!) || found[0]} converts it`,
        );
      }
    }
    if (fromCompose?.length)
      return await fromComposeFiles(o, fromCompose, flags, outFile, shown, cwd, io, term?.asker);
    return await fromQuestions(o, flags, dir, outFile, shown, io, term?.asker);
  } finally {
    term?.close();
  }
}

async function fromComposeFiles(
  o: InitCommandOptions,
  files: string[],
  flags: InitOptions,
  outFile: string,
  shown: string,
  cwd: string,
  io: Io,
  asker: Asker | undefined,
): Promise<number> {
  const base = {
    files,
    ...(o.profiles && { profiles: o.profiles }),
    ...(o.envFiles && { envFiles: o.envFiles }),
    ...(o.env && { env: o.env }),
    cwd,
    outFile,
  };
  let result = initFromCompose({ ...base, ...flags });
  if (asker) {
    // Ask what compose cannot say, proposing what the conversion found.
    const m = result.manifest;
    const basics = await askBasics(asker, {
      name: flags.name ?? String(m.name),
      ...((flags.domain ?? m.domain) !== undefined && { domain: String(flags.domain ?? m.domain) }),
      ...(flags.alarmEmail && { alarmEmail: flags.alarmEmail }),
      ...(flags.availability && { availability: flags.availability }),
      ...(flags.rpoHours !== undefined && { rpoHours: flags.rpoHours }),
    });
    result = initFromCompose({ ...base, ...flags, ...basics });
  }
  const services = Object.keys(result.manifest.services as object).length;
  if (o.dryRun) io.out(result.text);
  else writeManifest(outFile, result.text, Boolean(o.force));
  io.out(
    renderReport(result.report, {
      sources: result.sources,
      manifestFile: shown,
      written: !o.dryRun,
      services,
    }),
  );
  return 0;
}

async function fromQuestions(
  o: InitCommandOptions,
  flags: InitOptions,
  dir: string,
  outFile: string,
  shown: string,
  io: Io,
  asker: Asker | undefined,
): Promise<number> {
  const defName = flags.name ?? appName(path.basename(dir));
  let answers: Answers;
  if (asker) {
    answers = await askAll(asker, {
      name: defName,
      ...(flags.domain && { domain: flags.domain }),
      ...(flags.alarmEmail && { alarmEmail: flags.alarmEmail }),
      ...(flags.availability && { availability: flags.availability }),
      ...(flags.rpoHours !== undefined && { rpoHours: flags.rpoHours }),
    });
    if (flags.region) answers.region = flags.region;
  } else {
    const services: ServiceAnswer[] = [];
    for (const spec of o.services ?? []) {
      const s = parseServiceFlag(spec);
      if (typeof s === 'string')
        throw new UserError(`--service ${spec}: ${s}`, {
          actions: ['run stackplan init --help for the --service format'],
        });
      if (services.some((x) => x.name === s.name)) throw new UserError(`--service ${s.name} is given twice`);
      services.push(s);
    }
    if (!services.length) services.push({ name: 'web', kind: 'api', build: '.', port: 8080, route: '/' });
    const postgres = o.postgres ?? '16';
    flagProblem('--postgres', postgres, validators.postgres(postgres));
    const redis = o.redis ?? 'none';
    flagProblem('--redis', redis, validators.redis(redis));
    const domain = flags.domain ?? `${defName}.example.com`;
    answers = {
      name: defName,
      domain,
      alarmEmail: flags.alarmEmail ?? `ops@${domain}`,
      ...(flags.region && { region: flags.region }),
      services,
      postgres,
      redis: redis as Answers['redis'],
      availability: flags.availability ?? 'single-instance',
      rpoHours: flags.rpoHours ?? 24,
    };
  }
  if (!answers.services.length) {
    throw new UserError('an app needs at least one service: nothing was written', {
      actions: ['run stackplan init again and name a service (web, for example)'],
    });
  }
  const { manifest, comments } = answersToManifest(answers);
  const text = checked(
    {
      manifest,
      comments,
      header: [
        'Generated by stackplan init. Every field is documented in the schema (stackplan schema);',
        'check it, then run: stackplan validate stackplan.yaml && stackplan plan stackplan.yaml',
      ],
      report: [],
    },
    outFile,
  );
  if (o.dryRun) io.out(text);
  else writeManifest(outFile, text, Boolean(o.force));
  const n = answers.services.length;
  io.out(
    `stackplan init: ${o.dryRun ? 'would write' : 'wrote'} ${shown} (${answers.name}, ${n} service${n === 1 ? '' : 's'}${answers.postgres !== 'none' ? `, PostgreSQL ${answers.postgres}` : ''}${answers.redis !== 'none' ? `, Redis as ${answers.redis}` : ''})\n\nnext: stackplan plan ${shown}`,
  );
  return 0;
}
