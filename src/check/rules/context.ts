/**
 * What one of stackplan's own rules sees: one stack's template, an evaluator for its intrinsic
 * functions (the cost engine's TemplateIndex: parameter defaults, conditions, mappings, Fn::Sub …),
 * the price book, the date of checking, and `report`. A rule is a pure function of this context.
 */
import type { PriceBook } from '../../price/book/index.js';
import type { CfnResource } from '../../price/template.js';
import { isResourceToken, NotResolvable, TemplateIndex } from '../../price/template.js';
import type { CheckStack } from '../input.js';
import type { RawFinding, RuleInfo } from '../types.js';

export interface Rule {
  info: RuleInfo;
  check(ctx: RuleContext): void;
}

export type Reported = Omit<RawFinding, 'ruleId' | 'stack'>;

/** A value that cannot be known from the template alone, shown as `{?}` in flattened text. */
export const UNKNOWN = '{?}';

export class RuleContext {
  readonly index: TemplateIndex;
  readonly region: string;
  readonly findings: RawFinding[] = [];
  private current = '';

  constructor(
    readonly stack: CheckStack,
    readonly book: PriceBook,
    /** YYYY-MM-DD */
    readonly asOf: string,
  ) {
    this.region = stack.region ?? 'us-east-1';
    this.index = new TemplateIndex(stack.template, { region: this.region, stackName: stack.name });
  }

  /** Runs one rule, collecting what it reports under its id. */
  run(rule: Rule): void {
    this.current = rule.info.id;
    rule.check(this);
  }

  report(f: Reported): void {
    this.findings.push({ ...f, ruleId: this.current, stack: this.stack.name });
  }

  /** Resources of any of `types`, in template order. */
  resources(...types: string[]): Array<[string, CfnResource]> {
    if (types.length === 1) return this.index.ofType(types[0]!);
    return Object.entries(this.stack.template.Resources).filter(([, r]) => types.includes(r.Type));
  }

  props(r: CfnResource): Record<string, unknown> {
    const p = r.Properties;
    return typeof p === 'object' && p !== null && !Array.isArray(p) ? p : {};
  }

  /**
   * The value of `v` with every intrinsic function evaluated, or `{ unknown: why }` when the
   * template alone cannot tell (a parameter without default, an attribute of a resource …).
   */
  value(v: unknown): { value: unknown } | { unknown: string } {
    try {
      const r = this.index.resolveDeep(v, 'value');
      if (isResourceToken(r)) {
        return { unknown: r.attribute ? `Fn::GetAtt ${r.resource}.${r.attribute}` : `Ref ${r.resource}` };
      }
      return { value: r };
    } catch (e) {
      if (e instanceof NotResolvable) return { unknown: e.why };
      throw e;
    }
  }

  /** The value when known, else undefined. */
  known(v: unknown): unknown {
    const r = this.value(v);
    return 'value' in r ? r.value : undefined;
  }

  /** A known string (numbers stringified), else undefined. */
  str(v: unknown): string | undefined {
    const r = this.known(v);
    return typeof r === 'string'
      ? r
      : typeof r === 'number' || typeof r === 'boolean'
        ? String(r)
        : undefined;
  }

  num(v: unknown): number | undefined {
    const r = this.known(v);
    const n = typeof r === 'number' ? r : typeof r === 'string' && r.trim() !== '' ? Number(r) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  }

  bool(v: unknown): boolean | undefined {
    const r = this.known(v);
    if (typeof r === 'boolean') return r;
    if (r === 'true' || r === 'false') return r === 'true';
    return undefined;
  }

  /**
   * A value flattened to text, every part that only AWS knows as `{?}`: for reading URLs,
   * images and manifests built with Fn::Join / Fn::Sub around resource attributes.
   */
  text(v: unknown): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return UNKNOWN;
    const keys = Object.keys(v);
    if (keys.length !== 1) return UNKNOWN;
    const k = keys[0]!;
    const arg = (v as Record<string, unknown>)[k];
    if (k === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
      return (arg[1] as unknown[]).map((x) => this.text(x)).join(typeof arg[0] === 'string' ? arg[0] : '');
    }
    if (k === 'Fn::Sub') {
      const [tpl, vars] = Array.isArray(arg)
        ? [arg[0], (arg[1] ?? {}) as Record<string, unknown>]
        : [arg, {}];
      if (typeof tpl !== 'string') return UNKNOWN;
      return tpl.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        if (name.startsWith('!')) return `\${${name.slice(1)}}`;
        if (name in vars) return this.text(vars[name]);
        if (name.includes('.')) return UNKNOWN;
        return this.str({ Ref: name }) ?? UNKNOWN;
      });
    }
    if (k === 'Fn::Base64') return this.text(arg);
    return this.str(v) ?? UNKNOWN;
  }

  /** The logical id a Ref / Fn::GetAtt names, when `v` is one (or resolves to one). */
  refTarget(v: unknown): string | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string' && this.stack.template.Resources[o.Ref]) return o.Ref;
      const g = o['Fn::GetAtt'];
      const id = Array.isArray(g) ? g[0] : typeof g === 'string' ? g.split('.')[0] : undefined;
      if (typeof id === 'string' && this.stack.template.Resources[id]) return id;
    }
    return undefined;
  }
}

/** Every logical id referenced (Ref, Fn::GetAtt, Fn::Sub ${X}) anywhere inside `v`. */
export function referencedIds(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) referencedIds(x, out);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && typeof x === 'string') out.add(x);
      else if (k === 'Fn::GetAtt') {
        const id = Array.isArray(x) ? x[0] : typeof x === 'string' ? x.split('.')[0] : undefined;
        if (typeof id === 'string') out.add(id);
      } else if (k === 'Fn::Sub') {
        const tpl = Array.isArray(x) ? x[0] : x;
        if (typeof tpl === 'string') {
          for (const m of tpl.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) out.add(m[1]!);
        }
        referencedIds(x, out);
      } else referencedIds(x, out);
    }
  }
  return out;
}

/** Tags of a resource (CloudFormation's [{Key, Value}] list, or a map as some types use). */
export function tagsOf(ctx: RuleContext, r: CfnResource): Record<string, string> {
  const out: Record<string, string> = { ...ctx.stack.tags };
  const t = ctx.props(r).Tags;
  if (Array.isArray(t)) {
    for (const x of t as Array<{ Key?: unknown; Value?: unknown }>) {
      const k = ctx.str(x?.Key);
      const val = ctx.str(x?.Value);
      if (k !== undefined && val !== undefined) out[k] = val;
    }
  } else if (typeof t === 'object' && t !== null) {
    for (const [k, x] of Object.entries(t)) {
      const val = ctx.str(x);
      if (val !== undefined) out[k] = val;
    }
  }
  return out;
}

const ENV_KEYS = /^(env|environment|stage|tier|aws:cloudformation:stack-name)$/i;
const NON_PROD =
  /^(dev|develop|development|test|testing|qa|uat|staging|stage|stg|sandbox|sbx|nonprod|non-prod|non-production|preview|demo|ephemeral|ci)$/i;

/** The tag that marks a resource non-production (`Environment: staging`), if any. */
export function nonProductionTag(tags: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(tags)) {
    if (ENV_KEYS.test(k) && NON_PROD.test(v.trim())) return `${k}: ${v}`;
  }
  return undefined;
}

/** Money for messages: $12.34. */
export function usd(n: number): string {
  return `$${Math.abs(n).toFixed(2)}`;
}
