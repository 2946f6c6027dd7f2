/**
 * The cost-versus-traffic chart: USD a month (linear) against traffic as a multiple of the
 * manifest's (log scale, 0.1× to 100×), one line per tier, gaps where a tier is not eligible, and a
 * marked, labelled point where one tier becomes cheaper than another or a tier stops (or starts)
 * being eligible. Pure: data in, SVG text out, the same bytes for the same data.
 *
 * Hand-written SVG rather than a charting library: the chart needs exactly two scales, polylines
 * with gaps and collision-free labels; the output stays a few kilobytes of plain shapes with every
 * label escaped here, and is deterministic by construction.
 */
import { escapeXml } from '../escape.js';
import { FONT_FAMILY, type FontSpec, textWidth } from '../svg/text.js';
import { attrs, el, fmt, text } from '../svg/xml.js';
import { formatMultiple, formatUsd, formatUsdTick, linearScale, logScale } from './scale.js';

export interface CostPoint {
  /** Traffic as a multiple of the manifest's (1 = as the manifest says). */
  x: number;
  /** USD a month; null where the tier is not eligible at this traffic. */
  usd: number | null;
  /** Why the tier is not eligible here (when usd is null). */
  why?: string;
}

export interface CostSeries {
  name: string;
  points: CostPoint[];
}

export interface CostTrafficChart {
  title: string;
  /** What 1× is, for the axis title: `300k requests and 15 GB out a month`. */
  baseLabel: string;
  series: CostSeries[];
  /** Prefix for ids in the SVG (unique per page). */
  idPrefix: string;
  /** A marked traffic multiple besides 1× (`stackplan serve`'s what-if traffic), with its label. */
  cursor?: { x: number; label: string };
  /** @default 760 */
  width?: number;
  /** @default 420 */
  height?: number;
}

export type ChartEvent =
  | { kind: 'crossover'; x: number; usd: number; cheaper: string; than: string }
  | { kind: 'stops'; x: number; usd: number; series: string; why?: string }
  | { kind: 'starts'; x: number; usd: number; series: string };

/** Where lines cross (the cheaper tier changes) and where a tier stops or starts being eligible, by traffic. */
export function chartEvents(series: readonly CostSeries[]): ChartEvent[] {
  const events: ChartEvent[] = [];
  for (const s of series) {
    const pts = sorted(s.points);
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i] as CostPoint;
      const b = pts[i + 1] as CostPoint;
      if (a.usd !== null && b.usd === null)
        events.push({ kind: 'stops', x: a.x, usd: a.usd, series: s.name, ...(b.why && { why: b.why }) });
      if (a.usd === null && b.usd !== null)
        events.push({ kind: 'starts', x: b.x, usd: b.usd, series: s.name });
    }
  }
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const A = series[i] as CostSeries;
      const B = series[j] as CostSeries;
      const bx = new Map(B.points.map((p) => [p.x, p.usd]));
      const xs = sorted(A.points)
        .map((p) => p.x)
        .filter((x) => bx.has(x));
      const ay = new Map(A.points.map((p) => [p.x, p.usd]));
      let lastSign = 0;
      let lastX: number | undefined;
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k] as number;
        const ya = ay.get(x);
        const yb = bx.get(x);
        if (ya === null || ya === undefined || yb === null || yb === undefined) {
          lastSign = 0;
          lastX = undefined;
          continue;
        }
        const d = ya - yb;
        const sign = Math.abs(d) < 1e-9 ? 0 : Math.sign(d);
        if (sign !== 0 && lastSign !== 0 && sign !== lastSign && lastX !== undefined) {
          // Interpolate where the straight segments (straight in log x) meet.
          const x0 = lastX;
          const pa0 = ay.get(x0) as number;
          const pb0 = bx.get(x0) as number;
          const d0 = pa0 - pb0;
          const t = d0 / (d0 - d);
          const lx = Math.log10(x0) + t * (Math.log10(x) - Math.log10(x0));
          const usd = pa0 + t * (ya - pa0);
          events.push({
            kind: 'crossover',
            x: 10 ** lx,
            usd,
            cheaper: sign < 0 ? A.name : B.name,
            than: sign < 0 ? B.name : A.name,
          });
        }
        if (sign !== 0) {
          lastSign = sign;
          lastX = x;
        }
      }
    }
  }
  return events.sort((a, b) => a.x - b.x || a.kind.localeCompare(b.kind));
}

