/**
 * cdk-nag packs on any template: each stack's template is included into an in-memory CDK stack
 * with `aws-cdk-lib/cloudformation-include` (parameters with defaults replaced by their default
 * values, so rules see them) and the packs run on the included L1 resources with
 * `validateScope`. Acknowledgements are not applied here: check applies them itself afterwards,
 * so acknowledged findings are reported as suppressed, with their reason, instead of vanishing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IApplyRule } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { CheckStack } from '../input.js';
import type { RawFinding, RuleInfo, Severity } from '../types.js';
import type { Pack, PackContext, PackResult } from './types.js';

export interface NagPackSpec {
  id: string;
  title: string;
  /** cdk-nag's class name. */
  className: 'AwsSolutionsChecks' | 'NIST80053R5Checks' | 'HIPAASecurityChecks' | 'PCIDSS321Checks';
  optIn: boolean;
  reference: string;
}

export const NAG_PACK_SPECS: readonly NagPackSpec[] = [
  {
    id: 'aws-solutions',
    title: 'cdk-nag AwsSolutions',
    className: 'AwsSolutionsChecks',
    optIn: false,
    reference: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions',
  },
  {
    id: 'nist-800-53-r5',
    title: 'cdk-nag NIST 800-53 rev 5',
    className: 'NIST80053R5Checks',
    optIn: false,
    reference: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#nist-800-53-rev-5',
  },
  {
    id: 'hipaa',
    title: 'cdk-nag HIPAA Security',
    className: 'HIPAASecurityChecks',
    optIn: true,
    reference: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#hipaa-security',
  },
  {
    id: 'pci-dss-321',
    title: 'cdk-nag PCI DSS 3.2.1',
    className: 'PCIDSS321Checks',
    optIn: true,
    reference: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#pci-dss-321',
  },
];

export const NAG_LIMITS = [
  'cdk-nag runs on the template through cloudformation-include: values known only at deploy time (parameters without defaults, SSM parameter types, Fn::ImportValue, {{resolve:…}} references) reach its rules as tokens, and a rule that cannot decide reports "Rule threw an error" (fail closed).',
  'Resources under a Condition are checked as if created; Transform macros (SAM AWS::Serverless::*) are not expanded, so serverless resources are not checked; nested stacks are checked only when their templates are passed; custom resources are opaque.',
  "A plain template carries no CDK acknowledgements: suppress findings with the check ignore file or Metadata.cdk_nag.rules_to_suppress (a cloud assembly's acknowledgements are read from its metadata).",
];

/** What the cdk-nag packs need of a stack: plain data, so a worker thread can receive it. */
export type NagStack = Pick<CheckStack, 'name' | 'file' | 'template' | 'genericResources'>;

export interface NagContext {
  stacks: NagStack[];
  scratchDir: string;
  packIds?: string[];
  /** Run each rule only on the types it names (see typesOfRule). @default true */
  nagPrefilter?: boolean;
}

interface Included {
  root: Construct;
  /** construct path of an included resource → [stack, logical id] */
  byPath: Map<string, [NagStack, string]>;
  warnings: string[];
}

const includeCache = new WeakMap<NagContext, Promise<Included>>();

/** Parameters with a usable default, replaced by it (SSM-typed parameters stay tokens). */
function parameterDefaults(stack: NagStack): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(stack.template.Parameters ?? {})) {
    if (p?.Default === undefined) continue;
    if (String(p.Type ?? 'String').startsWith('AWS::SSM::')) continue;
    out[name] = p.Default;
  }
  return out;
}

const requireHere = createRequire(import.meta.url);
let jsonReaderPatched = false;

/**
 * cloudformation-include reads every template with its YAML parser, JSON included, which is the
 * slowest step of checking a large template. The templates check writes are JSON, so its file
 * reader is pointed at JSON.parse for .json files. A private module of aws-cdk-lib: when it
 * changes shape the patch is skipped and the YAML reader (slower, same result) is used.
 */
function readJsonTemplatesAsJson(): void {
  if (jsonReaderPatched) return;
  jsonReaderPatched = true;
  try {
    const root = path.dirname(requireHere.resolve('aws-cdk-lib/package.json'));
    const fu = requireHere(path.join(root, 'cloudformation-include', 'lib', 'file-utils.js')) as {
      readYamlSync?: (f: string) => unknown;
    };
    const yaml = fu.readYamlSync;
    if (typeof yaml !== 'function') return;
    // JSON is YAML: for a .json file JSON.parse gives the same value, much faster.
    fu.readYamlSync = (f: string) => {
      if (f.endsWith('.json')) {
        try {
          return JSON.parse(readFileSync(f, 'utf8'));
        } catch {
          // not strict JSON: let the YAML reader decide
        }
      }
      return yaml(f);
    };
  } catch {
    // keep aws-cdk-lib's reader
  }
}

