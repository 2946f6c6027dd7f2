/**
 * Reads what `stackplan cost` prices: one CloudFormation template (JSON, or YAML with the short
 * tags !Ref, !GetAtt, !Sub …) or a CDK cloud assembly directory (every stack template its
 * manifest.json lists, nested stage assemblies included, each with its region when the stack
 * has an environment). Bad input is a UserError naming the file and what to do.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { asTemplate, type TemplateInput } from './engine.js';
import type { CfnTemplate } from './template.js';

const SYNTH = 'Synthesize a CDK app first: npx cdk synth (then pass its cdk.out directory)';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`, {
      actions: ['Check the path and its permissions'],
    });
  }
}

/** CloudFormation's short-form functions: `!Sub x` is `{"Fn::Sub": x}`. */
const SHORT_FNS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'Length',
  'ToJsonString',
];

/** The CloudFormation short-form tags for the yaml package (the careful path: it reports unknown tags). */
export async function cfnYamlTags() {
  const { YAMLSeq } = await import('yaml');
  const tags = [];
  for (const fn of SHORT_FNS) {
    const key = `Fn::${fn}`;
    tags.push(
      { tag: `!${fn}`, resolve: (v: unknown) => ({ [key]: v }) },
      {
        tag: `!${fn}`,
        collection: 'seq' as const,
        resolve: (v: InstanceType<typeof YAMLSeq>) => ({ [key]: v.toJSON() }),
      },
      {
        tag: `!${fn}`,
        collection: 'map' as const,
        resolve: (v: { toJSON(): unknown }) => ({ [key]: v.toJSON() }),
      },
    );
  }
  tags.push(
    { tag: '!Ref', resolve: (v: unknown) => ({ Ref: v }) },
    { tag: '!Condition', resolve: (v: unknown) => ({ Condition: v }) },
    {
      tag: '!GetAtt',
      resolve: (v: string) => {
        const i = String(v).indexOf('.');
        return { 'Fn::GetAtt': [String(v).slice(0, i), String(v).slice(i + 1)] };
      },
    },
    {
      tag: '!GetAtt',
      collection: 'seq' as const,
      resolve: (v: InstanceType<typeof YAMLSeq>) => ({ 'Fn::GetAtt': v.toJSON() }),
    },
  );
  return tags;
}

/**
 * The same tags as a js-yaml schema (the fast path, about ten times faster than the yaml package
 * on large templates): YAML 1.2's core schema, as the yaml package reads it, plus the short forms.
 */
async function cfnJsYamlSchema() {
  const { CORE_SCHEMA, Type } = (await import('js-yaml')).default;
  const types = [];
  for (const fn of SHORT_FNS) {
    // An empty scalar (`!GetAZs`) is '' to the yaml package and to CloudFormation, null to js-yaml.
    for (const kind of ['scalar', 'sequence', 'mapping'] as const)
      types.push(new Type(`!${fn}`, { kind, construct: (v: unknown) => ({ [`Fn::${fn}`]: v ?? '' }) }));
  }
  types.push(
    new Type('!Ref', { kind: 'scalar', construct: (v: unknown) => ({ Ref: v ?? '' }) }),
    new Type('!Condition', { kind: 'scalar', construct: (v: unknown) => ({ Condition: v ?? '' }) }),
    new Type('!GetAtt', {
      kind: 'scalar',
      construct: (v: string) => {
        const i = String(v).indexOf('.');
        return { 'Fn::GetAtt': [String(v).slice(0, i), String(v).slice(i + 1)] };
      },
    }),
    new Type('!GetAtt', { kind: 'sequence', construct: (v: unknown) => ({ 'Fn::GetAtt': v }) }),
  );
  return CORE_SCHEMA.extend({ explicit: types });
}

/**
 * A YAML template parsed fast with js-yaml, or undefined when the careful path must read it: a
 * tag CloudFormation does not have (reported with its line), a syntax error (reported as the yaml
 * package words it), or aliases (the careful path bounds how far they expand).
 */
export async function fastYaml(text: string): Promise<unknown> {
  // An alias stands alone as a value or item: `key: *name`, `- *name`, `[*a, *b]`.
  if (/(?::[ \t]+|^[ \t]*-[ \t]+|[[{,][ \t]*)\*[^\s,[\]{}]+[ \t]*(?:$|[,\]}])/m.test(text)) return undefined;
  const { load } = (await import('js-yaml')).default;
  try {
    return load(text, { schema: await cfnJsYamlSchema(), json: true });
  } catch {
    return undefined;
  }
}

