/**
 * Commands: compose's string form split into argv as compose does (shell-style words, quotes,
 * backslashes, no expansion), and what a command says about a service: a background worker and
 * its queue framework, a database migration, a dev server.
 */

/** Splits a command string into words like a POSIX shell (without expansion). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (inWord) words.push(cur);
  return words;
}

/** A compose `command`/`entrypoint` value as argv (undefined when absent). */
export function argv(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return shellWords(String(v));
}

export type Queue = 'celery' | 'sidekiq' | 'rq' | 'bullmq' | 'resque' | 'dramatiq' | 'huey' | 'arq' | 'n8n';

export interface WorkerSignal {
  queue?: Queue;
  /** A scheduler that must run once (celery beat, `-B`, clock processes). */
  scheduler: boolean;
  what: string;
}

/** What a long-running command without a port does, when it says so. */
export function workerSignal(
  cmd: string,
  env: Record<string, string | undefined> = {},
): WorkerSignal | undefined {
  const c = cmd.toLowerCase();
  const beat = /\bcelery\b.*\bbeat\b/.test(c) || /\bcelery\b.*\sworker\b.*\s-b\b/.test(c);
  if (/\bcelery\b/.test(c) && /\b(worker|beat)\b/.test(c)) {
    return { queue: 'celery', scheduler: beat, what: beat ? 'Celery worker with beat' : 'Celery worker' };
  }
  if (/\bsidekiq\b/.test(c)) return { queue: 'sidekiq', scheduler: false, what: 'Sidekiq' };
  if (/\brq(worker| worker)\b/.test(c) || /\brqworker\b/.test(c))
    return { queue: 'rq', scheduler: false, what: 'RQ worker' };
  if (/\b(resque|rake (resque|jobs):work)\b/.test(c))
    return { queue: 'resque', scheduler: false, what: 'Resque' };
  if (/\bdramatiq\b/.test(c)) return { queue: 'dramatiq', scheduler: false, what: 'Dramatiq' };
  if (/\bhuey_consumer\b|\brun_huey\b/.test(c)) return { queue: 'huey', scheduler: false, what: 'Huey' };
  if (/\barq\b/.test(c)) return { queue: 'arq', scheduler: false, what: 'arq' };
  if (/\b(bull|bullmq)\b/.test(c)) return { queue: 'bullmq', scheduler: false, what: 'BullMQ worker' };
  if (/(^|\s)(n8n\s+)?worker(\s|$)/.test(c) && env.EXECUTIONS_MODE === 'queue') {
    return { queue: 'n8n', scheduler: false, what: 'n8n queue worker (BullMQ)' };
  }
  if (
    /\b(qcluster|process_tasks|good_job|solid_queue|jobs:work|delayed_job|que\b|queue:work|horizon|faktory)/.test(
      c,
    )
  ) {
    return { scheduler: false, what: 'a job worker' };
  }
  if (/\b(clock|scheduler|cron|beat)\b/.test(c)) return { scheduler: true, what: 'a scheduler' };
  if (/\bworker\b/.test(c)) return { scheduler: false, what: 'a worker' };
  return undefined;
}

/** Commands that migrate a database schema. */
export function isMigrationCommand(cmd: string): boolean {
  return /\b(migrate|migration|migrations|alembic\s+upgrade|db:migrate|db:prepare|db:setup|prisma\s+migrate|knex\s+migrate|sequelize\s+db:migrate|typeorm\s+migration:run|flyway|liquibase|goose\s+up|diesel\s+migration|prestart|db\s+upgrade|createdb|initdb|upgradedb)\b/i.test(
    cmd,
  );
}

/** Service names of one-shot setup jobs. */
export const ONE_SHOT_NAME =
  /(^|[-_])(migrat\w*|prestart|pre-start|init|setup|bootstrap|seed|db-?init|db-?setup)([-_]|$)/;

/** Dev servers: a command that reloads on change says the file was written for development. */
export function isDevServer(cmd: string): boolean {
  return /(--reload\b|\brunserver\b|\bnodemon\b|\bnpm run dev\b|\byarn dev\b|\bpnpm dev\b|\bnext dev\b|\bvite(\s|$)|\bfastapi dev\b|\bflask run\b.*--debug|\bmix phx\.server\b)/.test(
    cmd,
  );
}