function sorted(points: readonly CostPoint[]): CostPoint[] {
  return points.slice().sort((a, b) => a.x - b.x);
}

export function eventLabel(e: ChartEvent): string {
  switch (e.kind) {
    case 'crossover':
      return `${e.cheaper} cheaper than ${e.than} from ${formatMultiple(e.x)}`;
    case 'stops':
      return `${e.series} not eligible above ${formatMultiple(e.x)}`;
    case 'starts':
      return `${e.series} eligible from ${formatMultiple(e.x)}`;
  }
}

/** Line colours and dash patterns, told apart without colour too. */
const SERIES_STYLE = [
  { stroke: '#1d4ed8', dash: undefined as string | undefined, marker: 'circle' },
  { stroke: '#c2410c', dash: '8 4', marker: 'square' },
  { stroke: '#047857', dash: '2 3', marker: 'diamond' },
  { stroke: '#7c3aed', dash: '10 3 2 3', marker: 'circle' },
  { stroke: '#be123c', dash: '4 2', marker: 'square' },
];

const AXIS_FONT: FontSpec = { size: 12 };
const LABEL_FONT: FontSpec = { size: 12 };
const TITLE_FONT: FontSpec = { size: 14, bold: true };
const EVENT_FONT: FontSpec = { size: 12, bold: true };

export interface ChartLabel {
  text: string;
  x: number;
  y: number;
  box: { x: number; y: number; width: number; height: number };
}

export interface RenderedChart {
  svg: string;
  events: ChartEvent[];
  /** Every label with its box (for the overlap checks). */
  labels: ChartLabel[];
}

