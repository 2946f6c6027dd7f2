/**
 * The price book: stackplan's own compact, committed copy of the AWS prices it uses, each with
 * where it came from and when. Built by `scripts/import-prices.ts` (from the raw sources given
 * with --sources, scripts/price-data and @pydantic/genai-prices) or by `stackplan prices refresh`
 * (from AWS Price List bulk files); read at run time from `pricebook/pricebook.json` only.
 */

export type Provenance = 'aws-pricelist' | 'third-party-snapshot' | 'transcribed';

export interface PriceSource {
  /** Short stable id referenced by price records, e.g. `karpenter-ec2-2026-07-20`. */
  id: string;
  provenance: Provenance;
  /** Human description of the source: repository and file, or page. */
  source: string;
  /** Page or file URL where a reader can check the figure. */
  url?: string;
  /** Date of the data: YYYY-MM-DD or YYYY-MM. */
  asOf: string;
  licence?: string;
}

/**
 * One price. Items are namespaced per service; the conventions every module relies on:
 * - ec2 `instance:<type>` (Linux, shared tenancy, on-demand), unit `hours`
 * - ec2 `spot-avg:<type>`, unit `hours`
 * - ec2 `reserved-1y:<type>` (1-year, no upfront, effective hourly) where a source has it
 * - rds `instance:<class>:<engine>:<single-az|multi-az>`, unit `hours`
 * - elasticache `node:<type>:<engine>` (engine redis | valkey | memcached), unit `hours`
 * - opensearch `instance:<type>`, unit `hours`
 * - managed services from the transcribed table: `<group>` / `<key>`, e.g. elb / `alb_hour`
 * - bedrock `input:<model-id>` and `output:<model-id>`, unit `1M tokens`
 *
 * Added conventions (issue 3):
 * - rds `<engine>` is CloudFormation's `Engine` value: postgres | mysql | mariadb |
 *   aurora-postgresql | aurora-mysql (Oracle and SQL Server are not in the book: their sources
 *   do not say which edition and licence model a price is for).
 * - elasticache `reserved-1y:<type>:<engine>` and opensearch `reserved-1y:<type>`: 1-year,
 *   standard, no upfront, effective hourly, as their sources give it.
 * - data_transfer `out_to_internet:<n>` (n = 1, 2, … in tier order), unit `GB`; the tier bounds
 *   are in `rules.dataTransferOut`.
 * - groups from the maintainers' supplement (scripts/price-data/supplement-us-east-1.yaml) use
 *   the same `<group>` / `<key>` shape: lambda, sns, elasticache_serverless.
 * - bedrock model ids are the ids a Bedrock call uses; the package's `regional.` prefix is
 *   dropped (regional = in-region price), `global.` (cross-region global inference) is kept.
 * - a record whose figure was chosen between disagreeing sources says so in `note`.
 */
export interface PriceRecord {
  region: string;
  service: string;
  item: string;
  unit: string;
  usd: number;
  /** Id of a PriceSource. */
  src: string;
  note?: string;
}

/** A price with its source expanded, as reports print it. */
export interface Price extends Omit<PriceRecord, 'src'> {
  provenance: Provenance;
  source: string;
  url?: string;
  asOf: string;
}

export interface InstanceSpec {
  /** e.g. t3.micro, db.t4g.micro, cache.t4g.micro, t3.small.search */
  type: string;
  vcpu: number;
  memoryGiB: number;
  arch: 'x86_64' | 'arm64';
  /** Burstable types: the baseline share of each vCPU that can be used without spending credits (0.1 = 10%). */
  baselinePerVcpu?: number;
  src: string;
  /** How the spec was obtained when not read directly from `src` (e.g. derived from EC2). */
  note?: string;
}

export interface PriceBookData {
  schemaVersion: 1;
  sources: PriceSource[];
  prices: PriceRecord[];
  specs: {
    ec2: InstanceSpec[];
    rds: InstanceSpec[];
    elasticache: InstanceSpec[];
    opensearch: InstanceSpec[];
  };
  /**
   * Free-tier rules and tiered prices that are not a single unit price. Known keys (typed below):
   * `dataTransferOut` (DataTransferRule), `freeTier` (FreeTierRules), `eksStandardSupportEnds`
   * (EksSupportRule), `fargateSpot` (TextRule), `amiRootVolumes` (AmiRootVolumesRule),
   * `supportCalendars` (Record<string, SupportCalendarRule>: `rds_postgres`, `rds_mysql`,
   * `elasticache_redis`, `opensearch`).
   */
  rules: Record<string, unknown>;
}

