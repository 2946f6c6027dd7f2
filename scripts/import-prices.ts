/**
 * Builds pricebook/pricebook.json — stackplan's own compact, committed price book — from a
 * directory of raw price sources (the maintainers' snapshots of third-party price lists and the
 * transcribed managed-services table, named below; not shipped with the project) plus the
 * maintainers' transcriptions in scripts/price-data and the Bedrock prices of the npm package
 * @pydantic/genai-prices.
 *
 *   npx tsx scripts/import-prices.ts --sources DIR [--out FILE]
 *
 * Deterministic: the same inputs give the same bytes (records sorted, no timestamps other than
 * the sources' own dates). Where two sources price the same thing differently the newer wins and
 * the record's `note` names the other figure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProvider } from '@pydantic/genai-prices';
import { parse as parseYaml } from 'yaml';
import { serializePriceBook } from '../src/price/book/serialize.js';
import type {
  AccountPlansRule,
  AmiRootVolumesRule,
  DataTransferRule,
  EksSupportRule,
  FreeTierAllowance,
  FreeTierRules,
  InstanceSpec,
  PriceBookData,
  PriceRecord,
  PriceSource,
  SupportCalendarRule,
  TextRule,
} from '../src/price/book/types.js';
import { RDS_DEPLOYMENTS, RDS_ENGINES } from '../src/price/pricelist/mappers.js';
import { EC2_SPECS_SOURCE, ec2SpecRows } from './price-data/ec2-specs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : undefined;
}

/** The raw sources this importer reads from --sources DIR. */
const RAW_FILES = [
  'ec2-linux-ondemand-us-east-1.2026-07-20.json',
  'ec2-ondemand-and-spot-avg-all-regions.2024-04.json',
  'rds-ondemand-all-regions.2023-03-01.json',
  'elasticache-instances.2025-04-24.json',
  'opensearch-instances.2025-04-24.json',
  'managed-services-us-east-1.yaml',
];

function sourcesDir(): string {
  const dir = arg('--sources');
  const missing = dir ? RAW_FILES.filter((f) => !existsSync(path.join(dir, f))) : RAW_FILES;
  if (!dir || missing.length) {
    process.stderr.write(
      `${dir ? `${dir} lacks ${missing.join(', ')}` : 'no --sources DIR given'}\n` +
        'usage: npx tsx scripts/import-prices.ts --sources DIR [--out FILE]\n' +
        `  DIR holds the raw price sources: ${RAW_FILES.join(', ')}\n` +
        '  (users never need them: the committed pricebook/pricebook.json is built from them; see docs/cost.md)\n',
    );
    process.exit(1);
  }
  return path.resolve(dir);
}

const SOURCES_DIR = sourcesDir();
const OUT = path.resolve(arg('--out') ?? path.join(ROOT, 'pricebook', 'pricebook.json'));

/** Real AWS regions only: local and wavelength zones (us-east-1-bos-1 …) are left out. */
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const sources = new Map<string, PriceSource>();
const prices = new Map<string, PriceRecord>();

function addSource(s: PriceSource): string {
  sources.set(s.id, s);
  return s.id;
}

function put(r: PriceRecord): void {
  if (!(r.usd >= 0) || !Number.isFinite(r.usd)) return;
  prices.set(`${r.region}\u0000${r.service}\u0000${r.item}`, r);
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(SOURCES_DIR, file), 'utf8'));
}

/** Rounds away float noise from sources (0.1 + 0.2 style) without losing real precision. */
function clean(n: number): number {
  return Number(n.toPrecision(10));
}

// ---------------------------------------------------------------- EC2
const EC2_KARPENTER = 'ec2-linux-ondemand-us-east-1.2026-07-20.json';
const EC2_VANTAGE = 'ec2-ondemand-and-spot-avg-all-regions.2024-04.json';

