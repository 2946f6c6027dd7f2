/**
 * The survey: every template of a directory priced, then summed up per resource type (how many,
 * and how many priced, free, not priced, unpriceable, not created) and per template (its total,
 * its unpriced lines, and why a $0 total is $0). Pure: reports in, a summary out; scripts/survey.ts
 * reads the directory. `npm run survey [DIR]` prints it.
 */
import type { CostReport, ResourceCost, ResourceStatus } from './types.js';

export interface SurveyTemplate {
  /** Path relative to the surveyed directory. */
  file: string;
  /** The priced report, or why the file could not be read. */
  report?: CostReport;
  error?: string;
}

export interface TypeRow {
  type: string;
  /** Resources of this type across all templates. */
  count: number;
  /** Templates the type appears in. */
  templates: number;
  priced: number;
  free: number;
  notPriced: number;
  cannotPrice: number;
  notCreated: number;
}

export interface TemplateRow {
  file: string;
  resources: number;
  /** Known monthly cost at list prices (usage-based lines without usage are not in it). */
  monthlyUsd: number | null;
  /** `LogicalId TYPE: why` for each resource that is not priced or cannot be priced. */
  unpriced: string[];
  /** Why the total is $0, when it is. */
  zeroBecause?: string;
  error?: string;
}

export interface Survey {
  templates: TemplateRow[];
  types: TypeRow[];
  totals: { templates: number; resources: number; unreadable: number; withUnpriced: number; zero: number };
  /** Types not priced (status not-priced because the type is unknown) that appear in more than one template. */
  unpricedInSeveral: string[];
}

const STATUS_KEY: Record<ResourceStatus, keyof Omit<TypeRow, 'type' | 'count' | 'templates'>> = {
  priced: 'priced',
  free: 'free',
  'not-priced': 'notPriced',
  'cannot-price': 'cannotPrice',
  'not-created': 'notCreated',
};

/** Whether the type itself is unknown to the engine (not a missing regional price). */
function unknownType(r: ResourceCost): boolean {
  return r.status === 'not-priced' && r.reason === `not priced: ${r.type}`;
}

/** Why a template's known total is $0. */
export function zeroReason(resources: ResourceCost[]): string {
  const counted = resources.filter((r) => r.type !== 'usage');
  const by = (s: ResourceStatus) => counted.filter((r) => r.status === s);
  const priced = by('priced');
  const parts: string[] = [];
  const usageOnly = priced.filter((r) => r.components.every((c) => c.dependsOnUsage || c.monthlyUsd === 0));
  if (priced.length && usageOnly.length === priced.length)
    parts.push(
      `every priced resource is usage-based and no usage was given (${usageOnly
        .map((r) => r.type)
        .filter((t, i, a) => a.indexOf(t) === i)
        .join(', ')})`,
    );
  if (by('free').length) parts.push(`${by('free').length} free by themselves`);
  if (by('not-created').length)
    parts.push(`${by('not-created').length} not created under the default conditions`);
  if (by('cannot-price').length) parts.push(`${by('cannot-price').length} cannot be priced offline`);
  if (by('not-priced').length) parts.push(`${by('not-priced').length} not priced`);
  if (counted.length === 0) parts.push('no resources');
  return parts.join('; ');
}

