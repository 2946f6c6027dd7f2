/**
 * Renders a CostReport as a table (terminal), markdown (cost.md) or JSON (cost.json; shape in
 * src/price/types.ts and schema/cost-report.schema.json). Rendering never computes a figure.
 */
import type { ComponentCost, CostReport, ResourceCost, StackCost } from './types.js';

export type CostFormat = 'table' | 'json' | 'markdown';
export const COST_FORMATS: readonly CostFormat[] = ['table', 'json', 'markdown'];

/** 1234567.891 → "1,234,567.891" (toLocaleString would load ICU: ~15 ms per process). */
function group(digits: string): string {
  if (digits.startsWith('-')) return `-${group(digits.slice(1))}`;
  const dot = digits.indexOf('.');
  const int = dot < 0 ? digits : digits.slice(0, dot);
  let grouped = int;
  if (int.length > 3) {
    grouped = '';
    for (let end = int.length; end > 0; end -= 3) {
      const start = Math.max(0, end - 3);
      grouped = grouped ? `${int.slice(start, end)},${grouped}` : int.slice(start, end);
    }
  }
  return dot < 0 ? grouped : `${grouped}${digits.slice(dot)}`;
}

/** $1,234.56 (negative: −$1.00). */
export function money(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.005) return `${n < 0 ? '−' : ''}<$0.01`;
  const cents = Math.round(Math.abs(n) * 100);
  const s = group((cents / 100).toFixed(2));
  return `${n < 0 && cents > 0 ? '−' : ''}$${s}`;
}

const unitPrices = new Map<number, string>();

/** A unit price as precise as the book has it: $0.0104, $0.0000166667, $0.10. */
export function unitPrice(n: number): string {
  // A report repeats a few dozen unit prices thousands of times.
  const hit = unitPrices.get(n);
  if (hit !== undefined) return hit;
  let s = Number(n.toPrecision(10)).toFixed(10).replace(/0+$/, '');
  const dec = s.split('.')[1] ?? '';
  if (dec.length < 2) s = Number(s).toFixed(2);
  const out = `$${group(s)}`;
  unitPrices.set(n, out);
  return out;
}

/** Up to four decimals, grouped: 5,840 or 0.1234. */
export function quantity(n: number): string {
  return group(String(Math.round(n * 10_000) / 10_000));
}

function per(unit: string): string {
  return /^\d/.test(unit) ? unit : unit.replace(/s$/, '');
}

function dependsText(c: ComponentCost): string {
  return c.unitPriceUsd === null
    ? `depends on usage; not priced: ${c.notPriced}`
    : `depends on usage: ${unitPrice(c.unitPriceUsd)} per ${per(c.unit)}`;
}

function freeSummary(resources: ResourceCost[]): string[] {
  const free = resources.filter((r) => r.status === 'free' && r.type !== 'usage');
  const counts = new Map<string, number>();
  for (const r of free) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const out: string[] = [];
  if (free.length) {
    out.push(
      `free: ${free.length} ${free.length === 1 ? 'resource' : 'resources'} (${[...counts]
        .map(([t, n]) => (n > 1 ? `${t} ×${n}` : t))
        .join(', ')})`,
    );
  }
  const skipped = resources.filter(
    (r) => r.status === 'not-created' || (r.status === 'free' && r.type === 'usage'),
  );
  for (const r of skipped)
    out.push(r.type === 'usage' ? `${r.logicalId}: ${r.reason}` : `${r.logicalId} (${r.type}): ${r.reason}`);
  return out;
}

const CREDIT_LABEL: Record<string, string> = {
  'always-free': 'Always free',
  'legacy-12-months': 'Free tier, first 12 months',
  'sign-up-credits': '',
};

function creditLabel(regime: string, description: string): string {
  const label = CREDIT_LABEL[regime];
  return label ? `${label}: ${description}` : description;
}

const FREE_TIER_LABEL: Record<string, string> = {
  legacy: 'legacy (account created before 2025-07-15: 12-month offers)',
  'paid-plan':
    'paid plan (account created on or after 2025-07-15, on the Paid plan: sign-up credits until spent or 12 months)',
  none: 'none (list prices)',
};

