/**
 * Diagram layout → SVG: plain shapes coloured by category with the service names (the AWS
 * architecture icons may not be redistributed, so none are used), a legend, `<title>`/`<desc>` for
 * screen readers, a tooltip per node listing every resource it stands for. Presentation attributes
 * only (no `<style>`), so an SVG inlined in HTML cannot restyle the page, and ids are prefixed so
 * several diagrams can share one page. Every label is XML-escaped.
 */
import { escapeXml } from '../escape.js';
import { FONT_FAMILY, type FontSpec, textWidth } from '../svg/text.js';
import { attrs, el, fmt, text } from '../svg/xml.js';
import { CATEGORIES, CATEGORY_LABEL, type Category } from './catalog.js';
import type { DiagramLayout, PlacedEdge, PlacedGroup, PlacedNode, TextLine } from './layout.js';
import type { ArchitectureModel, SubnetTier } from './model.js';

export const PALETTE: Record<Category | 'external', { fill: string; stroke: string }> = {
  edge: { fill: '#efe7fb', stroke: '#6a3d9a' },
  network: { fill: '#e1eefa', stroke: '#1f5f99' },
  compute: { fill: '#fdebd7', stroke: '#b35400' },
  data: { fill: '#e0f2e4', stroke: '#2b6e31' },
  operations: { fill: '#fbe4ee', stroke: '#a3154f' },
  external: { fill: '#ffffff', stroke: '#333333' },
};

const TIER_STYLE: Record<SubnetTier, { fill: string; stroke: string }> = {
  public: { fill: '#f0f7ea', stroke: '#4f7d2f' },
  private: { fill: '#edf3fa', stroke: '#2f6aa3' },
  isolated: { fill: '#f3f3f3', stroke: '#666666' },
};

const EDGE_STYLE = {
  flow: { stroke: '#c2410c', width: 2.5, dash: undefined as string | undefined, label: 'Request flow' },
  traffic: {
    stroke: '#4b5563',
    width: 1.4,
    dash: undefined as string | undefined,
    label: 'Connection (not a user request)',
  },
  reference: { stroke: '#9ca3af', width: 1, dash: '4 3', label: 'Reference (Ref, GetAtt)' },
};

const TEXT_COLOR = '#111827';
const MUTED = '#374151';

export interface SvgOptions {
  /** Prefix for the ids in the SVG (markers, title): unique per page when several diagrams share one. */
  idPrefix: string;
  /** The diagram's accessible title. */
  title: string;
  /** The accessible description; a summary of what is drawn is appended. */
  description?: string;
}

function fontAttrs(f: FontSpec) {
  return { 'font-size': f.size, 'font-weight': f.bold ? 'bold' : undefined };
}

function textLine(l: TextLine, fill = TEXT_COLOR, halo = false): string {
  return text(
    {
      x: l.x,
      y: l.y,
      'text-anchor': l.anchor,
      fill,
      ...fontAttrs(l.font),
      // A white outline under the glyphs keeps a title readable where an arrow crosses it.
      ...(halo && {
        stroke: '#ffffff',
        'stroke-width': 3,
        'stroke-linejoin': 'round',
        'paint-order': 'stroke',
      }),
    },
    l.text,
  );
}

function edgeStyle(e: PlacedEdge) {
  return e.edge.flow
    ? EDGE_STYLE.flow
    : e.edge.kind === 'traffic'
      ? EDGE_STYLE.traffic
      : EDGE_STYLE.reference;
}

function markerId(prefix: string, kind: keyof typeof EDGE_STYLE) {
  return `${prefix}-arrow-${kind}`;
}

interface LegendItem {
  kind: 'swatch' | 'line';
  label: string;
  fill?: string;
  stroke: string;
  width?: number;
  dash?: string | undefined;
  marker?: string;
}

const LEGEND_FONT: FontSpec = { size: 12 };

