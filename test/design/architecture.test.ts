/**
 * Architecture diagrams of every example tier, from the templates `plan` synthesizes: complete
 * (every resource drawn or folded into a drawn owner), clean (no overlapping boxes, labels or
 * arrows through boxes, judged from the layout), well-formed XML, deterministic and pinned as
 * golden SVGs (UPDATE_GOLDEN=1 rewrites them).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchitectureDiagram,
  completenessProblems,
  INTERNET,
  overlapProblems,
  renderArchitectureDiagram,
} from '../../src/design/index.js';
import type { TierName } from '../../src/manifest/schema.js';
import { expectGolden } from '../helpers/golden.js';
import { leanContainers, type TierInput, tierInput } from './inputs.js';

const CASES: Array<[string, TierName]> = [
  ['cloud-consulting', 'lean'],
  ['gyva-shop', 'lean'],
  ['cloud-consulting', 'ecs'],
  ['gyva-shop', 'ecs'],
  ['support-analytics', 'ecs'],
  ['default-rate', 'ecs'],
];

async function draw(input: TierInput): Promise<ArchitectureDiagram> {
  return renderArchitectureDiagram({
    template: input.template,
    constructPaths: input.constructPaths,
    ...(input.tier === 'lean' ? leanContainers(input) : {}),
    title: `${input.example}: ${input.tier} tier architecture`,
    idPrefix: `${input.example}-${input.tier}`,
  });
}

/** Every element of the parsed SVG with the given attribute, as attribute values. */
function attributeValues(svg: string, attr: string): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === `@_${attr}`) out.push(String(v));
        else visit(v);
      }
    }
  };
  visit(new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg));
  return out;
}

describe.each(CASES)('%s, %s tier', (example, tier) => {
  let input: TierInput;
  let d: ArchitectureDiagram;
  beforeAll(async () => {
    input = await tierInput(example, tier);
    d = await draw(input);
  });

  it('accounts for every template resource: drawn, a container, or folded into a drawn owner', () => {
    const ids = Object.keys(input.template.Resources as object).sort();
    expect(d.model.accounting.map((a) => a.logicalId)).toEqual(ids);
    expect(completenessProblems(input.template, d.model, d.layout)).toEqual([]);
    // What the SVG draws is what the accounting says: every node and group it names is there.
    const drawn = new Set([...attributeValues(d.svg, 'data-node'), ...attributeValues(d.svg, 'data-group')]);
    for (const a of d.model.accounting)
      expect(drawn.has(a.shownAs), `${a.logicalId} → ${a.shownAs}`).toBe(true);
    // Plumbing a reader does not need is folded away, never drawn on its own.
    const folded = [
      'AWS::IAM::Role',
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Policy',
      'AWS::Logs::LogGroup',
      'AWS::EC2::SecurityGroupIngress',
      'AWS::EC2::SecurityGroupEgress',
      'AWS::EC2::RouteTable',
      'AWS::EC2::SubnetRouteTableAssociation',
      'AWS::EC2::Route',
      'AWS::S3::BucketPolicy',
      'AWS::Lambda::Function',
      'AWS::CloudWatch::Alarm',
    ];
    for (const a of d.model.accounting.filter((x) => folded.includes(x.type))) {
      expect(['collapsed', 'aggregated'], `${a.logicalId} (${a.type}) is ${a.how}`).toContain(a.how);
    }
    // Readable at this size: tens of boxes, not hundreds.
    expect(d.layout.nodes.length).toBeLessThanOrEqual(40);
  });

  it('has no overlapping boxes or labels and no arrow through a box', () => {
    expect(overlapProblems(d.layout)).toEqual([]);
  });

  it('is well-formed XML with a title and description, and escapes every label', () => {
    expect(XMLValidator.validate(d.svg)).toBe(true);
    expect(d.svg).toMatch(/<title id="[^"]+-title">[^<]+<\/title>/);
    expect(d.svg).toMatch(/<desc id="[^"]+-desc">[^<]+<\/desc>/);
    expect(d.svg).not.toMatch(/<(script|foreignObject|image|style)\b/);
    expect(d.svg).not.toMatch(/\shref=/);
  });

  it('draws the request flow from the internet', () => {
    const flow = d.model.edges.filter((e) => e.flow);
    expect(flow.some((e) => e.from === INTERNET)).toBe(true);
    // Every flow edge is drawn, and chained: its source is the internet or the end of another.
    const targets = new Set(flow.map((e) => e.to));
    for (const e of flow) {
      expect(e.show).toBe(true);
      expect(e.from === INTERNET || targets.has(e.from), e.id).toBe(true);
    }
    // The flow reaches a data store.
    const data = new Set(d.model.nodes.filter((n) => n.category === 'data').map((n) => n.id));
    expect(flow.some((e) => data.has(e.to))).toBe(true);
  });

  it('is byte-identical when drawn again, and matches its golden SVG', async () => {
    const again = await draw(input);
    expect(again.svg).toBe(d.svg);
    expectGolden(`design/${example}.${tier}.svg`, d.svg);
  });
});