/** Lines saying whether the design could run on an account on AWS's Free plan. */
function freePlanLines(report: CostReport): string[] {
  const f = report.freePlan;
  if (!f) return [];
  const src = f.source ? ` [${f.source}]` : '';
  const months =
    f.creditMonths === null
      ? 'nothing here is charged'
      : `the sign-up credits would carry it about ${f.creditMonths.toFixed(1)} months, then the account closes unless upgraded to the Paid plan`;
  if (!f.allowed) {
    return [
      `On AWS's Free plan: not possible${src} — it allows only ${f.limits}; this design uses:`,
      ...f.problems.map((p) => `  ${p}`),
    ];
  }
  return [`On AWS's Free plan: no instance type or database class here is excluded; ${months}${src}`];
}

// ------------------------------------------------------------------ table

interface Row {
  name: string;
  /** Free text under a line (notes): printed as is, not counted in the column width. */
  text?: boolean;
  qty: string;
  unit: string;
  price: string;
  cost: string;
  /** Replaces qty…cost with one text. */
  span?: string;
}

function stackTitle(s: StackCost): string {
  if (s.name === '(usage)') return `Usage not in any template (${s.region})`;
  return `Stack ${s.name} (${s.region})${s.file ? `  ${s.file}` : ''}`;
}

function componentRows(r: ResourceCost, refs: boolean): Row[] {
  const rows: Row[] = [];
  const n = r.components.length;
  r.components.forEach((c, i) => {
    const branch = i === n - 1 && r.notes.length === 0 ? '└─ ' : '├─ ';
    const name = `${branch}${c.name}${c.dependsOnUsage ? ' *' : ''}`;
    const src = refs && c.price.source !== undefined ? ` [${c.price.source}]` : '';
    if (c.dependsOnUsage) rows.push({ name, qty: '', unit: '', price: '', cost: '', span: dependsText(c) });
    else if (c.notPriced)
      rows.push({ name, qty: '', unit: '', price: '', cost: '', span: `not priced: ${c.notPriced}` });
    else {
      rows.push({
        name,
        qty: quantity(c.monthlyQuantity ?? 0),
        unit: c.unit,
        price: `${unitPrice(c.unitPriceUsd ?? 0)}${src}`,
        cost: money(c.monthlyUsd ?? 0),
      });
    }
    if (c.note)
      rows.push({
        name: `${i === n - 1 && r.notes.length === 0 ? '   ' : '│  '}   ${c.note}`,
        qty: '',
        unit: '',
        price: '',
        cost: '',
      });
  });
  r.notes.forEach((note, i) => {
    rows.push({
      name: `${i === r.notes.length - 1 ? '└─' : '├─'} note: ${note}`,
      qty: '',
      unit: '',
      price: '',
      cost: '',
    });
  });
  return rows;
}