function importEc2(): void {
  const karpenterId = addSource({
    id: 'karpenter-ec2-2026-07-20',
    provenance: 'third-party-snapshot',
    source:
      'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (generated from the AWS Pricing API): EC2 Linux on-demand, us-east-1',
    url: 'https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go',
    asOf: '2026-07-20',
    licence: 'Apache-2.0',
  });
  const vantageId = addSource({
    id: 'ec2instances-2024-04',
    provenance: 'third-party-snapshot',
    source:
      'vantage-sh/ec2instances.info history (opszero-app/instances.json): EC2 on-demand and average spot, all regions',
    url: 'https://github.com/vantage-sh/ec2instances.info',
    asOf: '2024-04',
    licence: 'MIT',
  });
  const karpenter = readJson(EC2_KARPENTER) as { region: string; prices: Record<string, number> };
  if (karpenter.region !== 'us-east-1') throw new Error(`${EC2_KARPENTER}: expected us-east-1`);
  const vantage = readJson(EC2_VANTAGE) as {
    data: Array<{
      'instance-type': string;
      region: string;
      ondemand: string | null;
      spot_avg: string | null;
    }>;
  };
  const vantageUsEast1 = new Map<string, number>();
  for (const row of vantage.data) {
    if (!REGION.test(row.region)) continue;
    const type = row['instance-type'];
    const od = row.ondemand === null ? Number.NaN : Number(row.ondemand);
    if (od > 0) {
      if (row.region === 'us-east-1') vantageUsEast1.set(type, od);
      else
        put({
          region: row.region,
          service: 'ec2',
          item: `instance:${type}`,
          unit: 'hours',
          usd: clean(od),
          src: vantageId,
        });
    }
    const spot = row.spot_avg === null ? Number.NaN : Number(row.spot_avg);
    if (spot > 0) {
      put({
        region: row.region,
        service: 'ec2',
        item: `spot-avg:${type}`,
        unit: 'hours',
        usd: clean(spot),
        src: vantageId,
      });
    }
  }
  // us-east-1 on-demand: the newer source (2026-07-20) wins; the older figure is noted when it differs.
  const types = new Set([...Object.keys(karpenter.prices), ...vantageUsEast1.keys()]);
  for (const type of types) {
    const k = karpenter.prices[type];
    const v = vantageUsEast1.get(type);
    if (k !== undefined && k > 0) {
      const rec: PriceRecord = {
        region: 'us-east-1',
        service: 'ec2',
        item: `instance:${type}`,
        unit: 'hours',
        usd: clean(k),
        src: karpenterId,
      };
      if (v !== undefined && Math.abs(v - k) > 1e-9)
        rec.note = `newer source used; ec2instances.info 2024-04 had ${v}`;
      put(rec);
    } else if (v !== undefined) {
      put({
        region: 'us-east-1',
        service: 'ec2',
        item: `instance:${type}`,
        unit: 'hours',
        usd: clean(v),
        src: vantageId,
      });
    }
  }
}

// ---------------------------------------------------------------- RDS

function importRds(): Set<string> {
  const id = addSource({
    id: 'flexera-rds-2023-03-01',
    provenance: 'third-party-snapshot',
    source:
      'flexera-public/policy_templates data/aws/aws_rds_pricing.json (built from the AWS Price List, AmazonRDS)',
    url: 'https://github.com/flexera-public/policy_templates/blob/master/data/aws/aws_rds_pricing.json',
    asOf: '2023-03-01',
    licence: 'MIT',
  });
  const data = readJson('rds-ondemand-all-regions.2023-03-01.json') as Record<
    string,
    Record<string, Record<string, Record<string, { pricePerUnit: number; sku: string }>>>
  >;
  const classes = new Set<string>();
  for (const [region, byClass] of Object.entries(data)) {
    if (!REGION.test(region)) continue;
    for (const [cls, byEngine] of Object.entries(byClass)) {
      for (const [engine, byDeployment] of Object.entries(byEngine)) {
        const e = RDS_ENGINES[engine];
        if (!e) continue;
        for (const [deployment, p] of Object.entries(byDeployment)) {
          const d = RDS_DEPLOYMENTS[deployment];
          if (!d || !(p.pricePerUnit > 0)) continue;
          classes.add(cls);
          put({
            region,
            service: 'rds',
            item: `instance:${cls}:${e}:${d}`,
            unit: 'hours',
            usd: clean(p.pricePerUnit),
            src: id,
          });
        }
      }
    }
  }
  return classes;
}

// ---------------------------------------------------------------- ElastiCache and OpenSearch
interface LeanerRow {
  instanceType: string;
  vcpu: string;
  memory: string;
  memoryGib?: string;
  pricing: Record<string, unknown>;
}

const ONE_YEAR = 'yrTerm1Standard.noUpfront';

