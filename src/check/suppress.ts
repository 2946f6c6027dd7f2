/**
 * Suppressions: a finding that someone accepted on purpose is reported as suppressed, with the
 * reason, never dropped. Two sources:
 *
 * - acknowledgements in the input itself: CDK's `Validations.of(construct).acknowledge({id,
 *   reason})` (the `aws:cdk:acknowledged-rules` metadata of a cloud assembly, which cdk-nag 3
 *   writes) and cdk-nag's `Metadata.cdk_nag.rules_to_suppress` on a template resource. They
 *   match the way cdk-nag matches: on the construct or any ancestor, and for a finding with a
 *   part (`AwsSolutions-IAM5[Resource::*]`) only that exact id;
 * - a check ignore file (YAML), for templates that carry no acknowledgements: each entry names a
 *   rule, optionally a stack, resource and file, a reason of at least 10 characters, and
 *   optionally an expiry date after which it no longer applies.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { CheckStack } from './input.js';
import type { Suppression } from './types.js';

/** Shortest reason accepted (cdk-nag v2 refused shorter ones). */
export const MIN_REASON_LENGTH = 10;

/** Looked for in the working directory when --ignore-file is not given. */
export const DEFAULT_IGNORE_FILE = '.stackplan-check-ignore.yaml';

export interface IgnoreEntry {
  rule: string;
  stack?: string;
  resource?: string;
  file?: string;
  reason: string;
  expires?: string;
  /** file:line of the entry, for reports. */
  where: string;
  used: boolean;
}

async function schemas() {
  const { z } = await import('zod');
  const EntrySchema = z.strictObject({
    rule: z
      .string()
      .min(1)
      .describe(
        'Rule id (SP-image-tag, AwsSolutions-IAM5, AwsSolutions-IAM5[Resource::*], CT.S3.PR.1); * matches any characters',
      ),
    stack: z.string().min(1).optional().describe('Stack name; * matches any characters'),
    resource: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Logical id, or a construct path (matches it and everything below it); * matches any characters',
      ),
    file: z.string().min(1).optional().describe('Template file, relative to the ignore file'),
    reason: z
      .string()
      .refine((s) => s.trim().length >= MIN_REASON_LENGTH, {
        message: `a reason of at least ${MIN_REASON_LENGTH} characters is required`,
      })
      .describe('Why this finding is accepted'),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be a YYYY-MM-DD date')
      .optional()
      .describe('Last day the entry applies'),
  });

  const FileSchema = z.strictObject({ ignore: z.array(z.unknown()) });
  return { EntrySchema, FileSchema };
}

/** Reads and validates an ignore file; every problem is reported with its line. */
export async function readIgnoreFile(file: string): Promise<IgnoreEntry[]> {
  const { isMap, isSeq, LineCounter, parseDocument } = await import('yaml');
  const { EntrySchema, FileSchema } = await schemas();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ignore file ${file}: ${(e as Error).message}`, {
      actions: ['Check the path given to --ignore-file'],
    });
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new UserError(`${file}:${e.linePos?.[0]?.line ?? 1}: not valid YAML: ${e.message.split('\n')[0]}`, {
      actions: ['Fix the YAML at that line'],
    });
  }
  const data = doc.toJS() ?? { ignore: [] };
  const top = FileSchema.safeParse(data);
  if (!top.success) {
    throw new UserError(`${file}:1: an ignore file is a map with one key, ignore: a list of entries`, {
      actions: [
        'Start the file with "ignore:" and list entries under it (see the README, "Suppressing findings")',
      ],
    });
  }
  const seq = isMap(doc.contents) ? doc.contents.get('ignore', true) : undefined;
  const lineOf = (i: number): number => {
    const item = isSeq(seq) ? (seq.items[i] as { range?: [number] } | undefined) : undefined;
    return item?.range ? lc.linePos(item.range[0]).line : 1;
  };
  const problems: string[] = [];
  const entries: IgnoreEntry[] = [];
  top.data.ignore.forEach((raw, i) => {
    const r = EntrySchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        problems.push(
          `${file}:${lineOf(i)}: ignore[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
        );
      }
      return;
    }
    const e: IgnoreEntry = { ...r.data, where: `${file}:${lineOf(i)}`, used: false } as IgnoreEntry;
    if (e.file) e.file = path.resolve(path.dirname(file), e.file);
    entries.push(e);
  });
  if (problems.length) {
    throw new UserError(`${file} is not a valid ignore file`, {
      detail: problems.join('\n'),
      actions: ['Fix each entry above: every entry needs rule and a reason of at least 10 characters'],
    });
  }
  return entries;
}

/** The ignore file to use: the one given, else .stackplan-check-ignore.yaml in the working directory. */
export function findIgnoreFile(given?: string): string | undefined {
  if (given) return given;
  return existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined;
}

function glob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

export interface Suppressible {
  ruleId: string;
  detail?: string;
  /** Whether the finding came from cdk-nag (exact `rule[detail]` matching). */
  nag: boolean;
  stack: CheckStack;
  logicalId?: string;
  constructPath?: string;
}

/** The id forms an acknowledgement may name for this finding. */
function ids(f: Suppressible): string[] {
  if (f.detail === undefined) return [f.ruleId];
  const exact = `${f.ruleId}[${f.detail}]`;
  return f.nag ? [exact] : [f.ruleId, exact];
}

const isAncestor = (ancestor: string, p: string) => {
  const a = ancestor.replace(/^\//, '').replace(/\/$/, '');
  return p === a || p.startsWith(`${a}/`);
};

/** The acknowledgement written in the input that covers a finding, if any. */
export function acknowledgementFor(f: Suppressible): Suppression | undefined {
  const wanted = ids(f);
  for (const a of f.stack.acknowledgements) {
    if (!wanted.includes(a.rule)) continue;
    const covers = a.logicalId
      ? a.logicalId === f.logicalId
      : f.constructPath !== undefined && isAncestor(a.path, f.constructPath);
    if (!covers) continue;
    return {
      kind: 'acknowledgement',
      reason: a.reason,
      source: a.logicalId
        ? `${path.basename(f.stack.file)} Resources.${a.logicalId}.Metadata.cdk_nag`
        : a.path,
    };
  }
  return undefined;
}

/** The ignore-file entry that covers a finding, if any (expired entries never match). */
export function ignoreEntryFor(
  f: Suppressible,
  entries: IgnoreEntry[],
  asOf: string,
): Suppression | undefined {
  const full = f.detail !== undefined ? `${f.ruleId}[${f.detail}]` : f.ruleId;
  for (const e of entries) {
    if (e.expires && e.expires < asOf) continue;
    if (!glob(e.rule, f.ruleId) && !glob(e.rule, full)) continue;
    if (e.stack && !glob(e.stack, f.stack.name)) continue;
    if (e.file && path.resolve(e.file) !== path.resolve(f.stack.file)) continue;
    if (e.resource) {
      const byId = f.logicalId !== undefined && glob(e.resource, f.logicalId);
      const byPath =
        f.constructPath !== undefined &&
        (isAncestor(e.resource, f.constructPath) || glob(e.resource, f.constructPath));
      if (!byId && !byPath) continue;
    }
    e.used = true;
    return { kind: 'ignore-file', reason: e.reason.trim(), source: e.where };
  }
  return undefined;
}
