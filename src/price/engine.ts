/**
 * The pricer: runs each resource's pricer, resolves every price query against the book (in the
 * resource's region only), adds the usage-only lines, then the free-tier credits, the savings
 * options and the list of sources. Pure: templates, usage, a price book and a date in, a
 * CostReport out — no file, clock or environment is read here (the CLI and the plan command load
 * the book and pick the date).
 */
import { UserError } from '../errors.js';
import type { PriceBook } from './book/index.js';
import type { DataTransferRule, FreeTierRules, PriceSource } from './book/types.js';
import type { PricerContext } from './resources/common.js';
import { freeReason, PRICERS } from './resources/index.js';
import { type CfnTemplate, NotResolvable, Props, TemplateIndex } from './template.js';
import { expandForEach, expandSam, hasForEach, isSam } from './transforms.js';
import {
  type ComponentCost,
  type CostComponent,
  type CostReport,
  type CreditLine,
  FREE_TIER_MODES,
  type FreePlanCheck,
  type FreeTierMode,
  HOURS_PER_MONTH,
  type ResourceCost,
  type ResourcePricing,
  type SavingsHint,
  type SavingsOption,
  type SourceRef,
  type StackCost,
} from './types.js';
import { effectiveUsage, resourceProperties, resourceUsage, type Usage } from './usage.js';
import { bedrockLines, dataTransferLine, sesLine, type UsageLine } from './usage-lines.js';

export interface TemplateInput {
  /** Stack name (cdk.out artifact id, or the file's base name). */
  name: string;
  template: CfnTemplate;
  file?: string;
  /** The stack's region when its environment says (cdk.out manifest). */
  region?: string;
  /** What reading the file found (unknown YAML tags …): repeated in the report's warnings. */
  warnings?: string[];
}

export interface PriceOptions {
  /** Price every stack in this region (overrides the stacks' own). */
  region?: string;
  /** Region for stacks that do not name one. @default us-east-1 */
  defaultRegion?: string;
  usage?: Usage;
  /** How the report names the usage: a file path, `profile small`, `manifest`. @default api/none */
  usageLabel?: string;
  /** @default 'paid-plan' (an account created from 2025-07-15 on, on AWS's Paid plan) */
  freeTier?: FreeTierMode;
  /** The date prices are judged against (staleness, EKS support), YYYY-MM-DD. */
  asOf: string;
  /** The price book (`loadPriceBook()` at the edges). */
  book: PriceBook;
}

export const USAGE_STACK = '(usage)';

/** API Gateway APIs that share the app's requests (requestsPerMonth) when they have no usage of their own. */
const API_TYPES = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
]);

/** Money and quantities: six decimals, enough to add up to the cent and free of float noise. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
/** Unit prices keep their precision (Lambda's $0.0000166667 per GB-second). */
const precise = (n: number) => Number(n.toPrecision(12));

function isoDate(d: string): string {
  if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d))
    throw new UserError(`asOf ${String(d)} is not a YYYY-MM-DD date`);
  return d;
}

/** Whether a source dated `asOf` (YYYY-MM or YYYY-MM-DD) is more than 12 months older than `today`. */
export function isStale(asOf: string, today: string): boolean {
  const [y, m = '01', d = '01'] = asOf.split('-');
  return `${Number(y) + 1}-${m}-${d}` < today;
}

/** Checks that an object is a CloudFormation template (what the programmatic API accepts). */
export function asTemplate(t: unknown, where: string): CfnTemplate {
  const r = (t as { Resources?: unknown })?.Resources;
  if (
    typeof t !== 'object' ||
    t === null ||
    Array.isArray(t) ||
    typeof r !== 'object' ||
    r === null ||
    Array.isArray(r)
  ) {
    throw new UserError(`${where} is not a CloudFormation template: it has no "Resources" object`, {
      actions: [
        'Pass a CloudFormation template (JSON or YAML) or a cdk.out directory',
        'Synthesize a CDK app first: npx cdk synth',
      ],
    });
  }
  return t as CfnTemplate;
}

