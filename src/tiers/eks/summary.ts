/** The eks part of what `stackplan plan` prints: cluster, nodes and why, pods, data, steps, decisions. */
import { renderDataLines } from '../ecs/summary.js';
import type { EksPlan } from './plan/types.js';

function money(n: number): string {
  return `$${n.toFixed(2)}`;
}

export function renderEksSection(eks: EksPlan): string[] {
  const out: string[] = [];
  const n = eks.network;
  const egress =
    n.egress === 'nat-instance'
      ? `NAT instance ${n.natInstanceType} × ${n.natCount}`
      : `NAT gateway × ${n.natCount}`;
  const k = eks.kubernetes;
  out.push(
    `eks: cluster ${eks.clusterName}, Kubernetes ${k.version} (standard support until ${k.standardSupportEnds}), VPC over ${n.azCount} AZs, ${egress}; API endpoint ${eks.endpoint.public ? `private + public from ${eks.endpoint.publicCidrs.join(', ')}` : 'private only'}`,
  );
  if (k.warning) out.push(`  warning: ${k.warning}`);
  if (eks.edge.edgeStackRegion) {
    out.push(
      `  CloudFront's certificate is in a second stack in ${eks.edge.edgeStackRegion} (CloudFront only takes certificates from there); bootstrap CDK in both regions and deploy with --all`,
    );
  }
  const c = eks.compute;
  out.push(
    `  compute: ${c.mode === 'auto-mode' ? `EKS Auto Mode, about ${c.chosen.minNodes} × ${c.chosen.type}` : `managed node group, ${c.chosen.minNodes} × ${c.chosen.type} (${c.chosen.arch})`}, ${money(c.chosen.monthlyUsd)}/month${c.alternative ? `; ${c.alternative.mode === 'auto-mode' ? 'Auto Mode' : 'a node group'} would be ${money(c.alternative.monthlyUsd)}` : ''}`,
  );
  out.push(`    ${c.chosen.basis}`);
  out.push('  pods (requests per copy)');
  for (const s of eks.sizing) {
    const copies =
      s.kind === 'daemonset'
        ? 'per node'
        : s.copiesMin === s.copiesMax
          ? `× ${s.copiesMin}`
          : `× ${s.copiesMin}-${s.copiesMax}`;
    out.push(
      `    ${s.component.padEnd(44)} ${`${s.requests.cpuMilli}m / ${s.requests.memoryMiB} MiB`.padEnd(16)} ${copies.padEnd(9)} ${s.kind === 'app' ? '' : `(${s.kind}) `}${s.why}`,
    );
  }
  if (eks.ingress)
    out.push(
      `  ingress: ${eks.ingress.controller === 'auto-mode' ? "Auto Mode's built-in ALB" : `AWS Load Balancer Controller ${eks.ingress.chart!.appVersion}`}, ALB ${eks.ingress.loadBalancerName} at ${eks.ingress.hostName}, ${eks.ingress.sslPolicy}`,
    );
  for (const st of eks.edge.cdn?.statics ?? []) {
    out.push(`  ${st.service}: static files on S3 + CloudFront at ${st.route}`);
  }
  if (eks.migration)
    out.push(
      `  migration: Job ${eks.migration.jobName}-<tag> runs ${eks.migration.command.join(' ')} before the Deployments roll`,
    );
  out.push(`  add-ons: ${eks.addons.map((a) => a.name).join(', ')}`);
  out.push(...renderDataLines(eks));
  if (eks.edge.dns.manualSteps.length) {
    out.push('  DNS by hand (no hosted zone in the manifest)');
    eks.edge.dns.manualSteps.forEach((step, i) => {
      out.push(`    ${i + 1}. ${step}`);
    });
  }
  out.push('  before the first deploy (once per account)');
  eks.prerequisites.forEach((step, i) => {
    out.push(`    ${i + 1}. ${step}`);
  });
  out.push(
    `  files: k8s/ (the objects cdk deploy applies, as YAML for GitOps), load/k6.js (ramps to ${eks.load.peakRps} requests/s)${eks.ci ? `, ci/deploy.yml (GitHub Actions from ${eks.ci.repository} through OIDC; set AWS_DEPLOY_ROLE_ARN to the stack output DeployRoleArn)` : ''}`,
  );
  out.push('  decisions');
  for (const d of eks.decisions) out.push(`    - ${d.topic}: ${d.choice} — ${d.why}`);
  return out;
}
