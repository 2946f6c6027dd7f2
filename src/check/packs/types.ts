/** The contract between `stackplan check` and a pack of rules. */
import type { PriceBook } from '../../price/book/index.js';
import type { CheckStack } from '../input.js';
import type { RawFinding, RuleInfo } from '../types.js';

export interface PackContext {
  stacks: CheckStack[];
  /** YYYY-MM-DD */
  asOf: string;
  book: PriceBook;
  /** A directory the pack may write scratch files to (removed after the run). */
  scratchDir: string;
  /** Every pack of this run (packs that share work, like the cdk-nag packs, prepare for all). */
  packIds?: string[];
  /** cdk-nag: run each rule only on the types it names. @default true (tests compare both ways) */
  nagPrefilter?: boolean;
  /** cdk-nag: run the packs in worker threads. @default when it pays (see nag.ts) */
  nagWorkers?: boolean;
}

export interface PackResult {
  findings: RawFinding[];
  /** Metadata of every rule a finding names (more is fine). */
  rules: RuleInfo[];
  /** How many rules the pack evaluated, when it can say. */
  rulesEvaluated?: number;
  /** Problems that kept the pack from checking part of the input. */
  warnings: string[];
}

export interface Pack {
  /** The --pack name. */
  id: string;
  title: string;
  /** Run only when asked for with --pack. */
  optIn: boolean;
  /** What this pack cannot see, printed with every report that used it. */
  limits: string[];
  run(ctx: PackContext): Promise<PackResult>;
}