class Sources {
  private readonly refs = new Map<string, SourceRef>();
  constructor(
    private readonly book: PriceBook,
    private readonly asOf: string,
  ) {}
  ref(src: PriceSource | undefined): number | undefined {
    if (!src) return undefined;
    let r = this.refs.get(src.id);
    if (!r) {
      r = {
        ref: this.refs.size + 1,
        id: src.id,
        provenance: src.provenance,
        source: src.source,
        asOf: src.asOf,
        stale: isStale(src.asOf, this.asOf),
      };
      if (src.url) r.url = src.url;
      this.refs.set(src.id, r);
    }
    return r.ref;
  }
  byId(id: string): number | undefined {
    return this.ref(this.book.source(id));
  }
  list(): SourceRef[] {
    return [...this.refs.values()];
  }
}

/** A resolved component plus what the free tier and savings need. */
interface Line {
  stack: string;
  logicalId: string;
  region: string;
  c: CostComponent;
  out: ComponentCost;
}

function resolveComponent(
  c: CostComponent,
  region: string,
  book: PriceBook,
  sources: Sources,
): ComponentCost {
  const q = c.hourlyQuantity !== undefined ? c.hourlyQuantity * HOURS_PER_MONTH : c.monthlyQuantity;
  const price = book.usdAndSource(region, c.price.service, c.price.item);
  const out: ComponentCost = {
    name: c.name,
    unit: c.unit,
    monthlyQuantity: q === undefined ? null : round(q),
    unitPriceUsd: null,
    monthlyUsd: null,
    usageBased: c.usageBased === true,
    dependsOnUsage: c.usageBased === true && q === undefined,
    price: { service: c.price.service, item: c.price.item, region },
  };
  if (c.hourlyQuantity !== undefined) out.hourlyQuantity = c.hourlyQuantity;
  if (c.priceFactor !== undefined) out.priceFactor = c.priceFactor;
  if (c.meter) out.meter = c.meter;
  if (c.note) out.note = c.note;
  if (!price) {
    out.notPriced = `no ${region} price for ${c.price.service} ${c.price.item}`;
    return out;
  }
  const ref = sources.ref(price[1]);
  if (ref !== undefined) out.price.source = ref;
  out.unitPriceUsd = c.priceFactor === undefined ? price[0] : precise(price[0] * c.priceFactor);
  if (q !== undefined) out.monthlyUsd = round(q * out.unitPriceUsd);
  return out;
}

function finishResource(
  logicalId: string,
  type: string,
  pricing: ResourcePricing,
  stack: string,
  region: string,
  book: PriceBook,
  sources: Sources,
  lines: Line[],
): ResourceCost {
  const notes = [...(pricing.notes ?? [])];
  if (pricing.free !== undefined && pricing.components.length === 0) {
    return { logicalId, type, status: 'free', reason: pricing.free, monthlyUsd: 0, components: [], notes };
  }
  const components = pricing.components.map((c) => {
    const out = resolveComponent(c, region, book, sources);
    lines.push({ stack, logicalId, region, c, out });
    return out;
  });
  const monthlyUsd = round(components.reduce((s, c) => s + (c.monthlyUsd ?? 0), 0));
  const allMissing = components.length > 0 && components.every((c) => c.notPriced);
  const r: ResourceCost = {
    logicalId,
    type,
    status: allMissing ? 'not-priced' : 'priced',
    monthlyUsd,
    components,
    notes,
  };
  if (allMissing) r.reason = components[0]!.notPriced!;
  return r;
}

// ------------------------------------------------------------------ free tier

