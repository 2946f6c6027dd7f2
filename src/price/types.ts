/**
 * The cost engine's data. A resource pricer (src/price/resources/*.ts) turns one CloudFormation
 * resource into CostComponents: a name, a unit, a quantity (per hour, per month, or from usage)
 * and a *query* into the price book — never a literal price. One pricer (src/price/engine.ts)
 * resolves every query, applies the free tier and builds the CostReport.
 */

/** 730 hours a month, as AWS's calculator and Infracost use. */
export const HOURS_PER_MONTH = 730;

/** Where in the price book a component's unit price is: region comes from the resource. */
export interface PriceQuery {
  service: string;
  item: string;
}

/** What an instance-backed line could cost instead: the engine prices the alternatives. */
export type SavingsHint =
  | { kind: 'ec2'; type: string }
  | { kind: 'rds'; type: string; engine: string; deployment: 'single-az' | 'multi-az' }
  | { kind: 'elasticache'; type: string; engine: string }
  | { kind: 'opensearch'; type: string }
  | { kind: 'fargate'; vcpuHours: number; gbHours: number; arch: 'x86' | 'arm' };

export interface CostComponent {
  /** Plural and specific, the variable part in one pair of brackets: `Instance usage (Linux/UNIX, on-demand, t3.micro)`. */
  name: string;
  /** Plural unit of the quantity, matching the price's unit: `hours`, `GB-months`, `1M requests`. */
  unit: string;
  /** Quantity per hour (× 730 a month). */
  hourlyQuantity?: number;
  /** Quantity per month. */
  monthlyQuantity?: number;
  /**
   * The quantity comes from usage: when no usage gives it, leave both quantities undefined and
   * the report says "depends on usage" with the unit price, starred, never $0.
   */
  usageBased?: boolean;
  price: PriceQuery;
  /** Multiplies the queried unit price (a labelled assumption, e.g. a Spot discount); say why in `note`. */
  priceFactor?: number;
  /** Free-tier meter this component draws from (see FreeTierAllowance.meters in the price book). */
  meter?: string;
  savings?: SavingsHint;
  /** An assumption or caveat shown under the line. */
  note?: string;
}

/** What a pricer returns. */
export interface ResourcePricing {
  components: CostComponent[];
  /** Caveats about the whole resource (assumptions, what is priced elsewhere). */
  notes?: string[];
  /** Set when this resource costs nothing by itself: the reason. */
  free?: string;
}

// ------------------------------------------------------------------ report

/**
 * The AWS account the report assumes:
 * - `paid-plan`: created on or after 2025-07-15 and on AWS's Paid plan, as a production app must
 *   be — always-free offers plus the sign-up credits, until spent or 12 months after sign-up;
 * - `legacy`: created before 2025-07-15 — the 12-month offers and the always-free ones;
 * - `none`: list prices.
 * `free-plan`, this regime's old name, is accepted by the CLI with a deprecation warning
 * (see FREE_TIER_ALIASES): it never meant an account on the Free plan.
 */
export type FreeTierMode = 'paid-plan' | 'legacy' | 'none';

export const FREE_TIER_MODES: readonly FreeTierMode[] = ['paid-plan', 'legacy', 'none'];

/** Old regime names still accepted, each with what it now means. */
export const FREE_TIER_ALIASES: Readonly<Record<string, FreeTierMode>> = { 'free-plan': 'paid-plan' };

export interface CostReport {
  schemaVersion: 1;
  currency: 'USD';
  hoursPerMonth: number;
  /** The date prices were judged against (staleness, EKS support windows), YYYY-MM-DD. */
  asOf: string;
  freeTier: FreeTierMode;
  /** What the usage came from: `none`, `profile small`, a file path, or `api`. */
  usage: string;
  stacks: StackCost[];
  /** Free-tier credits, each a separate line. */
  credits: CreditLine[];
  /** Whether the design could run on an account on AWS's Free plan (absent when the book has no plan rules). */
  freePlan?: FreePlanCheck;
  totals: CostTotals;
  /** Cheaper ways to run instance-backed lines: options, not applied. */
  savings: SavingsOption[];
  /** Every price source the report used, numbered as the lines cite them. */
  sources: SourceRef[];
  warnings: string[];
}