/** Family naming: a `g` after the generation digit means Graviton (m6g, r7gd, c7gn, im4gn, i4g). */
function archOf(type: string): 'x86_64' | 'arm64' {
  const family = type.replace(/^(db|cache)\./, '').split('.')[0]!;
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

function importElastiCache(): InstanceSpec[] {
  const id = addSource({
    id: 'leanercloud-elasticache-2025-04-24',
    provenance: 'third-party-snapshot',
    source:
      'LeanerCloud/ec2-instances-info data/ (from ec2instances.info): ElastiCache node types, specs and prices by region and engine',
    url: 'https://github.com/LeanerCloud/ec2-instances-info',
    asOf: '2025-04-24',
    licence: 'MIT (data)',
  });
  const rows = readJson('elasticache-instances.2025-04-24.json') as LeanerRow[];
  const specs: InstanceSpec[] = [];
  for (const row of rows) {
    specs.push({
      type: row.instanceType,
      vcpu: Number(row.vcpu),
      memoryGiB: Number(row.memory),
      arch: archOf(row.instanceType),
      src: id,
    });
    for (const [region, byEngine] of Object.entries(
      row.pricing as Record<string, Record<string, { ondemand?: number; reserved?: Record<string, number> }>>,
    )) {
      if (!REGION.test(region)) continue;
      for (const [engine, p] of Object.entries(byEngine)) {
        const e = engine.toLowerCase();
        if (p.ondemand !== undefined)
          put({
            region,
            service: 'elasticache',
            item: `node:${row.instanceType}:${e}`,
            unit: 'hours',
            usd: clean(p.ondemand),
            src: id,
          });
        const r = p.reserved?.[ONE_YEAR];
        if (r !== undefined)
          put({
            region,
            service: 'elasticache',
            item: `reserved-1y:${row.instanceType}:${e}`,
            unit: 'hours',
            usd: clean(r),
            src: id,
          });
      }
    }
  }
  return specs;
}

function importOpenSearch(): InstanceSpec[] {
  const id = addSource({
    id: 'leanercloud-opensearch-2025-04-24',
    provenance: 'third-party-snapshot',
    source:
      'LeanerCloud/ec2-instances-info data/ (from ec2instances.info): OpenSearch instance types, specs and prices by region',
    url: 'https://github.com/LeanerCloud/ec2-instances-info',
    asOf: '2025-04-24',
    licence: 'MIT (data)',
  });
  const rows = readJson('opensearch-instances.2025-04-24.json') as LeanerRow[];
  const specs: InstanceSpec[] = [];
  for (const row of rows) {
    const type = row.instanceType;
    if (!type.startsWith('ultrawarm')) {
      const spec: InstanceSpec = {
        type,
        vcpu: Number(row.vcpu),
        memoryGiB: Number(row.memoryGib ?? row.memory),
        arch: archOf(type),
        src: id,
      };
      // OR1 (Graviton2) and OR2 (Graviton3) are OpenSearch-only families whose names do not say so.
      if (/^or\d/.test(type)) {
        spec.arch = 'arm64';
        spec.note = 'architecture from AWS announcements (OR1/OR2 run on Graviton), not from the source';
      }
      if (/^om\d/.test(type))
        spec.note = 'architecture from AWS announcements (OM2 runs on Intel), not from the source';
      specs.push(spec);
    }
    for (const [region, p] of Object.entries(
      row.pricing as Record<string, { ondemand?: number; reserved?: Record<string, number> }>,
    )) {
      if (!REGION.test(region)) continue;
      if (p.ondemand !== undefined)
        put({
          region,
          service: 'opensearch',
          item: `instance:${type}`,
          unit: 'hours',
          usd: clean(p.ondemand),
          src: id,
        });
      const r = p.reserved?.[ONE_YEAR];
      if (r !== undefined)
        put({
          region,
          service: 'opensearch',
          item: `reserved-1y:${type}`,
          unit: 'hours',
          usd: clean(r),
          src: id,
        });
    }
  }
  return specs;
}

// ---------------------------------------------------------------- transcribed managed-service prices
interface TranscribedEntry {
  price?: number;
  unit?: string;
  note?: string;
  value?: unknown;
}

/**
 * Reads a transcribed YAML table (managed-services-us-east-1.yaml layout): each top-level group
 * has a `page` and `key: {price, unit, note}` entries. One source per group, so every price
 * links to the page it was read from. Returns the groups for rule extraction.
 */
function importTranscribed(
  file: string,
  idPrefix: string,
  label: string,
): Record<string, Record<string, unknown>> {
  const doc = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const asOf = String(doc.asOf);
  const region = String(doc.region);
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [group, body] of Object.entries(doc)) {
    if (group === 'asOf' || group === 'region' || typeof body !== 'object' || body === null) continue;
    const g = body as Record<string, unknown>;
    groups[group] = g;
    const src = addSource({
      id: `${idPrefix}-${group.replace(/_/g, '-')}`,
      provenance: 'transcribed',
      source: `${label}: ${group}${typeof g.checked === 'string' ? ` (read from: ${g.checked})` : ''}`,
      url: String(g.page),
      // A group read later than the rest of its file carries its own date.
      asOf: typeof g.asOf === 'string' ? g.asOf : asOf,
    });
    g.__src = src;
    for (const [key, entry] of Object.entries(g)) {
      if (
        key === 'page' ||
        key === 'checked' ||
        key === '__src' ||
        typeof entry !== 'object' ||
        entry === null ||
        Array.isArray(entry)
      )
        continue;
      const e = entry as TranscribedEntry;
      if (typeof e.price !== 'number' || typeof e.unit !== 'string') continue;
      const rec: PriceRecord = { region, service: group, item: key, unit: e.unit, usd: e.price, src };
      if (e.note) rec.note = e.note;
      put(rec);
    }
  }
  return groups;
}

