/**
 * Usage files: YAML, every key documented in docs/cost.md and examples/usage.yaml. Parsed with a
 * strict schema, so a misspelt key is an error naming the file and the key, not a silent $0.
 * Imported lazily: `stackplan cost` without --usage never loads yaml or zod.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { PROFILE_NAMES, USAGE_KEYS, type Usage } from './usage.js';

const amount = z.number().nonnegative();
const perResource = z.record(z.string(), amount);

export const UsageFileSchema = z.strictObject({
  version: z.literal(1).optional().describe('Usage file format version.'),
  profile: z
    .enum(PROFILE_NAMES as [string, ...string[]])
    .optional()
    .describe('Built-in profile for everything not given.'),
  parameters: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
    )
    .optional()
    .describe('Template parameter values; a list parameter takes a list or a comma-separated string.'),
  dataTransferOutGb: amount.optional(),
  requestsPerMonth: amount.optional(),
  bedrock: z
    .array(
      z.strictObject({
        model: z.string().min(1),
        inputTokens: amount.optional(),
        outputTokens: amount.optional(),
      }),
    )
    .optional(),
  ses: z.strictObject({ emails: amount.optional() }).nullable().optional(),
  defaults: z
    .strictObject({
      bedrockInputTokens: amount.optional(),
      bedrockOutputTokens: amount.optional(),
      sesEmails: amount.optional(),
    })
    .optional(),
  types: z.record(z.string(), perResource).optional(),
  resources: z.record(z.string(), perResource).optional(),
  properties: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .describe('Property values for what the template leaves to something outside it.'),
});

function fail(file: string, problems: string[]): never {
  throw new UserError(`${file} is not a valid usage file`, {
    detail: problems.map((p) => `${file}: ${p}`).join('\n'),
    actions: ['Fix the keys above; every key is documented in docs/cost.md and examples/usage.yaml'],
  });
}

/** Checks type-level keys against USAGE_KEYS (resource-level keys are checked against the templates). */
export function checkTypeKeys(types: Record<string, Record<string, number>> | undefined): string[] {
  const problems: string[] = [];
  for (const [type, values] of Object.entries(types ?? {})) {
    const known = USAGE_KEYS[type];
    if (!known) {
      problems.push(
        `types.${type}: no usage keys for this type (types with usage: ${Object.keys(USAGE_KEYS).join(', ')})`,
      );
      continue;
    }
    for (const k of Object.keys(values)) {
      if (!(k in known))
        problems.push(
          `types.${type}.${k}: not a usage key of ${type} (valid: ${Object.keys(known).join(', ')})`,
        );
    }
  }
  return problems;
}

export function parseUsage(text: string, file: string): Usage {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    fail(file, [`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  if (doc === null || doc === undefined) doc = {};
  const r = UsageFileSchema.safeParse(doc);
  if (!r.success) {
    fail(
      file,
      r.error.issues.map((i) => {
        const where = i.path.join('.') || '(top level)';
        const unknown = i.code === 'unrecognized_keys' ? ` ${i.keys.join(', ')}` : '';
        return `${where}: ${i.message}${unknown}`;
      }),
    );
  }
  const problems = checkTypeKeys(r.data.types);
  if (problems.length) fail(file, problems);
  const { version: _v, ses, ...rest } = r.data;
  const usage: Usage = rest as Usage;
  if (ses !== undefined) usage.ses = ses ?? {};
  return usage;
}

export function readUsageFile(file: string): Usage {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read usage file ${file}: ${(e as Error).message}`, {
      actions: [
        'Check the path; a commented example is examples/usage.yaml',
        'Or use --profile small|medium|large',
      ],
    });
  }
  return parseUsage(text, file);
}
