/**
 * Template → architecture model: what the diagram draws and why. Pure and deterministic: the same
 * template, construct paths and extras give the same model.
 *
 * - Every resource is accounted for: drawn as a node, drawn as a container (a VPC or subnet), or
 *   collapsed into the resource that owns it (a role into its function, a listener into its load
 *   balancer, alarms into one "CloudWatch alarms" node) — see `accounting`.
 * - Nodes inside a VPC sit in the subnet (or the subnet tier) their own or their collapsed
 *   resources' SubnetIds / Subnets / VPCZoneIdentifier / subnet groups name; the rest sit in a group
 *   per category (edge, compute, data, operations).
 * - Edges: traffic (how a request or a connection travels: the internet to an entry point, a CDN
 *   to its origins, a load balancer to its targets, security-group rules between resources, a
 *   compute resource to the data stores its permissions or settings name), and references (the
 *   remaining Ref/GetAtt/Sub/DependsOn between drawn nodes). Traffic reachable from the internet
 *   is the request flow.
 */

import type { ExtraEdge, ExtraNode } from '../../model/design.js';
import { CATEGORIES, CATEGORY_LABEL, type Category, type OwnerRule, TYPES, typeInfo } from './catalog.js';
import { cmp, type ParsedTemplate, type Reference, type TemplateResource } from './template.js';

export type { ExtraEdge, ExtraNode };

export interface ArchitectureOptions {
  /** Extra nodes (a lean host's containers), drawn inside the resource they name. */
  extraNodes?: readonly ExtraNode[];
  extraEdges?: readonly ExtraEdge[];
}

export type NodeKind = 'resource' | 'extra' | 'alarms' | 'internet';

export interface DiagramNode {
  id: string;
  kind: NodeKind;
  /** CloudFormation type for resource nodes. */
  type?: string;
  category: Category | 'external';
  title: string;
  subtitle: string;
  /** Group or container node it is drawn in; '' for the top level. */
  parent: string;
  /** Logical ids this node stands for: itself first, then what collapsed into it, sorted. */
  resources: string[];
}

export type GroupKind = 'category' | 'vpc' | 'tier' | 'subnet';

export interface DiagramGroup {
  id: string;
  kind: GroupKind;
  title: string;
  parent: string;
  category?: Category;
  subnetTier?: SubnetTier;
  /** Logical ids this group stands for (the VPC, a subnet and what collapsed into them). */
  resources: string[];
  /** Where it goes among its siblings: subnet tiers public → private → isolated, subnets by AZ. */
  order: number;
}

export type EdgeKind = 'traffic' | 'reference';

export interface DiagramEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** On a path of traffic edges from the internet: the request flow. */
  flow: boolean;
  /** What the edge was derived from, for the tooltip (`security group rule: tcp 5432`). */
  why: string[];
  /**
   * Drawn in the diagram: every traffic edge, and the references a reader needs (a load balancer
   * to its certificate and log bucket, alarms to their topic) — not DependsOn ordering, not
   * permission grants, not a monitor or deploy role pointing at everything it watches, not a
   * service's cluster or image repository, and not the reverse of a traffic edge.
   */
  show: boolean;
}

export type SubnetTier = 'public' | 'private' | 'isolated';

export interface Accounting {
  logicalId: string;
  type: string;
  /** The node or group it is drawn as or in. */
  shownAs: string;
  how: 'drawn' | 'container' | 'collapsed' | 'aggregated';
  /** For collapsed resources: the resource it collapsed into directly (the chain ends at shownAs). */
  owner?: string;
  /** Which rule decided it. */
  rule?: string;
}

export interface ArchitectureModel {
  nodes: DiagramNode[];
  groups: DiagramGroup[];
  edges: DiagramEdge[];
  /** Every template resource, sorted by logical id. */
  accounting: Accounting[];
}

export const INTERNET = 'internet';
const ALARMS = 'alarms';

/** Refs that grant a permission (a principal in a resource policy) — not ownership. */
const PERMISSION_PATH =
  /\.(PolicyDocument|AccessPolicies|KeyPolicy|AssumeRolePolicyDocument|Policies|Principal)(\.|\[|$)/;

function atProp(ref: Reference, prop: string): boolean {
  const p = `Properties.${prop}`;
  return ref.at === p || ref.at.startsWith(`${p}.`) || ref.at.startsWith(`${p}[`);
}

function stripDefault(path: string): string {
  let p = path;
  while (/\/(Resource|Default)$/.test(p)) p = p.replace(/\/(Resource|Default)$/, '');
  return p;
}

function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf('/');
  return i < 0 ? undefined : path.slice(0, i);
}

function commonPrefixAtWord(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  // Only a whole word counts: the shorter one ends there, or the next character starts a new word.
  const boundary = (s: string) => n === s.length || /[A-Z0-9\-_.]/.test(s[n] as string);
  return n >= 3 && boundary(a) && boundary(b) ? n : 0;
}

class Resolver {
  private readonly finals = new Map<string, { owner?: string; rule?: string; final: string }>();
  private readonly inProgress = new Set<string>();
  private readonly byOwnerPath = new Map<string, string[]>();
  /** Bumped whenever a lookup meets a resource still being resolved (a cycle). */
  private cycleHits = 0;
  /** A name property's value (as JSON) → the resources named so: `BucketName`, `RoleName`, … */
  private readonly byName = new Map<string, string[]>();
  /** Cycle-dependent answers, valid until the outermost resolve() returns. */
  private readonly provisional = new Map<string, { owner?: string; rule?: string; final: string }>();

  constructor(private readonly t: ParsedTemplate) {
    for (const r of t.resources.values()) {
      for (const [k, v] of Object.entries(r.properties)) {
        if (!/Name$/.test(k) || v === undefined || v === null || typeof v === 'boolean') continue;
        const key = JSON.stringify(v);
        this.byName.set(key, [...(this.byName.get(key) ?? []), r.logicalId]);
      }
      if (!r.constructPath) continue;
      const p = stripDefault(r.constructPath);
      const list = this.byOwnerPath.get(p) ?? [];
      list.push(r.logicalId);
      this.byOwnerPath.set(p, list);
    }
  }

  /** The node or container a resource is shown as, following owners; itself when drawn. */
  final(id: string): string {
    return this.resolve(id).final;
  }