/** The credit lines of the allowances of these regimes, pooled across every line as AWS bills them. */
function allowanceCredits(
  regimes: ReadonlySet<string>,
  lines: Line[],
  book: PriceBook,
  sources: Sources | undefined,
): CreditLine[] {
  const rules = book.rule<FreeTierRules>('freeTier');
  const credits: CreditLine[] = [];
  // Lines by meter (their positions, so an allowance draws from lines in report order).
  const byMeter = new Map<string, number[]>();
  lines.forEach((l, i) => {
    if (!l.c.meter) return;
    const list = byMeter.get(l.c.meter);
    if (list) list.push(i);
    else byMeter.set(l.c.meter, [i]);
  });
  for (const a of rules?.allowances ?? []) {
    if (!regimes.has(a.regime)) continue;
    const positions = a.meters.flatMap((m) => byMeter.get(m) ?? []);
    if (a.meters.length > 1) positions.sort((x, y) => x - y);
    let remaining = a.quantity;
    let usd = 0;
    for (const i of positions) {
      const l = lines[i]!;
      const q = l.out.monthlyQuantity;
      const p = l.out.unitPriceUsd;
      if (!l.c.meter || q === null || p === null || remaining <= 0) continue;
      const cond = a.onlyWhereUnpriced?.[l.c.meter];
      if (cond && book.price(l.region, cond.service, cond.item)) continue;
      const take = Math.min(remaining, q);
      remaining -= take;
      usd += take * p;
    }
    if (usd <= 0) continue;
    const line: CreditLine = {
      id: a.id,
      regime: a.regime,
      description: a.description,
      usd: round(usd),
      month1: true,
      month13: a.regime === 'always-free',
      text: a.text,
    };
    const ref = sources?.byId(a.src);
    if (ref !== undefined) line.source = ref;
    credits.push(line);
  }
  return credits;
}

const ALWAYS_FREE: ReadonlySet<string> = new Set(['always-free']);

function freeTierCredits(
  mode: FreeTierMode,
  lines: Line[],
  book: PriceBook,
  sources: Sources,
  listUsd: number,
): CreditLine[] {
  const rules = book.rule<FreeTierRules>('freeTier');
  if (!rules || mode === 'none') return [];
  const credits = allowanceCredits(
    mode === 'legacy' ? new Set(['legacy-12-months', 'always-free']) : ALWAYS_FREE,
    lines,
    book,
    sources,
  );
  if (mode === 'paid-plan') {
    const plans = rules.accountPlans;
    const always = credits.reduce((s, c) => s + c.usd, 0);
    const due = Math.max(0, listUsd - always);
    if (due > 0) {
      const usd = round(Math.min(plans.signupCreditsUsd, due));
      const months = plans.signupCreditsUsd / due;
      const line: CreditLine = {
        id: 'sign-up-credits',
        regime: 'sign-up-credits',
        description: `Sign-up credits, Paid plan (USD ${plans.signupCreditsUsd}, until spent or ${plans.creditsValidMonths} months after sign-up)`,
        usd,
        month1: true,
        month13: false,
        text: `${plans.creditsText} ${plans.paidPlanText}`,
        note:
          months >= plans.creditsValidMonths
            ? `at this cost the credits last until they expire, ${plans.creditsValidMonths} months after sign-up`
            : `at this cost the credits last about ${months.toFixed(1)} months; up to USD ${plans.activityCreditsUsd} more for onboarding activities is not assumed`,
      };
      const ref = sources.byId(plans.src);
      if (ref !== undefined) line.source = ref;
      credits.push(line);
    }
  }
  return credits;
}

/**
 * What the design uses that an account on AWS's Free plan cannot (its EC2 instance types and RDS
 * classes), and how long the sign-up credits would carry it there.
 */
function freePlanCheck(
  lines: Line[],
  book: PriceBook,
  sources: Sources,
  listUsd: number,
): FreePlanCheck | undefined {
  const plans = book.rule<FreeTierRules>('freeTier')?.accountPlans;
  if (!plans) return undefined;
  const fp = plans.freePlan;
  const ec2 = new Set(fp.ec2InstanceTypes);
  const rds = new Set(fp.rdsInstanceClasses);
  const problems = new Set<string>();
  for (const l of lines) {
    const meter = l.c.meter ?? '';
    const where = `${l.stack}/${l.logicalId}`;
    if (meter.startsWith('ec2.hours:')) {
      const type = meter.slice('ec2.hours:'.length);
      if (!ec2.has(type)) problems.add(`${where}: EC2 ${type}`);
    } else if (meter.startsWith('rds.hours:')) {
      const [cls, , dep] = meter.slice('rds.hours:'.length).split(':');
      if (!rds.has(cls!)) problems.add(`${where}: RDS ${cls}`);
      if (dep === 'multi-az' && !fp.rdsMultiAz) problems.add(`${where}: RDS Multi-AZ`);
    }
  }
  // A Free plan account has the always-free offers and the sign-up credits, nothing else.
  const alwaysFree = allowanceCredits(ALWAYS_FREE, lines, book, undefined).reduce((s, c) => s + c.usd, 0);
  const due = listUsd - alwaysFree;
  const out: FreePlanCheck = {
    allowed: problems.size === 0,
    problems: [...problems],
    creditMonths: due > 0 ? round(Math.min(fp.months, plans.signupCreditsUsd / due)) : null,
    limits: `EC2 ${fp.ec2InstanceTypes.join(', ')}; RDS ${fp.rdsInstanceClasses.join(', ')}${fp.rdsMultiAz ? '' : ', Single-AZ only'}`,
    text: `${fp.text} Checked here: EC2 instance types and RDS classes; other services' Free plan limits are not.`,
  };
  const ref = sources.byId(plans.src);
  if (ref !== undefined) out.source = ref;
  return out;
}