/** Lays the legend out in rows that fit `width`; returns its height and SVG. */
function legend(
  items: LegendItem[],
  width: number,
  top: number,
): { svg: string; height: number; boxes: Array<{ x: number; y: number; width: number; height: number }> } {
  const parts: string[] = [];
  const boxes: Array<{ x: number; y: number; width: number; height: number }> = [];
  let x = 12;
  let y = top + 10;
  const rowH = 22;
  for (const item of items) {
    const w = 34 + textWidth(item.label, LEGEND_FONT) + 18;
    if (x + w > width - 12 && x > 12) {
      x = 12;
      y += rowH;
    }
    if (item.kind === 'swatch') {
      parts.push(
        el('rect', {
          x,
          y: y + 2,
          width: 26,
          height: 14,
          rx: 3,
          fill: item.fill,
          stroke: item.stroke,
          'stroke-width': 1.2,
        }),
      );
    } else {
      parts.push(
        el('line', {
          x1: x,
          y1: y + 9,
          x2: x + 24,
          y2: y + 9,
          stroke: item.stroke,
          'stroke-width': item.width,
          'stroke-dasharray': item.dash,
          'marker-end': item.marker ? `url(#${item.marker})` : undefined,
        }),
      );
    }
    const tx = x + 34;
    parts.push(text({ x: tx, y: y + 14, fill: TEXT_COLOR, 'font-size': LEGEND_FONT.size }, item.label));
    boxes.push({ x, y, width: w - 18, height: 18 });
    x += w;
  }
  return { svg: parts.join(''), height: y + rowH - top + 6, boxes };
}

function nodeTooltip(p: PlacedNode, model: ArchitectureModel): string {
  const n = p.node;
  const acc = new Map(model.accounting.map((a) => [a.logicalId, a]));
  const lines = [`${n.title}${n.subtitle ? ` — ${n.subtitle}` : ''}`];
  if (n.resources.length) {
    lines.push(`Resources (${n.resources.length}):`);
    for (const id of n.resources) lines.push(`${id} (${acc.get(id)?.type ?? ''})`);
  }
  return lines.join('\n');
}