describe('what the diagrams say', () => {
  const nodeOf = (d: ArchitectureDiagram, type: string) => d.model.nodes.filter((n) => n.type === type);
  const groupOf = (d: ArchitectureDiagram, id: string) => d.model.groups.find((g) => g.id === id);

  it('ecs: the load balancer in the public subnets, services in the private ones, data stores isolated', async () => {
    const d = await draw(await tierInput('support-analytics', 'ecs'));
    const tierOf = (id: string) => {
      let g = groupOf(d, d.model.nodes.find((n) => n.id === id)?.parent ?? '');
      while (g && !g.subnetTier) g = groupOf(d, g.parent);
      return g?.subnetTier;
    };
    const [alb] = nodeOf(d, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(tierOf(alb?.id ?? '')).toBe('public');
    const services = nodeOf(d, 'AWS::ECS::Service');
    expect(services.map((s) => s.title).sort()).toEqual(['api', 'ml', 'worker']);
    for (const s of services) expect(tierOf(s.id), s.title).toBe('private');
    for (const type of [
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::OpenSearchService::Domain',
    ]) {
      expect(tierOf(nodeOf(d, type)[0]?.id ?? ''), type).toBe('isolated');
    }
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::S3::Bucket']) {
      for (const n of nodeOf(d, type)) expect(groupOf(d, n.parent)?.kind, type).toBe('category');
    }
    // Two AZs of each tier, each subnet drawn.
    expect(d.model.groups.filter((g) => g.kind === 'subnet')).toHaveLength(6);
    // Each service stands for its task definition, roles, policies, log group and security group.
    const api = services.find((s) => s.title === 'api');
    const types = new Set(
      api?.resources.map((id) => d.model.accounting.find((a) => a.logicalId === id)?.type),
    );
    for (const t of [
      'AWS::ECS::TaskDefinition',
      'AWS::IAM::Role',
      'AWS::IAM::ManagedPolicy',
      'AWS::Logs::LogGroup',
      'AWS::EC2::SecurityGroup',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
    // The request flow: users → CloudFront → load balancer → api → PostgreSQL; the worker is
    // connected to the database but no user request reaches it.
    const edge = (from: string, to: string) => d.model.edges.find((e) => e.from === from && e.to === to);
    const [cdn] = nodeOf(d, 'AWS::CloudFront::Distribution');
    const [db] = nodeOf(d, 'AWS::RDS::DBInstance');
    const worker = services.find((s) => s.title === 'worker');
    expect(edge(INTERNET, cdn?.id ?? '')?.flow).toBe(true);
    expect(edge(cdn?.id ?? '', alb?.id ?? '')?.flow).toBe(true);
    expect(edge(alb?.id ?? '', api?.id ?? '')?.flow).toBe(true);
    expect(edge(api?.id ?? '', db?.id ?? '')?.flow).toBe(true);
    expect(edge(worker?.id ?? '', db?.id ?? '')).toMatchObject({ kind: 'traffic', flow: false });
    // Twelve alarms in one box.
    expect(d.model.nodes.find((n) => n.kind === 'alarms')?.resources).toHaveLength(12);
  });

  it("lean: the host's containers inside the instance, and the flow through nginx to the database", async () => {
    const input = await tierInput('cloud-consulting', 'lean');
    const d = await draw(input);
    const [host] = nodeOf(d, 'AWS::EC2::Instance');
    const inside = d.model.nodes
      .filter((n) => n.parent === host?.id)
      .map((n) => n.title)
      .sort();
    expect(inside).toEqual(['PostgreSQL', 'Redis', 'api', 'nginx']);
    expect(d.layout.nodes.find((n) => n.node.id === host?.id)?.container).toBe(true);
    expect(groupOf(d, host?.parent ?? '')).toMatchObject({ kind: 'subnet', subnetTier: 'public' });
    const [eip] = nodeOf(d, 'AWS::EC2::EIP');
    const flow = d.model.edges.filter((e) => e.flow).map((e) => `${e.from}>${e.to}`);
    expect(flow).toEqual(
      expect.arrayContaining([
        `${INTERNET}>${eip?.id}`,
        `${eip?.id}>c-nginx`,
        'c-nginx>c-api',
        'c-api>c-postgres',
      ]),
    );
    // DNS records point at the address and fold into it.
    const records = d.model.accounting.filter((a) => a.type === 'AWS::Route53::RecordSet');
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.shownAs).toBe(eip?.id);
    // The backup bucket is used by the host, not on the request path.
    const backups = d.model.nodes.find((n) => n.type === 'AWS::S3::Bucket' && /backup/i.test(n.title));
    expect(d.model.edges.find((e) => e.from === host?.id && e.to === backups?.id)).toMatchObject({
      kind: 'traffic',
      flow: false,
    });
  });
});
