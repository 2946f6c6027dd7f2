/**
 * cdk-nag packs on any template: each stack's template is included into an in-memory CDK stack
 * with `aws-cdk-lib/cloudformation-include` (parameters with defaults replaced by their default
 * values, so rules see them) and the packs run on the included L1 resources with
 * `validateScope`. Acknowledgements are not applied here: check applies them itself afterwards,
 * so acknowledged findings are reported as suppressed, with their reason, instead of vanishing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
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

interface Included {
  root: Construct;
  /** construct path of an included resource → [stack, logical id] */
  byPath: Map<string, [CheckStack, string]>;
  warnings: string[];
}

const includeCache = new WeakMap<PackContext, Promise<Included>>();

/** Parameters with a usable default, replaced by it (SSM-typed parameters stay tokens). */
function parameterDefaults(stack: CheckStack): Record<string, unknown> {
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

async function includeAll(ctx: PackContext): Promise<Included> {
  const cdk = await import('aws-cdk-lib');
  const { CfnInclude } = await import('aws-cdk-lib/cloudformation-include');
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
  const byPath = new Map<string, [CheckStack, string]>();
  const warnings: string[] = [];
  ctx.stacks.forEach((stack, i) => {
    const scope = new cdk.Stack(app, `Stack${i}`);
    // cloudformation-include reads a file; give it the template as parsed (YAML short tags resolved).
    const file = path.join(ctx.scratchDir, `nag-${i}.template.json`);
    writeFileSync(file, JSON.stringify(stack.template));
    try {
      const inc = new CfnInclude(scope, 'Template', {
        templateFile: file,
        parameters: parameterDefaults(stack),
        preserveLogicalIds: true,
        dehydratedResources: [...stack.genericResources],
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

function included(ctx: PackContext): Promise<Included> {
  let p = includeCache.get(ctx);
  if (!p) {
    p = includeAll(ctx);
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
 * Rules that read the construct tree rather than the template, judged from the template instead.
 * VPCDefaultSecurityGroupClosed looks for the L2 Vpc's `RestrictDefaultSecurityGroupCustomResource`
 * child; in a template that is a Custom::VpcRestrictDefaultSG resource given the VPC's
 * DefaultSecurityGroup.
 */
function satisfiedByTemplate(rule: string, stack: CheckStack, logicalId: string): boolean {
  if (rule.endsWith('-VPCDefaultSecurityGroupClosed')) {
    return Object.values(stack.template.Resources).some(
      (r) =>
        r.Type === 'Custom::VpcRestrictDefaultSG' &&
        JSON.stringify(r.Properties ?? {}).includes(`"Fn::GetAtt":["${logicalId}","DefaultSecurityGroup"]`),
    );
  }
  return false;
}

async function runNag(spec: NagPackSpec, ctx: PackContext): Promise<PackResult> {
  const nag = await import('cdk-nag');
  const inc = await included(ctx);
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

export const NAG_PACKS: Pack[] = NAG_PACK_SPECS.map((spec) => ({
  id: spec.id,
  title: spec.title,
  optIn: spec.optIn,
  limits: NAG_LIMITS,
  run: (ctx: PackContext) => runNag(spec, ctx),
}));
