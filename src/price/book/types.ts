/**
 * The price book: stackplan's own compact, committed copy of the AWS prices it uses, each with
 * where it came from and when. Built by `scripts/import-prices.ts` (from ../shared/pricing-sources
 * and @pydantic/genai-prices) or by `stackplan prices refresh` (from AWS Price List bulk files);
 * read at run time from `pricebook/pricebook.json` only.
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
  /** Free-tier rules and tiered prices that are not a single unit price. */
  rules: Record<string, unknown>;
}