function marker(shape: string, x: number, y: number, color: string): string {
  switch (shape) {
    case 'square':
      return el('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: color });
    case 'diamond':
      return el('path', {
        d: `M${fmt(x)},${fmt(y - 4.5)} L${fmt(x + 4.5)},${fmt(y)} L${fmt(x)},${fmt(y + 4.5)} L${fmt(x - 4.5)},${fmt(y)} z`,
        fill: color,
      });
    default:
      return el('circle', { cx: x, cy: y, r: 3.5, fill: color });
  }
}

/** Whether the segment passes through the box (Liang–Barsky clipping). */
export function segmentHitsBox(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  b: { x: number; y: number; width: number; height: number },
): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const checks: Array<[number, number]> = [
    [-dx, x1 - b.x],
    [dx, b.x + b.width - x1],
    [-dy, y1 - b.y],
    [dy, b.y + b.height - y1],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

function overlaps(a: ChartLabel['box'], b: ChartLabel['box']): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function renderCostTrafficChart(chart: CostTrafficChart): RenderedChart {
  const width = chart.width ?? 760;
  const prefix = chart.idPrefix.replace(/[^A-Za-z0-9_-]/g, '-');
  const all = chart.series.flatMap((s) => s.points);
  const xs = [...all.map((p) => p.x), ...(chart.cursor ? [chart.cursor.x] : [])];
  const xMin = Math.min(0.1, ...xs);
  const xMax = Math.max(100, ...xs);
  const maxUsd = Math.max(0, ...all.map((p) => p.usd ?? 0));
  const events = chartEvents(chart.series);

  // Legend rows first: they set the bottom margin.
  const legendItems = chart.series.map((s, i) => ({
    s,
    style: SERIES_STYLE[i % SERIES_STYLE.length] as (typeof SERIES_STYLE)[number],
  }));
  const eventLines = events.map(
    (e, i) => `${i + 1}. ${eventLabel(e)}${e.kind === 'stops' && e.why ? ` (${e.why})` : ''}`,
  );
  const left = 72;
  const right = 24;
  const top = 62;
  const plotH = (chart.height ?? 420) - 150;
  const bottom = top + plotH;
  const x = logScale(xMin, xMax, [left, width - right]);
  const y = linearScale(0, maxUsd * 1.08, [bottom, top]);

  const parts: string[] = [];
  const labels: ChartLabel[] = [];
  const addLabel = (
    t: string,
    lx: number,
    ly: number,
    font: FontSpec,
    anchor: 'start' | 'middle' | 'end',
    fill = '#111827',
    extra: Record<string, string | number> = {},
  ) => {
    const w = textWidth(t, font);
    const bx = anchor === 'middle' ? lx - w / 2 : anchor === 'end' ? lx - w : lx;
    labels.push({
      text: t,
      x: lx,
      y: ly,
      box: { x: bx, y: ly - font.size * 0.93, width: w, height: font.size * 1.17 },
    });
    parts.push(
      text(
        {
          x: lx,
          y: ly,
          'text-anchor': anchor,
          fill,
          'font-size': font.size,
          'font-weight': font.bold ? 'bold' : undefined,
          ...extra,
        },
        t,
      ),
    );
  };

  addLabel(chart.title, left, 24, TITLE_FONT, 'start');
  // Grid and axes.
  for (const t of y.ticks) {
    const py = y(t);
    parts.push(
      el('line', {
        x1: left,
        y1: py,
        x2: width - right,
        y2: py,
        stroke: t === 0 ? '#6b7280' : '#e5e7eb',
        'stroke-width': 1,
      }),
    );
    addLabel(formatUsdTick(t, y.ticks), left - 8, py + 4, AXIS_FONT, 'end', '#374151');
  }
  for (const t of x.ticks) {
    const px = x(t);
    const major = Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9;
    parts.push(
      el('line', {
        x1: px,
        y1: top,
        x2: px,
        y2: bottom,
        stroke: major ? '#d1d5db' : '#f0f1f3',
        'stroke-width': 1,
      }),
    );
    if (major || t === 1) addLabel(formatMultiple(t), px, bottom + 20, AXIS_FONT, 'middle', '#374151');
  }
  // 1×: the manifest's traffic.
  parts.push(
    el('line', {
      x1: x(1),
      y1: top,
      x2: x(1),
      y2: bottom,
      stroke: '#111827',
      'stroke-width': 1,
      'stroke-dasharray': '3 3',
    }),
  );
  addLabel('today', x(1) + 4, top + 12, AXIS_FONT, 'start', '#111827');
  if (chart.cursor) {
    const cx = x(chart.cursor.x);
    parts.push(el('line', { x1: cx, y1: top, x2: cx, y2: bottom, stroke: '#1d4ed8', 'stroke-width': 2 }));
    const atRight = cx > (left + width - right) / 2;
    addLabel(
      chart.cursor.label,
      atRight ? cx - 4 : cx + 4,
      top + 28,
      AXIS_FONT,
      atRight ? 'end' : 'start',
      '#1d4ed8',
    );
  }
  addLabel(
    `traffic, × ${chart.baseLabel} (log scale)`,
    (left + width - right) / 2,
    bottom + 40,
    AXIS_FONT,
    'middle',
    '#374151',
  );
  addLabel('USD a month', 12, top - 16, AXIS_FONT, 'start', '#374151');

  // Series: polylines broken where the tier is not eligible.
  const segments: Array<[number, number, number, number]> = [];
  legendItems.forEach(({ s, style }) => {
    const pts = sorted(s.points);
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1)
        parts.push(
          el('polyline', {
            points: run.join(' '),
            fill: 'none',
            stroke: style.stroke,
            'stroke-width': 2.2,
            'stroke-dasharray': style.dash,
            'stroke-linejoin': 'round',
          }),
        );
      run = [];
    };
    for (const p of pts) {
      if (p.usd === null) {
        flush();
        continue;
      }
      run.push(`${fmt(x(p.x))},${fmt(y(p.usd))}`);
    }
    for (let k = 0; k + 1 < pts.length; k++) {
      const a = pts[k] as CostPoint;
      const b = pts[k + 1] as CostPoint;
      if (a.usd !== null && b.usd !== null) segments.push([x(a.x), y(a.usd), x(b.x), y(b.usd)]);
    }
    flush();
    for (const p of pts) if (p.usd !== null) parts.push(marker(style.marker, x(p.x), y(p.usd), style.stroke));
  });

  // Events: a numbered ring on the chart with a short label, the sentence in the list under it.
  const taken: ChartLabel['box'][] = [
    ...labels.map((l) => l.box),
    ...events.map((e) => ({ x: x(e.x) - 8, y: y(e.usd) - 8, width: 16, height: 16 })),
  ];
  const lineHits = (box: ChartLabel['box']) =>
    segments.some(([x1, y1, x2, y2]) => segmentHitsBox(x1, y1, x2, y2, box));
  events.forEach((e, i) => {
    const px = x(e.x);
    const py = y(e.usd);
    parts.push(
      el('circle', { cx: px, cy: py, r: 7, fill: '#ffffff', stroke: '#111827', 'stroke-width': 1.5 }),
    );
    // The label: the number and a few words, or the number alone where the words do not fit.
    // Candidate spots: above, below, right, left of the ring, further out each round.
    const short = `${i + 1} ${e.kind === 'crossover' ? `${e.cheaper} cheaper` : e.kind === 'stops' ? `${e.series} ends` : `${e.series} starts`}`;
    let placed: { t: string; at: [number, number]; anchor: 'start' | 'middle' | 'end' } | undefined;
    for (const t of [short, String(i + 1)]) {
      const w = textWidth(t, EVENT_FONT) + 4;
      const spots: Array<[number, number, 'start' | 'middle' | 'end']> = [];
      for (const d of [14, 26, 40, 56])
        spots.push(
          [px, py - d, 'middle'],
          [px, py + d + 10, 'middle'],
          [px + d, py + 4, 'start'],
          [px - d, py + 4, 'end'],
        );
      for (const [sx, sy, anchor] of spots) {
        const bx = anchor === 'middle' ? sx - w / 2 : anchor === 'end' ? sx - w : sx;
        const box = { x: bx, y: sy - EVENT_FONT.size * 0.93, width: w, height: EVENT_FONT.size * 1.17 };
        const inside =
          box.x >= left && box.x + box.width <= width - right && box.y >= top && box.y + box.height <= bottom;
        if (inside && !taken.some((b) => overlaps(b, box)) && !lineHits(box)) {
          placed = { t, at: [sx, sy], anchor };
          break;
        }
      }
      if (placed) break;
    }
    const spot = placed ?? {
      t: String(i + 1),
      at: [px, py - 14] as [number, number],
      anchor: 'middle' as const,
    };
    const before = labels.length;
    addLabel(spot.t, spot.at[0], spot.at[1], EVENT_FONT, spot.anchor, '#111827', {
      stroke: '#ffffff',
      'stroke-width': 3,
      'paint-order': 'stroke',
    });
    taken.push((labels[before] as ChartLabel).box);
  });

  // Legend and the event list under the axis.
  let ly = bottom + 64;
  let lx = left;
  for (const { s, style } of legendItems) {
    const w = 40 + textWidth(s.name, LABEL_FONT) + 24;
    if (lx + w > width - right && lx > left) {
      lx = left;
      ly += 20;
    }
    parts.push(
      el('line', {
        x1: lx,
        y1: ly - 4,
        x2: lx + 30,
        y2: ly - 4,
        stroke: style.stroke,
        'stroke-width': 2.2,
        'stroke-dasharray': style.dash,
      }),
    );
    parts.push(marker(style.marker, lx + 15, ly - 4, style.stroke));
    addLabel(s.name, lx + 38, ly, LABEL_FONT, 'start');
    lx += w;
  }
  for (const line of eventLines) {
    ly += 20;
    addLabel(line, left, ly, LABEL_FONT, 'start', '#111827');
  }
  const height = ly + 16;

  const desc = [
    `Monthly cost of ${chart.series.map((s) => s.name).join(', ')} from ${formatMultiple(xMin)} to ${formatMultiple(xMax)} of ${chart.baseLabel}.`,
    ...chart.series.map((s) => {
      const at1 = s.points.find((p) => p.x === 1);
      return at1 ? `${s.name}: ${at1.usd === null ? 'not eligible' : formatUsd(at1.usd)} today.` : '';
    }),
    ...events.map((e) => `${eventLabel(e)}.`),
  ]
    .filter(Boolean)
    .join(' ');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${fmt(width)} ${fmt(height)}`, role: 'img', 'aria-labelledby': `${prefix}-title ${prefix}-desc`, 'font-family': FONT_FAMILY })}>`,
    `<title id="${escapeXml(`${prefix}-title`)}">${escapeXml(chart.title)}</title>`,
    `<desc id="${escapeXml(`${prefix}-desc`)}">${escapeXml(desc)}</desc>`,
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, events, labels };
}
