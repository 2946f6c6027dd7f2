/**
 * Reading CloudFormation templates the way CloudFormation would, as far as a template alone
 * allows: parameters (defaults, or values from usage), pseudo parameters, conditions, mappings
 * and the intrinsic functions that can be evaluated offline. What cannot (Fn::ImportValue,
 * Fn::GetAZs, a Ref to a parameter without a value, an attribute of a resource) raises
 * NotResolvable, which the engine reports as "cannot price: property X is not resolvable (…)".
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  [k: string]: unknown;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type?: string; Default?: unknown; [k: string]: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  [k: string]: unknown;
}

/** A Ref or Fn::GetAtt to a resource: a value only AWS knows, but it names the resource. */
export interface ResourceToken {
  readonly resource: string;
  readonly attribute?: string;
}

export class NotResolvable extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`property ${path} is not resolvable (${why})`);
    this.name = 'NotResolvable';
  }
}

const TOKEN = Symbol('resource token');

export function isResourceToken(v: unknown): v is ResourceToken {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[TOKEN] === true;
}

function token(resource: string, attribute?: string): ResourceToken {
  const t: ResourceToken & { [TOKEN]: true } = { resource, [TOKEN]: true };
  if (attribute !== undefined) (t as { attribute?: string }).attribute = attribute;
  return t;
}

/** Marker for Ref AWS::NoValue: the property is absent. */
const NO_VALUE = Symbol('AWS::NoValue');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The single intrinsic function of an object like {"Fn::Join": …}, if it is one. */
function intrinsic(v: unknown): [string, unknown] | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? [k, v[k]] : undefined;
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** `CommaDelimitedList`, `List<Number>`, `List<AWS::EC2::Subnet::Id>`, and SSM parameters holding lists. */
export function isListType(type: string): boolean {
  const t = type.replace(/^AWS::SSM::Parameter::Value<(.*)>$/, '$1');
  return t === 'CommaDelimitedList' || t.startsWith('List<');
}

/** A list parameter's value: a list as is, a string split at commas (spaces trimmed), as CloudFormation does. */
function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x.trim() : x));
  return String(v)
    .split(',')
    .map((s) => s.trim());
}

export interface TemplateContext {
  region: string;
  stackName: string;
  /** Values for parameters (override defaults); list parameters take a list or a comma-separated string. */
  parameters?: Record<string, unknown>;
}

/** One template, indexed, with an evaluator for its intrinsic functions. */
export class TemplateIndex {
  private readonly conditionCache = new Map<string, boolean>();
  private byType: Map<string, Array<[string, CfnResource]>> | undefined;

  constructor(
    readonly template: CfnTemplate,
    readonly ctx: TemplateContext,
  ) {}

  get resources(): Record<string, CfnResource> {
    return this.template.Resources;
  }

  resource(id: string): CfnResource | undefined {
    return this.template.Resources[id];
  }

  private readonly memos = new Map<string, unknown>();

  /**
   * A value derived from the whole template, computed once per template: pricers that look
   * across resources (which custom resources a function serves, which EIPs name an instance)
   * must not scan the template for every resource they price.
   */
  memo<T>(key: string, make: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = make();
    this.memos.set(key, v);
    return v;
  }

  /** Resources of a type (indexed once: pricers ask for EIPs, subscriptions … per resource). */
  ofType(type: string): Array<[string, CfnResource]> {
    if (!this.byType) {
      this.byType = new Map();
      for (const entry of Object.entries(this.template.Resources)) {
        const t = entry[1]?.Type;
        if (typeof t !== 'string') continue;
        const list = this.byType.get(t);
        if (list) list.push(entry);
        else this.byType.set(t, [entry]);
      }
    }
    return this.byType.get(type) ?? [];
  }

  /**
   * Evaluates `v` one level: intrinsic functions at its top are applied until a plain value,
   * array, object or resource token remains (nested values are resolved when read).
   */
  resolve(v: unknown, path: string): unknown {
    for (let guard = 0; guard < 50; guard++) {
      const fn = intrinsic(v);
      if (!fn) return v;
      v = this.apply(fn[0], fn[1], path);
      if (v === NO_VALUE) return undefined;
    }
    throw new NotResolvable(path, 'intrinsic functions nested too deep');
  }