/** The yaml package's reading: unknown tags become warnings with their line, syntax errors name it. */
export async function carefulYaml(text: string, file: string, warnings: string[]): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const parsed = parseDocument(text, { customTags: await cfnYamlTags(), uniqueKeys: false });
  if (parsed.errors.length) {
    const err = parsed.errors[0]!;
    throw new UserError(`${file} is neither JSON nor valid YAML: ${err.message.split('\n')[0]}`, {
      actions: ['Pass a CloudFormation template (JSON or YAML) or a cdk.out directory', SYNTH],
    });
  }
  for (const w of parsed.warnings) {
    const tag = /^Unresolved tag: (\S+)/.exec(w.message)?.[1];
    const line = w.linePos?.[0]?.line;
    warnings.push(
      tag
        ? `${file}:${line ?? '?'}: unknown YAML tag ${tag}: read as its plain value`
        : `${file}:${line ?? '?'}: ${w.message.split('\n')[0]}`,
    );
  }
  return parsed.toJS({ maxAliasCount: 1000 });
}

/** One parsed template file, with what the reader could not take as CloudFormation. */
export interface ParsedTemplate {
  template: CfnTemplate;
  /** `file:line: …` for each unknown YAML tag (read as its plain value). */
  warnings: string[];
}

/** Parses one template file. */
export async function readTemplateFile(file: string): Promise<ParsedTemplate> {
  const text = readText(file);
  const trimmed = text.trimStart();
  let doc: unknown;
  const warnings: string[] = [];
  if (trimmed.startsWith('{') || file.endsWith('.json')) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`, {
        actions: ['Fix the JSON, or pass a YAML template with a .yaml or .yml extension', SYNTH],
      });
    }
  } else {
    doc = (await fastYaml(text)) ?? (await carefulYaml(text, file, warnings));
  }
  return { template: asTemplate(doc, file), warnings };
}

interface Manifest {
  artifacts?: Record<
    string,
    {
      type?: string;
      environment?: string;
      displayName?: string;
      properties?: { templateFile?: string; directoryName?: string; stackName?: string };
    }
  >;
}

function regionOf(environment: string | undefined): string | undefined {
  const region = environment?.split('/').pop();
  return region && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region) ? region : undefined;
}

async function readAssembly(dir: string, prefix = ''): Promise<TemplateInput[]> {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readText(manifestFile)) as Manifest;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${manifestFile} is not valid JSON: ${(e as Error).message}`, { actions: [SYNTH] });
  }
  const out: TemplateInput[] = [];
  for (const [id, a] of Object.entries(manifest.artifacts ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      const file = path.join(dir, a.properties.templateFile);
      // displayName is already qualified by its stage (Prod/Web); artifact ids are not.
      const parsed = await readTemplateFile(file);
      const input: TemplateInput = {
        name: a.displayName ?? `${prefix}${id}`,
        template: parsed.template,
        file,
      };
      if (parsed.warnings.length) input.warnings = parsed.warnings;
      const region = regionOf(a.environment);
      if (region) input.region = region;
      out.push(input);
    } else if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) {
      out.push(...(await readAssembly(path.join(dir, a.properties.directoryName), `${prefix}${id}/`)));
    }
  }
  return out;
}

/** Every stack template under `p`: a template file, or a cloud assembly directory. */
export async function readTemplates(p: string): Promise<TemplateInput[]> {
  if (!existsSync(p)) {
    throw new UserError(`${p} does not exist`, {
      actions: ['Pass a CloudFormation template (JSON or YAML) or a cdk.out directory', SYNTH],
    });
  }
  if (statSync(p).isDirectory()) {
    if (existsSync(path.join(p, 'manifest.json'))) {
      const inputs = await readAssembly(p);
      if (inputs.length === 0) {
        throw new UserError(`${p}/manifest.json lists no CloudFormation stacks`, { actions: [SYNTH] });
      }
      return inputs;
    }
    const files = readdirSync(p)
      .filter((f) => f.endsWith('.template.json'))
      .sort();
    if (files.length === 0) {
      throw new UserError(
        `${p} holds no manifest.json and no *.template.json: it is not a cdk.out directory`,
        {
          actions: ['Pass a CloudFormation template file or a cdk.out directory', SYNTH],
        },
      );
    }
    return Promise.all(files.map(async (f) => input(f.replace(/\.template\.json$/, ''), path.join(p, f))));
  }
  return [await input(path.basename(p).replace(/(\.template)?\.(json|ya?ml|template)$/i, ''), p)];
}

async function input(name: string, file: string): Promise<TemplateInput> {
  const parsed = await readTemplateFile(file);
  const out: TemplateInput = { name, template: parsed.template, file };
  if (parsed.warnings.length) out.warnings = parsed.warnings;
  return out;
}
