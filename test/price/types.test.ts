/**
 * The types real templates use (issue 12 §2): one fixture per pricing module under
 * test/fixtures/cost/types/ (with its usage beside it), each pinned as a golden table, and the key
 * figures of each worked out by hand from the book's unit prices (730 hours a month).
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplates } from '../../src/price/engine.js';
import { readTemplates } from '../../src/price/input.js';
import { renderCostReport } from '../../src/price/render.js';
import { FREE_TYPES, PRICERS } from '../../src/price/resources/index.js';
import type { CostReport } from '../../src/price/types.js';
import { readUsageFile } from '../../src/price/usage-file.js';
import { expectGolden } from '../helpers/golden.js';
import { AS_OF, closeTo, line, resource } from './helpers.js';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'cost', 'types');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.usage.yaml'))
  .sort();

async function priced(name: string): Promise<CostReport> {
  const file = path.join(DIR, `${name}.yaml`);
  const inputs = await readTemplates(file);
  for (const i of inputs) i.file = `${name}.yaml`;
  const usageFile = path.join(DIR, `${name}.usage.yaml`);
  return priceTemplates(inputs, {
    asOf: AS_OF,
    book: loadPriceBook(),
    freeTier: 'none',
    ...(existsSync(usageFile) && { usage: readUsageFile(usageFile), usageLabel: `${name}.usage.yaml` }),
  });
}

describe('golden cost tables per type', () => {
  for (const f of FIXTURES) {
    const name = f.replace(/\.yaml$/, '');
    it(name, async () => {
      const r = await priced(name);
      // Only the nested stack is, by design, not priceable from its parent.
      expect(r.totals.cannotPriceResources).toBe(name === 'cloudformation-stack' ? 1 : 0);
      expectGolden(`cost/types/${name}.table.txt`, renderCostReport(r, 'table'));
    });
  }

  it('covers every type issue 12 lists, and API Gateway’s configuration types are free', () => {
    for (const t of [
      'AWS::SQS::Queue',
      'AWS::ElasticLoadBalancing::LoadBalancer',
      'AWS::Serverless::Function',
      'AWS::Serverless::Api',
      'AWS::Serverless::HttpApi',
      'AWS::Serverless::SimpleTable',
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGatewayV2::Api',
      'AWS::DynamoDB::Table',
      'AWS::Kinesis::Stream',
      'AWS::StepFunctions::StateMachine',
      'AWS::Events::Rule',
      'AWS::EFS::FileSystem',
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupVault',
      'AWS::Transfer::Server',
      'AWS::MSK::Cluster',
      'AWS::DocDB::DBCluster',
      'AWS::DocDB::DBInstance',
      'AWS::Redshift::Cluster',
    ]) {
      expect(PRICERS[t], t).toBeDefined();
    }
    for (const t of [
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Resource',
      'AWS::ApiGateway::Model',
      'AWS::ApiGateway::Authorizer',
      'AWS::ApiGateway::UsagePlan',
      'AWS::ApiGateway::UsagePlanKey',
      'AWS::ApiGateway::ApiKey',
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Integration',
      'AWS::ApiGatewayV2::Stage',
    ]) {
      expect(FREE_TYPES[t], t).toMatch(/no charge/);
    }
  });
});

describe('hand-checked figures', () => {
  it('SQS: (3M − 0) × $0.40/M standard; 2M × $0.50/M FIFO', async () => {
    const r = await priced('sqs-queue');
    closeTo(line(r, 'Jobs', /^Requests \(Standard\)/).monthlyUsd, 3 * 0.4);
    closeTo(line(r, 'Orders', /^Requests \(FIFO\)/).monthlyUsd, 2 * 0.5);
    expect(resource(r, 'OrdersPolicy').status).toBe('free');
  });

  it('Classic ELB: 730 h × $0.025 + 50 GB × $0.008 + 2 AZs × 730 h × $0.005; internal: no IPv4', async () => {
    const r = await priced('elb-classic-load-balancer');
    closeTo(resource(r, 'Web').monthlyUsd, 730 * 0.025 + 50 * 0.008 + 2 * 730 * 0.005); // 18.25 + 0.4 + 7.3
    closeTo(resource(r, 'Internal').monthlyUsd, 730 * 0.025);
  });

  it('REST API: 5M × $3.50/M; the stage’s 1.6 GB cache 730 h × $0.038; methods and resources free', async () => {
    const r = await priced('apigateway-rest-api');
    closeTo(line(r, 'Api', /^API requests/).monthlyUsd, 5 * 3.5);
    closeTo(line(r, 'Prod', /^API cache/).monthlyUsd, 730 * 0.038);
    for (const id of ['Items', 'GetItems', 'Deployment', 'Plan', 'Key', 'PlanKey', 'Authorizer', 'Model'])
      expect(resource(r, id).status, id).toBe('free');
  });

  it('HTTP API: 2M × $1.00/M; WebSocket: 5M messages × $1.00/M + 10M connection-minutes × $0.25/M', async () => {
    const r = await priced('apigatewayv2-api');
    closeTo(resource(r, 'Http').monthlyUsd, 2 * 1.0); // the only API sharing requestsPerMonth
    closeTo(resource(r, 'Chat').monthlyUsd, 5 * 1.0 + 10 * 0.25);
  });

  it('SAM: Globals apply, implicit APIs exist and share the requests, tables on-demand or provisioned', async () => {
    const r = await priced('sam');
    // ListItems: 512 MB arm64 from Globals; 1.5M × 0.12 s × 0.5 GB = 90,000 GB-s × $0.0000133334
    closeTo(line(r, 'ListItems', /^Duration/).monthlyUsd, 1_500_000 * 0.12 * 0.5 * 0.0000133334);
    expect(line(r, 'Webhook', /^Duration/).name).toBe('Duration (x86, 128 MB)');
    closeTo(line(r, 'ListItems', /^Requests/).monthlyUsd, 1.5 * 0.2);
    // Four APIs share 3M requests, 0.75M each: the implicit REST API and Admin (REST), the
    // implicit HTTP API and Public (HTTP).
    closeTo(line(r, 'ServerlessRestApi', /^API requests/).monthlyUsd, 0.75 * 3.5);
    closeTo(line(r, 'ServerlessHttpApi', /^API requests/).monthlyUsd, 0.75 * 1.0);
    closeTo(line(r, 'Public', /^API requests/).monthlyUsd, 0.75 * 1.0);
    closeTo(line(r, 'Admin', /^API cache/).monthlyUsd, 730 * 0.02);
    // Items on-demand: 2M × $0.125/M + 0.4M × $0.625/M + 30 GB × $0.25
    closeTo(resource(r, 'Items').monthlyUsd, 2 * 0.125 + 0.4 * 0.625 + 30 * 0.25);
    // Orders provisioned: 5 WCU × 730 × $0.00065 + 5 RCU × 730 × $0.00013 + 30 GB × $0.25
    closeTo(resource(r, 'Orders').monthlyUsd, 5 * 730 * 0.00065 + 5 * 730 * 0.00013 + 30 * 0.25);
    // Express workflow: 0.2M × $1/M + 0.2M × 0.3 s × 64/1024 GB × $0.00001667
    closeTo(resource(r, 'Workflow').monthlyUsd, 0.2 + 200_000 * 0.3 * (64 / 1024) * 0.00001667);
    expect(resource(r, 'Layer').status).toBe('free');
  });

  it('DynamoDB: on-demand 40M reads × $0.125/M + 8M writes × $0.625/M + 12 GB × $0.25; provisioned adds GSI capacity', async () => {
    const r = await priced('dynamodb-table');
    closeTo(resource(r, 'Sessions').monthlyUsd, 40 * 0.125 + 8 * 0.625 + 12 * 0.25);
    // (10 + 5) WCU × 730 × $0.00065 + (20 + 10) RCU × 730 × $0.00013 + 60 GB × $0.25
    closeTo(resource(r, 'Catalog').monthlyUsd, 15 * 730 * 0.00065 + 30 * 730 * 0.00013 + 60 * 0.25);
    expect(resource(r, 'Archive').status).toBe('not-priced');
  });

  it('Kinesis: 4 shards × 730 × ($0.015 + $0.020 retention) + 250 × $0.014; on-demand 730 × $0.04 + 300 × $0.08 + 600 × $0.04', async () => {
    const r = await priced('kinesis-stream');
    closeTo(resource(r, 'Clicks').monthlyUsd, 4 * 730 * 0.015 + 4 * 730 * 0.02 + 250 * 0.014);
    closeTo(resource(r, 'Events').monthlyUsd, 730 * 0.04 + 300 * 0.08 + 600 * 0.04);
  });

  it('Step Functions: 1,200k transitions × $0.025/k; Express 10M × $1/M + 10M × 0.4 s × 1/16 GB × $0.00001667', async () => {
    const r = await priced('stepfunctions-state-machine');
    closeTo(resource(r, 'Orders').monthlyUsd, 1200 * 0.025);
    closeTo(resource(r, 'Clicks').monthlyUsd, 10 + 10_000_000 * 0.4 * (1 / 16) * 0.00001667);
  });

  it('EventBridge: rules free; 3M custom events × $1/M on the bus; 0.5M API destination calls × $0.20/M', async () => {
    const r = await priced('events');
    for (const id of ['Nightly', 'OnEc2', 'OnOrder']) expect(resource(r, id).status, id).toBe('free');
    expect(resource(r, 'OnOrder').reason).toMatch(/priced on the bus/);
    closeTo(resource(r, 'Bus').monthlyUsd, 3 * 1.0);
    closeTo(resource(r, 'Webhook').monthlyUsd, 0.5 * 0.2);
  });

  it('EFS: 100 GB × $0.30 + 400 GB IA × $0.025; One Zone 20 × $0.16 + 500 × $0.03 + 100 × $0.06; 50 MiB/s × $6', async () => {
    const r = await priced('efs-file-system');
    closeTo(resource(r, 'Shared').monthlyUsd, 100 * 0.3 + 400 * 0.025);
    closeTo(resource(r, 'Scratch').monthlyUsd, 20 * 0.16 + 500 * 0.03 + 100 * 0.06);
    closeTo(resource(r, 'Media').monthlyUsd, 200 * 0.3 + 50 * 6);
  });

  it('Backup: the plan is free; the vault 120 GB EFS × $0.05 + 80 GB RDS × $0.095 + 900 GB cold × $0.01', async () => {
    const r = await priced('backup');
    expect(resource(r, 'Plan').status).toBe('free');
    closeTo(resource(r, 'Vault').monthlyUsd, 120 * 0.05 + 80 * 0.095 + 900 * 0.01);
    expect(line(r, 'Other', /^Warm storage/).dependsOnUsage).toBe(true);
  });

  it('Transfer Family: 1 protocol × 730 × $0.30 + 250 GB × $0.04; 2 protocols × 730 × $0.30', async () => {
    const r = await priced('transfer-server');
    closeTo(resource(r, 'Sftp').monthlyUsd, 730 * 0.3 + 250 * 0.04);
    closeTo(resource(r, 'Both').monthlyUsd, 2 * 730 * 0.3);
  });

  it('MSK: 3 × 730 × $0.21 + 1,500 GB × $0.10; serverless 730 × $0.75 + 30 × 730 × $0.0015 + 100 × $0.10 + 300 × $0.05', async () => {
    const r = await priced('msk-cluster');
    closeTo(resource(r, 'Kafka').monthlyUsd, 3 * 730 * 0.21 + 1500 * 0.1);
    closeTo(resource(r, 'Serverless').monthlyUsd, 730 * 0.75 + 30 * 730 * 0.0015 + 100 * 0.1 + 300 * 0.05);
  });

  it('DocumentDB: instances 730 × ($0.277 + $0.078); cluster 50 GB × $0.10 + 30M I/Os × $0.20/M', async () => {
    const r = await priced('docdb');
    closeTo(resource(r, 'Primary').monthlyUsd, 730 * 0.277);
    closeTo(resource(r, 'Replica').monthlyUsd, 730 * 0.078);
    closeTo(resource(r, 'Cluster').monthlyUsd, 50 * 0.1 + 30 * 0.2);
  });

  it('Redshift: 2 × 730 × $1.086 + 2,000 GB × $0.024; single-node dc2.large 730 × $0.25', async () => {
    const r = await priced('redshift-cluster');
    closeTo(resource(r, 'Warehouse').monthlyUsd, 2 * 730 * 1.086 + 2000 * 0.024);
    closeTo(resource(r, 'Small').monthlyUsd, 730 * 0.25);
  });

  it('OpenSearch UltraWarm: 1,500 GB × $0.024 on top of the nodes', async () => {
    const r = await priced('opensearch-ultrawarm');
    closeTo(line(r, 'Logs', /^UltraWarm storage/).monthlyUsd, 1500 * 0.024);
  });

  it('Cognito: Essentials 25,000 MAUs × $0.015 at list price; Plus 300 × $0.02', async () => {
    const r = await priced('cognito-user-pool');
    // List price (free tier none): every MAU; the 10,000 always-free MAUs are a credit line.
    closeTo(resource(r, 'Users').monthlyUsd, 25_000 * 0.015);
    closeTo(resource(r, 'Partners').monthlyUsd, 300 * 0.02);
    expect(resource(r, 'Client').status).toBe('free');
    expect(resource(r, 'Domain').status).toBe('free');
  });

  it('Aurora: 120 GB × $0.10 + 50M I/Os × $0.20/M; Serverless v2 reader 0.5 ACU × 730 × $0.12; I/O-Optimized 40 GB × $0.225', async () => {
    const r = await priced('aurora');
    closeTo(resource(r, 'Cluster').monthlyUsd, 120 * 0.1 + 50 * 0.2);
    closeTo(resource(r, 'Reader').monthlyUsd, 0.5 * 730 * 0.12);
    closeTo(resource(r, 'Optimized').monthlyUsd, 40 * 0.225);
  });

  it('Config: 20,000 items × $0.003 + 5,000 evaluations × $0.001; Firehose 800 GB × $0.029', async () => {
    const r = await priced('config');
    closeTo(resource(r, 'Recorder').monthlyUsd, 20_000 * 0.003);
    closeTo(resource(r, 'Tagged').monthlyUsd, 5_000 * 0.001);
    expect(resource(r, 'Channel').status).toBe('free');
    closeTo(resource(await priced('firehose-delivery-stream'), 'ToS3').monthlyUsd, 800 * 0.029);
  });

  it('a nested stack says where its resources are; the parent’s own are priced', async () => {
    const r = await priced('cloudformation-stack');
    expect(resource(r, 'Network').reason).toMatch(
      /nested stack: its resources are in https:\/\/s3.amazonaws.com\/templates\/vpc.yaml/,
    );
    closeTo(resource(r, 'Ip').monthlyUsd, 730 * 0.005);
  });
});
