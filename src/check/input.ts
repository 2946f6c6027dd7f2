/**
 * What `stackplan check` reads: one CloudFormation template (JSON or YAML with short tags), or a
 * cloud assembly directory (every stack its manifest.json lists, nested stage assemblies too),
 * each with its source positions, its construct paths (from the assembly metadata's
 * `aws:cdk:logicalId` entries, or a resource's `aws:cdk:path` metadata), its acknowledgements
 * (`aws:cdk:acknowledged-rules`) and its stack tags. Bad input is a UserError naming the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { TierName } from '../manifest/schema.js';
import type { CfnTemplate } from '../price/template.js';
import { parseSource, type SourceDoc } from './source.js';

export interface StackAcknowledgement {
  /** Construct path it was written on (`/Stack/Construct`), or `Resources.<id>` for template metadata. */
  path: string;
  /** Rule id as acknowledged, with a finding part when given (`AwsSolutions-IAM5[Resource::*]`). */
  rule: string;
  reason: string;
  /** For template metadata acknowledgements: the logical id they sit on. */
  logicalId?: string;
}

export interface CheckStack {
  /** Stack name: the assembly's display name, or the template's base name. */
  name: string;
  /** The template file on disk. */
  file: string;
  source: SourceDoc;
  template: CfnTemplate;
  region?: string;
  /** Logical id → construct path (without the leading slash), when the template came from CDK. */
  constructPaths: Map<string, string>;
  acknowledgements: StackAcknowledgement[];
  /** Stack-level tags (a cloud assembly records them in manifest.json). */
  tags: Record<string, string>;
  /**
   * Logical ids the CDK app created as a generic CfnResource rather than its typed L1 class
   * (the app's tree.json says so): cdk-nag's rules do not apply to those in the app, and check
   * includes them the same way so its findings match what the app's own cdk-nag reports.
   */
  genericResources: Set<string>;
  /** What could not be checked in this stack, for the report. */
  warnings: string[];
  /** Set for a manifest: the tier this stack belongs to and the manifest's availability. */
  tier?: TierName;
  availability?: string;
}

export interface CheckInput {
  kind: 'template' | 'assembly' | 'manifest';
  /** The path the user gave. */
  path: string;
  stacks: CheckStack[];
}

const WHAT = 'Pass a CloudFormation template (JSON or YAML), a cdk.out directory or a stackplan.yaml';
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

/**
 * The template as parsed, checked to be one. `Fn::ForEach` loops (the AWS::LanguageExtensions
 * transform) are left out with a warning: CloudFormation expands them at deploy time.
 */
function templateOf(doc: SourceDoc, file: string, warnings: string[]): CfnTemplate {
  const t = doc.value as CfnTemplate;
  const r0 = (t as { Resources?: unknown } | null)?.Resources;
  if (
    typeof t !== 'object' ||
    t === null ||
    Array.isArray(t) ||
    typeof r0 !== 'object' ||
    r0 === null ||
    Array.isArray(r0)
  ) {
    throw new UserError(`${file} is not a CloudFormation template: it has no "Resources" object`, {
      actions: [WHAT, SYNTH],
    });
  }
  const resources: CfnTemplate['Resources'] = {};
  for (const [id, r] of Object.entries(t.Resources)) {
    const where = () => {
      const at = doc.locate(['Resources', id]);
      return `${file}${at ? `:${at.line}` : ''}`;
    };
    if (id.startsWith('Fn::ForEach::')) {
      warnings.push(
        `${where}: ${id} is expanded by CloudFormation at deploy time (AWS::LanguageExtensions); the resources it makes are not checked`,
      );
      continue;
    }
    const type = typeof r === 'object' && r !== null ? (r as { Type?: unknown }).Type : undefined;
    if (typeof type !== 'string') {
      const module = typeof type === 'object' && type !== null ? Object.keys(type)[0] : undefined;
      throw new UserError(
        `${where()}: resource ${id} ${module ? `has a ${module} Type: this is a template for a preprocessor, not CloudFormation` : 'has no "Type"'}`,
        {
          actions: module
            ? [
                'Check the template the preprocessor produces (for rain modules: rain pkg TEMPLATE > packaged.yaml)',
              ]
            : ['Every resource needs a Type such as AWS::S3::Bucket'],
        },
      );
    }
    resources[id] = r;
  }
  return { ...t, Resources: resources };
}

/** One template file as a stack. */
export async function readTemplateStack(file: string, name?: string): Promise<CheckStack> {
  const text = readText(file);
  if (!text.trim()) throw new UserError(`${file} is empty`, { actions: [WHAT] });
  const source = await parseSource(text, file);
  const warnings: string[] = [];
  const template = templateOf(source, file, warnings);
  const constructPaths = new Map<string, string>();
  const acknowledgements: StackAcknowledgement[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const meta = (r as { Metadata?: Record<string, unknown> }).Metadata;
    const cdkPath = meta?.['aws:cdk:path'];
    if (typeof cdkPath === 'string') constructPaths.set(id, cdkPath);
    // cdk-nag v2 (and v3 with writeSuppressionsToCloudFormation) write suppressions here.
    const rules = (meta?.cdk_nag as { rules_to_suppress?: unknown } | undefined)?.rules_to_suppress;
    if (Array.isArray(rules)) {
      for (const s of rules as Array<{ id?: unknown; reason?: unknown; applies_to?: unknown }>) {
        if (typeof s?.id !== 'string') continue;
        const reason = typeof s.reason === 'string' ? s.reason : '';
        const appliesTo = Array.isArray(s.applies_to) ? s.applies_to : [];
        const ids = appliesTo.length
          ? appliesTo.map((a) => `${s.id}[${typeof a === 'string' ? a : JSON.stringify(a)}]`)
          : [s.id];
        for (const rule of ids)
          acknowledgements.push({ path: `Resources.${id}`, rule, reason, logicalId: id });
      }
    }
  }
  return {
    name: name ?? path.basename(file).replace(/(\.template)?\.(json|ya?ml|template)$/i, ''),
    file,
    source,
    template,
    constructPaths,
    acknowledgements,
    tags: {},
    genericResources: new Set(),
    warnings,
  };
}

