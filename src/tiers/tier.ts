/**
 * What a tier is: one object per tier, exported by `src/tiers/<tier>/index.ts` and listed in the
 * registry (`registry.ts`). `plan`, `synth`, the report and the CLI only ever go through this
 * interface, so adding a tier is one folder and one registry line.
 *
 * A tier object must be cheap to import: `stackplan validate` and `stackplan cost` load the
 * registry and must never load aws-cdk-lib. Everything that needs the CDK (stacks, constructs) is
 * imported inside `synth()`; only types come from aws-cdk-lib here.
 */
import type { App, Stack } from 'aws-cdk-lib';
import type { Manifest } from '../manifest/normalize.js';
import type { Finding, Rule } from '../manifest/rules.js';
import type { TierName } from '../manifest/schema.js';
import type { PlanCatalog } from '../model/catalog.js';
import type { TierDesign, TierDesignContext } from '../model/design.js';
import type { Plan, TierCapabilities, TierPlanBase } from '../model/plan.js';
import type { Usage } from '../price/usage.js';

/** What a tier cannot honour in a manifest. */
export interface TierGap {
  /** The line `plan` prints among the tier's unmet requirements ("search: …"). */
  reason: string;
  /**
   * What `validate` reports when the manifest forces this tier (`tier: <name>`): errors stop the
   * plan; warnings let the tier be built without what it cannot honour, and say so.
   */
  whenForced: Finding[];
}

/**
 * How a tier treats one optional manifest field. At least one of the three is given; a field the
 * tier neither honours nor refuses is a silent bug (the field × tier test fails on it).
 */
export interface FieldSupport {
  /** How the tier honours the field, in one sentence. */
  honours?: string;
  /**
   * Why the field does not apply to this tier at all. Only for fields whose own schema description
   * scopes them to other tiers (e.g. "ecs, eks: …"), so users read it in their editor.
   */
  unused?: string;
  /** The values the tier cannot honour: the gap that makes it ineligible, or undefined. */
  refuses?: (m: Manifest) => TierGap | undefined;
}

/**
 * Every optional field of the manifest schema, by path: `egress`, `services.*.image`,
 * `integrations.bedrock.models.*.inputTokensPerMonth` (`*` for a map key or a list item).
 */
export type FieldTable = Readonly<Record<string, FieldSupport>>;

export type TierPlanResult<P> = { ok: true; plan: P } | { ok: false; reason: string };

/** What planning may depend on besides the manifest and the price book. */
export interface TierPlanContext {
  /**
   * The date the plan is for (YYYY-MM-DD), for choices that follow a dated calendar (a version in
   * standard support). Planning never reads the clock; without it, such a tier uses the price
   * book's own date.
   */
  asOf?: string;
}

/** A file `plan` writes beside the cloud assembly (host files, a CI workflow, manifests …). */
export interface TierFile {
  /** Relative to the tier's output directory, with forward slashes (`host/etc/nginx/nginx.conf`). */
  path: string;
  content: string;
}

export interface TierFilesContext {
  /** Absolute directory `plan` writes this tier to (DIR/<tier>); the cloud assembly is its `cdk.out`. */
  tierDir: string;
}

export interface TierSynthContext {
  /** Name of the tier's main stack. */
  stackName: string;
  /** CloudFormation description of the main stack. */
  description: string;
}

export interface TierStacks {
  /** The stack `plan` reports, checks and prices (its template.json). */
  main: Stack;
  /** Every stack of the tier, the main one included. */
  all: Stack[];
  /**
   * Usage per resource that only the synthesized stacks can key (an app bucket's expected storage
   * from the manifest, by its logical id); a usage file still wins over it.
   */
  usage?: Usage;
}

/** The usage a tier is priced with, and how the report labels it. */
export interface TierUsage {
  usage: Usage;
  label: string;
}

export interface Tier<P extends TierPlanBase = TierPlanBase> {
  /** As the manifest's `tier:` and `plan --tier` spell it. */
  readonly name: TierName;
  /** Availability levels, best RPO and its mechanism, the traffic it is designed for. */
  readonly capabilities: TierCapabilities;
  /** Every optional manifest field: how this tier honours it, or when it refuses it. */
  readonly fields: FieldTable;
  /**
   * Cross-field checks of the manifest only this tier makes (an ECR endpoint needs images built by
   * CI …): `validate` runs them unless the manifest forces another tier.
   */
  readonly rules?: readonly Rule[];
  /** The tier's pure plan, or why the app does not fit. No I/O, clock or randomness. */
  plan(m: Manifest, catalog: PlanCatalog, ctx: TierPlanContext): TierPlanResult<P>;
  /** Adds the tier's stacks to `app`. Imports the CDK code lazily. */
  synth(app: App, plan: Plan, ctx: TierSynthContext): Promise<TierStacks>;
  /** Files `plan` writes beside the cloud assembly, rendered from the plan (renderers load lazily). */
  files(plan: Plan, ctx: TierFilesContext): Promise<TierFile[]>;
  /** The usage the tier's template is priced with, from the manifest's (`base`). */
  usage(plan: Plan, base: TierUsage): TierUsage;
  /** The tier's section of `plan`'s output: sizes and why, cheaper options, decisions. */
  summary(plan: Plan): string[];
  /** The command that deploys what `plan` wrote, given the cloud assembly's path. */
  deployCommand(plan: Plan, assemblyDir: string): string;
  /**
   * What the design document says about the tier beyond its template and costs: containers drawn
   * inside resources, security controls, backups and restore, failure modes, runbooks, and how data
   * moves in and out (the upgrade path). Optional: without it the document describes the tier from
   * its capabilities, template (outputs, alarms, retained resources) and deploy command, and says
   * what it cannot tell.
   */
  design?(plan: Plan, ctx: TierDesignContext): TierDesign;
}