  /** Resolves `v` completely (every nested value), for strings, numbers and small lists. */
  resolveDeep(v: unknown, path: string): unknown {
    const r = this.resolve(v, path);
    if (Array.isArray(r))
      return r.map((x, i) => this.resolveDeep(x, `${path}.${i}`)).filter((x) => x !== undefined);
    if (isObject(r) && !isResourceToken(r)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(r)) {
        const rx = this.resolveDeep(x, `${path}.${k}`);
        if (rx !== undefined) out[k] = rx;
      }
      return out;
    }
    return r;
  }

  /** A scalar as a string (numbers and booleans are stringified, as CloudFormation does). */
  string(v: unknown, path: string): string {
    const r = this.resolveDeep(v, path);
    if (typeof r === 'string') return r;
    if (typeof r === 'number' || typeof r === 'boolean') return String(r);
    if (isResourceToken(r)) {
      throw new NotResolvable(
        path,
        r.attribute ? `Fn::GetAtt ${r.resource}.${r.attribute}` : `Ref ${r.resource}`,
      );
    }
    throw new NotResolvable(path, `not a string: ${describe(v)}`);
  }

  condition(name: string, path = `Conditions.${name}`): boolean {
    const hit = this.conditionCache.get(name);
    if (hit !== undefined) return hit;
    const def = this.template.Conditions?.[name];
    if (def === undefined) throw new NotResolvable(path, `no condition named ${name}`);
    const value = this.truthy(def, path);
    this.conditionCache.set(name, value);
    return value;
  }

  private truthy(v: unknown, path: string): boolean {
    const r = this.resolve(v, path);
    if (typeof r === 'boolean') return r;
    if (r === 'true' || r === 'false') return r === 'true';
    throw new NotResolvable(path, `condition is not a boolean: ${describe(v)}`);
  }

  private parameter(name: string, path: string): unknown {
    const pseudo: Record<string, unknown> = {
      'AWS::Region': this.ctx.region,
      'AWS::Partition': this.ctx.region.startsWith('cn-')
        ? 'aws-cn'
        : this.ctx.region.includes('-gov-')
          ? 'aws-us-gov'
          : 'aws',
      'AWS::URLSuffix': this.ctx.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com',
      'AWS::StackName': this.ctx.stackName,
    };
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudo) return pseudo[name];
    if (name.startsWith('AWS::')) throw new NotResolvable(path, `Ref ${name} is known only at deploy time`);
    const p = this.template.Parameters?.[name] ?? {};
    const type = typeof p.Type === 'string' ? p.Type : 'String';
    const list = isListType(type);
    const given = this.ctx.parameters?.[name];
    if (given !== undefined) return list ? asList(given) : given;
    if (p.Default === undefined) {
      throw new NotResolvable(
        path,
        `Ref to parameter ${name}, which has no default; give it under parameters: in a usage file${list ? ', as a list or a comma-separated string' : ''}`,
      );
    }
    if (type.startsWith('AWS::SSM::Parameter::Value')) {
      throw new NotResolvable(
        path,
        `parameter ${name} is read from SSM parameter ${describe(p.Default)} at deploy time`,
      );
    }
    return list ? asList(p.Default) : p.Default;
  }

  private apply(fn: string, arg: unknown, path: string): unknown {
    switch (fn) {
      case 'Ref': {
        const name = this.string(arg, path);
        if (this.template.Parameters && name in this.template.Parameters) return this.parameter(name, path);
        if (name.startsWith('AWS::')) return this.parameter(name, path);
        if (this.template.Resources[name]) return token(name);
        throw new NotResolvable(path, `Ref ${name}: no such parameter or resource`);
      }
      case 'Fn::GetAtt': {
        const [res, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
        const r = this.string(res, path);
        if (!this.template.Resources[r]) throw new NotResolvable(path, `Fn::GetAtt ${r}: no such resource`);
        return token(r, this.string(attr, path));
      }
      case 'Condition':
        return this.condition(this.string(arg, path), path);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3)
          throw new NotResolvable(path, `malformed Fn::If ${describe(arg)}`);
        return this.condition(this.string(arg[0], path), path) ? arg[1] : arg[2];
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new NotResolvable(path, 'malformed Fn::Equals');
        const a = this.resolveDeep(arg[0], path);
        const b = this.resolveDeep(arg[1], path);
        if (isResourceToken(a) || isResourceToken(b))
          throw new NotResolvable(path, 'Fn::Equals on a resource value');
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::Not':
        return !this.truthy(Array.isArray(arg) ? arg[0] : arg, path);
      case 'Fn::And':
        return (arg as unknown[]).every((x) => this.truthy(x, path));
      case 'Fn::Or':
        return (arg as unknown[]).some((x) => this.truthy(x, path));
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new NotResolvable(path, 'malformed Fn::Select');
        const i = Number(this.resolveDeep(arg[0], path));
        const list = this.resolve(arg[1], path);
        if (!Array.isArray(list)) throw new NotResolvable(path, `Fn::Select from ${describe(arg[1])}`);
        if (!(i >= 0 && i < list.length)) throw new NotResolvable(path, `Fn::Select index ${i} out of range`);
        return list[i];
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new NotResolvable(path, 'malformed Fn::Join');
        const list = this.resolve(arg[1], path);
        if (!Array.isArray(list)) throw new NotResolvable(path, `Fn::Join of ${describe(arg[1])}`);
        return list.map((x, i) => this.string(x, `${path}.${i}`)).join(this.string(arg[0], path));
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new NotResolvable(path, 'malformed Fn::Split');
        return this.string(arg[1], path).split(this.string(arg[0], path));
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg)
          ? [arg[0], (arg[1] ?? {}) as Record<string, unknown>]
          : [arg, {}];
        return this.string(text, path).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          if (name.startsWith('!')) return `\${${name.slice(1)}}`;
          if (name in vars) return this.string(vars[name], path);
          if (name.includes('.'))
            throw new NotResolvable(path, `Fn::Sub \${${name}} is a resource attribute`);
          return this.string({ Ref: name }, path);
        });
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) throw new NotResolvable(path, 'malformed Fn::FindInMap');
        const [m, k1, k2] = [0, 1, 2].map((i) => this.string(arg[i], path));
        const v = this.template.Mappings?.[m!]?.[k1!]?.[k2!];
        if (v === undefined) throw new NotResolvable(path, `Fn::FindInMap ${m}.${k1}.${k2}: no such entry`);
        return v;
      }
      case 'Fn::Base64':
        return this.string(arg, path);
      case 'Fn::Length': {
        const list = this.resolve(arg, path);
        if (!Array.isArray(list)) throw new NotResolvable(path, `Fn::Length of ${describe(arg)}`);
        return list.length;
      }
      case 'Fn::ImportValue':
        throw new NotResolvable(path, `Fn::ImportValue ${describe(arg)}: exported by another stack`);
      case 'Fn::GetAZs':
        throw new NotResolvable(path, 'Fn::GetAZs: the account decides the availability zones');
      default:
        throw new NotResolvable(path, `${fn} cannot be evaluated offline`);
    }
  }
}