/** The `always_free` and `legacy_12_months` offers of transcribed groups, each citing its group's page. */
function groupAllowances(groups: Record<string, Record<string, unknown>>): FreeTierAllowance[] {
  const out: FreeTierAllowance[] = [];
  for (const g of Object.values(groups)) {
    for (const [key, regime] of [
      ['always_free', 'always-free'],
      ['legacy_12_months', 'legacy-12-months'],
    ] as const) {
      const list = g[key];
      if (!Array.isArray(list)) continue;
      for (const a of list as Array<Omit<FreeTierAllowance, 'regime' | 'src'>>) {
        out.push({ ...a, regime, src: srcOf(g) });
      }
    }
  }
  return out;
}

function srcOf(group: Record<string, unknown> | undefined): string {
  const s = group?.__src;
  if (typeof s !== 'string') throw new Error('missing transcribed group');
  return s;
}

function dataTransferRule(dt: Record<string, unknown>): DataTransferRule {
  const src = srcOf(dt);
  const tiers = dt.out_to_internet_tiers as Array<{ upToGbMonth: number | null; price: number }>;
  const free = dt.out_to_internet_free_gb_month as { value: number; note?: string };
  const rule: DataTransferRule = { tiers: [], alwaysFreeGb: free.value, src };
  if (free.note) rule.note = free.note;
  tiers.forEach((t, i) => {
    const item = `out_to_internet:${i + 1}`;
    const lower = i === 0 ? 0 : (tiers[i - 1]!.upToGbMonth ?? 0);
    const range = t.upToGbMonth === null ? `above ${lower} GB` : `${lower}-${t.upToGbMonth} GB`;
    put({
      region: 'us-east-1',
      service: 'data_transfer',
      item,
      unit: 'GB',
      usd: t.price,
      src,
      note: `${range} a month`,
    });
    rule.tiers.push({ upToGbMonth: t.upToGbMonth, item });
  });
  return rule;
}

