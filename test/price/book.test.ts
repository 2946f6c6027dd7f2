/**
 * The committed price book: the figures independent sources agree on, the loader's contract
 * (no cross-region fallback, specs, EC2 candidates) and a deterministic encoding.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICEBOOK_PATH, loadPriceBook, PriceBook } from '../../src/price/book/index.js';
import { serializePriceBook } from '../../src/price/book/serialize.js';

const book = loadPriceBook();
const usd = (region: string, service: string, item: string) => book.price(region, service, item)?.usd;

describe('price book: known figures (us-east-1)', () => {
  it.each([
    ['ec2', 'instance:t3.micro', 0.0104],
    ['ec2', 'instance:t4g.micro', 0.0084],
    ['rds', 'instance:db.t4g.micro:postgres:single-az', 0.016],
    ['rds', 'instance:db.t4g.micro:postgres:multi-az', 0.032],
    ['elasticache', 'node:cache.t4g.micro:redis', 0.016],
    ['vpc', 'nat_gateway_hour', 0.045],
    ['vpc', 'nat_gateway_gb_processed', 0.045],
    ['fargate', 'linux_x86_vcpu_hour', 0.04048],
    ['fargate', 'linux_x86_gb_hour', 0.004445],
    ['ebs', 'gp3_gb_month', 0.08],
    ['vpc', 'public_ipv4_hour', 0.005],
    ['bedrock', 'input:amazon.nova-lite-v1:0', 0.06],
    ['bedrock', 'output:amazon.nova-lite-v1:0', 0.24],
    ['bedrock', 'input:anthropic.claude-3-haiku-20240307-v1:0', 0.25],
    ['bedrock', 'output:anthropic.claude-3-haiku-20240307-v1:0', 1.25],
  ])('%s %s = %s', (service, item, expected) => {
    expect(usd('us-east-1', service, item)).toBe(expected);
  });

  it('records provenance, source and date for every price', () => {
    const p = book.price('us-east-1', 'ec2', 'instance:t3.micro')!;
    expect(p).toMatchObject({ provenance: 'third-party-snapshot', asOf: '2026-07-20', unit: 'hours' });
    expect(p.source).toContain('karpenter');
    const nat = book.price('us-east-1', 'vpc', 'nat_gateway_hour')!;
    expect(nat).toMatchObject({
      provenance: 'transcribed',
      asOf: '2026-01',
      url: 'https://aws.amazon.com/vpc/pricing/',
    });
  });

  it('prefers the newer EC2 source where the two disagree, and says so', () => {
    // karpenter 2026-07-20: 5.32224; ec2instances.info 2024-04: 4.8384
    const p = book.price('us-east-1', 'ec2', 'instance:m7i.metal-24xl')!;
    expect(p.usd).toBe(5.32224);
    expect(p.note).toContain('4.8384');
  });
});

describe('price book: regions', () => {
  it('has other regions for EC2, RDS, ElastiCache and OpenSearch', () => {
    expect(usd('eu-west-1', 'ec2', 'instance:t3.micro')).toBe(0.0114);
    expect(usd('eu-west-1', 'rds', 'instance:db.t4g.micro:postgres:single-az')).toBeGreaterThan(0);
    expect(usd('eu-west-1', 'elasticache', 'node:cache.t4g.micro:redis')).toBeGreaterThan(0);
    expect(usd('eu-west-1', 'opensearch', 'instance:t3.small.search')).toBeGreaterThan(0);
    expect(book.regions('ec2')).toContain('ap-southeast-2');
  });

  it('never answers with another region: managed services are us-east-1 only', () => {
    expect(usd('eu-west-1', 'vpc', 'nat_gateway_hour')).toBeUndefined();
    expect(usd('xx-nowhere-1', 'ec2', 'instance:t3.micro')).toBeUndefined();
    expect(book.regions('vpc')).toEqual(['us-east-1']);
  });

  it('leaves local and wavelength zones out', () => {
    expect(book.regions('ec2').every((r) => /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r))).toBe(true);
  });
});

describe('price book: specs and EC2 candidates', () => {
  it('has transcribed EC2 specs for the planner families', () => {
    for (const fam of ['t3', 't3a', 't4g']) {
      for (const size of ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']) {
        expect(book.spec('ec2', `${fam}.${size}`), `${fam}.${size}`).toBeDefined();
      }
    }
    for (const fam of ['m7i', 'm7g', 'm6i', 'm6g', 'c7g', 'c7i', 'r7g']) {
      for (const size of ['large', 'xlarge', '2xlarge'])
        expect(book.spec('ec2', `${fam}.${size}`)).toBeDefined();
    }
    expect(book.spec('ec2', 't3.micro')).toMatchObject({
      vcpu: 2,
      memoryGiB: 1,
      arch: 'x86_64',
      baselinePerVcpu: 0.1,
    });
    expect(book.spec('ec2', 't2.micro')).toMatchObject({ vcpu: 1, memoryGiB: 1, baselinePerVcpu: 0.1 });
    expect(book.spec('ec2', 'm7g.large')).toMatchObject({ vcpu: 2, memoryGiB: 8, arch: 'arm64' });
    expect(book.spec('ec2', 'r7g.2xlarge')).toMatchObject({ vcpu: 8, memoryGiB: 64 });
    expect(book.spec('ec2', 'c7i.xlarge')).toMatchObject({ vcpu: 4, memoryGiB: 8 });
    expect(book.source(book.spec('ec2', 't3.micro')!.src)).toMatchObject({
      provenance: 'transcribed',
      url: 'https://aws.amazon.com/ec2/instance-types/',
    });
  });

  it('has RDS, ElastiCache and OpenSearch specs', () => {
    expect(book.spec('rds', 'db.t4g.micro')).toMatchObject({ vcpu: 2, memoryGiB: 1, arch: 'arm64' });
    expect(book.spec('elasticache', 'cache.t4g.micro')).toMatchObject({
      vcpu: 2,
      memoryGiB: 0.5,
      arch: 'arm64',
    });
    expect(book.spec('opensearch', 't3.small.search')).toMatchObject({
      vcpu: 2,
      memoryGiB: 2,
      arch: 'x86_64',
    });
    expect(book.specs('rds').length).toBeGreaterThan(20);
  });

  it('lists EC2 candidates with spec and price, cheapest first', () => {
    const c = book.ec2Candidates('us-east-1');
    expect(c.find((x) => x.type === 't3.micro')).toEqual({
      type: 't3.micro',
      vcpu: 2,
      memoryMiB: 1024,
      arch: 'x86_64',
      baselinePerVcpu: 0.1,
      hourlyUsd: 0.0104,
    });
    expect(c.find((x) => x.type === 'm7g.large')).toEqual({
      type: 'm7g.large',
      vcpu: 2,
      memoryMiB: 8192,
      arch: 'arm64',
      hourlyUsd: 0.0816,
    });
    for (let i = 1; i < c.length; i++) expect(c[i]!.hourlyUsd).toBeGreaterThanOrEqual(c[i - 1]!.hourlyUsd);
    expect(book.ec2Candidates('eu-west-1').find((x) => x.type === 't3.micro')?.hourlyUsd).toBe(0.0114);
    expect(book.ec2Candidates('xx-nowhere-1')).toEqual([]);
  });
});

describe('price book: encoding', () => {
  it('is deterministic: decoding and re-encoding the committed file gives the same bytes', () => {
    const text = readFileSync(DEFAULT_PRICEBOOK_PATH, 'latin1');
    expect(serializePriceBook(book.toData())).toBe(text);
  });

  it('answers the same from the lazily parsed file and from a fully parsed copy', () => {
    const full = PriceBook.fromData(book.toData());
    for (const [r, s, i] of [
      ['us-east-1', 'ec2', 'instance:t3.micro'],
      ['sa-east-1', 'rds', 'instance:db.m5.large:mysql:multi-az'],
      ['us-east-1', 'waf', 'web_acl_month'],
    ] as const) {
      expect(full.price(r, s, i)).toEqual(book.price(r, s, i));
    }
    expect(full.regions('opensearch')).toEqual(book.regions('opensearch'));
  });

  it('rejects a file that is not a price book', () => {
    expect(() => PriceBook.fromText('{"hello":1}')).toThrow(/not a stackplan price book/);
  });
});