export function renderTable(report: CostReport): string {
  const out: string[] = [];
  const regions = [...new Set(report.stacks.map((s) => s.region))].join(', ');
  out.push(
    `stackplan cost: ${regions}, priced on ${report.asOf} (each price's own date is in the sources), free tier: ${report.freeTier}, usage: ${report.usage}`,
  );
  const rows: Array<Row | string> = [];
  for (const s of report.stacks) {
    rows.push('', stackTitle(s), '');
    for (const r of s.resources) {
      if (r.status === 'free' || r.status === 'not-created') continue;
      if (r.status === 'not-priced' || r.status === 'cannot-price') {
        rows.push(
          `${r.logicalId}  ${r.type}  ${r.status === 'not-priced' ? (r.reason?.startsWith('not priced') ? r.reason : `not priced: ${r.reason}`) : r.reason}`,
        );
        if (r.status === 'not-priced' && r.components.length === 0) continue;
        if (r.status === 'cannot-price') {
          for (const note of r.notes) rows.push(`└─ note: ${note}`);
          continue;
        }
      } else {
        rows.push({
          name: `${r.logicalId}  ${r.type === 'usage' ? '' : r.type}`.trimEnd(),
          qty: '',
          unit: '',
          price: '',
          cost: money(r.monthlyUsd),
        });
      }
      rows.push(...componentRows(r, true));
    }
    for (const line of freeSummary(s.resources)) rows.push(line);
    rows.push({
      name: `${s.name === '(usage)' ? 'Usage' : 'Stack'} total`,
      qty: '',
      unit: '',
      price: '',
      cost: money(s.monthlyUsd),
    });
  }
  const tableRows = rows.filter((r): r is Row => typeof r !== 'string' && !r.span);
  const w = {
    name: Math.max(
      4,
      ...rows.filter((r): r is Row => typeof r !== 'string' && !r.text).map((r) => r.name.length),
    ),
    qty: Math.max(11, ...tableRows.map((r) => r.qty.length)),
    unit: Math.max(4, ...tableRows.map((r) => r.unit.length)),
    price: Math.max(10, ...tableRows.map((r) => r.price.length)),
    cost: Math.max(12, ...tableRows.map((r) => r.cost.length)),
  };
  const fmt = (r: Row) =>
    r.text
      ? ` ${r.name}`
      : r.span !== undefined
        ? ` ${r.name.padEnd(w.name)}  ${r.span}`
        : ` ${r.name.padEnd(w.name)}  ${r.qty.padStart(w.qty)}  ${r.unit.padEnd(w.unit)}  ${r.price.padStart(w.price)}  ${r.cost.padStart(w.cost)}`.trimEnd();
  out.push(
    '',
    fmt({ name: 'Name', qty: 'Monthly qty', unit: 'Unit', price: 'Unit price', cost: 'Monthly cost' }),
  );
  for (const r of rows) out.push(typeof r === 'string' ? (r ? ` ${r}` : '') : fmt(r));

  const t = report.totals;
  const total = (label: string, v: string) =>
    ` ${label.padEnd(w.name + w.qty + w.unit + w.price + 8)}  ${v.padStart(w.cost)}`;
  out.push('', total('Monthly cost at list prices', money(t.listMonthlyUsd)));
  if (report.credits.length) {
    out.push(` Free tier: ${FREE_TIER_LABEL[report.freeTier]}`);
    for (const c of report.credits) {
      const when = c.month13 ? 'every month' : c.regime === 'sign-up-credits' ? 'month 1' : 'months 1-12';
      out.push(
        total(
          `  ${creditLabel(c.regime, c.description)} (${when})${c.source ? ` [${c.source}]` : ''}`,
          money(-c.usd),
        ),
      );
      if (c.note) out.push(`    ${c.note}`);
    }
  } else if (report.freeTier === 'none') {
    out.push(' Free tier: none (list prices)');
  }
  out.push(total('Month 1', money(t.month1Usd)), total('Month 13', money(t.month13Usd)));
  for (const l of freePlanLines(report)) out.push(` ${l}`);
  out.push('');
  if (t.dependsOnUsage) {
    out.push(
      ` * ${t.dependsOnUsage} usage-based ${t.dependsOnUsage === 1 ? 'line depends' : 'lines depend'} on usage and ${t.dependsOnUsage === 1 ? 'is' : 'are'} not in the totals: give usage with --usage FILE or --profile small|medium|large`,
    );
  }
  if (t.notPricedLines || t.notPricedResources || t.cannotPriceResources) {
    out.push(
      ` Not in the totals: ${t.notPricedLines} not-priced ${t.notPricedLines === 1 ? 'line' : 'lines'}, ${t.notPricedResources} not-priced and ${t.cannotPriceResources} unpriceable ${t.cannotPriceResources === 1 ? 'resource' : 'resources'} (see above)`,
    );
  }

  if (report.savings.length) {
    out.push('', 'Savings options (not applied)');
    let last = '';
    const sw = Math.max(...report.savings.map((s) => s.description.length));
    for (const s of report.savings) {
      const head = `${s.stack}/${s.logicalId}: ${s.component}`;
      if (head !== last) out.push(` ${s.logicalId}: ${s.component}`);
      last = head;
      const figures =
        s.monthlyUsd === null
          ? 'no list price'.padStart(12)
          : `${money(s.monthlyUsd).padStart(12)}  ${money(s.differenceUsd ?? 0).padStart(10)}/month`;
      out.push(
        `   ${s.description.padEnd(sw)}  ${figures}${s.note ? `  (${s.note})` : ''}${s.source ? ` [${s.source}]` : ''}`,
      );
    }
  }

  if (report.sources.length) {
    out.push('', 'Price sources');
    for (const s of report.sources) {
      out.push(
        ` [${s.ref}] ${s.source} (${s.provenance}, ${s.asOf})${s.stale ? '  ⚠ older than 12 months' : ''}${s.url ? `\n      ${s.url}` : ''}`,
      );
    }
  }
  if (report.warnings.length) {
    out.push('', 'Warnings');
    for (const w2 of report.warnings) out.push(` ⚠ ${w2}`);
  }
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------ markdown

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderMarkdown(report: CostReport): string {
  const out: string[] = [];
  const regions = [...new Set(report.stacks.map((s) => s.region))].join(', ');
  out.push('# Cost estimate', '');
  out.push(
    `Region ${regions} · priced on ${report.asOf} (each price's own date is in the sources) · free tier: ${FREE_TIER_LABEL[report.freeTier]} · usage: ${report.usage} · ${report.hoursPerMonth} hours a month`,
  );
  out.push('', '| | Monthly |', '|---|---:|', `| List price | ${money(report.totals.listMonthlyUsd)} |`);
  for (const c of report.credits) {
    out.push(
      `| ${cell(creditLabel(c.regime, c.description))}${c.source ? ` [${c.source}]` : ''} | ${money(-c.usd)} |`,
    );
  }
  out.push(
    `| **Month 1** | **${money(report.totals.month1Usd)}** |`,
    `| **Month 13** | **${money(report.totals.month13Usd)}** |`,
  );
  for (const c of report.credits)
    if (c.note) out.push('', `${cell(creditLabel(c.regime, c.description))}: ${c.note}.`);
  const fp = freePlanLines(report);
  if (fp.length) out.push('', ...fp.map((l, i) => (i === 0 ? l : `- ${l.trim()}`)));
  if (report.totals.dependsOnUsage) {
    out.push(
      '',
      `\\* ${report.totals.dependsOnUsage} usage-based lines depend on usage and are not in the totals.`,
    );
  }
  for (const s of report.stacks) {
    out.push('', `## ${cell(stackTitle(s))}`, '');
    out.push(
      '| Resource / component | Monthly qty | Unit | Unit price | Monthly cost |',
      '|---|---:|---|---:|---:|',
    );
    for (const r of s.resources) {
      if (r.status === 'free' || r.status === 'not-created') continue;
      if (r.status !== 'priced' && r.components.length === 0) {
        out.push(`| **${cell(r.logicalId)}** \`${r.type}\` | | | | ${cell(r.reason ?? r.status)} |`);
        continue;
      }
      out.push(
        `| **${cell(r.logicalId)}** ${r.type === 'usage' ? '' : `\`${r.type}\``} | | | | **${money(r.monthlyUsd)}** |`,
      );
      for (const c of r.components) {
        const name = `↳ ${cell(c.name)}${c.dependsOnUsage ? ' \\*' : ''}${c.note ? ` _(${cell(c.note)})_` : ''}`;
        const src = c.price.source !== undefined ? ` [${c.price.source}]` : '';
        if (c.dependsOnUsage) out.push(`| ${name} | | | | ${cell(dependsText(c))} |`);
        else if (c.notPriced) out.push(`| ${name} | | | | not priced: ${cell(c.notPriced)} |`);
        else {
          out.push(
            `| ${name} | ${quantity(c.monthlyQuantity ?? 0)} | ${c.unit} | ${unitPrice(c.unitPriceUsd ?? 0)}${src} | ${money(c.monthlyUsd ?? 0)} |`,
          );
        }
      }
      for (const n of r.notes) out.push(`| ↳ _note: ${cell(n)}_ | | | | |`);
    }
    out.push(`| **${s.name === '(usage)' ? 'Usage' : 'Stack'} total** | | | | **${money(s.monthlyUsd)}** |`);
    const free = freeSummary(s.resources);
    if (free.length) out.push('', ...free.map((f) => `- ${f}`));
  }
  if (report.savings.length) {
    out.push(
      '',
      '## Savings options (not applied)',
      '',
      '| Resource | Line | Option | Monthly | Difference |',
      '|---|---|---|---:|---:|',
    );
    for (const s of report.savings) {
      out.push(
        `| ${cell(s.logicalId)} | ${cell(s.component)} | ${cell(s.description)}${s.note ? ` (${cell(s.note)})` : ''}${s.source ? ` [${s.source}]` : ''} | ${s.monthlyUsd === null ? 'no list price' : money(s.monthlyUsd)} | ${s.differenceUsd === null ? '' : money(s.differenceUsd)} |`,
      );
    }
  }
  if (report.sources.length) {
    out.push('', '## Price sources', '');
    for (const s of report.sources) {
      out.push(
        `${s.ref}. ${cell(s.source)} — ${s.provenance}, ${s.asOf}${s.url ? `, <${s.url}>` : ''}${s.stale ? ' — ⚠ older than 12 months' : ''}`,
      );
    }
  }
  if (report.warnings.length) {
    out.push('', '## Warnings', '', ...report.warnings.map((w) => `- ⚠ ${w}`));
  }
  return `${out.join('\n')}\n`;
}

export function renderCostReport(report: CostReport, format: CostFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(report);
  return renderTable(report);
}
