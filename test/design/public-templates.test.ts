/**
 * Diagrams of real templates nobody here wrote (test/fixtures/design/public/SOURCES.md): plain
 * CloudFormation without construct paths, resources named by Fn::Sub strings, shared route tables
 * and security groups. Each must be complete, clean and well-formed; a few facts a reader would
 * check are asserted per template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  type ArchitectureDiagram,
  INTERNET,
  overlapProblems,
  renderArchitectureDiagram,
} from '../../src/design/index.js';

const DIR = path.join('test', 'fixtures', 'design', 'public');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
}

async function draw(file: string): Promise<ArchitectureDiagram> {
  return renderArchitectureDiagram({ template: load(file), title: file, idPrefix: file.replace(/\W/g, '-') });
}

const tierOf = (d: ArchitectureDiagram, id: string) => {
  const groups = new Map(d.model.groups.map((g) => [g.id, g]));
  let g = groups.get(d.model.nodes.find((n) => n.id === id)?.parent ?? '');
  while (g && !g.subnetTier) g = groups.get(g.parent);
  return g?.subnetTier;
};

describe.each(FILES)('%s', (file) => {
  it('is drawn completely, without overlaps, as well-formed SVG', async () => {
    // renderArchitectureDiagram throws on an unaccounted resource or an overlap.
    const d = await draw(file);
    expect(d.model.accounting).toHaveLength(Object.keys(load(file).Resources as object).length);
    expect(overlapProblems(d.layout)).toEqual([]);
    expect(XMLValidator.validate(d.svg)).toBe(true);
    expect((await draw(file)).svg).toBe(d.svg);
  });
});

describe('what the public diagrams say', () => {
  it('EKS: the node group in the private subnets (found from the routes), the shared security group in the VPC', async () => {
    const d = await draw('eks.json');
    const ng = d.model.nodes.find((n) => n.type === 'AWS::EKS::Nodegroup');
    expect(tierOf(d, ng?.id ?? '')).toBe('private');
    expect(d.model.groups.filter((g) => g.kind === 'subnet' && g.subnetTier === 'public')).toHaveLength(3);
    for (const n of d.model.nodes.filter((x) => x.type === 'AWS::EC2::NatGateway'))
      expect(tierOf(d, n.id)).toBe('public');
    const sg = d.model.accounting.find((a) => a.logicalId === 'ControlPlaneSecurityGroup');
    expect(sg).toMatchObject({ how: 'collapsed', owner: 'VPC', shownAs: 'g-VPC' });
  });

  it('web app: API Gateway to its Lambda functions to DynamoDB, bucket policies folded into the buckets they name', async () => {
    const d = await draw('webapp.json');
    const flow = new Set(d.model.edges.filter((e) => e.flow).map((e) => `${e.from}>${e.to}`));
    for (const e of [
      `${INTERNET}>RestApi`,
      'RestApi>TestResourceHandler',
      'TestResourceHandler>TestTable',
      `${INTERNET}>SiteDistribution`,
      'SiteDistribution>SiteContentBucket',
    ]) {
      expect(flow.has(e), e).toBe(true);
    }
    // The policies name their bucket with the same Fn::Sub as the bucket's BucketName.
    for (const a of d.model.accounting.filter((x) => x.type === 'AWS::S3::BucketPolicy')) {
      expect(d.model.nodes.find((n) => n.id === a.shownAs)?.type, a.logicalId).toBe('AWS::S3::Bucket');
    }
    const methods = d.model.accounting.filter(
      (a) => a.type.startsWith('AWS::ApiGateway::') && a.type !== 'AWS::ApiGateway::RestApi',
    );
    expect(methods.length).toBeGreaterThan(5);
    for (const m of methods) expect(m.shownAs).toBe('RestApi');
  });

  it('ECS on EC2: the public load balancer in the public subnets, the instances in the private ones', async () => {
    const d = await draw('ecs-ec2-cluster.json');
    expect(tierOf(d, 'PublicLoadBalancer')).toBe('public');
    expect(tierOf(d, 'ECSAutoScalingGroup')).toBe('private');
    expect(
      d.model.edges.find((e) => e.from === 'PublicLoadBalancer' && e.to === 'ECSAutoScalingGroup')?.flow,
    ).toBe(true);
  });

  it('CloudFront to an ALB origin named by a GetAtt, then the instance behind it', async () => {
    const d = await draw('cloudfront-custom-origin.json');
    const flow = new Set(d.model.edges.filter((e) => e.flow).map((e) => `${e.from}>${e.to}`));
    expect(flow.has('CloudFrontDistribution>OriginALB')).toBe(true);
    expect(flow.has('OriginALB>EC2Instance')).toBe(true);
  });
});