// ------------------------------------------------------------------ savings

/** x86 family → its Graviton counterpart of the same size. */
const GRAVITON: Record<string, string> = {
  t2: 't4g',
  t3: 't4g',
  t3a: 't4g',
  m5: 'm6g',
  m5a: 'm6g',
  m6i: 'm6g',
  m6a: 'm6g',
  'm7i-flex': 'm7g',
  m7i: 'm7g',
  m7a: 'm7g',
  c5: 'c6g',
  c5a: 'c6g',
  c6i: 'c6g',
  c6a: 'c6g',
  c7i: 'c7g',
  c7a: 'c7g',
  r5: 'r6g',
  r5a: 'r6g',
  r6i: 'r6g',
  r6a: 'r6g',
  r7i: 'r7g',
  r7a: 'r7g',
};

export function gravitonOf(type: string): string | undefined {
  const m = /^((?:db|cache)\.)?([a-z0-9-]+)\.(.+)$/.exec(type);
  if (!m) return undefined;
  const g = GRAVITON[m[2]!];
  return g ? `${m[1] ?? ''}${g}.${m[3]}` : undefined;
}

function savingsFor(l: Line, hint: SavingsHint, book: PriceBook, sources: Sources): SavingsOption[] {
  const out: SavingsOption[] = [];
  const current = l.out.monthlyUsd;
  const q = l.out.monthlyQuantity;
  if (current === null || q === null) return out;
  const base = { stack: l.stack, logicalId: l.logicalId, component: l.out.name };
  const option = (
    kind: SavingsOption['option'],
    description: string,
    service: string,
    item: string,
    note?: string,
  ): void => {
    const p = book.price(l.region, service, item);
    if (!p) return;
    const monthlyUsd = round(q * p.usd);
    const s: SavingsOption = {
      ...base,
      option: kind,
      description,
      monthlyUsd,
      differenceUsd: round(monthlyUsd - current),
    };
    if (note) s.note = note;
    const ref = sources.ref(book.sourceOf(l.region, service, item));
    if (ref !== undefined) s.source = ref;
    out.push(s);
  };
  switch (hint.kind) {
    case 'ec2': {
      const g = gravitonOf(hint.type);
      if (g)
        option(
          'graviton',
          `${hint.type} → ${g} (Graviton, arm64)`,
          'ec2',
          `instance:${g}`,
          'needs arm64 images',
        );
      option(
        'reserved-1y',
        `1-year reserved ${hint.type} (standard, no upfront)`,
        'ec2',
        `reserved-1y:${hint.type}`,
      );
      option(
        'spot',
        `Spot ${hint.type} (average price)`,
        'ec2',
        `spot-avg:${hint.type}`,
        'can be interrupted at two minutes’ notice',
      );
      break;
    }
    case 'rds': {
      const g = gravitonOf(hint.type);
      if (g)
        option(
          'graviton',
          `${hint.type} → ${g} (Graviton)`,
          'rds',
          `instance:${g}:${hint.engine}:${hint.deployment}`,
        );
      break;
    }
    case 'elasticache': {
      const g = gravitonOf(hint.type);
      if (g) option('graviton', `${hint.type} → ${g} (Graviton)`, 'elasticache', `node:${g}:${hint.engine}`);
      option(
        'reserved-1y',
        `1-year reserved ${hint.type} (no upfront)`,
        'elasticache',
        `reserved-1y:${hint.type}:${hint.engine}`,
      );
      break;
    }
    case 'opensearch': {
      const g = gravitonOf(hint.type);
      if (g) option('graviton', `${hint.type} → ${g} (Graviton)`, 'opensearch', `instance:${g}`);
      option(
        'reserved-1y',
        `1-year reserved ${hint.type} (no upfront)`,
        'opensearch',
        `reserved-1y:${hint.type}`,
      );
      break;
    }
    case 'fargate': {
      const price = (item: string) => book.price(l.region, 'fargate', item)?.usd;
      const [xv, xg, av, ag] = [
        'linux_x86_vcpu_hour',
        'linux_x86_gb_hour',
        'linux_arm_vcpu_hour',
        'linux_arm_gb_hour',
      ].map(price);
      const comp = { ...base, component: l.out.name.replace(/^Fargate vCPU/, 'Fargate vCPU and memory') };
      if (hint.arch === 'x86' && xv && xg && av && ag) {
        const now = hint.vcpuHours * xv + hint.gbHours * xg;
        const arm = round(hint.vcpuHours * av + hint.gbHours * ag);
        const s: SavingsOption = {
          ...comp,
          option: 'graviton',
          description: 'Fargate on ARM64 (Graviton)',
          monthlyUsd: arm,
          differenceUsd: round(arm - now),
          note: 'needs arm64 images',
        };
        const ref = sources.ref(book.sourceOf(l.region, 'fargate', 'linux_arm_vcpu_hour'));
        if (ref !== undefined) s.source = ref;
        out.push(s);
      }
      out.push({
        ...comp,
        option: 'fargate-spot',
        description: 'Fargate Spot',
        monthlyUsd: null,
        differenceUsd: null,
        note: 'variable, up to 70% off on-demand; tasks can be interrupted',
      });
      break;
    }
  }
  return out;
}