/** The free-tier text as structured allowances, each keeping the source's own words. */
function freeTierRules(
  groups: Record<string, Record<string, unknown>>,
  supplement: Record<string, Record<string, unknown>>,
  services: Record<string, Record<string, unknown>>,
): FreeTierRules {
  const ft = groups.free_tier!;
  const src = srcOf(ft);
  const legacy = ft.legacy_12_months as Record<string, string>;
  const always = ft.always_free as Record<string, string>;
  const micro = (prefix: string, fams: string[]) => fams.map((f) => `${prefix}${f}.micro`);
  const rdsMeters: string[] = [];
  for (const cls of micro('db.', ['t2', 't3', 't4g'])) {
    for (const e of ['mysql', 'mariadb', 'postgres']) rdsMeters.push(`rds.hours:${cls}:${e}:single-az`);
  }
  const L = (
    id: string,
    description: string,
    meters: string[],
    quantity: number,
    text: string,
  ): FreeTierAllowance => ({
    id,
    regime: 'legacy-12-months',
    description,
    meters,
    quantity,
    text,
    src,
  });
  const A = (
    id: string,
    description: string,
    meters: string[],
    quantity: number,
    text: string,
    s = src,
  ): FreeTierAllowance => ({
    id,
    regime: 'always-free',
    description,
    meters,
    quantity,
    text,
    src: s,
  });
  const lambdaSrc = srcOf(supplement.lambda);
  const snsSrc = srcOf(supplement.sns);
  const allowances: FreeTierAllowance[] = [
    {
      ...L(
        'ec2-hours',
        '750 hours of t2.micro (t3.micro where t2 is unavailable)',
        ['ec2.hours:t2.micro', 'ec2.hours:t3.micro'],
        750,
        legacy.ec2!,
      ),
      onlyWhereUnpriced: { 'ec2.hours:t3.micro': { service: 'ec2', item: 'instance:t2.micro' } },
    },
    L('ebs-gb', '30 GB of EBS gp2/gp3', ['ebs.gb:gp2', 'ebs.gb:gp3'], 30, legacy.ebs!),
    L('ebs-snapshot-gb', '1 GB of EBS snapshots', ['ebs.snapshot.gb'], 1, legacy.ebs!),
    L('public-ipv4-hours', '750 hours of public IPv4', ['ipv4.hours'], 750, legacy.public_ipv4!),
    L('rds-hours', '750 hours of db.t2/t3/t4g.micro Single-AZ', rdsMeters, 750, legacy.rds!),
    L(
      'rds-storage-gb',
      '20 GB of RDS General Purpose storage (gp2; gp3 counted too)',
      ['rds.storage.gb:gp2:single-az', 'rds.storage.gb:gp3:single-az'],
      20,
      legacy.rds!,
    ),
    L('rds-backup-gb', '20 GB of RDS backups', ['rds.backup.gb'], 20, legacy.rds!),
    L(
      'elasticache-hours',
      '750 hours of cache.t2/t3/t4g.micro',
      micro('elasticache.hours:cache.', ['t2', 't3', 't4g']),
      750,
      legacy.elasticache!,
    ),
    L(
      'alb-hours',
      '750 load balancer hours (Application or Classic)',
      ['alb.hours', 'elb.classic.hours'],
      750,
      legacy.alb!,
    ),
    L('alb-lcu-hours', '15 LCUs (15 × 750 LCU-hours)', ['alb.lcu-hours'], 15 * 750, legacy.alb!),
    L('s3-standard-gb', '5 GB of S3 Standard', ['s3.standard.gb'], 5, legacy.s3!),
    L('s3-get', '20,000 S3 GET requests', ['s3.get.1k'], 20, legacy.s3!),
    L('s3-put', '2,000 S3 PUT requests', ['s3.put.1k'], 2, legacy.s3!),
    L(
      'opensearch-hours',
      '750 hours of t2.small.search or t3.small.search',
      ['opensearch.hours:t2.small.search', 'opensearch.hours:t3.small.search'],
      750,
      legacy.opensearch!,
    ),
    L(
      'opensearch-ebs-gb',
      '10 GB of OpenSearch EBS',
      ['opensearch.ebs.gb:gp2', 'opensearch.ebs.gb:gp3'],
      10,
      legacy.opensearch!,
    ),
    L('ses-emails', '3,000 SES messages', ['ses.emails.1k'], 3, legacy.ses!),
    A(
      'data-transfer-out-gb',
      '100 GB of data transfer out to the internet',
      ['dto.gb'],
      100,
      always.data_transfer_out!,
    ),
    A(
      'cloudfront-gb',
      '1 TB (1,024 GB) of CloudFront data out',
      ['cloudfront.dto.gb'],
      1024,
      always.cloudfront!,
    ),
    A(
      'cloudfront-requests',
      '10,000,000 CloudFront HTTP(S) requests',
      ['cloudfront.requests.10k'],
      1000,
      always.cloudfront!,
    ),
    A('cloudwatch-metrics', '10 custom metrics', ['cloudwatch.metrics'], 10, always.cloudwatch!),
    A('cloudwatch-alarms', '10 alarms (standard resolution)', ['cloudwatch.alarms'], 10, always.cloudwatch!),
    A('cloudwatch-dashboards', '3 dashboards', ['cloudwatch.dashboards'], 3, always.cloudwatch!),
    A('logs-ingested-gb', '5 GB of logs ingested', ['logs.ingest.gb'], 5, always.cloudwatch!),
    A('logs-stored-gb', '5 GB of logs stored', ['logs.stored.gb'], 5, always.cloudwatch!),
    A('kms-requests', '20,000 KMS requests', ['kms.requests.10k'], 2, always.kms!),
    A(
      'lambda-requests',
      '1,000,000 Lambda requests',
      ['lambda.requests.1m'],
      1,
      'Lambda: 1 million requests and 400,000 GB-seconds a month, always free',
      lambdaSrc,
    ),
    A(
      'lambda-gb-seconds',
      '400,000 Lambda GB-seconds',
      ['lambda.gb-seconds'],
      400_000,
      'Lambda: 1 million requests and 400,000 GB-seconds a month, always free',
      lambdaSrc,
    ),
    A(
      'sns-publishes',
      '1,000,000 SNS requests',
      ['sns.publish.1m'],
      1,
      'SNS: first 1 million requests a month free',
      snsSrc,
    ),
    A(
      'sns-email',
      '1,000 SNS email notifications',
      ['sns.email.100k'],
      0.01,
      'SNS: first 1,000 email notifications a month free',
      snsSrc,
    ),
    ...groupAllowances(services),
  ];
  return { legacyCutoff: '2025-07-15', accountPlans: accountPlans(), allowances, src };
}

