/** The ecs part of what `stackplan plan` prints: sizes and why, cheaper designs, DNS steps, decisions. */
import type { EcsPlan, EcsSaving } from '../../model/ecs.js';
import type { DatabaseCandidate } from '../../model/plan.js';

function money(n: number): string {
  return `$${Math.abs(n).toFixed(2)}`;
}

/** One cheaper-design line: what was chosen, the alternative and the monthly difference. */
export function formatSaving(s: EcsSaving): string {
  const diff =
    s.monthlyUsd === undefined
      ? (s.perUsage ?? 'depends on usage')
      : s.monthlyUsd > 0
        ? `saves ${money(s.monthlyUsd)}/month`
        : s.monthlyUsd < 0
          ? `costs ${money(s.monthlyUsd)}/month more`
          : 'costs the same';
  const usage = s.monthlyUsd !== undefined && s.perUsage ? `; ${s.perUsage}` : '';
  return `${s.topic}: ${s.chosen} vs ${s.alternative}: ${diff}${usage} (${s.basis})`;
}

function rejected(candidates: DatabaseCandidate[]): string[] {
  return candidates
    .filter((c) => !c.fits)
    .map((c) => `${c.type}${c.hourlyUsd !== undefined ? ` $${c.hourlyUsd}/h` : ''}: ${c.why}`);
}

/** The data stores both managed tiers run (the same constructs): classes, sizes and rejected candidates. */
export function renderDataLines(ecs: Pick<EcsPlan, 'postgres' | 'redis' | 'search' | 'buckets'>): string[] {
  const out: string[] = [];
  const pg = ecs.postgres;
  const rd = ecs.redis;
  const se = ecs.search;
  if (pg || rd || se || ecs.buckets.length) out.push('  data');
  if (pg) {
    out.push(
      `    postgres  ${pg.instanceClass} (${pg.arch}, ${pg.memoryMiB} MiB)${pg.multiAz ? ' Multi-AZ' : ' Single-AZ'}${pg.hourlyUsd !== undefined ? ` $${pg.hourlyUsd}/h` : ''}, PostgreSQL ${pg.engineVersion}, ${pg.storageGb} GB gp3 (up to ${pg.maxStorageGb}), backups ${pg.backupRetentionDays} days with PITR`,
    );
    for (const r of rejected(pg.candidates)) out.push(`      cheaper, does not fit: ${r}`);
  }
  if (rd) {
    out.push(
      `    ${rd.engine.padEnd(9)} ${rd.nodeType} × ${rd.replicas + 1}${rd.multiAz ? ' Multi-AZ failover' : ''}${rd.hourlyUsd !== undefined ? ` $${rd.hourlyUsd}/h each` : ''}, ${rd.usableMiB} MiB usable, ${rd.maxmemoryPolicy}, TLS + AUTH, apps get rediss://`,
    );
    for (const r of rejected(rd.candidates)) out.push(`      cheaper, does not fit: ${r}`);
  }
  if (se) {
    out.push(
      `    search    OpenSearch ${se.instanceType} × ${se.nodes}${se.hourlyUsd !== undefined ? ` $${se.hourlyUsd}/h each` : ''}, ${se.storageGb} GiB gp3 per node, ${se.zoneAwareness ? `zone awareness over ${se.azCount} AZs, ` : ''}${se.indexReplicas} replica${se.indexReplicas === 1 ? '' : 's'} per index`,
    );
    for (const r of rejected(se.candidates)) out.push(`      cheaper, does not fit: ${r}`);
  }
  for (const b of ecs.buckets)
    out.push(`    bucket    ${b.key} (${b.envName})${b.purpose ? `: ${b.purpose}` : ''}`);
  return out;
}

export function renderEcsSection(ecs: EcsPlan): string[] {
  const out: string[] = [];
  const n = ecs.network;
  const egress =
    n.egress === 'nat-gateway'
      ? `NAT gateway × ${n.natCount}`
      : n.egress === 'nat-instance'
        ? `NAT instance ${n.natInstanceType} × ${n.natCount}`
        : `interface endpoints (${n.interfaceEndpoints.join(', ')})`;
  const edge = [
    ecs.edge.alb && `ALB at ${ecs.edge.alb.hostName}`,
    ecs.edge.cdn && `CloudFront for ${ecs.edge.cdn.domainNames.join(', ')}`,
    ecs.edge.waf && 'WAF',
  ]
    .filter(Boolean)
    .join(', ');
  out.push(`ecs: VPC over ${n.azCount} AZs, ${egress}, S3 gateway endpoint; ${edge || 'no public edge'}`);
  if (ecs.edge.edgeStackRegion) {
    out.push(
      `  CloudFront's certificate is in a second stack in ${ecs.edge.edgeStackRegion} (CloudFront only takes certificates from there); bootstrap CDK in both regions and deploy with --all`,
    );
  }
  out.push('  services');
  for (const s of ecs.services) {
    const count = s.min === s.max ? `${s.min} task${s.min === 1 ? '' : 's'}` : `${s.min}-${s.max} tasks`;
    const reach =
      s.exposure === 'alb'
        ? `ALB ${s.service.route}`
        : s.exposure === 'internal'
          ? s.discoveryName
          : 'no inbound';
    out.push(
      `    ${s.service.name.padEnd(12)} ${`${s.size.vcpu} vCPU / ${s.size.memoryMiB} MiB ${s.arch}`.padEnd(26)} ${`${count}${s.scaling ? ` (CPU ${s.scaling.cpuTargetPercent}%)` : ''}`.padEnd(22)} ${`${s.capacityProvider === 'FARGATE_SPOT' ? 'Spot, ' : ''}${reach}`}`,
    );
    out.push(`      ${s.size.why}; ${s.archWhy}`);
  }
  for (const st of ecs.edge.cdn?.statics ?? []) {
    out.push(`    ${st.service.padEnd(12)} static files on S3 + CloudFront at ${st.route}`);
  }
  if (ecs.migration)
    out.push(
      `  migration: ${ecs.migration.family} runs ${ecs.migration.command.join(' ')} before each deploy`,
    );
  out.push(...renderDataLines(ecs));
  if (ecs.savings.length) {
    out.push(
      '  cheaper designs (estimates of the monthly difference from unit prices × 730 h, not totals; the priced total is the cost engine’s, above)',
    );
    for (const s of ecs.savings) out.push(`    ${formatSaving(s)}`);
  }
  if (ecs.edge.dns.manualSteps.length) {
    out.push('  DNS by hand (no hosted zone in the manifest)');
    ecs.edge.dns.manualSteps.forEach((step, i) => {
      out.push(`    ${i + 1}. ${step}`);
    });
  }
  out.push('  before the first deploy (once per account)');
  ecs.prerequisites.forEach((step, i) => {
    out.push(`    ${i + 1}. ${step}`);
  });
  if (ecs.ci) {
    out.push(
      `  CI: ${ecs.ci.workflowFile} deploys from ${ecs.ci.repository} (${ecs.ci.branch}) through OIDC; set the GitHub variable AWS_DEPLOY_ROLE_ARN to the stack output DeployRoleArn`,
    );
  }
  out.push('  decisions');
  for (const d of ecs.decisions) out.push(`    - ${d.topic}: ${d.choice} — ${d.why}`);
  return out;
}
