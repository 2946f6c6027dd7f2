/**
 * Architecture model → coordinates, with elkjs (the Eclipse Layout Kernel compiled to JavaScript):
 * the layered algorithm with nested groups (VPC → subnet tier → subnet, a host → its containers),
 * orthogonal edges routed across group boundaries, everything in absolute coordinates.
 *
 * Deterministic: nodes, groups and edges go in sorted, ELK's randomised steps use a fixed seed, and
 * coordinates are rounded to 0.1 px, so the same model gives the same layout byte for byte.
 * elkjs's `layout()` returns a promise but computes synchronously in this thread (the bundled build,
 * no worker), so a caller can await it anywhere in the pipeline.
 */
import { createRequire } from 'node:module';
import type { ELK, ELKConstructorArguments, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { type FontSpec, textWidth, wrapText } from '../svg/text.js';
import type { ArchitectureModel, DiagramEdge, DiagramGroup, DiagramNode } from './model.js';

// elkjs is a CommonJS module whose types describe an ES default export: load it with require.
const ElkConstructor = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new (
  args?: ELKConstructorArguments,
) => ELK;

export const TITLE_FONT: FontSpec = { size: 13, bold: true };
export const SUBTITLE_FONT: FontSpec = { size: 11 };
export const GROUP_FONT: FontSpec = { size: 12, bold: true };
const TITLE_LINE = 16;
const SUBTITLE_LINE = 14;
const PAD_X = 10;
const PAD_Y = 8;
const NODE_MIN_W = 120;
const NODE_MAX_TEXT = 190;
const GROUP_HEADER = 28;
const GROUP_PAD = 14;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A line of text and the box it occupies (for the overlap checks). */
export interface TextLine {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  font: FontSpec;
  /** Where the line's glyphs are: from the top of its line box, its measured width. */
  box: Rect;
  anchor: 'start' | 'middle';
}

export interface PlacedNode extends Rect {
  node: DiagramNode;
  /** A node drawn as a container (a host with its containers) has its text in a header. */
  container: boolean;
  text: TextLine[];
}

export interface PlacedGroup extends Rect {
  group: DiagramGroup;
  text: TextLine[];
}

export interface PlacedEdge {
  edge: DiagramEdge;
  /** Polyline from the source's border to the target's, in absolute coordinates. */
  points: Array<[number, number]>;
}

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  groups: PlacedGroup[];
  edges: PlacedEdge[];
}

interface TextBlock {
  title: string[];
  subtitle: string[];
  width: number;
  height: number;
}

