/**
 * What `stackplan init` prints: what was converted, what needs attention before deploying, what
 * was ignored and why (aggregated per compose key, so `restart:` on eight services is one line),
 * and the next command. Fatal items are not here: they are errors, printed by the CLI.
 */
import type { Diagnostic } from '../manifest/diagnostics.js';
import { formatLoc } from './compose/located.js';
import type { ReportItem } from './map/types.js';

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

export interface ReportContext {
  sources: string[];
  manifestFile: string;
  written: boolean;
  services: number;
}

export function renderReport(items: readonly ReportItem[], ctx: ReportContext): string {
  const lines: string[] = [];
  const verb = ctx.written ? 'wrote' : 'would write';
  lines.push(
    `stackplan init: ${ctx.sources.join(' + ')} → ${ctx.manifestFile} (${verb}; ${ctx.services} service${ctx.services === 1 ? '' : 's'})`,
  );
  const converted = items.filter((i) => i.kind === 'converted');
  const attention = items.filter((i) => i.kind === 'attention');
  const ignored = items.filter((i) => i.kind === 'ignored');
  const nameWidth = Math.min(
    24,
    Math.max(8, ...items.map((i) => Math.max((i.service ?? '').length, (i.key ?? '').length) + 1)),
  );
  const locWidth = Math.min(40, Math.max(0, ...items.map((i) => formatLoc(i.loc).length + 1)));
  const row = (who: string, i: ReportItem) =>
    `  ${pad(who, nameWidth)}${pad(formatLoc(i.loc), locWidth)}${i.message}`;
  if (converted.length) {
    lines.push('', 'converted');
    for (const g of groupAlike(converted)) lines.push(row(g.who, g.item) + g.also);
  }
  if (attention.length) {
    const groups = groupAlike(attention);
    lines.push('', `needs your attention before deploying (${groups.length})`);
    for (const g of groups) {
      lines.push(row(g.who, g.item) + g.also);
      if (g.item.fix) lines.push(`  ${' '.repeat(nameWidth + locWidth)}fix: ${g.item.fix}`);
    }
  }
  if (ignored.length) {
    lines.push('', 'ignored');
    // Keys ignored on several services: one line per key and reason.
    const groups = new Map<string, ReportItem[]>();
    const singles: ReportItem[] = [];
    for (const i of ignored) {
      if (i.key && i.service) {
        const k = `${i.key}\0${i.message}`;
        groups.set(k, [...(groups.get(k) ?? []), i]);
      } else singles.push(i);
    }
    for (const g of groupAlike(singles)) {
      lines.push(row(g.who, g.item) + g.also);
      if (g.item.fix) lines.push(`  ${' '.repeat(nameWidth + locWidth)}fix: ${g.item.fix}`);
    }
    for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const first = group[0]!;
      const services = [...new Set(group.map((g) => g.service))];
      lines.push(
        `  ${pad(first.key!, nameWidth)}${pad(formatLoc(first.loc), locWidth)}${first.message} (${services.join(', ')})`,
      );
    }
  }
  lines.push('', `next: stackplan plan ${ctx.manifestFile}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Items that say the same thing about the same compose line for several services (services that
 * share an env_file or a YAML anchor) print once, naming the others.
 */
function groupAlike(items: readonly ReportItem[]): Array<{ who: string; item: ReportItem; also: string }> {
  const groups = new Map<string, ReportItem[]>();
  for (const i of items) {
    const k = `${i.message}\0${i.fix ?? ''}\0${formatLoc(i.loc)}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups.values()].map((g) => {
    const services = [...new Set(g.map((i) => i.service).filter((s): s is string => !!s))];
    return {
      who: g[0]!.service ?? g[0]!.key ?? '',
      item: g[0]!,
      also: services.length > 1 ? ` (also ${services.slice(1).join(', ')})` : '',
    };
  });
}

/** Fatal items as diagnostics (file:line: error … fix:), for the CLI's error output. */
export function fatalDiagnostics(items: readonly ReportItem[], fallbackFile: string): Diagnostic[] {
  return items
    .filter((i) => i.kind === 'fatal')
    .map((i) => ({
      severity: 'error' as const,
      code: 'unsupported',
      path: i.service ? `services.${i.service}${i.key ? `.${i.key}` : ''}` : '',
      message: i.message,
      fix: i.fix ?? 'remove it from the compose file you convert',
      file: i.loc?.file ?? fallbackFile,
      ...(i.loc && { line: i.loc.line, column: i.loc.col }),
    }));
}