interface AccountPlansFile {
  asOf: string;
  pages: string[];
  signupCreditsUsd: number;
  activityCreditsUsd: number;
  creditsValidMonths: number;
  credits_text: string;
  paid_plan: { text: string };
  free_plan: {
    months: number;
    text: string;
    ec2InstanceTypes: string[];
    rdsInstanceClasses: string[];
    rdsMultiAz: boolean;
  };
}

/** scripts/price-data/free-tier-plans.yaml: the credits and the two plans of accounts created from 2025-07-15. */
function accountPlans(): AccountPlansRule {
  const file = path.join(ROOT, 'scripts', 'price-data', 'free-tier-plans.yaml');
  const doc = parseYaml(readFileSync(file, 'utf8')) as AccountPlansFile;
  const src = addSource({
    id: 'stackplan-page-account-plans',
    provenance: 'transcribed',
    source:
      'AWS Free Tier account plans (Free and Paid plan, sign-up credits), transcribed by the stackplan maintainers (scripts/price-data/free-tier-plans.yaml)',
    url: doc.pages[0]!,
    asOf: String(doc.asOf),
  });
  const clean = (t: string) => t.replace(/\s+/g, ' ').trim();
  return {
    signupCreditsUsd: doc.signupCreditsUsd,
    activityCreditsUsd: doc.activityCreditsUsd,
    creditsValidMonths: doc.creditsValidMonths,
    creditsText: clean(doc.credits_text),
    paidPlanText: clean(doc.paid_plan.text),
    freePlan: {
      months: doc.free_plan.months,
      text: clean(doc.free_plan.text),
      ec2InstanceTypes: doc.free_plan.ec2InstanceTypes,
      rdsInstanceClasses: doc.free_plan.rdsInstanceClasses,
      rdsMultiAz: doc.free_plan.rdsMultiAz,
    },
    src,
  };
}

// ---------------------------------------------------------------- Bedrock
interface ConditionalPrice {
  constraint?: { type: string; start_date?: string };
  prices: Record<string, unknown>;
}