  resolve(id: string): { owner?: string; rule?: string; final: string } {
    const done = this.finals.get(id);
    if (done) return done;
    // Answers that leaned on a cycle are kept for the rest of the outermost resolution only: asked
    // again within it, they are reused (without that, many auxiliary resources under one construct
    // — an EKS cluster's — make the search exponential), and still never kept beyond it.
    if (this.inProgress.size === 0) this.provisional.clear();
    else {
      const seen = this.provisional.get(id);
      if (seen) {
        this.cycleHits++;
        return seen;
      }
    }
    const r = this.t.resources.get(id) as TemplateResource;
    const info = typeInfo(r.type);
    if (this.inProgress.has(id)) {
      this.cycleHits++;
      return { final: id };
    }
    if (info.role !== 'aux') {
      const self = { final: id };
      this.finals.set(id, self);
      return self;
    }
    const hitsBefore = this.cycleHits;
    this.inProgress.add(id);
    let result: { owner?: string; rule?: string; final: string } = { final: id };
    for (const rule of info.owner ?? []) {
      const owner = this.apply(rule, r);
      if (owner && owner !== id) {
        const next = this.resolve(owner);
        if (next.final !== id) {
          result = { owner, rule: describe(rule), final: next.final };
          break;
        }
      }
    }
    this.inProgress.delete(id);
    // An answer that leaned on a resource mid-resolution may be wrong once that one is resolved:
    // only answers free of cycles are kept.
    if (this.cycleHits === hitsBefore) this.finals.set(id, result);
    else this.provisional.set(id, result);
    return result;
  }

  private unique(candidates: string[]): string | undefined {
    const ids = [...new Set(candidates)].sort(cmp);
    if (ids.length === 0) return undefined;
    const finals = new Set(ids.map((c) => this.final(c)));
    return finals.size === 1 ? ids[0] : undefined;
  }

  private apply(rule: OwnerRule, r: TemplateResource): string | undefined {
    const t = this.t;
    switch (rule.by) {
      case 'prop': {
        const refs = (t.outOf.get(r.logicalId) ?? []).filter(
          (ref) =>
            ref.kind !== 'depends-on' &&
            rule.at.some((p) => atProp(ref, p)) &&
            (!rule.types || rule.types.includes(t.resources.get(ref.to)?.type ?? '')),
        );
        if (refs.length) return this.unique(refs.map((ref) => ref.to));
        // Named rather than referenced (`Bucket: !Sub ${App}-logs` next to a bucket whose
        // BucketName is that same expression): the resource carrying that exact name.
        const named = rule.at.flatMap((p) => {
          const v = r.properties[p];
          if (v === undefined) return [];
          return (Array.isArray(v) ? v : [v]).flatMap((x) => this.byName.get(JSON.stringify(x)) ?? []);
        });
        return this.unique(
          named.filter(
            (n) => n !== r.logicalId && (!rule.types || rule.types.includes(t.resources.get(n)?.type ?? '')),
          ),
        );
      }
      case 'referrer': {
        const refs = (t.into.get(r.logicalId) ?? []).filter((ref) => {
          if (ref.kind === 'depends-on' || PERMISSION_PATH.test(ref.at)) return false;
          const type = t.resources.get(ref.from)?.type ?? '';
          if (rule.types && !rule.types.includes(type)) return false;
          if (rule.exclude?.includes(type)) return false;
          if (rule.at && !rule.at.some((p) => atProp(ref, p))) return false;
          return true;
        });
        if (rule.pick === 'first') return [...new Set(refs.map((ref) => ref.from))].sort(cmp)[0];
        return this.unique(refs.map((ref) => ref.from));
      }
      case 'construct':
        return this.byConstruct(r);
    }
  }

  /** Drawn (or owner-less) resources whose construct sits under `scope`. */
  private drawnUnder(scope: string, except: string): Array<{ id: string; rel: string }> {
    const out: Array<{ id: string; rel: string }> = [];
    for (const [p, ids] of this.byOwnerPath) {
      if (p !== scope && !p.startsWith(`${scope}/`)) continue;
      for (const id of ids) {
        if (id === except) continue;
        const role = typeInfo(this.t.resources.get(id)?.type ?? '').role;
        if (role === 'alarm') continue;
        // A resource still being resolved (this one's own chain) is not a candidate.
        if (role === 'aux' && (this.inProgress.has(id) || this.final(id) !== id)) continue;
        out.push({ id, rel: p.slice(scope.length + 1) });
      }
    }
    return out.sort((a, b) => cmp(a.id, b.id));
  }

  private byConstruct(r: TemplateResource): string | undefined {
    if (!r.constructPath) return undefined;
    const own = stripDefault(r.constructPath);
    // The construct's own default resource (a VPC for the custom resource that locks its default
    // security group): the scope itself is a drawn resource.
    let scope = parentPath(own);
    let child = own.slice((scope?.length ?? -1) + 1);
    while (scope?.includes('/')) {
      const self = (this.byOwnerPath.get(scope) ?? []).filter((id) => id !== r.logicalId);
      const selfDrawn = self.filter((id) => {
        const role = typeInfo(this.t.resources.get(id)?.type ?? '').role;
        return role !== 'aux' || (!this.inProgress.has(id) && this.final(id) === id);
      });
      if (selfDrawn.length === 1) return selfDrawn[0];
      const under = this.drawnUnder(scope, r.logicalId);
      if (under.length === 1) return under[0]?.id;
      if (under.length > 1) {
        // Siblings named alike (`MigrationSecurityGroup` → `MigrationTask`): the one sharing the
        // longest whole-word prefix, when exactly one does.
        const first = child.split('/')[0] as string;
        const scored = under
          .map((u) => ({ id: u.id, n: commonPrefixAtWord(first, u.rel.split('/')[0] as string) }))
          .filter((s) => s.n > 0);
        const best = Math.max(0, ...scored.map((s) => s.n));
        const winners = [...new Set(scored.filter((s) => s.n === best).map((s) => s.id))];
        return best > 0 && winners.length === 1 ? winners[0] : undefined;
      }
      child = `${scope.slice(scope.lastIndexOf('/') + 1)}/${child}`;
      scope = parentPath(scope);
    }
    // The stack's own scope: only a name match decides (too many siblings otherwise).
    if (scope) {
      const under = this.drawnUnder(scope, r.logicalId);
      const first = child.split('/')[0] as string;
      const scored = under
        .map((u) => ({ id: u.id, n: commonPrefixAtWord(first, u.rel.split('/')[0] as string) }))
        .filter((s) => s.n > 0);
      const best = Math.max(0, ...scored.map((s) => s.n));
      const winners = [...new Set(scored.filter((s) => s.n === best).map((s) => s.id))];
      if (best > 0 && winners.length === 1) return winners[0];
    }
    return undefined;
  }
}

function describe(rule: OwnerRule): string {
  switch (rule.by) {
    case 'prop':
      return `references it (${rule.at.join(', ')})`;
    case 'referrer':
      return rule.pick === 'first'
        ? 'shared; drawn with the first resource that uses it'
        : rule.at
          ? `referenced at ${rule.at.join(', ')}`
          : 'referenced by it';
    case 'construct':
      return 'same CDK construct';
  }
}