export function renderArchitectureSvg(
  layout: DiagramLayout,
  model: ArchitectureModel,
  opts: SvgOptions,
): string {
  const prefix = opts.idPrefix.replace(/[^A-Za-z0-9_-]/g, '-');
  const used = new Set<Category | 'external'>(layout.nodes.map((n) => n.node.category));
  const edgeKinds = new Set(layout.edges.map((e) => (e.edge.flow ? 'flow' : e.edge.kind)));
  const items: LegendItem[] = [
    ...CATEGORIES.filter((c) => used.has(c)).map(
      (c): LegendItem => ({
        kind: 'swatch',
        label: CATEGORY_LABEL[c],
        fill: PALETTE[c].fill,
        stroke: PALETTE[c].stroke,
      }),
    ),
    ...(['flow', 'traffic', 'reference'] as const)
      .filter((k) => edgeKinds.has(k))
      .map(
        (k): LegendItem => ({
          kind: 'line',
          label: EDGE_STYLE[k].label,
          stroke: EDGE_STYLE[k].stroke,
          width: EDGE_STYLE[k].width,
          dash: EDGE_STYLE[k].dash,
          marker: markerId(prefix, k),
        }),
      ),
  ];
  const width = Math.max(layout.width, 480);
  const leg = legend(items, width, layout.height);
  const height = layout.height + leg.height;

  const collapsed = model.accounting.filter((a) => a.how === 'collapsed' || a.how === 'aggregated').length;
  const flow = layout.edges.filter((e) => e.edge.flow).length;
  const summary = `${model.accounting.length} resources drawn as ${layout.nodes.filter((n) => n.node.kind === 'resource' || n.node.kind === 'alarms').length} boxes in ${layout.groups.length} groups; ${collapsed} supporting resources (roles, policies, log groups, rules, …) are folded into the box they serve. ${flow} arrows mark the request flow from the internet.`;
  const desc = opts.description ? `${opts.description} ${summary}` : summary;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({
      width,
      height,
      viewBox: `0 0 ${fmt(width)} ${fmt(height)}`,
      role: 'img',
      'aria-labelledby': `${prefix}-title ${prefix}-desc`,
      'font-family': FONT_FAMILY,
    })}>`,
  );
  out.push(`<title id="${escapeXml(`${prefix}-title`)}">${escapeXml(opts.title)}</title>`);
  out.push(`<desc id="${escapeXml(`${prefix}-desc`)}">${escapeXml(desc)}</desc>`);
  out.push('<defs>');
  for (const k of ['flow', 'traffic', 'reference'] as const) {
    out.push(
      el(
        'marker',
        {
          id: markerId(prefix, k),
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
          markerUnits: 'userSpaceOnUse',
        },
        el('path', { d: 'M0,0 L10,5 L0,10 z', fill: EDGE_STYLE[k].stroke }),
      ),
    );
  }
  out.push('</defs>');
  out.push(el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));

  // Groups, outermost first (a parent is always larger, so sort by depth).
  const depth = (g: PlacedGroup): number => {
    let d = 0;
    let p = g.group.parent;
    const byId = new Map(layout.groups.map((x) => [x.group.id, x]));
    while (p) {
      d++;
      p = byId.get(p)?.group.parent ?? '';
    }
    return d;
  };
  const groups = layout.groups
    .slice()
    .sort((a, b) => depth(a) - depth(b) || (a.group.id < b.group.id ? -1 : 1));
  for (const g of groups) {
    const gr = g.group;
    const style =
      gr.kind === 'category'
        ? {
            fill: '#fafafa',
            stroke: PALETTE[gr.category ?? 'operations'].stroke,
            dash: undefined as string | undefined,
          }
        : gr.kind === 'vpc'
          ? { fill: '#f8fbff', stroke: '#1f5f99', dash: undefined }
          : gr.kind === 'tier'
            ? { ...TIER_STYLE[gr.subnetTier ?? 'isolated'], dash: undefined }
            : { fill: '#ffffff', stroke: TIER_STYLE[gr.subnetTier ?? 'isolated'].stroke, dash: '5 3' };
    out.push(
      `<g${attrs({ 'data-group': gr.id, 'data-kind': gr.kind })}>` +
        el('rect', {
          x: g.x,
          y: g.y,
          width: g.width,
          height: g.height,
          rx: 6,
          fill: style.fill,
          stroke: style.stroke,
          'stroke-width': gr.kind === 'vpc' ? 1.6 : 1.1,
          'stroke-dasharray': style.dash,
        }) +
        '</g>',
    );
  }

  // Containers (a host) below their children, then plain nodes.
  const nodes = layout.nodes
    .slice()
    .sort((a, b) => Number(b.container) - Number(a.container) || (a.node.id < b.node.id ? -1 : 1));
  for (const p of nodes) {
    const c = PALETTE[p.node.category];
    const shape =
      p.node.kind === 'internet'
        ? el('rect', {
            x: p.x,
            y: p.y,
            width: p.width,
            height: p.height,
            rx: p.height / 2,
            fill: c.fill,
            stroke: c.stroke,
            'stroke-width': 1.5,
          })
        : el('rect', {
            x: p.x,
            y: p.y,
            width: p.width,
            height: p.height,
            rx: p.container ? 8 : 5,
            fill: p.container ? '#fffaf3' : c.fill,
            stroke: c.stroke,
            'stroke-width': p.container ? 1.6 : 1.3,
          });
    out.push(
      `<g${attrs({ 'data-node': p.node.id, 'data-category': p.node.category })}>` +
        `<title>${escapeXml(nodeTooltip(p, model))}</title>` +
        shape +
        (p.container ? '' : p.text.map((l) => textLine(l, l.font.bold ? TEXT_COLOR : MUTED)).join('')) +
        '</g>',
    );
  }

  // Edges on top, request flow last so it stays visible where lines cross.
  const edges = layout.edges
    .slice()
    .sort(
      (a, b) =>
        Number(a.edge.flow) - Number(b.edge.flow) ||
        (a.edge.kind === b.edge.kind ? 0 : a.edge.kind === 'reference' ? -1 : 1) ||
        (a.edge.id < b.edge.id ? -1 : 1),
    );
  for (const e of edges) {
    const s = edgeStyle(e);
    const kind = e.edge.flow ? 'flow' : e.edge.kind;
    out.push(
      `<g${attrs({ 'data-edge': e.edge.id, 'data-kind': kind })}>` +
        `<title>${escapeXml(`${e.edge.from} → ${e.edge.to}: ${e.edge.why.join('; ')}`)}</title>` +
        el('polyline', {
          points: e.points.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' '),
          fill: 'none',
          stroke: s.stroke,
          'stroke-width': s.width,
          'stroke-dasharray': s.dash,
          'stroke-linejoin': 'round',
          'marker-end': `url(#${markerId(prefix, kind)})`,
        }) +
        '</g>',
    );
  }
  // Titles of groups and containers last, over any arrow that crosses their header.
  const titles: string[] = [];
  for (const g of groups) {
    const gr = g.group;
    titles.push(
      ...g.text.map((l) =>
        textLine(l, gr.kind === 'category' ? PALETTE[gr.category ?? 'operations'].stroke : MUTED, true),
      ),
    );
  }
  for (const p of nodes.filter((n) => n.container))
    titles.push(...p.text.map((l) => textLine(l, l.font.bold ? TEXT_COLOR : MUTED, true)));
  out.push(`<g data-titles="true">${titles.join('')}</g>`);
  out.push(`<g data-legend="true">${leg.svg}</g>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