function importBedrock(): void {
  const pkg = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'),
  ) as { version: string };
  // The package's publish date on npm (`npm view @pydantic/genai-prices time`): its data's date.
  const PUBLISHED: Record<string, string> = { '0.1.8': '2026-09-23' };
  const asOf = PUBLISHED[pkg.version];
  if (!asOf)
    throw new Error(
      `@pydantic/genai-prices ${pkg.version}: add its npm publish date to PUBLISHED in this script`,
    );
  const provider = findProvider({ providerId: 'aws' });
  if (!provider) throw new Error('@pydantic/genai-prices has no provider "aws"');
  const id = addSource({
    id: `genai-prices-${pkg.version}`,
    provenance: 'third-party-snapshot',
    source: `npm @pydantic/genai-prices ${pkg.version}, provider aws (${provider.name})`,
    url: provider.pricing_urls?.[0] ?? 'https://github.com/pydantic/genai-prices',
    asOf,
    licence: 'MIT',
  });
  for (const model of provider.models) {
    let prices: Record<string, unknown>;
    if (Array.isArray(model.prices)) {
      // Time-constrained prices: the latest one already in force on the data's date.
      const list = model.prices as ConditionalPrice[];
      const inForce = list.filter((c) => !c.constraint?.start_date || c.constraint.start_date <= asOf);
      prices = (inForce[inForce.length - 1] ?? list[0]!).prices;
    } else prices = model.prices as Record<string, unknown>;
    const modelId = model.id.replace(/^regional\./, '');
    for (const [key, dir] of [
      ['input_mtok', 'input'],
      ['output_mtok', 'output'],
    ] as const) {
      const p = prices[key];
      let usd: number | undefined;
      let note: string | undefined;
      if (typeof p === 'number') usd = p;
      else if (p && typeof p === 'object' && 'base' in p) {
        const t = p as { base: number; tiers: Array<{ start: number; price: number }> };
        usd = t.base;
        note = `base rate; ${t.tiers.map((x) => `${x.price} above ${x.start} tokens per request`).join(', ')}`;
      }
      if (usd === undefined) continue;
      const rec: PriceRecord = {
        region: 'us-east-1',
        service: 'bedrock',
        item: `${dir}:${modelId}`,
        unit: '1M tokens',
        usd,
        src: id,
      };
      if (note) rec.note = note;
      put(rec);
    }
  }
}

// ---------------------------------------------------------------- AMI root volumes
interface AmiRootFile {
  asOf: string;
  default: { ami: string; sizeGb: number; volumeType: string; source: string };
  sources: Record<string, { page: string; text: string }>;
  entries: Array<{ prefix: string; ami: string; sizeGb: number; volumeType: string; source: string }>;
}

/** scripts/price-data/ami-root-volumes.yaml → rules.amiRootVolumes, each entry citing its page. */
function amiRootVolumes(): AmiRootVolumesRule {
  const file = path.join(ROOT, 'scripts', 'price-data', 'ami-root-volumes.yaml');
  const doc = parseYaml(readFileSync(file, 'utf8')) as AmiRootFile;
  const src = (key: string): string => {
    const s = doc.sources[key];
    if (!s) throw new Error(`${file}: no source ${key}`);
    return addSource({
      id: `ami-root-${key}`,
      provenance: 'transcribed',
      source: `AMI root volumes, transcribed by the stackplan maintainers (scripts/price-data/ami-root-volumes.yaml): ${s.text}`,
      url: s.page,
      asOf: String(doc.asOf),
    });
  };
  const entry = (e: AmiRootFile['default']) => ({
    ami: e.ami,
    sizeGb: e.sizeGb,
    volumeType: e.volumeType,
    src: src(e.source),
  });
  return {
    entries: [...doc.entries]
      .sort((a, b) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : 1))
      .map((e) => ({ prefix: e.prefix, ...entry(e) })),
    default: entry(doc.default),
  };
}

// ---------------------------------------------------------------- specs
function ec2Specs(): InstanceSpec[] {
  const id = addSource(EC2_SPECS_SOURCE);
  return ec2SpecRows().map((r) => ({ ...r, src: id }));
}

/** RDS classes have the vCPU and memory of the EC2 type of the same name (db.t4g.micro = t4g.micro). */
function rdsSpecs(classes: Set<string>, ec2: InstanceSpec[]): InstanceSpec[] {
  const id = addSource({
    id: 'aws-rds-instance-classes',
    provenance: 'transcribed',
    source: 'AWS RDS DB instance classes (hardware specifications match the EC2 type of the same name)',
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html',
    asOf: EC2_SPECS_SOURCE.asOf,
  });
  const byType = new Map(ec2.map((s) => [s.type, s]));
  const out: InstanceSpec[] = [];
  for (const cls of classes) {
    const e = byType.get(cls.replace(/^db\./, ''));
    if (!e) continue;
    const spec: InstanceSpec = {
      type: cls,
      vcpu: e.vcpu,
      memoryGiB: e.memoryGiB,
      arch: e.arch,
      src: id,
      note: `specs of EC2 ${e.type}`,
    };
    if (e.baselinePerVcpu !== undefined) spec.baselinePerVcpu = e.baselinePerVcpu;
    out.push(spec);
  }
  return out;
}