type MetadataEntry = { type: string; data?: unknown };

interface AssemblyManifest {
  artifacts?: Record<
    string,
    {
      type?: string;
      environment?: string;
      displayName?: string;
      metadata?: Record<string, MetadataEntry[]>;
      additionalMetadataFile?: string;
      properties?: {
        templateFile?: string;
        directoryName?: string;
        file?: string;
        tags?: Record<string, string>;
      };
    }
  >;
}

function regionOf(environment: string | undefined): string | undefined {
  const region = environment?.split('/').pop();
  return region && /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region) ? region : undefined;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readText(file)) as T;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`, { actions: [SYNTH] });
  }
}

/** Applies a stack artifact's metadata: construct paths of logical ids, and acknowledgements. */
function applyMetadata(stack: CheckStack, metadata: Record<string, MetadataEntry[]>): void {
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
        stack.constructPaths.set(e.data, constructPath.replace(/^\//, ''));
      } else if (e.type === 'aws:cdk:acknowledged-rules' && typeof e.data === 'object' && e.data) {
        for (const [id, reason] of Object.entries(e.data as Record<string, unknown>)) {
          stack.acknowledgements.push({
            path: constructPath,
            rule: id.replace(/^annotation::/i, ''),
            reason: String(reason),
          });
        }
      }
    }
  }
}

interface TreeNode {
  path?: string;
  constructInfo?: { fqn?: string };
  children?: Record<string, TreeNode>;
}

/** Construct paths the app created as a generic CfnResource (tree.json's constructInfo). */
function genericConstructPaths(dir: string, manifest: AssemblyManifest): Set<string> {
  const out = new Set<string>();
  const tree = Object.values(manifest.artifacts ?? {}).find((a) => a.type === 'cdk:tree')?.properties?.file;
  if (!tree || !existsSync(path.join(dir, tree))) return out;
  let root: { tree?: TreeNode };
  try {
    root = JSON.parse(readFileSync(path.join(dir, tree), 'utf8'));
  } catch {
    return out;
  }
  const walk = (n: TreeNode) => {
    if (n.constructInfo?.fqn === 'aws-cdk-lib.CfnResource' && n.path) out.add(n.path);
    for (const c of Object.values(n.children ?? {})) walk(c);
  };
  if (root.tree) walk(root.tree);
  return out;
}

async function readAssembly(dir: string, prefix = ''): Promise<CheckStack[]> {
  const manifest = readJson<AssemblyManifest>(path.join(dir, 'manifest.json'));
  const generic = genericConstructPaths(dir, manifest);
  const out: CheckStack[] = [];
  for (const [id, a] of Object.entries(manifest.artifacts ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      const file = path.join(dir, a.properties.templateFile);
      const stack = await readTemplateStack(file, a.displayName ?? `${prefix}${id}`);
      const region = regionOf(a.environment);
      if (region) stack.region = region;
      if (a.properties.tags) stack.tags = { ...a.properties.tags };
      if (a.metadata) applyMetadata(stack, a.metadata);
      if (a.additionalMetadataFile) {
        const metaFile = path.join(dir, a.additionalMetadataFile);
        if (existsSync(metaFile)) applyMetadata(stack, readJson(metaFile));
      }
      for (const [id, p] of stack.constructPaths) if (generic.has(p)) stack.genericResources.add(id);
      out.push(stack);
    } else if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) {
      out.push(...(await readAssembly(path.join(dir, a.properties.directoryName), `${prefix}${id}/`)));
    }
  }
  return out;
}

/** A cloud assembly directory. */
export async function readAssemblyInput(dir: string): Promise<CheckStack[]> {
  if (existsSync(path.join(dir, 'manifest.json'))) {
    const stacks = await readAssembly(dir);
    if (stacks.length === 0) {
      throw new UserError(`${path.join(dir, 'manifest.json')} lists no CloudFormation stacks`, {
        actions: [SYNTH],
      });
    }
    return stacks;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort();
  if (files.length === 0) {
    throw new UserError(
      `${dir} holds no manifest.json and no *.template.json: it is not a cdk.out directory`,
      {
        actions: [WHAT, SYNTH],
      },
    );
  }
  return Promise.all(files.map((f) => readTemplateStack(path.join(dir, f))));
}

/** Whether a file is a stackplan manifest rather than a template (by name, then by content). */
export function isManifestFile(file: string, text?: string): boolean {
  const base = path.basename(file);
  if (/^stackplan(\.[\w-]+)?\.ya?ml$/.test(base)) return true;
  if (!/\.ya?ml$/.test(base)) return false;
  const t = text ?? readText(file);
  return !/^Resources\s*:/m.test(t) && /^services\s*:/m.test(t) && /^name\s*:/m.test(t);
}

/** Reads a template or an assembly (manifests are read by ./manifest.ts). */
export async function readCheckInput(p: string): Promise<CheckInput> {
  if (!existsSync(p)) throw new UserError(`${p} does not exist`, { actions: [WHAT, SYNTH] });
  if (statSync(p).isDirectory()) return { kind: 'assembly', path: p, stacks: await readAssemblyInput(p) };
  return { kind: 'template', path: p, stacks: [await readTemplateStack(p)] };
}
