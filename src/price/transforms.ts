/**
 * The template transforms CloudFormation applies before it creates anything, as far as pricing
 * needs them:
 * - `AWS::LanguageExtensions`: `Fn::ForEach::<Name>: [Identifier, Collection, {OutputKey: Fragment}]`
 *   in Resources, expanded once per element of the collection (a list, or a list parameter),
 *   `${Identifier}` / `&{Identifier}` substituted in the output key, `Ref: Identifier` and
 *   `${Identifier}` in `Fn::Sub` strings substituted in the fragment; loops may nest.
 * A loop whose collection cannot be resolved offline is reported under its own key, so the rest
 * of the template is still priced.
 */
import { type CfnResource, type CfnTemplate, NotResolvable, type TemplateIndex } from './template.js';

export const FOR_EACH = 'Fn::ForEach::';

export interface Expanded {
  template: CfnTemplate;
  /** Loops that could not be expanded: key → why. */
  failed: Array<{ key: string; reason: string }>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function subText(text: string, id: string, value: string): string {
  return text.split(`\${${id}}`).join(value);
}

/** The fragment with the loop's identifier replaced by `value`. */
function substitute(node: unknown, id: string, value: string): unknown {
  if (Array.isArray(node)) return node.map((x) => substitute(x, id, value));
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === id) return value;
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const arg = node['Fn::Sub'];
    if (typeof arg === 'string') return { 'Fn::Sub': subText(arg, id, value) };
    if (Array.isArray(arg) && typeof arg[0] === 'string') {
      const vars = isObject(arg[1]) ? arg[1] : {};
      const text = id in vars ? arg[0] : subText(arg[0], id, value);
      return { 'Fn::Sub': [text, substitute(vars, id, value)] };
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    out[k] = substitute(node[k], id, value);
  }
  return out;
}

function outputKey(key: string, id: string, value: string): string {
  return key
    .split(`\${${id}}`)
    .join(value)
    .split(`&{${id}}`)
    .join(value.replace(/[^A-Za-z0-9]/g, ''));
}

function expandLoop(
  key: string,
  loop: unknown,
  index: TemplateIndex,
  out: Record<string, CfnResource>,
  failed: Expanded['failed'],
): void {
  if (!Array.isArray(loop) || loop.length !== 3 || typeof loop[0] !== 'string' || !isObject(loop[2])) {
    failed.push({ key, reason: 'malformed Fn::ForEach: expected [Identifier, Collection, {OutputKey: …}]' });
    return;
  }
  const [id, collection, fragment] = loop as [string, unknown, Record<string, unknown>];
  let values: string[];
  try {
    const list = index.resolveDeep(collection, `Resources.${key}.1`);
    if (!Array.isArray(list)) throw new NotResolvable(`Resources.${key}.1`, 'the collection is not a list');
    values = list.map((v, i) => index.string(v, `Resources.${key}.1.${i}`));
  } catch (e) {
    if (!(e instanceof NotResolvable)) throw e;
    failed.push({ key, reason: `cannot expand ${key}: ${e.message}` });
    return;
  }
  for (const value of values) {
    for (const [k, body] of Object.entries(fragment)) {
      const replaced = substitute(body, id, value);
      if (k.startsWith(FOR_EACH)) {
        // An inner loop's output keys may name the outer identifier too.
        if (Array.isArray(replaced) && isObject(replaced[2])) {
          const inner = replaced[2];
          replaced[2] = Object.fromEntries(
            Object.entries(inner).map(([ik, iv]) => [outputKey(ik, id, value), iv]),
          );
        }
        expandLoop(k, replaced, index, out, failed);
      } else out[outputKey(k, id, value)] = replaced as CfnResource;
    }
  }
}

/** Expands every Fn::ForEach in the template's Resources (the template itself is not changed). */
export function expandForEach(template: CfnTemplate, index: TemplateIndex): Expanded {
  const resources: Record<string, CfnResource> = {};
  const failed: Expanded['failed'] = [];
  for (const [key, value] of Object.entries(template.Resources)) {
    if (key.startsWith(FOR_EACH)) expandLoop(key, value, index, resources, failed);
    else resources[key] = value;
  }
  return { template: { ...template, Resources: resources }, failed };
}

export function hasForEach(template: CfnTemplate): boolean {
  return Object.keys(template.Resources).some((k) => k.startsWith(FOR_EACH));
}

// ------------------------------------------------------------------ AWS::Serverless (SAM)

/** SAM resource types and the Globals section that applies to each. */
const SAM_GLOBALS: Record<string, string> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::HttpApi': 'HttpApi',
  'AWS::Serverless::SimpleTable': 'SimpleTable',
  'AWS::Serverless::StateMachine': 'StateMachine',
};

/** The logical ids SAM gives the APIs it creates for events that name none. */
export const SAM_IMPLICIT_REST_API = 'ServerlessRestApi';
export const SAM_IMPLICIT_HTTP_API = 'ServerlessHttpApi';

export function isSam(template: CfnTemplate): boolean {
  const t = template.Transform;
  const names = Array.isArray(t) ? t : [t];
  return (
    names.some((n) => typeof n === 'string' && n.startsWith('AWS::Serverless')) ||
    Object.values(template.Resources).some((r) => r?.Type?.startsWith?.('AWS::Serverless::'))
  );
}

/**
 * What the SAM transform does that changes a bill, without running it: each resource gets its
 * Globals section's properties under its own (its own win), and a function event of type Api or
 * HttpApi that names no API creates SAM's implicit `ServerlessRestApi` / `ServerlessHttpApi`.
 * The SAM types are then priced directly (as Lambda, API Gateway, DynamoDB, Step Functions).
 */
export function expandSam(template: CfnTemplate): CfnTemplate {
  const globals = isObject(template.Globals) ? template.Globals : {};
  const resources: Record<string, CfnResource> = {};
  let restApi = false;
  let httpApi = false;
  for (const [id, r] of Object.entries(template.Resources)) {
    const section = r && typeof r.Type === 'string' ? SAM_GLOBALS[r.Type] : undefined;
    const g =
      section && isObject(globals[section]) ? (globals[section] as Record<string, unknown>) : undefined;
    const props = isObject(r?.Properties) ? r.Properties : undefined;
    resources[id] = g ? { ...r, Properties: { ...g, ...(props ?? {}) } } : r;
    if (r?.Type !== 'AWS::Serverless::Function') continue;
    const events = isObject(props?.Events) ? props.Events : {};
    for (const e of Object.values(events)) {
      if (!isObject(e)) continue;
      const ep = isObject(e.Properties) ? e.Properties : {};
      if (e.Type === 'Api' && ep.RestApiId === undefined) restApi = true;
      if (e.Type === 'HttpApi' && ep.ApiId === undefined) httpApi = true;
    }
  }
  const implicit = (id: string, type: string, section: string) => {
    if (resources[id]) return;
    const g = isObject(globals[section]) ? (globals[section] as Record<string, unknown>) : {};
    resources[id] = { Type: type, Properties: { ...g }, Metadata: { 'stackplan:implicit': true } };
  };
  if (restApi) implicit(SAM_IMPLICIT_REST_API, 'AWS::Serverless::Api', 'Api');
  if (httpApi) implicit(SAM_IMPLICIT_HTTP_API, 'AWS::Serverless::HttpApi', 'HttpApi');
  return { ...template, Resources: resources };
}
