/** The table `stackplan check` prints: findings by location, suppressed ones with their reason, a summary. */
import type { CheckReport, Finding } from '../types.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function where(f: Finding): string {
  const l = f.location;
  const at = `${l.file}:${l.line}`;
  if (l.manifestField) {
    return `${at} (${l.manifestField}) ${l.tier}: ${l.logicalId ?? l.stack}${l.constructPath ? ` at ${l.constructPath}` : ''}`;
  }
  const res = l.logicalId
    ? ` ${l.logicalId}${l.property ? ` ${l.property.replace(/^Properties\.?/, '') || ''}`.trimEnd() : ''}`
    : '';
  return `${at}${res}${l.constructPath ? ` (${l.constructPath})` : ''}`;
}

function money(n: number | null | undefined): string {
  if (n === undefined || n === null) return '';
  return `  ${n < 0 ? '−' : '+'}$${Math.abs(n).toFixed(2)}/month`;
}

export function renderTable(report: CheckReport): string {
  const lines: string[] = [];
  const packs = report.packs.map((p) => p.id).join(', ');
  lines.push(
    `stackplan check ${report.input.path} (${report.input.stacks.length} stack${report.input.stacks.length === 1 ? '' : 's'}; packs ${packs}; as of ${report.asOf})`,
  );
  const active = report.findings.filter((f) => !f.suppression);
  const suppressed = report.findings.filter((f) => f.suppression);
  if (active.length) lines.push('');
  const idWidth = Math.min(28, Math.max(8, ...active.map((f) => f.ruleId.length)));
  for (const f of active) {
    lines.push(`${pad(f.severity, 8)} ${pad(f.ruleId, idWidth)} ${where(f)}${money(f.monthlyImpactUsd)}`);
    lines.push(`${' '.repeat(9 + idWidth + 1)}${f.message}`);
  }
  if (suppressed.length) {
    lines.push('', `suppressed (${suppressed.length}):`);
    for (const f of suppressed) {
      lines.push(`  ${f.ruleId}${f.detail ? `[${f.detail}]` : ''} at ${where(f)}`);
      lines.push(
        `    ${f.suppression!.kind === 'acknowledgement' ? 'acknowledged' : 'ignored'} at ${f.suppression!.source}: ${f.suppression!.reason}`,
      );
    }
  }
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  const c = report.counts;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const savings = active.reduce(
    (s, f) => s + (f.monthlyImpactUsd && f.monthlyImpactUsd < 0 ? -f.monthlyImpactUsd : 0),
    0,
  );
  lines.push('');
  lines.push(
    `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')} (${c.suppressed} suppressed)${savings > 0 ? `; the cost notes add up to $${savings.toFixed(2)}/month` : ''}`,
  );
  const timing = report.packs.map((p) => `${p.id} ${p.seconds.toFixed(2)} s`).join(', ');
  lines.push(`packs: ${timing}`);
  const limits = [...new Set(report.packs.flatMap((p) => p.limits))];
  if (limits.length) {
    lines.push('what the packs cannot see:');
    for (const l of limits) lines.push(`  - ${l}`);
  }
  return `${lines.join('\n')}\n`;
}
