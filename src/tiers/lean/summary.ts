/** The lean part of what `stackplan plan` prints: the instance, sizing and why, volumes, backups, decisions. */
import type { LeanPlan } from '../../model/lean.js';
import { formatHours } from '../../model/plan.js';

export function renderLeanSection(lean: LeanPlan): string[] {
  const out: string[] = [];
  out.push(
    `lean: ${lean.instance.type} (${lean.arch}, ${lean.instance.vcpu} vCPU, ${lean.instance.memoryMiB} MiB, $${lean.instance.hourlyUsd}/h on demand)`,
  );
  out.push('  sizing');
  for (const l of lean.sizing) {
    out.push(
      `    ${l.component.padEnd(48)} ${String(l.memoryMiB).padStart(6)} MiB  ${l.vcpu.toFixed(2)} vCPU  ${l.why}`,
    );
  }
  const cheaper = lean.candidates.filter((c) => !c.fits);
  if (cheaper.length) {
    out.push('  cheaper types that do not fit');
    for (const c of cheaper) out.push(`    ${c.type.padEnd(12)} $${c.hourlyUsd}/h  ${c.why}`);
  }
  out.push(`  volumes: root ${lean.volumes.root.sizeGb} GiB (${lean.volumes.root.why})`);
  out.push(`           data ${lean.volumes.data.sizeGb} GiB (${lean.volumes.data.why})`);
  for (const b of lean.buckets) {
    out.push(
      `  bucket ${b.key} (${b.envName})${b.purpose ? `: ${b.purpose}` : ''}${b.clients.length ? `; used by ${b.clients.join(', ')}` : ''}`,
    );
  }
  out.push(
    `  backups: every ${formatHours(lean.backup.intervalHours)}, kept ${lean.backup.retentionDays} days, locked against deletion (S3 Object Lock, ${lean.backup.lockMode.toLowerCase()}); RPO ${formatHours(lean.backup.achievedRpoHours)}`,
  );
  out.push('  decisions');
  for (const d of lean.decisions) out.push(`    - ${d.topic}: ${d.choice} — ${d.why}`);
  return out;
}