export function survey(items: SurveyTemplate[]): Survey {
  const types = new Map<string, TypeRow & { files: Set<string> }>();
  const templates: TemplateRow[] = [];
  for (const t of items.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    if (!t.report) {
      templates.push({
        file: t.file,
        resources: 0,
        monthlyUsd: null,
        unpriced: [],
        error: t.error ?? 'not read',
      });
      continue;
    }
    const resources = t.report.stacks.flatMap((s) => s.resources).filter((r) => r.type !== 'usage');
    for (const r of resources) {
      let row = types.get(r.type);
      if (!row) {
        row = {
          type: r.type,
          count: 0,
          templates: 0,
          priced: 0,
          free: 0,
          notPriced: 0,
          cannotPrice: 0,
          notCreated: 0,
          files: new Set(),
        };
        types.set(r.type, row);
      }
      row.count++;
      row[STATUS_KEY[r.status]]++;
      row.files.add(t.file);
    }
    const unpriced = resources
      .filter((r) => r.status === 'not-priced' || r.status === 'cannot-price')
      .map((r) => `${r.logicalId} ${r.type}: ${r.reason ?? r.status}`);
    const row: TemplateRow = {
      file: t.file,
      resources: resources.length,
      monthlyUsd: t.report.totals.listMonthlyUsd,
      unpriced,
    };
    if (row.monthlyUsd === 0) row.zeroBecause = zeroReason(t.report.stacks.flatMap((s) => s.resources));
    templates.push(row);
  }
  const typeRows = [...types.values()]
    .map(({ files, ...r }) => ({ ...r, templates: files.size }))
    .sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
  const unknownIn = new Map<string, Set<string>>();
  for (const t of items) {
    for (const r of t.report?.stacks.flatMap((s) => s.resources) ?? []) {
      if (!unknownType(r)) continue;
      const s = unknownIn.get(r.type) ?? new Set<string>();
      s.add(t.file);
      unknownIn.set(r.type, s);
    }
  }
  return {
    templates,
    types: typeRows,
    totals: {
      templates: templates.length,
      resources: templates.reduce((s, t) => s + t.resources, 0),
      unreadable: templates.filter((t) => t.error).length,
      withUnpriced: templates.filter((t) => t.unpriced.length).length,
      zero: templates.filter((t) => t.monthlyUsd === 0).length,
    },
    unpricedInSeveral: [...unknownIn]
      .filter(([, f]) => f.size > 1)
      .map(([t]) => t)
      .sort(),
  };
}

function money(n: number | null): string {
  if (n === null) return '—';
  return `$${n.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** The survey as text: the type table, then each template with its total and unpriced lines. */
export function renderSurvey(s: Survey, heading: string): string {
  const out: string[] = [heading, ''];
  const t = s.totals;
  out.push(
    `${t.templates} templates, ${t.resources} resources; ${t.withUnpriced} with unpriced resources, ${t.zero} at $0, ${t.unreadable} unreadable`,
    s.unpricedInSeveral.length
      ? `types not priced in more than one template: ${s.unpricedInSeveral.join(', ')}`
      : 'no type is left unpriced in more than one template',
    '',
  );
  const w = Math.max(4, ...s.types.map((r) => r.type.length));
  const cols = ['count', 'tmpl', 'priced', 'free', 'not priced', 'cannot price', 'not created'];
  out.push(`${'type'.padEnd(w)}  ${cols.map((c) => c.padStart(c.length < 6 ? 6 : c.length)).join('  ')}`);
  for (const r of s.types) {
    const v = [r.count, r.templates, r.priced, r.free, r.notPriced, r.cannotPrice, r.notCreated];
    out.push(
      `${r.type.padEnd(w)}  ${v.map((x, i) => String(x || '·').padStart(cols[i]!.length < 6 ? 6 : cols[i]!.length)).join('  ')}`,
    );
  }
  out.push('', 'Per template (list price a month, usage-based lines without usage not included):', '');
  const fw = Math.max(...s.templates.map((x) => x.file.length));
  for (const x of s.templates) {
    if (x.error) {
      out.push(`${x.file.padEnd(fw)}  unreadable: ${x.error}`);
      continue;
    }
    out.push(
      `${x.file.padEnd(fw)}  ${money(x.monthlyUsd).padStart(11)}  ${String(x.resources).padStart(3)} resources`,
    );
    if (x.zeroBecause) out.push(`${' '.repeat(fw)}    $0 because: ${x.zeroBecause}`);
    for (const u of x.unpriced) out.push(`${' '.repeat(fw)}    ${u}`);
  }
  return `${out.join('\n')}\n`;
}
