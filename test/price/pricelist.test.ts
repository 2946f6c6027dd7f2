/**
 * The AWS Price List importer on fixtures in AWS's exact bulk format (test/fixtures/pricelist):
 * which products become which items, which are ignored, and how a refresh merges into a book.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prices } from '../../src/cli/commands/prices.js';
import { memoryIo } from '../../src/cli/io.js';
import { UserError } from '../../src/errors.js';
import { loadPriceBook, PriceBook } from '../../src/price/book/index.js';
import type { OfferFile } from '../../src/price/pricelist/format.js';
import { extractOffer, MAPPERS } from '../../src/price/pricelist/mappers.js';
import { refreshPriceBook } from '../../src/price/pricelist/refresh.js';
import { offlineSource } from '../../src/price/pricelist/source.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'pricelist');
const offer = (code: string, version: string, region: string) =>
  JSON.parse(
    readFileSync(path.join(FIXTURES, 'offers/v1.0/aws', code, version, region, 'index.json'), 'utf8'),
  ) as OfferFile;
const asMap = (found: Array<{ service: string; item: string; usd: number }>) =>
  Object.fromEntries(found.map((f) => [`${f.service} ${f.item}`, f.usd]));

describe('Price List mappers', () => {
  it('EC2: Linux shared on-demand and 1-year standard no-upfront only', () => {
    const { prices: found, specs } = extractOffer(
      offer('AmazonEC2', '20261115203441', 'us-east-1'),
      MAPPERS.AmazonEC2!,
    );
    expect(asMap(found)).toEqual({
      'ec2 instance:t3.micro': 0.0104,
      'ec2 reserved-1y:t3.micro': 0.0065,
      'ec2 instance:t4g.micro': 0.0084,
      'ec2 reserved-1y:t4g.micro': 0.0053,
      'ec2 instance:m7g.large': 0.0816,
      'vpc nat_gateway_hour': 0.045,
      'vpc nat_gateway_gb_processed': 0.045,
      'ebs gp3_gb_month': 0.08,
      'ebs gp2_gb_month': 0.1,
      'ebs gp3_iops_month': 0.005,
      'ebs gp3_throughput_month': 0.04,
    });
    // Windows 0.0196, dedicated 0.013, SQL Web 0.0414 and the unused reservation are ignored.
    expect(found.filter((f) => f.item === 'instance:t3.micro')).toHaveLength(1);
    expect(specs.find((s) => s.spec.type === 't4g.micro')?.spec).toEqual({
      type: 't4g.micro',
      vcpu: 2,
      memoryGiB: 1,
      arch: 'arm64',
    });
  });

  it('EC2 outside us-east-1: region-prefixed usage types', () => {
    const { prices: found } = extractOffer(
      offer('AmazonEC2', '20261115203441', 'eu-west-1'),
      MAPPERS.AmazonEC2!,
    );
    expect(asMap(found)).toEqual({ 'ec2 instance:t3.micro': 0.0118, 'vpc nat_gateway_hour': 0.048 });
  });

  it('RDS: engine and deployment, storage; Oracle is left out', () => {
    const { prices: found } = extractOffer(
      offer('AmazonRDS', '20261112001539', 'us-east-1'),
      MAPPERS.AmazonRDS!,
    );
    expect(asMap(found)).toEqual({
      'rds instance:db.t4g.micro:postgres:single-az': 0.016,
      'rds instance:db.t4g.micro:postgres:multi-az': 0.032,
      'rds instance:db.m7g.large:postgres:single-az': 0.168,
      'rds_postgresql_storage gp3_single_az_gb_month': 0.115,
      'rds_postgresql_storage gp3_multi_az_gb_month': 0.23,
    });
  });

  it('ElastiCache: per engine, with the 1-year no-upfront reserved rate', () => {
    const { prices: found } = extractOffer(
      offer('AmazonElastiCache', '20261101000000', 'us-east-1'),
      MAPPERS.AmazonElastiCache!,
    );
    expect(asMap(found)).toEqual({
      'elasticache node:cache.t4g.micro:redis': 0.016,
      'elasticache reserved-1y:cache.t4g.micro:redis': 0.011,
      'elasticache node:cache.t4g.micro:valkey': 0.0128,
      'elasticache reserved-1y:cache.t4g.micro:valkey': 0.0088,
    });
  });

  it('ELB and Fargate (Windows Fargate ignored)', () => {
    expect(
      asMap(extractOffer(offer('AWSELB', '20261020183012', 'us-east-1'), MAPPERS.AWSELB!).prices),
    ).toEqual({
      'elb alb_hour': 0.0225,
      'elb alb_lcu_hour': 0.008,
      'elb nlb_hour': 0.0225,
      'elb nlb_nlcu_hour': 0.006,
    });
    expect(
      asMap(extractOffer(offer('AmazonECS', '20261105120000', 'us-east-1'), MAPPERS.AmazonECS!).prices),
    ).toEqual({
      'fargate linux_x86_vcpu_hour': 0.04048,
      'fargate linux_x86_gb_hour': 0.004445,
      'fargate linux_arm_vcpu_hour': 0.03238,
      'fargate linux_arm_gb_hour': 0.00356,
    });
  });
});

describe('refreshPriceBook', () => {
  const base = loadPriceBook().toData();

  it('merges the files into the book, citing each offer file, and says what it skipped', async () => {
    const r = await refreshPriceBook(base, offlineSource(FIXTURES), { regions: 'all' });
    const book = PriceBook.fromData(r.data);
    const t3 = book.price('eu-west-1', 'ec2', 'instance:t3.micro')!;
    expect(t3).toMatchObject({ usd: 0.0118, provenance: 'aws-pricelist', asOf: '2026-11-15' });
    expect(t3.url).toBe(
      'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261115203441/eu-west-1/index.json',
    );
    expect(book.price('eu-west-1', 'vpc', 'nat_gateway_hour')?.usd).toBe(0.048);
    expect(book.price('us-east-1', 'ec2', 'reserved-1y:t3.micro')?.usd).toBe(0.0065);
    expect(book.price('us-east-1', 'rds', 'instance:db.m7g.large:postgres:single-az')?.usd).toBe(0.168);
    // untouched: prices the files do not cover keep their source
    expect(book.price('us-east-1', 'ec2', 'instance:m5.large')?.provenance).toBe('third-party-snapshot');
    expect(book.price('eu-west-1', 'ec2', 'instance:m5.large')?.asOf).toBe('2024-04');
    const ec2Eu = r.files.find((f) => f.offer === 'AmazonEC2' && f.region === 'eu-west-1')!;
    expect(ec2Eu).toMatchObject({ prices: 2, added: 1, changed: 1 });
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AmazonEC2 us-west-2'),
        expect.stringContaining('AmazonES us-east-1'),
        expect.stringContaining('AmazonVPC: no region index'),
      ]),
    );
  });

  it('keeps only the regions asked for', async () => {
    const r = await refreshPriceBook(base, offlineSource(FIXTURES), {
      regions: ['us-east-1'],
      offers: ['AmazonEC2'],
    });
    expect(r.files.map((f) => `${f.offer} ${f.region}`)).toEqual(['AmazonEC2 us-east-1']);
    expect(PriceBook.fromData(r.data).price('eu-west-1', 'ec2', 'instance:t3.micro')?.usd).toBe(0.0114);
  });

  it('refuses a directory without an offer index, and an unknown offer', async () => {
    expect(() => offlineSource(tmpdir())).toThrow(UserError);
    await expect(refreshPriceBook(base, offlineSource(FIXTURES), { offers: ['AmazonFoo'] })).rejects.toThrow(
      /does not read the Price List offer AmazonFoo/,
    );
  });
});

describe('stackplan prices refresh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stackplan-prices-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a merged book that the loader reads', async () => {
    const io = memoryIo();
    const out = path.join(dir, 'book.json');
    expect(await prices({ action: 'refresh', offlineDir: FIXTURES, out }, io)).toBe(0);
    expect(io.text()).toContain('AmazonEC2 eu-west-1: 2 prices (1 new, 1 changed)');
    expect(io.text()).toContain('warning: AmazonEC2 us-west-2');
    const book = loadPriceBook(out);
    expect(book.price('eu-west-1', 'ec2', 'instance:t3.micro')?.usd).toBe(0.0118);
    expect(book.price('us-east-1', 'ec2', 'instance:t3.micro')?.provenance).toBe('aws-pricelist');
  });

  it('says where to write instead when it cannot write the book', async () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    await expect(
      prices({ action: 'refresh', offlineDir: FIXTURES, out: path.join(blocker, 'book.json') }, memoryIo()),
    ).rejects.toThrow(/cannot write the price book/);
  });

  it('rejects an unknown action', async () => {
    await expect(prices({ action: 'update' }, memoryIo())).rejects.toThrow(/unknown prices action "update"/);
  });
});