export interface StackCost {
  name: string;
  /** Template file, when read from disk. */
  file?: string;
  region: string;
  resources: ResourceCost[];
  /** Sum of the known monthly costs of its resources (list prices, before free tier). */
  monthlyUsd: number;
}

export type ResourceStatus = 'priced' | 'free' | 'not-priced' | 'cannot-price' | 'not-created';

export interface ResourceCost {
  logicalId: string;
  /** CloudFormation type, or `usage` for lines no template holds (data transfer, Bedrock, SES). */
  type: string;
  status: ResourceStatus;
  /** Why free, not priced, not created, or not priceable. */
  reason?: string;
  /** Known monthly cost of its components. */
  monthlyUsd: number;
  components: ComponentCost[];
  notes: string[];
}

export interface ComponentCost {
  name: string;
  unit: string;
  /** Monthly quantity; null when it depends on usage that was not given. */
  monthlyQuantity: number | null;
  hourlyQuantity?: number;
  /** USD per unit after any priceFactor; null when the book has no price. */
  unitPriceUsd: number | null;
  /** null when it depends on usage or is not priced. */
  monthlyUsd: number | null;
  usageBased: boolean;
  /** Starred in tables: usage-based with no usage. */
  dependsOnUsage: boolean;
  price: { service: string; item: string; region: string; source?: number };
  priceFactor?: number;
  /** Why no price: `no eu-west-1 price for vpc nat_gateway_hour`. */
  notPriced?: string;
  meter?: string;
  note?: string;
}

export type CreditRegime = 'legacy-12-months' | 'always-free' | 'sign-up-credits';

/**
 * A new account can choose AWS's Free plan instead of the Paid plan: no charges, but only some
 * instance types and services, and it ends (the account closes unless upgraded) after 6 months or
 * when the credits are used up. This says whether this design could run there, and for how long.
 */
export interface FreePlanCheck {
  /** False when the design uses something the Free plan does not allow (listed in `problems`). */
  allowed: boolean;
  /** What the design uses that `limits` excludes: `Stack/Web: EC2 t3.medium`, `Stack/Db: RDS Multi-AZ`. */
  problems: string[];
  /** What the Free plan allows of what is checked: `EC2 t3.micro, …; RDS db.t3.micro, …, Single-AZ only`. */
  limits: string;
  /** Months the sign-up credits last at this month-1 cost (capped at the plan's length); null when nothing is charged. */
  creditMonths: number | null;
  /** What the check covers and what happens when the plan ends. */
  text: string;
  source?: number;
}

export interface CreditLine {
  id: string;
  regime: CreditRegime;
  description: string;
  /** Positive amount taken off the bill. */
  usd: number;
  month1: boolean;
  month13: boolean;
  /** The source's words for the offer. */
  text: string;
  /** What the figure means for this report (e.g. how long Free plan credits last). */
  note?: string;
  source?: number;
}

export interface CostTotals {
  /** Known monthly cost at list prices, before any free tier. */
  listMonthlyUsd: number;
  /** First month, with every credit that applies in month 1. */
  month1Usd: number;
  /** Thirteenth month: only always-free offers remain. */
  month13Usd: number;
  /** Usage-based lines with no usage (not in the totals). */
  dependsOnUsage: number;
  /** Lines whose price is missing from the book (not in the totals). */
  notPricedLines: number;
  notPricedResources: number;
  cannotPriceResources: number;
}

export interface SavingsOption {
  stack: string;
  logicalId: string;
  component: string;
  option: 'graviton' | 'reserved-1y' | 'spot' | 'fargate-spot';
  description: string;
  /** The line's monthly cost under this option; null when there is no list price. */
  monthlyUsd: number | null;
  /** monthlyUsd minus the line's current monthly cost (negative saves). */
  differenceUsd: number | null;
  note?: string;
  source?: number;
}

export interface SourceRef {
  /** 1-based number cited by lines. */
  ref: number;
  id: string;
  provenance: string;
  source: string;
  url?: string;
  asOf: string;
  /** Older than 12 months at the report's asOf. */
  stale: boolean;
}