// ------------------------------------------------------------------ main

/** A template as CloudFormation would see it after its transforms, with what could not be expanded. */
interface Prepared {
  input: TemplateInput;
  region: string;
  template: CfnTemplate;
  tctx: { region: string; stackName: string; parameters: Record<string, unknown> };
  failed: Array<{ key: string; reason: string }>;
}

function prepare(input: TemplateInput, region: string, u: Usage): Prepared {
  const tctx = { region, stackName: input.name, parameters: u.parameters ?? {} };
  let template = input.template;
  let failed: Prepared['failed'] = [];
  if (hasForEach(template)) {
    const expanded = expandForEach(template, new TemplateIndex(template, tctx));
    template = expanded.template;
    failed = expanded.failed;
  }
  if (isSam(template)) template = expandSam(template);
  return { input, region, template, tctx, failed };
}

export function priceTemplates(rawInputs: TemplateInput[], opts: PriceOptions): CostReport {
  const book = opts.book;
  const asOf = isoDate(opts.asOf);
  const mode = opts.freeTier ?? 'paid-plan';
  if (!FREE_TIER_MODES.includes(mode)) {
    throw new UserError(`free tier ${String(mode)} is not one of ${FREE_TIER_MODES.join(', ')}`);
  }
  const u = effectiveUsage(opts.usage);
  const sources = new Sources(book, asOf);
  const lines: Line[] = [];
  const defaultRegion = opts.defaultRegion ?? 'us-east-1';
  const inputs = rawInputs.map((i) => prepare(i, opts.region ?? i.region ?? defaultRegion, u));

  // CloudFront distributions share the app's traffic when they have no usage of their own.
  const distributions: Array<{ stack: string; id: string }> = [];
  for (const { input, template } of inputs) {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r?.Type === 'AWS::CloudFront::Distribution') distributions.push({ stack: input.name, id });
    }
  }
  const sharing = distributions.filter(
    (d) => resourceUsage(u, d.stack, d.id, 'AWS::CloudFront::Distribution').dataOutGb === undefined,
  );
  const shared: PricerContext['shared'] = {};
  if (sharing.length && u.dataTransferOutGb !== undefined)
    shared.cloudFrontDataOutGb = u.dataTransferOutGb / sharing.length;
  if (sharing.length && u.requestsPerMonth !== undefined)
    shared.cloudFrontRequests = u.requestsPerMonth / sharing.length;
  // API Gateway APIs share the app's requests the same way.
  const apis: Array<{ stack: string; id: string; type: string }> = [];
  for (const { input, template } of inputs) {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (API_TYPES.has(r?.Type) && r.Properties?.ProtocolType !== 'WEBSOCKET')
        apis.push({ stack: input.name, id, type: r.Type });
    }
  }
  const apisSharing = apis.filter((a) => resourceUsage(u, a.stack, a.id, a.type).requests === undefined);
  if (apisSharing.length && u.requestsPerMonth !== undefined)
    shared.apiRequests = u.requestsPerMonth / apisSharing.length;

  const stacks: StackCost[] = [];
  for (const { input, region, template, tctx, failed } of inputs) {
    const resources: ResourceCost[] = failed.map((f) => ({
      logicalId: f.key,
      type: 'AWS::LanguageExtensions',
      status: 'cannot-price' as const,
      reason: `cannot price: ${f.reason}`,
      monthlyUsd: 0,
      components: [],
      notes: [],
    }));
    const index = new TemplateIndex(template, tctx);
    // Priced in logical-id order, so sources are numbered in the order the report lists them.
    for (const id of Object.keys(template.Resources).sort()) {
      resources.push(priceResource(id, input.name, region, index, u, asOf, book, sources, lines, shared));
    }
    if (failed.length)
      resources.sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
    const stack: StackCost = {
      name: input.name,
      region,
      resources,
      monthlyUsd: round(resources.reduce((s, r) => s + r.monthlyUsd, 0)),
    };
    if (input.file) stack.file = input.file;
    stacks.push(stack);
  }

  // Lines no template holds.
  const usageRegion = stacks[0]?.region ?? opts.region ?? defaultRegion;
  const internetFacing = inputs.some((i) =>
    Object.values(i.template.Resources).some((r) =>
      [
        'AWS::EC2::Instance',
        'AWS::AutoScaling::AutoScalingGroup',
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
        'AWS::EC2::NatGateway',
        'AWS::EC2::EIP',
        'AWS::ECS::Service',
        'AWS::EKS::Nodegroup',
      ].includes(r?.Type),
    ),
  );
  const usageLines: UsageLine[] = [];
  if (u.dataTransferOutGb !== undefined || internetFacing || distributions.length) {
    usageLines.push(
      dataTransferLine(
        u,
        book.rule<DataTransferRule>('dataTransferOut'),
        distributions.map((d) => (inputs.length > 1 ? `${d.stack}/${d.id}` : d.id)),
      ),
    );
  }
  usageLines.push(...bedrockLines(u, book.items(usageRegion, 'bedrock')));
  const ses = sesLine(u);
  if (ses) usageLines.push(ses);
  if (usageLines.length) {
    const resources = usageLines.map((l) =>
      finishResource(l.logicalId, 'usage', l.pricing, USAGE_STACK, usageRegion, book, sources, lines),
    );
    stacks.push({
      name: USAGE_STACK,
      region: usageRegion,
      resources,
      monthlyUsd: round(resources.reduce((s, r) => s + r.monthlyUsd, 0)),
    });
  }

  const all = stacks.flatMap((s) => s.resources);
  const components = all.flatMap((r) => r.components);
  const listMonthlyUsd = round(stacks.reduce((s, x) => s + x.monthlyUsd, 0));
  const credits = freeTierCredits(mode, lines, book, sources, listMonthlyUsd);
  const savings = lines.flatMap((l) => (l.c.savings ? savingsFor(l, l.c.savings, book, sources) : []));
  const sum = (pred: (c: CreditLine) => boolean) => credits.filter(pred).reduce((s, c) => s + c.usd, 0);

  const report: CostReport = {
    schemaVersion: 1,
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    asOf,
    freeTier: mode,
    usage:
      opts.usageLabel ??
      (opts.usage ? (opts.usage.profile ? `profile ${opts.usage.profile}` : 'api') : 'none'),
    stacks,
    credits,
    totals: {
      listMonthlyUsd,
      month1Usd: round(Math.max(0, listMonthlyUsd - sum((c) => c.month1))),
      month13Usd: round(Math.max(0, listMonthlyUsd - sum((c) => c.month13))),
      dependsOnUsage: components.filter((c) => c.dependsOnUsage).length,
      notPricedLines: components.filter((c) => c.notPriced).length,
      notPricedResources: all.filter((r) => r.status === 'not-priced').length,
      cannotPriceResources: all.filter((r) => r.status === 'cannot-price').length,
    },
    savings,
    sources: [],
    warnings: rawInputs.flatMap((i) => i.warnings ?? []),
  };
  const freePlan = freePlanCheck(lines, book, sources, listMonthlyUsd);
  if (freePlan) report.freePlan = freePlan;
  report.sources = sources.list();
  for (const s of report.sources) {
    if (s.stale) {
      report.warnings.push(
        `[${s.ref}] ${s.source} is dated ${s.asOf}, more than 12 months before ${asOf}: run stackplan prices refresh`,
      );
    }
  }
  return report;
}