function nodeText(n: DiagramNode): TextBlock {
  const title = wrapText(n.title, NODE_MAX_TEXT, TITLE_FONT, 2);
  const subtitle = n.subtitle ? wrapText(n.subtitle, NODE_MAX_TEXT, SUBTITLE_FONT, 3) : [];
  const width = Math.max(
    ...title.map((l) => textWidth(l, TITLE_FONT)),
    ...subtitle.map((l) => textWidth(l, SUBTITLE_FONT)),
    0,
  );
  return { title, subtitle, width, height: title.length * TITLE_LINE + subtitle.length * SUBTITLE_LINE };
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface LayoutOptions {
  /** Layer direction: requests flow top to bottom (the default) or left to right. */
  direction?: 'DOWN' | 'RIGHT';
}

export async function layoutArchitecture(
  model: ArchitectureModel,
  opts: LayoutOptions = {},
): Promise<DiagramLayout> {
  const texts = new Map(model.nodes.map((n) => [n.id, nodeText(n)]));
  const groupTitles = new Map(model.groups.map((g) => [g.id, wrapText(g.title, 400, GROUP_FONT, 1)]));
  const childrenOf = new Map<string, Array<DiagramNode | DiagramGroup>>();
  for (const item of [...model.groups, ...model.nodes]) {
    const list = childrenOf.get(item.parent) ?? [];
    list.push(item);
    childrenOf.set(item.parent, list);
  }
  const isGroup = (x: DiagramNode | DiagramGroup): x is DiagramGroup =>
    'kind' in x && ['category', 'vpc', 'tier', 'subnet'].includes(x.kind);

  // Model order: ELK keeps it where edges leave it free (subnets by AZ, tiers public → isolated).
  const order = (x: DiagramNode | DiagramGroup) =>
    `${isGroup(x) ? `0-${String(x.order).padStart(4, '0')}` : '1'}-${x.id}`;
  const sortKids = (list: Array<DiagramNode | DiagramGroup>) =>
    list.slice().sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const byIdAll = new Map<string, DiagramNode | DiagramGroup>(
    [...model.groups, ...model.nodes].map((x) => [x.id, x]),
  );
  const shown = model.edges.filter((e) => e.show);
  // A category group lays its boxes out in rows of at most WRAP: invisible edges put box i+WRAP
  // under box i, so six unconnected boxes make two rows instead of one very wide one.
  const WRAP = 4;
  const wrapEdges: ElkExtendedEdge[] = [];
  for (const g of model.groups.filter((x) => x.kind === 'category')) {
    const kids = sortKids(childrenOf.get(g.id) ?? []);
    for (let i = WRAP; i < kids.length; i++) {
      wrapEdges.push({
        id: `wrap-${g.id}-${i}`,
        sources: [(kids[i - WRAP] as DiagramNode).id],
        targets: [(kids[i] as DiagramNode).id],
      });
    }
  }
  const isContainer = (id: string) => (childrenOf.get(id) ?? []).length > 0;
  /** Groups and containers whose title is wider than ELK made them, with the missing width. */
  const tooNarrow = (laid: ElkNode): Array<[string, number]> => {
    const out: Array<[string, number]> = [];
    const visit = (n: ElkNode) => {
      for (const c of n.children ?? []) {
        const item = byIdAll.get(c.id);
        if (item && isGroup(item)) {
          const w = Math.max(...(groupTitles.get(item.id) ?? ['']).map((l) => textWidth(l, GROUP_FONT)));
          if (w + 2 * GROUP_PAD > (c.width ?? 0) + 0.5)
            out.push([item.id, w + 2 * GROUP_PAD - (c.width ?? 0)]);
        } else if (item && isContainer(item.id)) {
          const text = texts.get(item.id) as TextBlock;
          if (text.width + 2 * PAD_X > (c.width ?? 0) + 0.5)
            out.push([item.id, text.width + 2 * PAD_X - (c.width ?? 0)]);
        }
        visit(c);
      }
    };
    visit(laid);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  const buildGraph = (widen: ReadonlyMap<string, number>): ElkNode => {
    const build = (item: DiagramNode | DiagramGroup): ElkNode => {
      const kids = sortKids(childrenOf.get(item.id) ?? []);
      if (isGroup(item)) {
        const titleW = Math.max(...(groupTitles.get(item.id) ?? ['']).map((l) => textWidth(l, GROUP_FONT)));
        return {
          id: item.id,
          layoutOptions: {
            // Operations (alarms, CI, logs) below everything else.
            ...(item.kind === 'category' &&
              item.category === 'operations' && { 'elk.layered.layering.layerConstraint': 'LAST' }),
            'elk.padding': `[top=${GROUP_HEADER + 6},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD + (widen.get(item.id) ?? 0)}]`,
            'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
            'elk.nodeSize.minimum': `(${Math.ceil(titleW + 2 * GROUP_PAD)},${GROUP_HEADER + 24})`,
          },
          children: kids.map(build),
        };
      }
      const text = texts.get(item.id) as TextBlock;
      const width = Math.ceil(Math.max(NODE_MIN_W, text.width + 2 * PAD_X));
      const height = Math.ceil(text.height + 2 * PAD_Y);
      if (kids.length) {
        return {
          id: item.id,
          layoutOptions: {
            'elk.padding': `[top=${height + 6},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD + (widen.get(item.id) ?? 0)}]`,
            'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
            'elk.nodeSize.minimum': `(${width},${height + 30})`,
          },
          children: kids.map(build),
        };
      }
      return {
        id: item.id,
        width,
        height,
        ...(item.kind === 'internet' && {
          layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' },
        }),
      };
    };

    const graph: ElkNode = {
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': opts.direction ?? 'DOWN',
        'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
        'elk.edgeRouting': 'ORTHOGONAL',
        'elk.layered.spacing.nodeNodeBetweenLayers': '44',
        'elk.spacing.nodeNode': '24',
        'elk.layered.spacing.edgeNodeBetweenLayers': '16',
        'elk.spacing.edgeNode': '14',
        'elk.spacing.edgeEdge': '8',
        'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
        'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
        'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
        'elk.randomSeed': '1',
        'elk.json.edgeCoords': 'ROOT',
        'elk.json.shapeCoords': 'ROOT',
        'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      },
      children: sortKids(childrenOf.get('') ?? []).map(build),
      edges: [
        ...shown.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.from], targets: [e.to] })),
        ...wrapEdges,
      ],
    };

    return graph;
  };

  // ELK does not keep a nested group as wide as its minimum size, so a group whose title came out
  // wider than the group gets that much more right padding, and the graph is laid out again.
  const elk = new ElkConstructor();
  // A group holding one box is as wide as that box: what its title needs more is known up front,
  // which spares the second pass in the common case (a subnet with just its NAT gateway).
  const widen = new Map<string, number>();
  for (const g of model.groups) {
    const kids = childrenOf.get(g.id) ?? [];
    const only = kids[0];
    if (kids.length !== 1 || !only || isGroup(only) || isContainer(only.id)) continue;
    const titleW = Math.max(...(groupTitles.get(g.id) ?? ['']).map((l) => textWidth(l, GROUP_FONT)));
    const text = texts.get(only.id) as TextBlock;
    const childW = Math.ceil(Math.max(NODE_MIN_W, text.width + 2 * PAD_X));
    if (titleW > childW) widen.set(g.id, Math.ceil(titleW - childW) + 2);
  }
  let out = await elk.layout(buildGraph(widen));
  for (let pass = 0; pass < 3; pass++) {
    const narrow = tooNarrow(out);
    if (!narrow.length) break;
    for (const [id, missing] of narrow) widen.set(id, (widen.get(id) ?? 0) + Math.ceil(missing) + 2);
    out = await elk.layout(buildGraph(widen));
  }

  const placedNodes: PlacedNode[] = [];
  const placedGroups: PlacedGroup[] = [];
  const byId = new Map<string, DiagramNode | DiagramGroup>(
    [...model.groups, ...model.nodes].map((x) => [x.id, x]),
  );
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const item = byId.get(c.id);
      const rect = {
        x: round(c.x ?? 0),
        y: round(c.y ?? 0),
        width: round(c.width ?? 0),
        height: round(c.height ?? 0),
      };
      if (item && isGroup(item)) {
        const lines = groupTitles.get(item.id) ?? [];
        placedGroups.push({
          ...rect,
          group: item,
          text: lines.map((l, i) => line(l, rect.x + GROUP_PAD, rect.y + 19 + i * 16, GROUP_FONT, 'start')),
        });
      } else if (item) {
        const text = texts.get(item.id) as TextBlock;
        const container = (c.children ?? []).length > 0;
        const cx = container ? rect.x + PAD_X : rect.x + rect.width / 2;
        const anchor = container ? 'start' : 'middle';
        const lines: TextLine[] = [];
        let y = rect.y + PAD_Y;
        for (const l of text.title) {
          lines.push(line(l, cx, y + 12, TITLE_FONT, anchor));
          y += TITLE_LINE;
        }
        for (const l of text.subtitle) {
          lines.push(line(l, cx, y + 11, SUBTITLE_FONT, anchor));
          y += SUBTITLE_LINE;
        }
        placedNodes.push({ ...rect, node: item, container, text: lines });
      }
      walk(c);
    }
  };
  walk(out);

  const edgeById = new Map(shown.map((e) => [e.id, e]));
  const placedEdges: PlacedEdge[] = [];
  const collectEdges = (n: ElkNode) => {
    for (const e of n.edges ?? []) {
      const edge = edgeById.get(e.id);
      const section = e.sections?.[0];
      if (!edge || !section) continue;
      const points: Array<[number, number]> = [
        [round(section.startPoint.x), round(section.startPoint.y)],
        ...(section.bendPoints ?? []).map((p): [number, number] => [round(p.x), round(p.y)]),
        [round(section.endPoint.x), round(section.endPoint.y)],
      ];
      placedEdges.push({ edge, points });
    }
    for (const c of n.children ?? []) collectEdges(c);
  };
  collectEdges(out);
  const cmpId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    width: Math.ceil(out.width ?? 0),
    height: Math.ceil(out.height ?? 0),
    nodes: placedNodes.sort((a, b) => cmpId(a.node, b.node)),
    groups: placedGroups.sort((a, b) => cmpId(a.group, b.group)),
    edges: placedEdges.sort((a, b) => cmpId(a.edge, b.edge)),
  };
}

function line(text: string, x: number, y: number, font: FontSpec, anchor: 'start' | 'middle'): TextLine {
  const w = textWidth(text, font);
  const left = anchor === 'middle' ? x - w / 2 : x;
  return {
    text,
    x: round(x),
    y: round(y),
    font,
    anchor,
    // Ascent ≈ 0.93 em above the baseline and descent ≈ 0.24 em below, for the metric fonts.
    box: { x: round(left), y: round(y - font.size * 0.93), width: round(w), height: round(font.size * 1.17) },
  };
}