/**
 * Property reader for one resource: each read names its path so an unresolvable value is
 * reported as `property LaunchTemplate.LaunchTemplateId is not resolvable (…)`.
 */
export class Props {
  constructor(
    readonly index: TemplateIndex,
    private readonly root: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  private at(path: string): unknown {
    let v: unknown = this.root;
    let walked = this.prefix;
    for (const part of path.split('.')) {
      walked = walked ? `${walked}.${part}` : part;
      v = this.index.resolve(v, walked);
      if (v === undefined || v === null) return undefined;
      if (Array.isArray(v)) v = v[Number(part)];
      else if (isObject(v) && !isResourceToken(v)) v = v[part];
      else return undefined;
    }
    return this.index.resolve(v, walked);
  }

  private full(path: string): string {
    return this.prefix ? `${this.prefix}.${path}` : path;
  }

  /** Whether the property is set (an unresolvable value counts as set). */
  has(path: string): boolean {
    try {
      return this.at(path) !== undefined;
    } catch (e) {
      if (e instanceof NotResolvable) return true;
      throw e;
    }
  }

  str(path: string): string | undefined;
  str(path: string, fallback: string): string;
  str(path: string, fallback?: string): string | undefined {
    const v = this.at(path);
    if (v === undefined) return fallback;
    return this.index.string(v, this.full(path));
  }

  num(path: string): number | undefined;
  num(path: string, fallback: number): number;
  num(path: string, fallback?: number): number | undefined {
    const v = this.at(path);
    if (v === undefined) return fallback;
    const s = this.index.string(v, this.full(path));
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n))
      throw new NotResolvable(this.full(path), `not a number: ${describe(s)}`);
    return n;
  }

  bool(path: string, fallback: boolean): boolean {
    const v = this.at(path);
    if (v === undefined) return fallback;
    const s = this.index.string(v, this.full(path)).toLowerCase();
    if (s !== 'true' && s !== 'false')
      throw new NotResolvable(this.full(path), `not a boolean: ${describe(s)}`);
    return s === 'true';
  }

  /** The elements of a list property (each still unresolved), or [] when absent. */
  list(path: string): unknown[] {
    const v = this.at(path);
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new NotResolvable(this.full(path), `not a list: ${describe(v)}`);
    return v;
  }

  /** A reader for a nested object (or list element) property; undefined when absent. */
  sub(path: string): Props | undefined {
    const v = this.at(path);
    if (v === undefined) return undefined;
    if (!isObject(v) || isResourceToken(v))
      throw new NotResolvable(this.full(path), `not an object: ${describe(v)}`);
    return new Props(this.index, v, this.full(path));
  }

  /** Readers for each object in a list property. */
  subs(path: string): Props[] {
    return this.list(path)
      .map((_, i) => this.sub(`${path}.${i}`))
      .filter((p): p is Props => p !== undefined);
  }

  /** The logical id a property refers to (Ref or Fn::GetAtt to a resource of this template), if it does. */
  ref(path: string): string | undefined {
    const v = this.at(path);
    return isResourceToken(v) ? v.resource : undefined;
  }

  /** Raw (unresolved) value, for messages. */
  raw(path: string): unknown {
    let v: unknown = this.root;
    for (const part of path.split('.')) {
      if (Array.isArray(v)) v = v[Number(part)];
      else if (isObject(v)) v = v[part];
      else return undefined;
    }
    return v;
  }
}
