/**
 * Lines no template holds, priced from usage alone: data transfer out to the internet (tiered),
 * Bedrock tokens per model and SES emails. The plan passes the manifest's numbers as Usage.
 */
import type { DataTransferRule } from './book/types.js';
import { per, usage } from './resources/common.js';
import type { CostComponent, ResourcePricing } from './types.js';
import type { Usage } from './usage.js';

export interface UsageLine {
  logicalId: string;
  pricing: ResourcePricing;
}

function tb(gb: number): string {
  const t = gb / 1024;
  return `${Number.isInteger(t) ? t : t.toFixed(1)} TB`;
}

/** Data transfer out split over the price book's tiers (first 10 TB, next 40 TB, …). */
export function dataTransferLine(
  u: Usage,
  rule: DataTransferRule | undefined,
  cloudFront: string[],
): UsageLine {
  const id = 'DataTransferOut';
  if (cloudFront.length) {
    return {
      logicalId: id,
      pricing: {
        components: [],
        free: `the app's traffic leaves through CloudFront (${cloudFront.join(', ')}), priced there; origin to CloudFront is free`,
      },
    };
  }
  const tiers = rule?.tiers ?? [{ upToGbMonth: null, item: 'out_to_internet:1' }];
  const gb = u.dataTransferOutGb;
  const components: CostComponent[] = [];
  let lower = 0;
  tiers.forEach((t, i) => {
    const upper = t.upToGbMonth ?? Number.POSITIVE_INFINITY;
    const label =
      i === 0
        ? `first ${tb(upper)}`
        : t.upToGbMonth === null
          ? `over ${tb(lower)}`
          : `next ${tb(upper - lower)}`;
    const q = gb === undefined ? undefined : Math.max(0, Math.min(gb, upper) - lower);
    if (i === 0 || (q !== undefined && q > 0)) {
      components.push(
        usage(`Data transfer out to the internet (${label})`, 'GB', q, 'data_transfer', t.item, {
          meter: 'dto.gb',
        }),
      );
    }
    lower = upper;
  });
  return {
    logicalId: id,
    pricing: { components, notes: ['the first 100 GB a month are always free (a free-tier credit)'] },
  };
}

const GEO_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov)\./;

/** The price-book model id for an invoked id: exact, without an inference-profile prefix, or a unique prefix match. */
export function bedrockModel(id: string, items: string[]): string | undefined {
  const models = new Set(items.filter((i) => i.startsWith('input:')).map((i) => i.slice('input:'.length)));
  for (const cand of [id, id.replace(GEO_PREFIX, '')]) {
    if (models.has(cand)) return cand;
    const matches = [...models].filter((m) => m.startsWith(cand));
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

export function bedrockLines(u: Usage, items: string[]): UsageLine[] {
  return (u.bedrock ?? []).map((m) => {
    const model = bedrockModel(m.model, items);
    const key = model ?? m.model;
    const inTok = m.inputTokens ?? u.defaults?.bedrockInputTokens;
    const outTok = m.outputTokens ?? u.defaults?.bedrockOutputTokens;
    const notes: string[] = [];
    if (model && model !== m.model) notes.push(`priced as ${model}`);
    if (m.model.startsWith('global.') || model?.startsWith('global.'))
      notes.push('global cross-region inference rate');
    return {
      logicalId: `Bedrock ${m.model}`,
      pricing: {
        components: [
          usage(`Input tokens (${m.model})`, '1M tokens', per(inTok, 1e6), 'bedrock', `input:${key}`),
          usage(`Output tokens (${m.model})`, '1M tokens', per(outTok, 1e6), 'bedrock', `output:${key}`),
        ],
        notes,
      },
    };
  });
}

export function sesLine(u: Usage): UsageLine | undefined {
  if (!u.ses) return undefined;
  const emails = u.ses.emails ?? u.defaults?.sesEmails;
  return {
    logicalId: 'SES',
    pricing: {
      components: [
        usage('Outbound emails', '1k emails', per(emails, 1000), 'ses', 'outbound_per_1k', {
          meter: 'ses.emails.1k',
        }),
      ],
    },
  };
}