// ------------------------------------------------------------------ naming

function literal(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Names that are one word although their case says otherwise. */
const BRANDS = [
  'GitHub',
  'GitLab',
  'OpenSearch',
  'CloudFront',
  'CloudWatch',
  'DynamoDB',
  'PostgreSQL',
  'MySQL',
  'ElastiCache',
  'WebSocket',
  'OAuth',
  'OpenID',
];

/** `AccessLogs` → `Access logs`, `GitHubOidcProvider` → `GitHub oidc provider`; acronyms stay. */
export function humanize(id: string): string {
  const words = id.match(
    new RegExp(`${BRANDS.join('|')}|[A-Z]+[0-9]+(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+`, 'g'),
  ) ?? [id];
  // Sentence case, keeping acronyms (`API`, `NAT`) and brands as they are.
  return words
    .map((w, i) => (i > 0 && /^[A-Z][a-z]+[0-9]*$/.test(w) && !BRANDS.includes(w) ? w.toLowerCase() : w))
    .join(' ');
}

const NAME_PROPS = [
  'DomainName',
  'DBInstanceIdentifier',
  'DBClusterIdentifier',
  'ReplicationGroupId',
  'ClusterName',
  'FunctionName',
  'TableName',
  'QueueName',
  'TopicName',
  'BucketName',
  'ServiceName',
  'RepositoryName',
  'Name',
];

/** A node's name, and whether it says more than its service does (a name of its own, not a scope's). */
function nameOf(r: TemplateResource, t: ParsedTemplate, members: string[]): { name: string; own: boolean } {
  const name = rawName(r, t, members);
  return name;
}

function rawName(r: TemplateResource, t: ParsedTemplate, members: string[]): { name: string; own: boolean } {
  if (r.type === 'AWS::ECS::Service') {
    const names: string[] = [];
    for (const m of members) {
      const res = t.resources.get(m);
      if (res?.type !== 'AWS::ECS::TaskDefinition') continue;
      const defs = res.properties.ContainerDefinitions;
      if (Array.isArray(defs))
        for (const d of defs) if (literal(get(d, 'Name'))) names.push(String(get(d, 'Name')));
    }
    if (names.length) return { name: names.join(', '), own: true };
  }
  if (r.type !== 'AWS::EC2::VPCEndpoint' && r.type !== 'AWS::CloudFront::Distribution') {
    for (const p of NAME_PROPS) {
      const v = literal(r.properties[p]);
      if (v && !v.includes('.amazonaws.') && v.length <= 64) return { name: v, own: true };
    }
  }
  if (r.constructPath) {
    const info = typeInfo(r.type);
    const generic = new Set(['Resource', 'Default', ...(info.generic ?? [])]);
    const segments = stripDefault(r.constructPath).split('/').slice(1);
    for (let i = segments.length - 1; i >= 0; i--) {
      let seg = segments[i] as string;
      const dash = seg.indexOf('-');
      // `Repository-api`, `Logs-postgresql`: the kind, a dash, the name.
      if (dash > 0 && /^[A-Z][A-Za-z]+$/.test(seg.slice(0, dash))) seg = seg.slice(dash + 1);
      if (generic.has(seg) || seg === '') continue;
      return {
        name: /[A-Z]/.test(seg) && !/[-.@]/.test(seg) ? humanize(seg) : seg,
        own: i === segments.length - 1,
      };
    }
  }
  const tags = r.properties.Tags;
  if (Array.isArray(tags)) {
    const name = tags.find((tag) => get(tag, 'Key') === 'Name');
    const v = literal(get(name, 'Value'));
    if (v && !v.includes('/')) return { name: v, own: true };
  }
  return { name: humanize(r.logicalId.replace(/[0-9A-F]{8}$/, '')), own: false };
}

const ENGINES: Record<string, string> = {
  postgres: 'PostgreSQL',
  'aurora-postgresql': 'PostgreSQL',
  mysql: 'MySQL',
  'aurora-mysql': 'MySQL',
  mariadb: 'MariaDB',
  valkey: 'Valkey',
  redis: 'Redis',
  memcached: 'Memcached',
};

function serviceOf(r: TemplateResource): string {
  const info = typeInfo(r.type);
  const p = r.properties;
  switch (r.type) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return p.Type === 'network'
        ? 'Network Load Balancer'
        : p.Type === 'gateway'
          ? 'Gateway Load Balancer'
          : 'Application Load Balancer';
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster': {
      const engine = ENGINES[String(p.Engine ?? '')];
      const base = r.type === 'AWS::RDS::DBCluster' ? 'Aurora' : 'RDS';
      return engine ? `${base} ${engine}` : info.service;
    }
    case 'AWS::ElastiCache::ReplicationGroup':
    case 'AWS::ElastiCache::CacheCluster':
    case 'AWS::ElastiCache::ServerlessCache': {
      const engine = ENGINES[String(p.Engine ?? 'redis')];
      return engine ? `${info.service} (${engine})` : info.service;
    }
    case 'AWS::EC2::VPCEndpoint': {
      // CloudFormation's default endpoint type is Gateway.
      const kind =
        p.VpcEndpointType === 'Interface' || p.VpcEndpointType === 'GatewayLoadBalancer'
          ? 'interface'
          : 'gateway';
      const svc = endpointService(p.ServiceName);
      return svc ? `VPC endpoint (${svc}, ${kind})` : `VPC endpoint (${kind})`;
    }
    default:
      return info.service;
  }
}