function priceResource(
  id: string,
  stack: string,
  region: string,
  index: TemplateIndex,
  u: Usage,
  asOf: string,
  book: PriceBook,
  sources: Sources,
  lines: Line[],
  shared: PricerContext['shared'],
): ResourceCost {
  const res = index.resource(id);
  const type = typeof res?.Type === 'string' ? res.Type : '(no Type)';
  const fail = (status: ResourceCost['status'], reason: string): ResourceCost => ({
    logicalId: id,
    type,
    status,
    reason,
    monthlyUsd: 0,
    components: [],
    notes: [],
  });
  if (!res || typeof res.Type !== 'string') return fail('cannot-price', 'the resource has no Type');
  const notes: string[] = [];
  if (res.Condition !== undefined) {
    try {
      if (!index.condition(String(res.Condition)))
        return fail('not-created', `not created: condition ${res.Condition} is false`);
    } catch (e) {
      notes.push(
        `created only if condition ${res.Condition} holds (${(e as NotResolvable).why ?? (e as Error).message})`,
      );
    }
  }
  const free = freeReason(type);
  if (free) return fail('free', free);
  const pricer = PRICERS[type];
  if (!pricer) return fail('not-priced', `not priced: ${type}`);
  let pricing: ResourcePricing;
  try {
    let props = res.Properties;
    if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) {
      throw new NotResolvable('Properties', 'not an object');
    }
    const given = resourceProperties(u, stack, id);
    if (given) {
      const set = Object.keys(given).filter((k) => props?.[k] === undefined);
      if (set.length) notes.push(`from usage properties: ${set.join(', ')}`);
      props = { ...given, ...props };
    }
    pricing = pricer({
      logicalId: id,
      type,
      stack,
      region,
      props: new Props(index, (props ?? {}) as Record<string, unknown>),
      index,
      usage: resourceUsage(u, stack, id, type),
      global: u,
      asOf,
      rule: (k) => book.rule(k),
      cite: (src) => {
        const ref = sources.byId(src);
        return ref === undefined ? '' : `[${ref}]`;
      },
      shared,
    });
  } catch (e) {
    if (e instanceof NotResolvable) return { ...fail('cannot-price', `cannot price: ${e.message}`), notes };
    return {
      ...fail(
        'cannot-price',
        `cannot price: the ${type} pricer failed (${(e as Error).message}); please report it`,
      ),
      notes,
    };
  }
  const r = finishResource(id, type, pricing, stack, region, book, sources, lines);
  r.notes.unshift(...notes);
  return r;
}

/** Prices one template object (the programmatic API the plan uses). */
export function priceTemplate(
  template: object,
  opts: PriceOptions & { stackName?: string; file?: string },
): CostReport {
  const input: TemplateInput = {
    name: opts.stackName ?? 'Stack',
    template: asTemplate(template, opts.file ?? 'the template'),
  };
  if (opts.file) input.file = opts.file;
  return priceTemplates([input], opts);
}