/** Data transfer out to the internet: tiers in order, each priced by a data_transfer item. */
export interface DataTransferRule {
  /** `upToGbMonth` is the tier's upper bound in GB a month (null: no bound). */
  tiers: Array<{ upToGbMonth: number | null; item: string }>;
  /** Always free every month, aggregated across services and regions. */
  alwaysFreeGb: number;
  src: string;
  note?: string;
}

export type FreeTierRegime = 'legacy-12-months' | 'always-free';

/**
 * One free-tier allowance: `quantity` units a month of whatever is metered by one of `meters`
 * (meter names are the cost engine's, see src/price/types.ts), pooled across every resource.
 */
export interface FreeTierAllowance {
  id: string;
  regime: FreeTierRegime;
  description: string;
  meters: string[];
  quantity: number;
  /** A meter listed here counts only where the region has no price for the given item. */
  onlyWhereUnpriced?: Record<string, { service: string; item: string }>;
  /** The source's own words. */
  text: string;
  src: string;
}

export interface FreeTierRules {
  /** Accounts created before this date have the legacy 12-month offers; later ones an account plan. */
  legacyCutoff: string;
  /** What accounts created from `legacyCutoff` on get: sign-up credits, on the Paid or the Free plan. */
  accountPlans: AccountPlansRule;
  allowances: FreeTierAllowance[];
  src: string;
}

/** AWS's account plans for new accounts (scripts/price-data/free-tier-plans.yaml). */
export interface AccountPlansRule {
  /** Credits every new account gets at sign-up, on either plan. */
  signupCreditsUsd: number;
  /** Up to this much more for onboarding activities AWS chooses (never assumed). */
  activityCreditsUsd: number;
  /** Credits expire this many months after the account is created. */
  creditsValidMonths: number;
  creditsText: string;
  paidPlanText: string;
  freePlan: {
    /** The Free plan ends after this many months or when the credits are used up, whichever first. */
    months: number;
    text: string;
    /** EC2 instance types a Free plan account may launch. */
    ec2InstanceTypes: string[];
    /** RDS classes a Free plan account may create. */
    rdsInstanceClasses: string[];
    rdsMultiAz: boolean;
  };
  src: string;
}

/** Kubernetes version → last day of EKS standard support (YYYY-MM-DD). */
export interface EksSupportRule {
  ends: Record<string, string>;
  src: string;
}

/** The root volume of an AMI named by an SSM public parameter path (longest prefix first). */
export interface AmiRootVolume {
  /** What the AMI is, for notes: `the ECS-optimized Amazon Linux 2023 AMI`. */
  ami: string;
  sizeGb: number;
  volumeType: string;
  src: string;
}

export interface AmiRootVolumesRule {
  entries: Array<AmiRootVolume & { prefix: string }>;
  /** For AMIs the template does not name by a known parameter: an assumption, labelled as such. */
  default: AmiRootVolume;
}

/** Engine version → last day of standard support (YYYY-MM-DD), for one engine. */
export interface SupportCalendarRule {
  ends: Record<string, string>;
  src: string;
}

export interface TextRule {
  text: string;
  src: string;
}

/**
 * The on-disk encoding of PriceBookData in pricebook/pricebook.json, chosen so `stackplan cost`
 * loads it in a few milliseconds: prices are pre-indexed by service → region → item (a JSON
 * object is already a hash table, so nothing is re-indexed at load) and each price is a tuple
 * `[usd, unit index, source index, note?]` into `units` and `sources`. One price per line, so a
 * changed price is a one-line diff. src/price/book/serialize.ts converts both ways; read it only
 * through the loader (src/price/book/index.ts).
 */
export interface PriceBookFile {
  schemaVersion: 1;
  encoding: 'indexed-1';
  sources: PriceSource[];
  units: string[];
  rules: Record<string, unknown>;
  specs: PriceBookData['specs'];
  prices: Record<string, Record<string, Record<string, PriceTuple>>>;
}

/** `[usd, index into units, index into sources, note?]`. */
export type PriceTuple = [number, number, number] | [number, number, number, string];
