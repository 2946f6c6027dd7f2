/**
 * A CloudFormation template as the diagram reads it: resources, where each one points to another
 * (Ref, Fn::GetAtt, Fn::Sub, DependsOn — with the property path it was found at), and the CDK
 * construct path of each resource when the template or its cloud assembly records one.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export type RefKind = 'ref' | 'getatt' | 'sub' | 'depends-on';

/** One resource pointing at another. */
export interface Reference {
  from: string;
  to: string;
  kind: RefKind;
  /** GetAtt attribute (or `${X.Attr}` in Fn::Sub). */
  attribute?: string;
  /** Where in `from` the reference sits: `Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets[0]`; `DependsOn` for DependsOn. */
  at: string;
}

export interface TemplateResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  /** CDK construct path without the leading slash (`app-ecs/Postgres/Instance/Resource`), when known. */
  constructPath?: string;
  condition?: string;
}

export interface ParsedTemplate {
  resources: Map<string, TemplateResource>;
  /** Every resource-to-resource reference, sorted (from, to, at). */
  references: Reference[];
  /** References out of each resource, and into it. */
  outOf: Map<string, Reference[]>;
  into: Map<string, Reference[]>;
}

export class TemplateError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the resources and references of a template. `constructPaths` (logical id → path) fills in
 * paths the template's own `Metadata["aws:cdk:path"]` does not give (see readConstructPaths).
 */
export function parseTemplate(
  template: Record<string, unknown>,
  constructPaths?: ReadonlyMap<string, string>,
): ParsedTemplate {
  const raw = template.Resources;
  if (!isObject(raw)) throw new TemplateError('the template has no Resources section');
  const resources = new Map<string, TemplateResource>();
  for (const id of Object.keys(raw).sort()) {
    const r = raw[id];
    if (!isObject(r) || typeof r.Type !== 'string') {
      throw new TemplateError(`Resources.${id} has no Type`);
    }
    const meta = isObject(r.Metadata) ? r.Metadata : {};
    const metaPath = typeof meta['aws:cdk:path'] === 'string' ? (meta['aws:cdk:path'] as string) : undefined;
    const cp = metaPath ?? constructPaths?.get(id);
    resources.set(id, {
      logicalId: id,
      type: r.Type,
      properties: isObject(r.Properties) ? r.Properties : {},
      ...(cp !== undefined && { constructPath: cp.replace(/^\/+/, '') }),
      ...(typeof r.Condition === 'string' && { condition: r.Condition }),
    });
  }
  const references: Reference[] = [];
  for (const id of resources.keys()) {
    const r = raw[id] as Record<string, unknown>;
    collect(r.Properties, `Properties`, id, resources, references);
    const deps =
      typeof r.DependsOn === 'string' ? [r.DependsOn] : Array.isArray(r.DependsOn) ? r.DependsOn : [];
    for (const d of deps) {
      if (typeof d === 'string' && resources.has(d) && d !== id)
        references.push({ from: id, to: d, kind: 'depends-on', at: 'DependsOn' });
    }
  }
  references.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.at, b.at) || cmp(a.kind, b.kind));
  const outOf = new Map<string, Reference[]>();
  const into = new Map<string, Reference[]>();
  for (const id of resources.keys()) {
    outOf.set(id, []);
    into.set(id, []);
  }
  for (const ref of references) {
    outOf.get(ref.from)?.push(ref);
    into.get(ref.to)?.push(ref);
  }
  return { resources, references, outOf, into };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function collect(
  value: unknown,
  at: string,
  from: string,
  resources: ReadonlyMap<string, unknown>,
  out: Reference[],
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      collect(v, `${at}[${i}]`, from, resources, out);
    });
    return;
  }
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const k = keys[0] as string;
    const v = value[k];
    if (k === 'Ref') {
      if (typeof v === 'string' && resources.has(v) && v !== from) out.push({ from, to: v, kind: 'ref', at });
      return;
    }
    if (k === 'Fn::GetAtt') {
      let target: unknown;
      let attribute: unknown;
      if (Array.isArray(v)) [target, attribute] = v;
      else if (typeof v === 'string')
        [target, attribute] = [v.slice(0, v.indexOf('.')), v.slice(v.indexOf('.') + 1)];
      if (typeof target === 'string' && resources.has(target) && target !== from) {
        out.push({
          from,
          to: target,
          kind: 'getatt',
          at,
          ...(typeof attribute === 'string' && { attribute }),
        });
      }
      if (Array.isArray(v)) collect(v[1], `${at}.Fn::GetAtt[1]`, from, resources, out);
      return;
    }
    if (k === 'Fn::Sub') {
      const [text, vars] = Array.isArray(v) ? [v[0], v[1]] : [v, undefined];
      const locals = isObject(vars) ? new Set(Object.keys(vars)) : new Set<string>();
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = (m[1] as string).trim();
          const dot = name.indexOf('.');
          const target = dot < 0 ? name : name.slice(0, dot);
          if (locals.has(target) || !resources.has(target) || target === from) continue;
          out.push({
            from,
            to: target,
            kind: 'sub',
            at,
            ...(dot >= 0 && { attribute: name.slice(dot + 1) }),
          });
        }
      }
      if (isObject(vars)) {
        for (const key of Object.keys(vars).sort()) collect(vars[key], `${at}.${key}`, from, resources, out);
      }
      return;
    }
  }
  for (const key of keys) collect(value[key], `${at}.${key}`, from, resources, out);
}

/**
 * Construct paths (logical id → path) of one stack, from a cloud assembly: its
 * `<stack>.metadata.json`, or the stack artifact's metadata in `manifest.json` (older assemblies).
 * CDK writes the path of every resource there as an `aws:cdk:logicalId` entry, whether or not the
 * template carries `aws:cdk:path` metadata. Empty when the assembly records none.
 */
export function readConstructPaths(assemblyDir: string, stackName: string): Map<string, string> {
  const out = new Map<string, string>();
  type Entry = { type: string; data?: unknown };
  const visit = (metadata: Record<string, Entry[]>) => {
    for (const [p, entries] of Object.entries(metadata)) {
      for (const e of entries) {
        if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string')
          out.set(e.data, p.replace(/^\/+/, ''));
      }
    }
  };
  const metadataFile = path.join(assemblyDir, `${stackName}.metadata.json`);
  if (existsSync(metadataFile)) {
    visit(JSON.parse(readFileSync(metadataFile, 'utf8')));
    return out;
  }
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) return out;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { metadata?: Record<string, Entry[]> }>;
  };
  const artifact = manifest.artifacts?.[stackName];
  if (artifact?.metadata) visit(artifact.metadata);
  return out;
}
