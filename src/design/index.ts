/**
 * The design document's rendering foundations: architecture diagrams from a synthesized template,
 * the cost charts, and the Markdown / HTML renderers of a document model. Everything here is pure
 * (data in, text out) except reading a cloud assembly's construct paths; nothing writes to disk.
 */
import { completenessProblems, overlapProblems } from './architecture/check.js';
import { type DiagramLayout, layoutArchitecture } from './architecture/layout.js';
import {
  type ArchitectureModel,
  buildArchitecture,
  type ExtraEdge,
  type ExtraNode,
} from './architecture/model.js';
import { renderArchitectureSvg } from './architecture/svg.js';
import { parseTemplate } from './architecture/template.js';

export { CATEGORIES, CATEGORY_LABEL, type Category, typeInfo } from './architecture/catalog.js';
export { completenessProblems, overlapProblems } from './architecture/check.js';
export type { DiagramLayout, PlacedEdge, PlacedGroup, PlacedNode } from './architecture/layout.js';
export { layoutArchitecture } from './architecture/layout.js';
export type {
  Accounting,
  ArchitectureModel,
  ArchitectureOptions,
  DiagramEdge,
  DiagramGroup,
  DiagramNode,
  ExtraEdge,
  ExtraNode,
} from './architecture/model.js';
export { buildArchitecture, INTERNET } from './architecture/model.js';
export { renderArchitectureSvg } from './architecture/svg.js';
export {
  type ParsedTemplate,
  parseTemplate,
  readConstructPaths,
  TemplateError,
} from './architecture/template.js';
export { type Bar, type BarChart, renderBarChart } from './chart/bars.js';
export {
  type ChartEvent,
  type CostPoint,
  type CostSeries,
  type CostTrafficChart,
  chartEvents,
  eventLabel,
  renderCostTrafficChart,
} from './chart/cost-traffic.js';
export { formatMultiple, formatUsd } from './chart/scale.js';
export { type ComponentCost, costByComponent } from './cost-components.js';
export { renderHtml } from './document/html.js';
export { renderMarkdown } from './document/markdown.js';
export {
  type Block,
  code,
  type DesignDocument,
  DocumentError,
  em,
  type Figure,
  figuresOf,
  type Inline,
  link,
  type Section,
  strong,
  validateDocument,
} from './document/model.js';
export { escapeHtml, escapeMarkdown, escapeXml } from './escape.js';

export interface ArchitectureDiagramInput {
  /** The synthesized CloudFormation template (the main stack's). */
  template: Record<string, unknown>;
  /** Logical id → construct path (readConstructPaths), when the template carries no aws:cdk:path. */
  constructPaths?: ReadonlyMap<string, string>;
  /** A lean host's containers, Kubernetes workloads, external services. */
  extraNodes?: readonly ExtraNode[];
  extraEdges?: readonly ExtraEdge[];
  /** Accessible title of the SVG. */
  title: string;
  description?: string;
  /** Unique per page: the HTML document inlines several diagrams. */
  idPrefix: string;
}

export interface ArchitectureDiagram {
  svg: string;
  model: ArchitectureModel;
  layout: DiagramLayout;
}

/**
 * Template → checked SVG diagram. Throws when a template resource would be missing from the
 * diagram or when anything in the layout overlaps: a document never ships a diagram that hides a
 * component or cannot be read.
 */
export async function renderArchitectureDiagram(
  input: ArchitectureDiagramInput,
): Promise<ArchitectureDiagram> {
  const model = buildArchitecture(parseTemplate(input.template, input.constructPaths), {
    ...(input.extraNodes && { extraNodes: input.extraNodes }),
    ...(input.extraEdges && { extraEdges: input.extraEdges }),
  });
  const layout = await layoutArchitecture(model);
  const problems = [...completenessProblems(input.template, model, layout), ...overlapProblems(layout)];
  if (problems.length) {
    throw new Error(
      `the architecture diagram "${input.title}" cannot be drawn cleanly:\n  ${problems.join('\n  ')}`,
    );
  }
  const svg = renderArchitectureSvg(layout, model, {
    idPrefix: input.idPrefix,
    title: input.title,
    ...(input.description !== undefined && { description: input.description }),
  });
  return { svg, model, layout };
}
