/**
 * The design document's files: DESIGN.md with its SVG figures under design/, design.html (one
 * self-contained file), and design/design.json — the plan and the traffic sweep the document was
 * built from, so `stackplan design DIR` re-renders it from DIR without planning or synthesizing
 * again. Pure: content in, file contents out; `plan` and `design` hand them to the one writer.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { Plan } from '../model/plan.js';
import type { CostReport } from '../price/types.js';
import { readConstructPaths } from './architecture/template.js';
import {
  buildDesignDocument,
  type DesignChecks,
  type DesignInput,
  type DesignTierInput,
} from './document/build.js';
import { renderHtml } from './document/html.js';
import { renderMarkdown } from './document/markdown.js';
import { figuresOf } from './document/model.js';
import type { TrafficSweep } from './sweep.js';

/** What design/design.json holds. */
export interface DesignState {
  schemaVersion: 1;
  /** The plan (its manifestDir left out: the document never shows it). */
  plan: Omit<Plan, 'manifestDir'>;
  tiers: Array<{ name: string; stackName: string }>;
  sweep: TrafficSweep;
}

export const DESIGN_FILES = ['DESIGN.md', 'design.html', 'design/'] as const;

/** The document's files, by path relative to the output directory. */
export async function renderDesignFiles(input: DesignInput): Promise<Record<string, string>> {
  const doc = await buildDesignDocument(input);
  const { manifestDir: _dir, ...plan } = input.plan;
  const state: DesignState = {
    schemaVersion: 1,
    plan,
    tiers: input.tiers.map((t) => ({ name: t.name, stackName: t.stackName })),
    sweep: input.sweep,
  };
  const files: Record<string, string> = {
    'DESIGN.md': renderMarkdown(doc),
    'design.html': renderHtml(doc),
    'design/design.json': `${JSON.stringify(state, null, 2)}\n`,
  };
  for (const f of figuresOf(doc)) files[f.file] = f.svg.endsWith('\n') ? f.svg : `${f.svg}\n`;
  return files;
}

function readJson<T>(file: string, what: string, dir: string): T {
  if (!existsSync(file)) {
    throw new UserError(`${file} is missing: ${dir} is not a complete stackplan plan output (${what})`, {
      actions: [`run stackplan plan stackplan.yaml --out ${dir}`, `then: stackplan design ${dir}`],
    });
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new UserError(`${file} is not valid JSON (${(e as Error).message})`, {
      actions: [`run stackplan plan again to rewrite ${dir}`],
    });
  }
}

/** The document's inputs read back from a directory `plan` wrote. */
export function readDesignInput(dir: string): DesignInput {
  const state = readJson<DesignState>(path.join(dir, 'design', 'design.json'), 'the design state', dir);
  if (state.schemaVersion !== 1) {
    throw new UserError(
      `${path.join(dir, 'design', 'design.json')} has schema version ${state.schemaVersion}; this stackplan reads 1`,
      {
        actions: ['run stackplan plan again with this version of stackplan'],
      },
    );
  }
  const tiers: DesignTierInput[] = state.tiers.map((t) => {
    const tierDir = path.join(dir, t.name);
    const assembly = path.join(tierDir, 'cdk.out');
    return {
      name: t.name,
      stackName: t.stackName,
      template: readJson<Record<string, unknown>>(path.join(tierDir, 'template.json'), 'the template', dir),
      ...(existsSync(assembly) && { constructPaths: readConstructPaths(assembly, t.stackName) }),
      cost: readJson<CostReport>(path.join(tierDir, 'cost.json'), 'the cost report', dir),
      checks: readJson<DesignChecks>(path.join(tierDir, 'checks.json'), 'the compliance report', dir),
      assemblyDir: `${t.name}/cdk.out`,
    };
  });
  return { plan: { ...state.plan, manifestDir: path.resolve(dir) } as Plan, tiers, sweep: state.sweep };
}
