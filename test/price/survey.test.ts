/**
 * The survey of real public templates (issue 12 §3): the corpus in test/fixtures/real-templates
 * (sources and licences in its README) priced as `npm run survey` prices it. No type may be left
 * unpriced in more than one template, every $0 total must say why, and five totals are checked
 * by hand against the book's unit prices.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { surveyDir } from '../../scripts/survey.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { renderSurvey, type Survey, type SurveyTemplate, survey } from '../../src/price/survey.js';
import { expectGolden } from '../helpers/golden.js';
import { AS_OF } from './helpers.js';

const CORPUS = path.join(import.meta.dirname, '..', 'fixtures', 'real-templates');
const book = loadPriceBook();
const usd = (service: string, item: string) => book.price('us-east-1', service, item)?.usd;

let items: SurveyTemplate[];
let s: Survey;
beforeAll(async () => {
  items = await surveyDir(CORPUS, { asOf: AS_OF });
  s = survey(items);
}, 60_000);

const total = (file: string) => {
  const t = s.templates.find((x) => x.file === file);
  if (!t) throw new Error(`no ${file} in the survey`);
  return t.monthlyUsd;
};

describe('survey of the public-template corpus', () => {
  it('reads every template and prices it without a pricer failing', () => {
    expect(s.totals.templates).toBeGreaterThanOrEqual(40);
    expect(s.totals.unreadable).toBe(0);
    const failed = items.flatMap((i) =>
      (i.report?.stacks ?? [])
        .flatMap((st) => st.resources)
        .filter((r) => /pricer failed/.test(r.reason ?? '')),
    );
    expect(failed.map((r) => `${r.logicalId}: ${r.reason}`)).toEqual([]);
  });

  it('leaves no type unpriced in more than one template', () => {
    expect(s.unpricedInSeveral).toEqual([]);
  });

  it('says why every $0 total is $0', () => {
    const zero = s.templates.filter((t) => t.monthlyUsd === 0);
    expect(zero.length).toBeGreaterThan(0);
    for (const t of zero) expect(t.zeroBecause, t.file).toMatch(/\w/);
  });

  it('prints the summary (pinned: npm run survey prints the same)', () => {
    expectGolden(
      'cost/survey.txt',
      renderSurvey(s, `stackplan survey of test/fixtures/real-templates, priced on ${AS_OF}, usage: none`),
    );
  });
});

describe('five totals checked by hand against the book (730 hours a month, usage none)', () => {
  it('the unit prices used below are the book’s', () => {
    expect(usd('rds', 'instance:db.t3.medium:mysql:single-az')).toBe(0.068);
    expect(usd('rds_postgresql_storage', 'gp3_single_az_gb_month')).toBe(0.115);
    expect(usd('secrets_manager', 'secret_month')).toBe(0.4);
    expect(usd('dynamodb', 'wcu_hour')).toBe(0.00065);
    expect(usd('dynamodb', 'rcu_hour')).toBe(0.00013);
    expect(usd('ec2', 'instance:t3.small')).toBe(0.0208);
    expect(usd('ebs', 'gp2_gb_month')).toBe(0.1);
    expect(usd('vpc', 'nat_gateway_hour')).toBe(0.045);
    expect(usd('vpc', 'public_ipv4_hour')).toBe(0.005);
    expect(usd('kinesis', 'shard_hour')).toBe(0.015);
    expect(usd('kinesis', 'extended_retention_shard_hour')).toBe(0.02);
  });

  it('RDS MySQL with a read replica: both db.t3.medium with 5 GB gp3, and the secret', () => {
    // 2 × (730 × 0.068 + 5 × 0.115) + 0.40 = 2 × (49.64 + 0.575) + 0.40 = 100.83
    expect(total('aws-cloudformation-templates/RDS/RDS_MySQL_With_Read_Replica.yaml')).toBeCloseTo(
      2 * (730 * 0.068 + 5 * 0.115) + 0.4,
      6,
    );
  });

  it('DynamoDB table, provisioned 10 WCU and 5 RCU', () => {
    // 10 × 730 × 0.00065 + 5 × 730 × 0.00013 = 4.745 + 0.4745 = 5.2195
    expect(total('aws-cloudformation-templates/DynamoDB/DynamoDB_Table.yaml')).toBeCloseTo(
      10 * 730 * 0.00065 + 5 * 730 * 0.00013,
      6,
    );
  });

  it('EC2 instance: t3.small and the Amazon Linux 2 AMI’s 8 GB gp2 root', () => {
    // 730 × 0.0208 + 8 × 0.10 = 15.184 + 0.80 = 15.984 (public IPv4: the subnet is not in the template)
    expect(total('aws-cloudformation-templates/EC2/EC2InstanceWithSecurityGroupSample.yaml')).toBeCloseTo(
      730 * 0.0208 + 8 * 0.1,
      6,
    );
  });

  it('VPC with two NAT gateways, each with an Elastic IP', () => {
    // 2 × 730 × 0.045 + 2 × 730 × 0.005 = 65.70 + 7.30 = 73.00
    expect(
      total('aws-cloudformation-templates/VPC/VPC_With_Managed_NAT_And_Private_Subnet.yaml'),
    ).toBeCloseTo(2 * 730 * 0.045 + 2 * 730 * 0.005, 6);
  });

  it('Kinesis stream: 2 shards kept 48 hours (SAM functions and on-demand tables depend on usage)', () => {
    // 2 × 730 × 0.015 + 2 × 730 × 0.020 = 21.90 + 29.20 = 51.10
    expect(
      total('serverless-test-samples/python-test-samples/kinesis-lambda-dynamodb/template.yaml'),
    ).toBeCloseTo(2 * 730 * 0.015 + 2 * 730 * 0.02, 6);
  });
});