// ---------------------------------------------------------------- support calendars
/**
 * End of standard support per engine version (scripts/price-data/support-calendars.yaml): one
 * source per calendar, dated when it was read, pointing at the AWS page.
 */
function importSupportCalendars(): Record<string, SupportCalendarRule> {
  const file = path.join(ROOT, 'scripts', 'price-data', 'support-calendars.yaml');
  const doc = parseYaml(readFileSync(file, 'utf8')) as Record<
    string,
    { page: string; via?: string; asOf: string; ends: Record<string, string> }
  >;
  const out: Record<string, SupportCalendarRule> = {};
  for (const [name, c] of Object.entries(doc)) {
    const ends: Record<string, string> = {};
    for (const [version, date] of Object.entries(c.ends)) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(date)))
        throw new Error(`${file}: ${name}.${version}: ${date} is not a date`);
      ends[version] = String(date);
    }
    const src = addSource({
      id: `support-calendar-${name.replace(/_/g, '-')}`,
      provenance: 'transcribed',
      source: `AWS end of standard support calendar, transcribed by the stackplan maintainers (scripts/price-data/support-calendars.yaml): ${name}${c.via ? `; cross-checked with ${c.via}` : ''}`,
      url: c.page,
      asOf: c.asOf,
    });
    out[name] = { ends, src };
  }
  return out;
}

function byType(a: InstanceSpec, b: InstanceSpec): number {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

function main(): void {
  importEc2();
  const rdsClasses = importRds();
  const elasticache = importElastiCache();
  const opensearch = importOpenSearch();
  const managed = importTranscribed(
    path.join(SOURCES_DIR, 'managed-services-us-east-1.yaml'),
    'aws-page',
    'AWS public pricing page, transcribed (raw sources: managed-services-us-east-1.yaml)',
  );
  const supplement = importTranscribed(
    path.join(ROOT, 'scripts', 'price-data', 'supplement-us-east-1.yaml'),
    'stackplan-page',
    'AWS public pricing page, transcribed by the stackplan maintainers (scripts/price-data/supplement-us-east-1.yaml)',
  );
  const services = importTranscribed(
    path.join(ROOT, 'scripts', 'price-data', 'services-us-east-1.yaml'),
    'stackplan-page',
    'AWS public pricing page, transcribed by the stackplan maintainers (scripts/price-data/services-us-east-1.yaml)',
  );
  importBedrock();
  const ec2 = ec2Specs();

  const eks = supplement.eks_standard_support_ends!;
  const ends: Record<string, string> = {};
  for (const [k, v] of Object.entries(eks)) if (/^\d+\.\d+$/.test(k)) ends[k] = String(v);
  const fargate = managed.fargate!;
  const rules: Record<string, unknown> = {
    dataTransferOut: dataTransferRule(managed.data_transfer!),
    freeTier: freeTierRules(managed, supplement, services),
    eksStandardSupportEnds: { ends, src: srcOf(eks) } satisfies EksSupportRule,
    amiRootVolumes: amiRootVolumes(),
    supportCalendars: importSupportCalendars(),
    fargateSpot: {
      text: `${(fargate.spot_discount as { value: string }).value}; ${(fargate.spot_discount as { note: string }).note}`,
      src: srcOf(fargate),
    } satisfies TextRule,
  };

  const book: PriceBookData = {
    schemaVersion: 1,
    sources: [...sources.values()],
    prices: [...prices.values()].sort(
      (a, b) =>
        a.service.localeCompare(b.service) ||
        a.region.localeCompare(b.region) ||
        (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
    ),
    specs: {
      ec2: ec2.sort(byType),
      rds: rdsSpecs(rdsClasses, ec2).sort(byType),
      elasticache: elasticache.sort(byType),
      opensearch: opensearch.sort(byType),
    },
    rules,
  };
  const text = serializePriceBook(book);
  writeFileSync(OUT, text);
  const count = (s: string) => book.prices.filter((p) => p.service === s).length;
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), OUT)}: ${book.prices.length} prices (ec2 ${count('ec2')}, rds ${count('rds')}, elasticache ${count('elasticache')}, opensearch ${count('opensearch')}, bedrock ${count('bedrock')}), ${book.sources.length} sources, ${(text.length / 1e6).toFixed(1)} MB\n`,
  );
}

main();