function endpointService(v: unknown): string | undefined {
  const parts: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') parts.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x) Object.values(x).forEach(walk);
  };
  walk(v);
  const text = parts.join('');
  const m = /\.([a-z0-9-]+(?:\.[a-z0-9-]+)?)$/.exec(text);
  return m ? (m[1] as string).replace(/^(?:[a-z]{2}-[a-z]+-\d)\./, '') : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function detailOf(r: TemplateResource, t: ParsedTemplate, members: string[]): string[] {
  const p = r.properties;
  const out: string[] = [];
  switch (r.type) {
    case 'AWS::EC2::Instance':
      if (literal(p.InstanceType)) out.push(String(p.InstanceType));
      break;
    case 'AWS::RDS::DBInstance':
      if (literal(p.DBInstanceClass)) out.push(String(p.DBInstanceClass));
      out.push(p.MultiAZ === true || p.MultiAZ === 'true' ? 'Multi-AZ' : 'Single-AZ');
      break;
    case 'AWS::ElastiCache::ReplicationGroup': {
      const n =
        num(p.NumCacheClusters) ??
        (num(p.ReplicasPerNodeGroup) !== undefined ? (num(p.ReplicasPerNodeGroup) as number) + 1 : undefined);
      if (literal(p.CacheNodeType)) out.push(`${n && n > 1 ? `${n} × ` : ''}${p.CacheNodeType}`);
      if (p.MultiAZEnabled === true) out.push('Multi-AZ');
      break;
    }
    case 'AWS::ElastiCache::CacheCluster':
      if (literal(p.CacheNodeType))
        out.push(
          `${num(p.NumCacheNodes) && (num(p.NumCacheNodes) as number) > 1 ? `${p.NumCacheNodes} × ` : ''}${p.CacheNodeType}`,
        );
      break;
    case 'AWS::OpenSearchService::Domain':
    case 'AWS::Elasticsearch::Domain': {
      const type = literal(get(p, 'ClusterConfig.InstanceType'));
      const n = num(get(p, 'ClusterConfig.InstanceCount')) ?? 1;
      if (type) out.push(`${n > 1 ? `${n} × ` : ''}${type}`);
      break;
    }
    case 'AWS::ECS::Service': {
      const provider =
        literal(get(p, 'CapacityProviderStrategy.0.CapacityProvider')) ?? literal(p.LaunchType);
      if (Array.isArray(p.CapacityProviderStrategy)) {
        const first = literal(get(p.CapacityProviderStrategy[0], 'CapacityProvider'));
        if (first)
          out.push(first === 'FARGATE_SPOT' ? 'Fargate Spot' : first === 'FARGATE' ? 'Fargate' : first);
      } else if (provider) out.push(provider === 'FARGATE' ? 'Fargate' : provider);
      const td = members.map((m) => t.resources.get(m)).find((m) => m?.type === 'AWS::ECS::TaskDefinition');
      const cpu = num(td?.properties.Cpu);
      const mem = num(td?.properties.Memory);
      if (cpu !== undefined && mem !== undefined)
        out.push(`${cpu / 1024} vCPU, ${mem >= 1024 ? `${mem / 1024} GB` : `${mem} MB`}`);
      break;
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      out.push(p.Scheme === 'internal' ? 'internal' : 'internet-facing');
      break;
    case 'AWS::EKS::Cluster':
      if (literal(p.Version)) out.push(`Kubernetes ${p.Version}`);
      break;
    case 'AWS::EKS::Nodegroup': {
      const types = Array.isArray(p.InstanceTypes)
        ? p.InstanceTypes.filter((x) => typeof x === 'string')
        : [];
      if (types.length) out.push(types.join(', '));
      const min = num(get(p, 'ScalingConfig.MinSize'));
      const max = num(get(p, 'ScalingConfig.MaxSize'));
      if (min !== undefined && max !== undefined)
        out.push(min === max ? `${min} nodes` : `${min}–${max} nodes`);
      break;
    }
    case 'AWS::AutoScaling::AutoScalingGroup': {
      const min = num(p.MinSize);
      const max = num(p.MaxSize);
      if (min !== undefined && max !== undefined)
        out.push(min === max ? `${min} instances` : `${min}–${max} instances`);
      break;
    }
    case 'AWS::Lambda::Function':
      if (literal(p.Runtime)) out.push(String(p.Runtime));
      if (num(p.MemorySize)) out.push(`${p.MemorySize} MB`);
      break;
    case 'AWS::DynamoDB::Table':
      out.push(p.BillingMode === 'PAY_PER_REQUEST' ? 'on demand' : 'provisioned');
      break;
  }
  return out;
}

/** Types a reader knows by their own name (`api`, `uploads`) rather than by the service. */
const KNOWN_BY_NAME = new Set([
  'AWS::ECS::Service',
  'AWS::Lambda::Function',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::EKS::Nodegroup',
  'AWS::ECR::Repository',
]);

// ------------------------------------------------------------------ network

interface SubnetInfo {
  id: string;
  vpc: string;
  tier: SubnetTier;
  tierName?: string;
  az: string;
  azOrder: number;
  cidr?: string;
}

function tagValue(r: TemplateResource, key: string): string | undefined {
  const tags = r.properties.Tags;
  if (!Array.isArray(tags)) return undefined;
  return literal(
    get(
      tags.find((t) => get(t, 'Key') === key),
      'Value',
    ),
  );
}

function subnetInfo(r: TemplateResource, t: ParsedTemplate): SubnetInfo {
  const vpcRef = (t.outOf.get(r.logicalId) ?? []).find((ref) => atProp(ref, 'VpcId'));
  const cdkType = tagValue(r, 'aws-cdk:subnet-type');
  let tier: SubnetTier | undefined =
    cdkType === 'Public'
      ? 'public'
      : cdkType === 'Private'
        ? 'private'
        : cdkType === 'Isolated'
          ? 'isolated'
          : undefined;
  if (!tier) {
    // Routes decide: a default route to an internet gateway is public, to a NAT private, none isolated.
    tier = 'isolated';
    for (const assoc of t.into.get(r.logicalId) ?? []) {
      if (t.resources.get(assoc.from)?.type !== 'AWS::EC2::SubnetRouteTableAssociation') continue;
      const rt = (t.outOf.get(assoc.from) ?? []).find((ref) => atProp(ref, 'RouteTableId'))?.to;
      for (const route of rt ? (t.into.get(rt) ?? []) : []) {
        if (t.resources.get(route.from)?.type !== 'AWS::EC2::Route') continue;
        for (const target of t.outOf.get(route.from) ?? []) {
          const type = t.resources.get(target.to)?.type;
          if (type === 'AWS::EC2::InternetGateway') tier = 'public';
          else if (
            tier !== 'public' &&
            (type === 'AWS::EC2::NatGateway' ||
              type === 'AWS::EC2::Instance' ||
              type === 'AWS::EC2::NetworkInterface')
          )
            tier = 'private';
        }
      }
    }
    if (tier === 'isolated' && r.properties.MapPublicIpOnLaunch === true) tier = 'public';
  }
  const azProp = r.properties.AvailabilityZone;
  let az = 'AZ';
  let azOrder = 0;
  const sel = get(azProp, 'Fn::Select');
  if (typeof azProp === 'string') {
    az = azProp;
    azOrder = azProp.charCodeAt(azProp.length - 1);
  } else if (Array.isArray(sel) && typeof sel[0] === 'number') {
    az = `AZ ${sel[0] + 1}`;
    azOrder = sel[0];
  } else if (Array.isArray(sel) && typeof sel[0] === 'string' && /^\d+$/.test(sel[0])) {
    az = `AZ ${Number(sel[0]) + 1}`;
    azOrder = Number(sel[0]);
  }
  const name = tagValue(r, 'aws-cdk:subnet-name');
  return {
    id: r.logicalId,
    vpc: vpcRef?.to ?? '',
    tier,
    ...(name && name.toLowerCase() !== tier && { tierName: name }),
    az,
    azOrder,
    ...(literal(r.properties.CidrBlock) && { cidr: String(r.properties.CidrBlock) }),
  };
}

const TIER_ORDER: Record<SubnetTier, number> = { public: 0, private: 1, isolated: 2 };
const TIER_LABEL: Record<SubnetTier, string> = { public: 'Public', private: 'Private', isolated: 'Isolated' };

// ------------------------------------------------------------------ the model

export function buildArchitecture(t: ParsedTemplate, options: ArchitectureOptions = {}): ArchitectureModel {
  const resolver = new Resolver(t);
  const ids = [...t.resources.keys()];
  const typeOf = (id: string) => t.resources.get(id)?.type ?? '';
  const roleOf = (id: string) => typeInfo(typeOf(id)).role;

  // 1. What each resource is shown as.
  const shownAs = new Map<string, string>();
  const accounting: Accounting[] = [];
  for (const id of ids) {
    const role = roleOf(id);
    if (role === 'alarm') {
      shownAs.set(id, ALARMS);
      accounting.push({
        logicalId: id,
        type: typeOf(id),
        shownAs: ALARMS,
        how: 'aggregated',
        rule: 'every alarm is drawn in one node',
      });
      continue;
    }
    const r = resolver.resolve(id);
    let final = r.final;
    if (roleOf(final) === 'alarm') final = ALARMS;
    shownAs.set(id, final);
    const finalRole = final === ALARMS ? 'alarm' : roleOf(final);
    const container = finalRole === 'vpc' || finalRole === 'subnet';
    accounting.push({
      logicalId: id,
      type: typeOf(id),
      shownAs: container ? groupIdOf(final) : final,
      how: final === id ? (container ? 'container' : 'drawn') : final === ALARMS ? 'aggregated' : 'collapsed',
      ...(r.owner && final !== id && { owner: r.owner }),
      ...(r.rule && final !== id && { rule: r.rule }),
    });
  }
  const membersOf = new Map<string, string[]>();
  for (const id of ids) {
    const s = shownAs.get(id) as string;
    const list = membersOf.get(s) ?? [];
    list.push(id);
    membersOf.set(s, list);
  }
  const members = (id: string) => {
    const list = (membersOf.get(id) ?? []).slice().sort(cmp);
    // Itself first.
    return list.includes(id) ? [id, ...list.filter((x) => x !== id)] : list;
  };

  // 2. Network containers.
  const groups: DiagramGroup[] = [];
  const vpcs = ids.filter((id) => roleOf(id) === 'vpc');
  const subnets = ids
    .filter((id) => roleOf(id) === 'subnet')
    .map((id) => subnetInfo(t.resources.get(id) as TemplateResource, t));
  const externalVpc = subnets.some((s) => !vpcs.includes(s.vpc));
  for (const vpc of vpcs) {
    const cidr = literal(t.resources.get(vpc)?.properties.CidrBlock);
    groups.push({
      id: groupIdOf(vpc),
      kind: 'vpc',
      title: `VPC${cidr ? ` ${cidr}` : ''}`,
      parent: '',
      resources: members(vpc),
      order: 0,
    });
  }
  if (externalVpc)
    groups.push({
      id: 'g-vpc-external',
      kind: 'vpc',
      title: 'VPC (not in this template)',
      parent: '',
      resources: [],
      order: 0,
    });
  const vpcGroup = (vpc: string) => (vpcs.includes(vpc) ? groupIdOf(vpc) : 'g-vpc-external');
  const tierGroups = new Map<string, string>();
  const byTier = new Map<string, SubnetInfo[]>();
  for (const s of subnets) {
    const key = `${vpcGroup(s.vpc)}|${s.tier}|${s.tierName ?? ''}`;
    const list = byTier.get(key) ?? [];
    list.push(s);
    byTier.set(key, list);
  }
  const tierKeys = [...byTier.keys()].sort((a, b) => {
    const [va, ta, na] = a.split('|') as [string, SubnetTier, string];
    const [vb, tb, nb] = b.split('|') as [string, SubnetTier, string];
    return cmp(va, vb) || TIER_ORDER[ta] - TIER_ORDER[tb] || cmp(na, nb);
  });
  const subnetGroup = new Map<string, string>();
  for (const key of tierKeys) {
    const [vpcG, tier, name] = key.split('|') as [string, SubnetTier, string];
    const list = (byTier.get(key) as SubnetInfo[]).sort(
      (a, b) => a.azOrder - b.azOrder || cmp(a.az, b.az) || cmp(a.id, b.id),
    );
    const tierTitle = `${TIER_LABEL[tier]} subnet${list.length > 1 ? 's' : ''}${name ? ` (${name})` : ''}`;
    let parent = vpcG;
    if (list.length > 1) {
      const gid = `g-tier-${vpcG.slice(2)}-${tier}${name ? `-${name}` : ''}`.replace(/[^A-Za-z0-9-]/g, '-');
      groups.push({
        id: gid,
        kind: 'tier',
        title: tierTitle,
        parent: vpcG,
        subnetTier: tier,
        resources: [],
        order: TIER_ORDER[tier],
      });
      tierGroups.set(key, gid);
      parent = gid;
    }
    for (const [i, s] of list.entries()) {
      const gid = groupIdOf(s.id);
      subnetGroup.set(s.id, gid);
      groups.push({
        id: gid,
        kind: 'subnet',
        title:
          list.length > 1
            ? `${s.az}${s.cidr ? ` · ${s.cidr}` : ''}`
            : `${tierTitle} · ${s.az}${s.cidr ? ` · ${s.cidr}` : ''}`,
        parent,
        subnetTier: tier,
        resources: members(s.id),
        order: list.length > 1 ? i : TIER_ORDER[tier],
      });
    }
  }
  const subnetById = new Map(subnets.map((s) => [s.id, s]));

  // 3. Nodes and where they sit.
  const drawn = [...new Set([...shownAs.values()])]
    .filter((id) => id !== ALARMS && !['vpc', 'subnet'].includes(roleOf(id)))
    .sort(cmp);
  const typeCount = new Map<string, number>();
  for (const id of drawn)
    typeCount.set(
      serviceOf(t.resources.get(id) as TemplateResource),
      (typeCount.get(serviceOf(t.resources.get(id) as TemplateResource)) ?? 0) + 1,
    );
  const categoryGroups = new Set<Category>();
  const nodes: DiagramNode[] = [];
  for (const id of drawn) {
    const r = t.resources.get(id) as TemplateResource;
    const info = typeInfo(r.type);
    const mem = members(id);
    const service = serviceOf(r);
    const { name, own } = nameOf(r, t, mem);
    const details = detailOf(r, t, mem);
    // A service name is a good title only when it is one of the catalogue's and unique here, and
    // the resource is not one a reader knows by its own name (an app's service, function, bucket).
    const singleton =
      (typeCount.get(service) ?? 0) === 1 && r.type in TYPES && !(own && KNOWN_BY_NAME.has(r.type));
    const title = singleton ? service : name;
    const says = own && !service.toLowerCase().includes(name.toLowerCase());
    const subtitle = singleton
      ? [...(says ? [name] : []), ...details].join(' · ')
      : [service, ...details].join(' · ');
    nodes.push({
      id,
      kind: 'resource',
      type: r.type,
      category: info.category,
      title,
      subtitle,
      parent: '',
      resources: mem,
    });
  }
  const alarmMembers = members(ALARMS);
  if (alarmMembers.length) {
    nodes.push({
      id: ALARMS,
      kind: 'alarms',
      category: 'operations',
      title: 'CloudWatch alarms',
      subtitle: `${alarmMembers.length} alarm${alarmMembers.length === 1 ? '' : 's'}`,
      parent: '',
      resources: alarmMembers,
    });
  }
  const nodeById = new Map(nodes.map((n) => [n.id, n]));

  // Placement: subnets named by the node or what collapsed into it.
  for (const n of nodes) {
    if (n.kind !== 'resource') continue;
    const inSubnets = new Set<string>();
    const inVpcs = new Set<string>();
    for (const m of n.resources) {
      for (const ref of t.outOf.get(m) ?? []) {
        if (ref.kind === 'depends-on') continue;
        const role = roleOf(ref.to);
        if (role === 'subnet') inSubnets.add(ref.to);
        else if (role === 'vpc') inVpcs.add(ref.to);
      }
    }
    // A resource that owns subnets' plumbing (route tables) is not "in" them: only drawn nodes count.
    const list = [...inSubnets].sort(cmp);
    if (list.length === 1) n.parent = subnetGroup.get(list[0] as string) as string;
    else if (list.length > 1) {
      const infos = list.map((s) => subnetById.get(s) as SubnetInfo);
      const keys = new Set(infos.map((s) => `${vpcGroup(s.vpc)}|${s.tier}|${s.tierName ?? ''}`));
      const vpcsOf = new Set(infos.map((s) => vpcGroup(s.vpc)));
      if (keys.size === 1)
        n.parent = tierGroups.get([...keys][0] as string) ?? (subnetGroup.get(list[0] as string) as string);
      else if (vpcsOf.size === 1) n.parent = [...vpcsOf][0] as string;
      n.subtitle = [n.subtitle, `${new Set(infos.map((s) => s.az)).size} AZs`].filter(Boolean).join(' · ');
    } else if (inVpcs.size === 1) n.parent = vpcGroup([...inVpcs][0] as string);
  }
  for (const n of nodes) {
    if (n.parent) continue;
    const cat = n.category as Category;
    categoryGroups.add(cat);
    n.parent = `g-cat-${cat}`;
  }

  // Extra nodes.
  for (const x of options.extraNodes ?? []) {
    if (t.resources.has(x.id) || nodeById.has(x.id) || x.id === INTERNET) {
      throw new Error(`extra node id ${JSON.stringify(x.id)} is already taken`);
    }
    let parent = '';
    if (x.inside) {
      const target = nodeById.get(shownAs.get(x.inside) ?? x.inside);
      if (!target)
        throw new Error(
          `extra node ${JSON.stringify(x.id)} is inside ${JSON.stringify(x.inside)}, which is not drawn`,
        );
      parent = target.id;
    } else {
      categoryGroups.add(x.category);
      parent = `g-cat-${x.category}`;
    }
    const node: DiagramNode = {
      id: x.id,
      kind: 'extra',
      category: x.category,
      title: x.title,
      subtitle: x.subtitle ?? '',
      parent,
      resources: [],
    };
    nodes.push(node);
    nodeById.set(node.id, node);
  }
  for (const cat of [...categoryGroups].sort(cmp)) {
    groups.push({
      id: `g-cat-${cat}`,
      kind: 'category',
      title: CATEGORY_LABEL[cat],
      parent: '',
      category: cat,
      resources: [],
      order: CATEGORIES.indexOf(cat),
    });
  }

  // 4. Edges.
  const edges = new Map<string, DiagramEdge>();
  const addEdge = (from: string, to: string, kind: EdgeKind, why: string) => {
    if (from === to || (!nodeById.has(from) && from !== INTERNET) || !nodeById.has(to)) return;
    const key = `${from}>${to}`;
    const existing = edges.get(key);
    if (existing) {
      if (kind === 'traffic' && existing.kind !== 'traffic') {
        existing.kind = 'traffic';
        existing.why = [];
      }
      // A traffic edge lists what makes it traffic, not every reference behind it.
      if (kind === existing.kind && !existing.why.includes(why)) existing.why.push(why);
      return;
    }
    edges.set(key, { id: `e-${from}-${to}`, from, to, kind, flow: false, why: [why], show: false });
  };
  const nodeOf = (id: string) => {
    const s = shownAs.get(id);
    return s && nodeById.has(s) ? s : undefined;
  };

  // Entry points from the internet.
  const entries: string[] = [];
  for (const n of nodes) {
    if (n.kind !== 'resource') continue;
    const r = t.resources.get(n.id) as TemplateResource;
    const p = r.properties;
    const entry =
      r.type === 'AWS::CloudFront::Distribution' ||
      ((r.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' ||
        r.type === 'AWS::ElasticLoadBalancing::LoadBalancer') &&
        p.Scheme !== 'internal') ||
      (r.type === 'AWS::ApiGateway::RestApi' &&
        !JSON.stringify(p.EndpointConfiguration ?? '').includes('PRIVATE')) ||
      r.type === 'AWS::ApiGatewayV2::Api' ||
      r.type === 'AWS::EC2::EIP' ||
      r.type === 'AWS::GlobalAccelerator::Accelerator' ||
      r.type === 'AWS::AppRunner::Service' ||
      n.resources.some((m) => typeOf(m) === 'AWS::Lambda::Url');
    if (entry) {
      entries.push(n.id);
      addEdge(INTERNET, n.id, 'traffic', 'entry point from the internet');
    }
  }

  // CloudFront origins.
  for (const id of ids.filter((i) => typeOf(i) === 'AWS::CloudFront::Distribution')) {
    const from = nodeOf(id);
    if (!from) continue;
    const origins = get(t.resources.get(id)?.properties, 'DistributionConfig.Origins');
    if (!Array.isArray(origins)) continue;
    origins.forEach((o, i) => {
      const at = `Properties.DistributionConfig.Origins[${i}]`;
      const refs = (t.outOf.get(id) ?? []).filter((ref) => ref.at.startsWith(`${at}.DomainName`));
      for (const ref of refs) {
        const to = nodeOf(ref.to);
        if (to) addEdge(from, to, 'traffic', 'CloudFront origin');
      }
      const domain = literal(get(o, 'DomainName'));
      if (domain) {
        const to = resolveDomain(domain, t, nodeOf);
        if (to) addEdge(from, to, 'traffic', `CloudFront origin ${domain}`);
      }
    });
  }

  // Load balancers → targets, through target groups.
  for (const tg of ids.filter((i) => typeOf(i) === 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
    const sources = new Set<string>();
    const targets = new Set<string>();
    for (const ref of t.into.get(tg) ?? []) {
      if (ref.kind === 'depends-on') continue;
      const type = typeOf(ref.from);
      const n = nodeOf(ref.from);
      if (!n) continue;
      if (
        type === 'AWS::ElasticLoadBalancingV2::Listener' ||
        type === 'AWS::ElasticLoadBalancingV2::ListenerRule'
      )
        sources.add(n);
      else if (nodeById.get(n)?.category === 'compute') targets.add(n); // not an alarm watching it
    }
    for (const ref of t.outOf.get(tg) ?? []) {
      if (atProp(ref, 'Targets')) {
        const n = nodeOf(ref.to);
        if (n) targets.add(n);
      }
    }
    for (const s of sources) for (const d of targets) addEdge(s, d, 'traffic', 'load balancer target');
  }

  // API Gateway integrations and Lambda event sources.
  for (const id of ids) {
    const type = typeOf(id);
    if (
      type === 'AWS::ApiGateway::Method' ||
      type === 'AWS::ApiGatewayV2::Integration' ||
      type === 'AWS::ApiGatewayV2::Route'
    ) {
      const api = nodeOf(id);
      for (const ref of t.outOf.get(id) ?? []) {
        if (atProp(ref, 'Integration') || atProp(ref, 'IntegrationUri')) {
          const to = nodeOf(ref.to);
          if (api && to) addEdge(api, to, 'traffic', 'API integration');
        }
      }
    }
    if (type === 'AWS::Lambda::EventSourceMapping') {
      const src = (t.outOf.get(id) ?? []).find((ref) => atProp(ref, 'EventSourceArn'));
      const fn = nodeOf(id);
      const from = src && nodeOf(src.to);
      if (from && fn) addEdge(from, fn, 'traffic', 'event source');
    }
    if (type === 'AWS::EC2::EIP' || type === 'AWS::EC2::EIPAssociation') {
      const inst = (t.outOf.get(id) ?? []).find(
        (ref) => atProp(ref, 'InstanceId') || atProp(ref, 'NetworkInterfaceId'),
      );
      const from = nodeOf(id);
      const to = inst && nodeOf(inst.to);
      if (from && to) addEdge(from, to, 'traffic', 'Elastic IP of the instance');
    }
  }

  // Security-group rules: who may connect to whom.
  const sgUsers = (sg: string): string[] => {
    const users = new Set<string>();
    for (const ref of t.into.get(sg) ?? []) {
      if (ref.kind === 'depends-on') continue;
      const type = typeOf(ref.from);
      if (
        type === 'AWS::EC2::SecurityGroupIngress' ||
        type === 'AWS::EC2::SecurityGroupEgress' ||
        type === 'AWS::EC2::SecurityGroup'
      )
        continue;
      const n = nodeOf(ref.from);
      if (n) users.add(n);
    }
    const own = nodeOf(sg);
    if (own) users.add(own);
    return [...users].sort(cmp);
  };
  const reachedByEip = new Set(
    [...edges.values()]
      .filter((e) => typeOf(e.from) === 'AWS::EC2::EIP' && e.kind === 'traffic')
      .map((e) => e.to),
  );
  const rule = (group: string, peer: string | undefined, open: boolean, ingress: boolean, port: string) => {
    const why = `security group rule${port ? `: ${port}` : ''}`;
    for (const user of sgUsers(group)) {
      if (peer) {
        for (const other of sgUsers(peer)) {
          if (ingress) addEdge(other, user, 'traffic', why);
          else addEdge(user, other, 'traffic', why);
        }
      } else if (open && ingress && !reachedByEip.has(user) && !entries.includes(user)) {
        addEdge(INTERNET, user, 'traffic', `${why} from anywhere`);
      }
    }
  };
  const portOf = (o: unknown) => {
    const proto = literal(get(o, 'IpProtocol'));
    const from = literal(get(o, 'FromPort'));
    const to = literal(get(o, 'ToPort'));
    if (proto === '-1') return 'all traffic';
    return from === undefined
      ? ''
      : `${proto ?? 'tcp'} ${from === to || to === undefined ? from : `${from}-${to}`}`;
  };
  const openCidr = (o: unknown) => get(o, 'CidrIp') === '0.0.0.0/0' || get(o, 'CidrIpv6') === '::/0';
  for (const id of ids) {
    const type = typeOf(id);
    const p = t.resources.get(id)?.properties;
    if (type === 'AWS::EC2::SecurityGroupIngress' || type === 'AWS::EC2::SecurityGroupEgress') {
      const ingress = type === 'AWS::EC2::SecurityGroupIngress';
      const group = (t.outOf.get(id) ?? []).find((ref) => atProp(ref, 'GroupId'))?.to;
      const peer = (t.outOf.get(id) ?? []).find((ref) =>
        atProp(ref, ingress ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId'),
      )?.to;
      if (group) rule(group, peer, openCidr(p), ingress, portOf(p));
    }
    if (type === 'AWS::EC2::SecurityGroup') {
      for (const dir of ['SecurityGroupIngress', 'SecurityGroupEgress'] as const) {
        const list = p?.[dir];
        if (!Array.isArray(list)) continue;
        list.forEach((o, i) => {
          const at = `Properties.${dir}[${i}]`;
          const peer = (t.outOf.get(id) ?? []).find(
            (ref) => ref.at.startsWith(at) && /SecurityGroupId/.test(ref.at),
          )?.to;
          rule(id, peer, openCidr(o), dir === 'SecurityGroupIngress', portOf(o));
        });
      }
    }
  }

  // Compute → the data stores its permissions, secrets or settings name.
  for (const n of nodes) {
    if (n.kind !== 'resource' || n.category !== 'compute') continue;
    const seen = new Set<string>();
    for (const m of n.resources) {
      for (const ref of [...(t.outOf.get(m) ?? []), ...(t.into.get(m) ?? [])]) {
        if (ref.kind === 'depends-on') continue;
        const other = nodeOf(ref.from === m ? ref.to : ref.from);
        if (!other || other === n.id || seen.has(other)) continue;
        if (nodeById.get(other)?.category !== 'data') continue;
        seen.add(other);
        addEdge(n.id, other, 'traffic', 'uses it (permissions, secrets or settings)');
      }
    }
  }

  // Edges the caller adds (a host's containers).
  for (const e of options.extraEdges ?? []) {
    const from =
      e.from === INTERNET ? INTERNET : (nodeOf(e.from) ?? (nodeById.has(e.from) ? e.from : undefined));
    const to = nodeOf(e.to) ?? (nodeById.has(e.to) ? e.to : undefined);
    if (!from || !to) throw new Error(`extra edge ${e.from} → ${e.to} names a node that is not drawn`);
    addEdge(from, to, e.traffic === false ? 'reference' : 'traffic', 'given by the plan');
  }

  // Traffic that reaches a container goes to its entry node (a host's reverse proxy).
  const redirected = new Set<string>();
  for (const x of options.extraNodes ?? []) {
    if (!x.entry) continue;
    const container = nodeById.get(x.id)?.parent as string;
    for (const e of [...edges.values()]) {
      if (e.to !== container || e.kind !== 'traffic' || nodeById.get(e.from)?.parent === container) continue;
      edges.delete(`${e.from}>${e.to}`);
      redirected.add(`${e.from}>${e.to}`);
      addEdge(e.from, x.id, 'traffic', e.why[0] as string);
      const moved = edges.get(`${e.from}>${x.id}`) as DiagramEdge;
      for (const w of e.why) if (!moved.why.includes(w)) moved.why.push(w);
    }
  }

  // Remaining references between drawn nodes.
  for (const ref of t.references) {
    const from = nodeOf(ref.from);
    const to = nodeOf(ref.to);
    if (!from || !to || from === to) continue;
    addEdge(
      from,
      to,
      'reference',
      ref.kind === 'depends-on'
        ? 'DependsOn'
        : `${ref.kind === 'getatt' ? 'Fn::GetAtt' : ref.kind === 'sub' ? 'Fn::Sub' : 'Ref'} at ${ref.at.replace(/^Properties\./, '')}`,
    );
  }

  // Which references are drawn.
  const trafficPairs = new Set(
    [...edges.values()]
      .filter((e) => e.kind === 'traffic')
      .flatMap((e) => [`${e.from}>${e.to}`, `${e.to}>${e.from}`]),
  );
  for (const e of edges.values()) {
    if (e.kind === 'traffic') {
      e.show = true;
      continue;
    }
    if (trafficPairs.has(`${e.from}>${e.to}`) || redirected.has(`${e.from}>${e.to}`)) continue;
    const meaningful = e.why.some(
      (w) =>
        w !== 'DependsOn' && !/(PolicyDocument|AccessPolicies|Principal|Condition|DashboardBody)/.test(w),
    );
    const fromCat = nodeById.get(e.from)?.category;
    const toCat = nodeById.get(e.to)?.category;
    const watcher = fromCat === 'operations' && toCat !== 'operations';
    // Membership and image pulls: every service points at its cluster and repository; drawing
    // them adds a line per service and says nothing about how a request travels.
    const membership =
      typeOf(e.to) === 'AWS::ECS::Cluster' || (fromCat === 'compute' && toCat === 'operations');
    e.show = meaningful && !watcher && !membership;
  }
  // A pair drawn once: the reverse of a drawn reference is not drawn again.
  for (const e of edges.values()) {
    const back = edges.get(`${e.to}>${e.from}`);
    if (e.show && back?.show && e.kind === 'reference' && back.kind === 'reference' && cmp(e.from, e.to) > 0)
      e.show = false;
  }

  // The request flow: traffic reachable from the internet.
  const out = new Map<string, DiagramEdge[]>();
  for (const e of edges.values()) {
    if (e.kind !== 'traffic') continue;
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
  }
  const queue = [INTERNET];
  const reached = new Set(queue);
  while (queue.length) {
    const cur = queue.shift() as string;
    for (const e of out.get(cur) ?? []) {
      e.flow = true;
      if (!reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
    }
  }

  if (edges.size && [...edges.values()].some((e) => e.from === INTERNET)) {
    nodes.unshift({
      id: INTERNET,
      kind: 'internet',
      category: 'external',
      title: 'Users',
      subtitle: 'the internet',
      parent: '',
      resources: [],
    });
  }

  return {
    nodes: nodes.sort((a, b) => cmp(a.id, b.id)),
    groups: groups.sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => cmp(a.id, b.id)),
    accounting,
  };
}

export function groupIdOf(logicalId: string): string {
  return `g-${logicalId}`;
}

/** The drawn node that answers for a literal domain: a DNS record's alias target, or the load balancer whose certificate covers it. */
function resolveDomain(
  domain: string,
  t: ParsedTemplate,
  nodeOf: (id: string) => string | undefined,
): string | undefined {
  const d = domain.replace(/\.$/, '').toLowerCase();
  const covers = (name: unknown) => {
    if (typeof name !== 'string') return false;
    const n = name.replace(/\.$/, '').toLowerCase();
    return (
      n === d ||
      (n.startsWith('*.') && d.endsWith(n.slice(1)) && !d.slice(0, d.length - n.length + 1).includes('.'))
    );
  };
  const found = new Set<string>();
  for (const r of t.resources.values()) {
    if (r.type === 'AWS::Route53::RecordSet' && covers(r.properties.Name)) {
      for (const ref of t.outOf.get(r.logicalId) ?? []) {
        if (atProp(ref, 'AliasTarget') || atProp(ref, 'ResourceRecords')) {
          const n = nodeOf(ref.to);
          if (n) found.add(n);
        }
      }
    }
    if (r.type === 'AWS::CertificateManager::Certificate') {
      const names = [
        r.properties.DomainName,
        ...(Array.isArray(r.properties.SubjectAlternativeNames) ? r.properties.SubjectAlternativeNames : []),
      ];
      if (!names.some(covers)) continue;
      for (const ref of t.into.get(r.logicalId) ?? []) {
        const type = t.resources.get(ref.from)?.type;
        if (
          type === 'AWS::ElasticLoadBalancingV2::Listener' ||
          type === 'AWS::ElasticLoadBalancingV2::ListenerCertificate'
        ) {
          const n = nodeOf(ref.from);
          if (n) found.add(n);
        }
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
