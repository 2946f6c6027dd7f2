/**
 * The command table: every command stackplan has, in one place. Each entry declares its
 * arguments and options for the parser and lazily imports its implementation, so `stackplan
 * cost` never pays for loading aws-cdk-lib. Implementations are plain async functions with
 * typed options that tests call directly.
 */
import { TIERS, type TierName } from '../../manifest/tiers.js';
import type { Io } from '../io.js';

export interface OptionSpec {
  flags: string;
  description: string;
  default?: string | boolean;
  choices?: readonly string[];
  /** The option may be given several times (`-f a -f b`); its value is the list, in order. */
  repeatable?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** commander argument syntax, e.g. `<file>` or `[file]`. */
  args?: string[];
  options?: OptionSpec[];
  example: string;
  /** Receives the positional arguments and the parsed options. Returns the exit code. */
  run(args: string[], options: Record<string, unknown>, io: Io): Promise<number>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    summary: 'Write stackplan.yaml from the docker-compose file the app already has, or from a few questions',
    args: ['[dir]'],
    options: [
      {
        flags: '-f, --from-compose <file>',
        description:
          'compose file to convert; repeat to merge several in order, as docker compose -f does (a directory: its compose files)',
        repeatable: true,
      },
      {
        flags: '--profile <name>',
        description: 'compose profile to enable; repeatable (default: COMPOSE_PROFILES)',
        repeatable: true,
      },
      {
        flags: '--env-file <file>',
        description: 'interpolate with this file instead of the .env beside the compose file; repeatable',
        repeatable: true,
      },
      { flags: '--name <name>', description: 'app name (default: the compose project name)' },
      { flags: '--domain <domain>', description: 'the domain the app answers on' },
      { flags: '--alarm-email <email>', description: 'where alarms go' },
      { flags: '--region <region>', description: 'AWS region (default: us-east-1)' },
      {
        flags: '--availability <level>',
        description: 'single-instance, multi-az or multi-az-ha (default: single-instance)',
      },
      { flags: '--rpo-hours <hours>', description: 'most data you accept to lose, in hours (default: 24)' },
      {
        flags: '--service <spec>',
        description:
          'without compose: a service as name=web,kind=api,image=REF|build=DIR,port=8080,route=/; repeatable',
        repeatable: true,
      },
      {
        flags: '--postgres <version>',
        description: 'without compose: PostgreSQL major version, or none (default: 16)',
      },
      {
        flags: '--redis <role>',
        description: 'without compose: cache, broker, cache-and-broker, or none (default: none)',
      },
      {
        flags: '-y, --yes',
        description: 'never ask: take flags and defaults (also the case without a terminal)',
      },
      { flags: '--force', description: 'overwrite an existing stackplan.yaml' },
      { flags: '--dry-run', description: 'print the manifest and the report, write nothing' },
    ],
    example: 'stackplan init --from-compose docker-compose.yml',
    run: async ([dir], o, io) =>
      (await import('./init.js')).init(
        {
          ...(dir !== undefined && { dir }),
          ...(Array.isArray(o.fromCompose) && { fromCompose: o.fromCompose as string[] }),
          ...(Array.isArray(o.profile) && { profiles: o.profile as string[] }),
          ...(Array.isArray(o.envFile) && { envFiles: o.envFile as string[] }),
          ...(typeof o.name === 'string' && { name: o.name }),
          ...(typeof o.domain === 'string' && { domain: o.domain }),
          ...(typeof o.alarmEmail === 'string' && { alarmEmail: o.alarmEmail }),
          ...(typeof o.region === 'string' && { region: o.region }),
          ...(typeof o.availability === 'string' && { availability: o.availability }),
          ...(typeof o.rpoHours === 'string' && { rpoHours: o.rpoHours }),
          ...(Array.isArray(o.service) && { services: o.service as string[] }),
          ...(typeof o.postgres === 'string' && { postgres: o.postgres }),
          ...(typeof o.redis === 'string' && { redis: o.redis }),
          yes: Boolean(o.yes),
          force: Boolean(o.force),
          dryRun: Boolean(o.dryRun),
        },
        io,
      ),
  },
  {
    name: 'validate',
    summary: 'Check a manifest and print every problem with its line and a fix',
    args: ['<file>'],
    options: [
      { flags: '--format <format>', description: 'text or json', default: 'text', choices: ['text', 'json'] },
    ],
    example: 'stackplan validate examples/cloud-consulting/stackplan.yaml',
    run: async ([file], o, io) =>
      (await import('./validate.js')).validate({ file: file!, format: o.format as 'text' | 'json' }, io),
  },
  {
    name: 'plan',
    summary:
      'Plan the tiers side by side, synthesize each as a CDK cloud assembly with its host files, checks and cost',
    args: ['<file>'],
    options: [
      { flags: '-o, --out <dir>', description: 'output directory', default: 'out' },
      { flags: '--tier <tier>', description: 'build only this tier', choices: TIERS },
      {
        flags: '--profile <name>',
        description: 'usage profile for what the manifest does not say (default: from its traffic)',
        choices: ['small', 'medium', 'large'],
      },
      { flags: '--usage <file>', description: 'usage file (YAML) whose values win over the manifest' },
      {
        flags: '--free-tier <regime>',
        description:
          'paid-plan (account from 2025-07-15 on, Paid plan: sign-up credits), legacy (account before 2025-07-15: 12-month offers) or none; free-plan is the deprecated name of paid-plan',
        default: 'paid-plan',
        choices: ['paid-plan', 'legacy', 'none', 'free-plan'],
      },
      {
        flags: '--no-design',
        description: 'skip the design document (DESIGN.md, design.html, design/); a stale one is removed',
      },
      {
        flags: '--verbose',
        description: 'also print every resource type and every compliance acknowledgement with its reason',
      },
    ],
    example: 'stackplan plan examples/cloud-consulting/stackplan.yaml --out out',
    run: async ([file], o, io) =>
      (await import('./plan.js')).plan(
        {
          file: file!,
          out: o.out as string,
          ...(o.tier !== undefined && { tier: o.tier as TierName }),
          ...(o.profile !== undefined && { profile: o.profile as 'small' | 'medium' | 'large' }),
          ...(o.usage !== undefined && { usage: o.usage as string }),
          freeTier: (await import('./cost.js')).freeTierOption(o.freeTier as string, io),
          design: o.design !== false,
          verbose: o.verbose === true,
        },
        io,
      ),
  },
  {
    name: 'serve',
    summary:
      'Open a local planner page: edit the manifest, move traffic and availability, see tiers, diagram and cost change',
    args: ['[file]'],
    options: [
      { flags: '--port <n>', description: 'port on 127.0.0.1 (default: a free one)' },
      { flags: '--open', description: 'open the page in the default browser' },
    ],
    example: 'stackplan serve examples/gyva-shop/stackplan.yaml --open',
    run: async ([file], o, io) =>
      (await import('./serve.js')).serve(
        {
          ...(file !== undefined && { file }),
          ...(typeof o.port === 'string' && { port: o.port }),
          open: o.open === true,
        },
        io,
      ),
  },
  {
    name: 'design',
    summary:
      'Re-render DESIGN.md and design.html from a directory plan wrote, without planning or synthesizing again',
    args: ['[dir]'],
    example: 'stackplan design out',
    run: async ([dir], _o, io) => (await import('./design.js')).design({ dir: dir ?? 'out' }, io),
  },
  {
    name: 'cost',
    summary: 'Price a CloudFormation template or a cdk.out directory, resource by resource',
    args: ['<template>'],
    options: [
      {
        flags: '--usage <file>',
        description: 'usage file (YAML): GB out, requests, tokens … (see examples/usage.yaml)',
      },
      {
        flags: '--profile <name>',
        description: 'built-in usage profile',
        choices: ['small', 'medium', 'large'],
      },
      {
        flags: '--region <region>',
        description: "price in this region (default: each stack's own, else us-east-1)",
      },
      {
        flags: '--free-tier <regime>',
        description:
          'paid-plan (account from 2025-07-15 on, Paid plan: sign-up credits), legacy (account before 2025-07-15: 12-month offers) or none; free-plan is the deprecated name of paid-plan',
        default: 'paid-plan',
        choices: ['paid-plan', 'legacy', 'none', 'free-plan'],
      },
      {
        flags: '--format <format>',
        description: 'table, json or markdown',
        default: 'table',
        choices: ['table', 'json', 'markdown'],
      },
      {
        flags: '--as-of <date>',
        description: 'judge price ages and support windows at this date (YYYY-MM-DD)',
      },
    ],
    example: 'stackplan cost cdk.out --profile small --free-tier legacy',
    run: async ([input], o, io) =>
      (await import('./cost.js')).cost(
        {
          input: input!,
          freeTier: o.freeTier as string,
          format: o.format as string,
          ...(o.usage !== undefined && { usage: o.usage as string }),
          ...(o.profile !== undefined && { profile: o.profile as string }),
          ...(o.region !== undefined && { region: o.region as string }),
          ...(o.asOf !== undefined && { asOf: o.asOf as string }),
        },
        io,
      ),
  },
  {
    name: 'check',
    summary:
      'Check a CloudFormation template, cdk.out or stackplan.yaml with cdk-nag packs and stackplan rules; table, JSON or SARIF',
    args: ['<input>'],
    options: [
      {
        flags: '--pack <ids>',
        description:
          'packs, comma-separated: aws-solutions, nist-800-53-r5, hipaa, pci-dss-321, control-tower, stackplan; default, all',
        default: 'default',
      },
      {
        flags: '--format <format>',
        description: 'table, json or sarif',
        default: 'table',
        choices: ['table', 'json', 'sarif'],
      },
      {
        flags: '--fail-on <level>',
        description: 'exit 3 when an unsuppressed finding is at or above this level',
        default: 'error',
        choices: ['error', 'warning', 'note', 'none'],
      },
      {
        flags: '--ignore-file <file>',
        description:
          'YAML list of accepted findings with reasons (default: .stackplan-check-ignore.yaml if present)',
      },
      { flags: '-o, --output <file>', description: 'write the report to FILE instead of stdout' },
      {
        flags: '--as-of <date>',
        description: 'judge support calendars at this date (YYYY-MM-DD; default today)',
      },
    ],
    example: 'stackplan check out/ecs/cdk.out --format sarif --output check.sarif',
    run: async ([input], o, io) =>
      (await import('./check.js')).check(
        {
          input: input!,
          pack: o.pack as string,
          format: o.format as string,
          failOn: o.failOn as string,
          ...(o.ignoreFile !== undefined && { ignoreFile: o.ignoreFile as string }),
          ...(o.output !== undefined && { output: o.output as string }),
          ...(o.asOf !== undefined && { asOf: o.asOf as string }),
        },
        io,
      ),
  },
  {
    name: 'prices',
    summary: 'Rebuild the price book from AWS Price List bulk files (refresh)',
    args: ['<action>'],
    options: [
      {
        flags: '--offline-dir <dir>',
        description: 'read Price List files from DIR (same paths as the AWS endpoint)',
      },
      {
        flags: '--out <file>',
        description: 'write the new price book here (default: the one stackplan reads)',
      },
      {
        flags: '--regions <list>',
        description: 'comma-separated regions or "all" (default: all offline, us-east-1 online)',
      },
      {
        flags: '--offers <list>',
        description: 'comma-separated offer codes (default: every offer stackplan reads)',
      },
    ],
    example: 'stackplan prices refresh --offline-dir ./pricelist --out pricebook.json',
    run: async ([action], o, io) =>
      (await import('./prices.js')).prices(
        {
          action: action!,
          ...(o.offlineDir !== undefined && { offlineDir: o.offlineDir as string }),
          ...(o.out !== undefined && { out: o.out as string }),
          ...(o.regions !== undefined && { regions: o.regions as string }),
          ...(o.offers !== undefined && { offers: o.offers as string }),
        },
        io,
      ),
  },
  {
    name: 'rehearse',
    summary: 'Run the lean host on this machine (real nginx, PostgreSQL, Redis) and prove it step by step',
    args: ['<file>'],
    options: [
      { flags: '--keep', description: 'keep the temporary directory (logs, data, rendered files)' },
      {
        flags: '--bench',
        description: 'write 100,000 rows and print the figures (cold start, backup, restore, recovery)',
      },
      { flags: '--json <file>', description: 'write the report as JSON to FILE' },
      {
        flags: '--service-cmd <name=cmd...>',
        description:
          'command that starts a service here (overrides services.<name>.rehearse.command); repeatable',
      },
    ],
    example: 'stackplan rehearse examples/cloud-consulting/stackplan.yaml --json rehearse.json',
    run: async ([file], o, io) =>
      (await import('./rehearse.js')).rehearse(
        {
          file: file!,
          keep: Boolean(o.keep),
          bench: Boolean(o.bench),
          ...(typeof o.json === 'string' && { json: o.json }),
          ...(Array.isArray(o.serviceCmd) && { serviceCmd: o.serviceCmd as string[] }),
        },
        io,
      ),
  },
  {
    name: 'doctor',
    summary: 'List what rehearse needs on this machine, what is present, and how to install the rest',
    options: [
      { flags: '--format <format>', description: 'text or json', default: 'text', choices: ['text', 'json'] },
    ],
    example: 'stackplan doctor',
    run: async (_a, o, io) =>
      (await import('./doctor.js')).doctor({ format: o.format as 'text' | 'json' }, io),
  },
  {
    name: 'schema',
    summary: 'Print the JSON Schema of stackplan.yaml (for editors)',
    example: 'stackplan schema > stackplan.schema.json',
    run: async (_a, _o, io) => (await import('./schema.js')).schema(io),
  },
];
