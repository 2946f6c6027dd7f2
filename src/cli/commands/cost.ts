/**
 * `stackplan cost TEMPLATE | CDK.OUT-DIR`: prices any CloudFormation template, or every stack of
 * a cloud assembly, resource by resource, from the bundled price book. Never loads aws-cdk-lib;
 * loads yaml and zod only for a usage file or a YAML template.
 */
import { UserError } from '../../errors.js';
import { loadPriceBook } from '../../price/book/index.js';
import { priceTemplates } from '../../price/engine.js';
import { readTemplates } from '../../price/input.js';
import { COST_FORMATS, type CostFormat, renderCostReport } from '../../price/render.js';
import { FREE_TIER_ALIASES, FREE_TIER_MODES, type FreeTierMode } from '../../price/types.js';
import { PROFILE_NAMES, type ProfileName, USAGE_KEYS, type Usage } from '../../price/usage.js';
import type { Io } from '../io.js';

/** Every value --free-tier takes: the regimes and their deprecated old names. */
export const FREE_TIER_CHOICES: readonly string[] = [...FREE_TIER_MODES, ...Object.keys(FREE_TIER_ALIASES)];

/**
 * The regime a --free-tier value names. An old name still works, with a warning saying what it
 * means now: `free-plan` always meant a new account's sign-up credits, which the Paid plan gets
 * too, never an account on AWS's Free plan (which cannot run a production app).
 */
export function freeTierOption(value: string | undefined, io: Io): FreeTierMode {
  const raw = value ?? 'paid-plan';
  const alias = FREE_TIER_ALIASES[raw];
  if (alias) {
    io.err(
      `warning: --free-tier ${raw} is deprecated and means --free-tier ${alias}: a new account (created on or after 2025-07-15) on AWS's Paid plan, with its sign-up credits. An account on the Free plan cannot incur charges and closes after 6 months; the report says whether this design could run there.`,
    );
    return alias;
  }
  return oneOf<FreeTierMode>(raw, FREE_TIER_MODES, '--free-tier');
}

export interface CostOptions {
  /** A template file (JSON or YAML) or a cdk.out directory. */
  input: string;
  /** Usage file (YAML). */
  usage?: string;
  /** Built-in usage profile: small | medium | large. */
  profile?: string;
  /** Price in this region instead of each stack's own. */
  region?: string;
  /** paid-plan, legacy or none (free-plan: deprecated name of paid-plan). @default 'paid-plan' */
  freeTier?: string;
  /** @default 'table' */
  format?: string;
  /** YYYY-MM-DD. @default today */
  asOf?: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`${flag} ${value} is not one of ${allowed.join(', ')}`, {
      actions: [`Use ${flag} ${allowed[0]} (or ${allowed.slice(1).join(', ')})`],
    });
  }
  return value as T;
}

export async function cost(opts: CostOptions, io: Io): Promise<number> {
  const format = oneOf<CostFormat>(opts.format ?? 'table', COST_FORMATS, '--format');
  const freeTier = freeTierOption(opts.freeTier, io);
  if (opts.usage && opts.profile) {
    throw new UserError('give either --usage FILE or --profile NAME, not both', {
      actions: ['To start from a profile and change some values, put "profile: small" in the usage file'],
    });
  }
  if (opts.region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(opts.region)) {
    throw new UserError(`--region ${opts.region} is not an AWS region`, {
      actions: ['Use a region code such as us-east-1'],
    });
  }
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UserError(`--as-of ${opts.asOf} is not a YYYY-MM-DD date`, {
      actions: ['Use --as-of 2026-01-31'],
    });
  }
  let usage: Usage | undefined;
  let usageLabel: string | undefined;
  if (opts.profile !== undefined) {
    usage = { profile: oneOf<ProfileName>(opts.profile, PROFILE_NAMES, '--profile') };
    usageLabel = `profile ${opts.profile}`;
  } else if (opts.usage !== undefined) {
    usage = (await import('../../price/usage-file.js')).readUsageFile(opts.usage);
    usageLabel = usage.profile ? `${opts.usage} (over profile ${usage.profile})` : opts.usage;
  }
  const inputs = await readTemplates(opts.input);

  // Resource-level usage must name resources that exist, with keys their type has.
  if (usage?.resources && opts.usage) {
    const problems: string[] = [];
    for (const [key, values] of Object.entries(usage.resources)) {
      const [stack, id] = key.includes('/')
        ? [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)]
        : [undefined, key];
      const found = inputs
        .filter((i) => stack === undefined || i.name === stack)
        .map((i) => i.template.Resources[id])
        .find(Boolean);
      if (!found) {
        io.err(
          `warning: ${opts.usage}: resources.${key} is not a resource of ${opts.input}; its usage is ignored`,
        );
        continue;
      }
      const known = USAGE_KEYS[found.Type] ?? {};
      for (const k of Object.keys(values)) {
        if (!(k in known)) {
          problems.push(
            `resources.${key}.${k}: not a usage key of ${found.Type}${Object.keys(known).length ? ` (valid: ${Object.keys(known).join(', ')})` : ' (it has no usage keys)'}`,
          );
        }
      }
    }
    if (problems.length) {
      throw new UserError(`${opts.usage} is not a valid usage file for ${opts.input}`, {
        detail: problems.map((p) => `${opts.usage}: ${p}`).join('\n'),
        actions: ['Fix the keys above; every key is documented in docs/cost.md and examples/usage.yaml'],
      });
    }
  }

  const report = priceTemplates(inputs, {
    ...(opts.region !== undefined && { region: opts.region }),
    ...(usage !== undefined && { usage }),
    ...(usageLabel !== undefined && { usageLabel }),
    asOf: opts.asOf ?? new Date().toISOString().slice(0, 10),
    book: loadPriceBook(),
    freeTier,
  });
  io.out(renderCostReport(report, format));
  return 0;
}