async function includeAll(ctx: NagContext, tag: string): Promise<Included> {
  // require, not import(): importing aws-cdk-lib from ESM builds its namespace object, which reads
  // every lazily loaded module of the library (about half a second); require loads only what is used.
  const cdk = requireHere('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const { CfnInclude } = requireHere(
    'aws-cdk-lib/cloudformation-include',
  ) as typeof import('aws-cdk-lib/cloudformation-include');
  readJsonTemplatesAsJson();
  // No construct stack traces: they cost a tenth of the time on a large template and nobody reads them.
  const app = new cdk.App({
    outdir: path.join(ctx.scratchDir, 'nag.out'),
    analyticsReporting: false,
    stackTraces: false,
    context: {
      [cdk.cx_api.DISABLE_METADATA_STACK_TRACE]: true,
      'aws:cdk:disable-creation-stack-traces': true,
    },
  });
  const byPath = new Map<string, [NagStack, string]>();
  const warnings: string[] = [];
  const untouched = untouchedTypes(ctx);
  ctx.stacks.forEach((stack, i) => {
    const scope = new cdk.Stack(app, `Stack${i}`);
    // cloudformation-include reads a file; give it the template as parsed (YAML short tags resolved).
    const file = path.join(ctx.scratchDir, `nag-${tag}-${i}.template.json`);
    writeFileSync(file, JSON.stringify(stack.template));
    try {
      const inc = new CfnInclude(scope, 'Template', {
        templateFile: file,
        parameters: parameterDefaults(stack),
        preserveLogicalIds: true,
        dehydratedResources: Object.entries(stack.template.Resources)
          .filter(([id, r]) => stack.genericResources.has(id) || untouched(r.Type))
          .map(([id]) => id),
      });
      for (const id of Object.keys(stack.template.Resources)) {
        try {
          byPath.set(inc.getResource(id).node.path, [stack, id]);
        } catch {
          // resources cloudformation-include could not model stay unchecked
        }
      }
    } catch (e) {
      warnings.push(
        `cdk-nag could not read ${stack.name} (${path.basename(stack.file)}): ${(e as Error).message.split('\n')[0]}`,
      );
    }
  });
  return { root: app, byPath, warnings };
}

function included(ctx: NagContext, tag: string): Promise<Included> {
  let p = includeCache.get(ctx);
  if (!p) {
    p = includeAll(ctx, tag);
    includeCache.set(ctx, p);
  }
  return p;
}

/** Splits `AwsSolutions-IAM5[Resource::*]` into the rule and the finding part. */
export function splitNagId(id: string): { rule: string; detail?: string } {
  const i = id.indexOf('[');
  return i > 0 && id.endsWith(']') ? { rule: id.slice(0, i), detail: id.slice(i + 1, -1) } : { rule: id };
}

/**
 * Which CloudFormation types a cdk-nag rule can apply to, read from the rule's own code: every
 * rule starts `if (node instanceof aws_x_1.CfnY)` (or compares cfnResourceType with a literal).
 * Calling a rule on another type returns NOT_APPLICABLE — after loading the L1 module of every
 * class it names, which on a large template costs more than the rules themselves. So a rule is
 * only called on resources of the types it names; a rule whose types cannot all be read this way
 * (a class outside the type map, a generic CfnResource check) is always called. A test runs the
 * packs with and without this filter over the corpora and requires identical findings.
 */
let classToType: Map<string, string> | undefined;

function cfnTypeOfClass(): Map<string, string> {
  if (!classToType) {
    classToType = new Map();
    const root = path.dirname(requireHere.resolve('aws-cdk-lib/package.json'));
    const map = JSON.parse(
      readFileSync(path.join(root, 'cloudformation-include', 'cfn-types-2-classes.json'), 'utf8'),
    ) as Record<string, string>;
    for (const [type, fqn] of Object.entries(map)) {
      // "aws-cdk-lib/aws-ec2.CfnInstance" → "aws_ec2.CfnInstance", as compiled code names it
      const m = /^aws-cdk-lib\/([^.]+)\.(Cfn\w+)$/.exec(fqn);
      if (m) classToType.set(`${m[1]!.replace(/-/g, '_')}.${m[2]}`, type);
    }
  }
  return classToType;
}

