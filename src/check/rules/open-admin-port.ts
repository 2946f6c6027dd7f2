/**
 * SP-open-admin-port: security groups must not open administration or data-store ports to the
 * whole internet. Seeds 000 and 002 open SSH to 0.0.0.0/0.
 */
import { type Rule, type RuleContext, referencedIds } from './context.js';

/** Ports that only operators or the app itself should reach. */
export const ADMIN_PORTS: Record<number, string> = {
  22: 'SSH',
  23: 'Telnet',
  3389: 'RDP',
  5985: 'WinRM',
  5986: 'WinRM',
  2375: 'Docker API',
  2376: 'Docker API',
  6443: 'Kubernetes API',
  10250: 'kubelet',
  5432: 'PostgreSQL',
  3306: 'MySQL',
  1433: 'SQL Server',
  1521: 'Oracle',
  6379: 'Redis',
  11211: 'Memcached',
  27017: 'MongoDB',
  9200: 'Elasticsearch/OpenSearch',
  9300: 'Elasticsearch/OpenSearch',
  5601: 'Kibana/OpenSearch Dashboards',
  5984: 'CouchDB',
  9042: 'Cassandra',
  8086: 'InfluxDB',
  2049: 'NFS',
  445: 'SMB',
};

/** A CIDR that matches every address: any /0 (0.0.0.0/0, ::/0, and typos such as 192.168.1.0/0). */
export function isWorld(cidr: string | undefined): boolean {
  return cidr !== undefined && /\/0+$/.test(cidr.trim());
}

/** Load balancers answer only on their listeners, so a group attached to nothing else exposes no admin port. */
const LOAD_BALANCERS = new Set([
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
]);

function onlyOnLoadBalancers(ctx: RuleContext, sg: string): boolean {
  let attached = false;
  for (const [id, r] of Object.entries(ctx.stack.template.Resources)) {
    if (
      id === sg ||
      r.Type === 'AWS::EC2::SecurityGroupIngress' ||
      r.Type === 'AWS::EC2::SecurityGroupEgress'
    )
      continue;
    if (!referencedIds(r.Properties ?? {}).has(sg)) continue;
    if (r.Type === 'AWS::EC2::SecurityGroup') continue; // used as a source in another group's rules
    if (!LOAD_BALANCERS.has(r.Type)) return false;
    attached = true;
  }
  return attached;
}

interface Ingress {
  proto: unknown;
  from: unknown;
  to: unknown;
  cidr4: unknown;
  cidr6: unknown;
}

function exposed(ctx: RuleContext, rule: Ingress): string | undefined {
  const cidr = [ctx.str(rule.cidr4), ctx.str(rule.cidr6)].find((c) => isWorld(c));
  if (!cidr) return undefined;
  const proto = String(ctx.str(rule.proto) ?? '').toLowerCase();
  if (proto === '-1' || proto === 'all') return `every port to ${cidr}`;
  if (proto !== 'tcp' && proto !== '6' && proto !== 'udp' && proto !== '17') return undefined;
  const from = ctx.num(rule.from);
  const to = ctx.num(rule.to) ?? from;
  if (from === undefined || to === undefined) return undefined;
  const lo = from === -1 ? 0 : from;
  const hi = to === -1 ? 65535 : to;
  const hit = Object.entries(ADMIN_PORTS)
    .filter(([p]) => Number(p) >= lo && Number(p) <= hi)
    .map(([p, name]) => `${p} (${name})`);
  if (hit.length === 0) return undefined;
  const range = lo === hi ? `port ${lo}` : `ports ${lo}-${hi}`;
  return `${range} to ${cidr}${lo === hi ? ` (${hit[0]!.replace(/^\d+ \(|\)$/g, '')})` : `, including ${hit.slice(0, 4).join(', ')}${hit.length > 4 ? ' …' : ''}`}`;
}

export const rule: Rule = {
  info: {
    id: 'SP-open-admin-port',
    pack: 'stackplan',
    title: 'Security group opens an administration or data port to the internet',
    severity: 'error',
    category: 'security',
    securitySeverity: 8.6,
    resourceTypes: ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'],
    what: `An ingress rule from 0.0.0.0/0, ::/0 (or any other /0) on all traffic, or on a port range that includes an administration or data-store port, of a security group attached to anything but load balancers (which answer only on their listeners): ${Object.entries(
      ADMIN_PORTS,
    )
      .map(([p, n]) => `${p} (${n})`)
      .join(', ')}.`,
    why: 'Ports open to the world are scanned within minutes: SSH and RDP get brute-forced, and databases, caches and search clusters without network isolation leak or get ransomed. None of them needs to be reachable from everywhere.',
    fix: "Remove the rule and use SSM Session Manager for shell access; where a port must stay open, allow only an admin CIDR (a /32) or another security group (the app tier). stackplan opens 22 only from the manifest's adminCidr.",
    references: [
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
  },
  check(ctx) {
    for (const [id, r] of ctx.resources('AWS::EC2::SecurityGroup')) {
      const rules = ctx.props(r).SecurityGroupIngress;
      if (!Array.isArray(rules) || onlyOnLoadBalancers(ctx, id)) continue;
      rules.forEach((raw, i) => {
        const x = (ctx.known(raw) ?? raw) as Record<string, unknown>;
        if (typeof x !== 'object' || x === null) return;
        const what = exposed(ctx, {
          proto: x.IpProtocol,
          from: x.FromPort,
          to: x.ToPort,
          cidr4: x.CidrIp,
          cidr6: x.CidrIpv6,
        });
        if (what) {
          ctx.report({
            logicalId: id,
            path: ['Properties', 'SecurityGroupIngress', i],
            detail: `ingress ${i}`,
            message: `security group allows ${what}: use SSM Session Manager, or allow only an admin CIDR or security group`,
          });
        }
      });
    }
    for (const [id, r] of ctx.resources('AWS::EC2::SecurityGroupIngress')) {
      const p = ctx.props(r);
      const group = ctx.refTarget(p.GroupId);
      if (group && onlyOnLoadBalancers(ctx, group)) continue;
      const what = exposed(ctx, {
        proto: p.IpProtocol,
        from: p.FromPort,
        to: p.ToPort,
        cidr4: p.CidrIp,
        cidr6: p.CidrIpv6,
      });
      if (what) {
        ctx.report({
          logicalId: id,
          path: ['Properties', p.CidrIp !== undefined ? 'CidrIp' : 'CidrIpv6'],
          message: `ingress rule allows ${what}: use SSM Session Manager, or allow only an admin CIDR or security group`,
        });
      }
    }
  },
};