/** A class the type map does not list (an alias such as aws_eks.CfnCluster): ask the class itself. */
function typeOfClass(module: string, cls: string): string | undefined {
  try {
    const mod = requireHere(`aws-cdk-lib/${module.replace(/_/g, '-')}`) as Record<
      string,
      { CFN_RESOURCE_TYPE_NAME?: unknown }
    >;
    const t = mod[cls]?.CFN_RESOURCE_TYPE_NAME;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

const ruleTypes = new WeakMap<object, Set<string> | null>();

/** The types a rule names, or null when it must run on every resource. */
export function typesOfRule(rule: object): Set<string> | null {
  if (ruleTypes.has(rule)) return ruleTypes.get(rule)!;
  let out: Set<string> | null = new Set();
  const src = Function.prototype.toString.call(rule);
  if (/\baws_cdk_lib_1\.Cfn/.test(src)) out = null;
  else {
    const map = cfnTypeOfClass();
    for (const m of src.matchAll(/\b(aws_[a-z0-9_]+?)_1\.(Cfn[A-Za-z0-9]+)\b/g)) {
      const t = map.get(`${m[1]}.${m[2]}`) ?? typeOfClass(m[1]!, m[2]!);
      if (!t) {
        out = null;
        break;
      }
      out.add(t);
    }
    if (out) for (const m of src.matchAll(/['"]((?:AWS|Custom)::[A-Za-z0-9:-]+)['"]/g)) out.add(m[1]!);
    if (out && out.size === 0) out = null;
  }
  ruleTypes.set(rule, out);
  return out;
}

const packTypes = new Map<string, Set<string> | null>();

/**
 * Every type any rule of a pack names (null: some rule must see every resource), learned by
 * letting the pack apply its rules to one throwaway resource without running them.
 */
function typesOfPack(spec: NagPackSpec): Set<string> | null {
  if (packTypes.has(spec.className)) return packTypes.get(spec.className)!;
  const cdk = requireHere('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const nag = requireHere('cdk-nag') as typeof import('cdk-nag');
  const Base = nag[spec.className] as typeof nag.AwsSolutionsChecks;
  const rules: object[] = [];
  class Collecting extends Base {
    protected override applyRule(params: IApplyRule): void {
      rules.push(params.rule);
    }
  }
  const app = new cdk.App({ stackTraces: false });
  new cdk.CfnResource(new cdk.Stack(app, 'Probe'), 'Probe', {
    type: 'AWS::CloudFormation::WaitConditionHandle',
  });
  new Collecting().validateScope(app);
  let out: Set<string> | null = new Set();
  for (const r of rules) {
    const t = typesOfRule(r);
    if (!t) {
      out = null;
      break;
    }
    for (const x of t) out.add(x);
  }
  packTypes.set(spec.className, out);
  return out;
}

/**
 * Resources no rule of the selected packs can apply to (no rule names their type) are included as
 * generic CfnResource ("dehydrated"): cloudformation-include then skips parsing their properties
 * into an L1 class and loading its module. With the filter off, nothing is dehydrated.
 */
function untouchedTypes(ctx: NagContext): (type: string) => boolean {
  if (ctx.nagPrefilter === false) return () => false;
  const specs = NAG_PACK_SPECS.filter((s) => (ctx.packIds ?? NAG_PACK_SPECS.map((x) => x.id)).includes(s.id));
  const union = new Set<string>();
  for (const spec of specs) {
    const t = typesOfPack(spec);
    if (!t) return () => false;
    for (const x of t) union.add(x);
  }
  return (type) => !union.has(type);
}

/**
 * Rules that read the construct tree rather than the template, judged from the template instead.
 * VPCDefaultSecurityGroupClosed looks for the L2 Vpc's `RestrictDefaultSecurityGroupCustomResource`
 * child; in a template that is a Custom::VpcRestrictDefaultSG resource given the VPC's
 * DefaultSecurityGroup.
 */
function satisfiedByTemplate(rule: string, stack: NagStack, logicalId: string): boolean {
  if (rule.endsWith('-VPCDefaultSecurityGroupClosed')) {
    return Object.values(stack.template.Resources).some(
      (r) =>
        r.Type === 'Custom::VpcRestrictDefaultSG' &&
        JSON.stringify(r.Properties ?? {}).includes(`"Fn::GetAtt":["${logicalId}","DefaultSecurityGroup"]`),
    );
  }
  return false;
}

/** One cdk-nag pack on the stacks, in this thread. */
export async function runNagPack(specId: string, ctx: NagContext): Promise<PackResult> {
  const found = NAG_PACK_SPECS.find((s) => s.id === specId);
  if (!found) throw new Error(`no cdk-nag pack ${specId}`);
  const spec: NagPackSpec = found;
  const nag = requireHere('cdk-nag') as typeof import('cdk-nag');
  const inc = await included(ctx, spec.id);
  const meta = new Map<string, RuleInfo>();
  const Base = nag[spec.className] as typeof nag.AwsSolutionsChecks;
  // Subclass the pack to record each rule's text and level as it is applied.
  class Recording extends Base {
    protected override applyRule(params: IApplyRule): void {
      const suffix = params.ruleSuffixOverride ?? params.rule.name;
      const id = `${(this as unknown as { packName: string }).packName}-${suffix}`;
      if (!meta.has(id)) {
        const severity: Severity = params.level === nag.NagMessageLevel.ERROR ? 'error' : 'warning';
        meta.set(id, {
          id,
          pack: spec.id,
          title: params.info,
          severity,
          category: 'compliance',
          what: params.info,
          why: params.explanation,
          fix: `See the rule in cdk-nag's documentation (${spec.reference}); fix the resource, or acknowledge the finding with a reason.`,
          references: [spec.reference],
          ...(severity === 'error' ? { securitySeverity: 5.0 } : { securitySeverity: 3.0 }),
        });
      }
      if (ctx.nagPrefilter !== false) {
        const types = typesOfRule(params.rule);
        if (types && !types.has(params.node.cfnResourceType)) return;
      }
      super.applyRule(params);
    }
  }
  const pack = new Recording();
  const report = pack.validateScope(inc.root);
  const findings: RawFinding[] = [];
  for (const v of report.violations) {
    const { rule, detail } = splitNagId(v.ruleName);
    const threw = v.description.startsWith('Rule threw an error');
    for (const res of v.violatingResources) {
      const hit = res.constructPath ? inc.byPath.get(res.constructPath) : undefined;
      if (!hit || satisfiedByTemplate(rule, hit[0], hit[1])) continue;
      const f: RawFinding = {
        ruleId: rule,
        severity: v.severity === 'error' ? 'error' : 'warning',
        message: threw
          ? `${meta.get(rule)?.title ?? rule} — cannot decide: the rule threw on a value known only at deploy time (a parameter or an attribute)`
          : `${v.description}${detail ? ` [${detail}]` : ''}`,
        stack: hit[0].name,
        logicalId: hit[1],
        path: ['Properties'],
      };
      if (detail) f.detail = detail;
      findings.push(f);
    }
  }
  return { findings, rules: [...meta.values()], rulesEvaluated: meta.size, warnings: inc.warnings };
}

/**
 * A pack in a worker thread. When a run has several cdk-nag packs they run at the same time, one
 * thread each (on a 2-core machine the two default packs take the time of the slower one, not
 * the sum); each thread includes the templates itself.
 */
function runInWorker(specId: string, ctx: NagContext): Promise<PackResult> {
  const js = new URL('./nag-worker.js', import.meta.url);
  const entry = existsSync(fileURLToPath(js)) ? js : new URL('./nag-worker.ts', import.meta.url);
  const data: NagContext & { specId: string } = {
    specId,
    scratchDir: ctx.scratchDir,
    stacks: ctx.stacks.map((s) => ({
      name: s.name,
      file: s.file,
      template: s.template,
      genericResources: s.genericResources,
    })),
    ...(ctx.packIds && { packIds: ctx.packIds }),
    ...(ctx.nagPrefilter !== undefined && { nagPrefilter: ctx.nagPrefilter }),
  };
  return new Promise((resolve, reject) => {
    // Under the test runner the sources are TypeScript: register tsx in the worker first.
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, workerData: data },
        )
      : new Worker(entry, { workerData: data });
    let done = false;
    worker.once('message', (m: { result?: PackResult; error?: string }) => {
      done = true;
      if (m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'cdk-nag worker failed'));
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`cdk-nag worker exited with ${code}`));
    });
  });
}

/** Below this many resources the rules cost less than loading aws-cdk-lib a second time. */
export const WORKER_THRESHOLD = 150;

/**
 * Whether this run's cdk-nag packs go to worker threads: when there is more than one of them,
 * more than one core, and a template large enough for the parallel rules to pay for each
 * thread loading aws-cdk-lib and including the templates again.
 */
function parallel(ctx: PackContext): boolean {
  if (ctx.nagWorkers !== undefined) return ctx.nagWorkers;
  const nagIds = new Set(NAG_PACK_SPECS.map((s) => s.id));
  const resources = ctx.stacks.reduce((n, s) => n + Object.keys(s.template.Resources).length, 0);
  return (
    (ctx.packIds ?? []).filter((id) => nagIds.has(id)).length > 1 &&
    availableParallelism() > 1 &&
    resources >= WORKER_THRESHOLD
  );
}

export const NAG_PACKS: Pack[] = NAG_PACK_SPECS.map((spec) => ({
  id: spec.id,
  title: spec.title,
  optIn: spec.optIn,
  limits: NAG_LIMITS,
  run: (ctx: PackContext) => (parallel(ctx) ? runInWorker(spec.id, ctx) : runNagPack(spec.id, ctx)),
}));
