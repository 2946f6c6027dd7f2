/**
 * A horizontal bar chart for the cost section: one bar per component (its label on the left, its
 * amount on the right), optionally split into stacked parts (fixed vs usage-based). Pure, sized to
 * its labels, deterministic.
 */
import { escapeXml } from '../escape.js';
import { FONT_FAMILY, type FontSpec, textWidth, wrapText } from '../svg/text.js';
import { attrs, el, fmt, text } from '../svg/xml.js';
import { formatUsd, formatUsdTick, linearScale } from './scale.js';

export interface Bar {
  label: string;
  /** USD a month per part, in the order of `parts`. */
  values: number[];
}

export interface BarChart {
  title: string;
  /** Names of the stacked parts (`fixed`, `usage-based`); one part needs no legend. */
  parts: string[];
  bars: Bar[];
  idPrefix: string;
  /** @default 760 */
  width?: number;
}

const PART_COLORS = ['#2563eb', '#93c5fd', '#f59e0b', '#10b981'];
const LABEL_FONT: FontSpec = { size: 12 };
const TITLE_FONT: FontSpec = { size: 14, bold: true };

export function renderBarChart(chart: BarChart): {
  svg: string;
  labels: Array<{ text: string; box: { x: number; y: number; width: number; height: number } }>;
} {
  const width = chart.width ?? 760;
  const prefix = chart.idPrefix.replace(/[^A-Za-z0-9_-]/g, '-');
  const labelW = Math.min(
    260,
    Math.max(
      80,
      ...chart.bars.map((b) =>
        Math.max(...wrapText(b.label, 260, LABEL_FONT, 2).map((l) => textWidth(l, LABEL_FONT))),
      ),
    ),
  );
  const totals = chart.bars.map((b) => b.values.reduce((a, v) => a + v, 0));
  const valueW = Math.max(60, ...totals.map((t) => textWidth(formatUsd(t), LABEL_FONT))) + 8;
  const left = 16 + labelW + 12;
  const right = width - 16 - valueW;
  const top = 60;
  const rowH = 30;
  const x = linearScale(0, Math.max(0, ...totals), [left, right], 4);
  const parts: string[] = [];
  const labels: Array<{ text: string; box: { x: number; y: number; width: number; height: number } }> = [];
  const label = (
    t: string,
    lx: number,
    ly: number,
    font: FontSpec,
    anchor: 'start' | 'end' | 'middle',
    fill = '#111827',
  ) => {
    const w = textWidth(t, font);
    const bx = anchor === 'middle' ? lx - w / 2 : anchor === 'end' ? lx - w : lx;
    labels.push({ text: t, box: { x: bx, y: ly - font.size * 0.93, width: w, height: font.size * 1.17 } });
    parts.push(
      text(
        {
          x: lx,
          y: ly,
          'text-anchor': anchor,
          fill,
          'font-size': font.size,
          'font-weight': font.bold ? 'bold' : undefined,
        },
        t,
      ),
    );
  };
  label(chart.title, 16, 24, TITLE_FONT, 'start');
  // Legend for stacked parts.
  if (chart.parts.length > 1) {
    let lx = 16;
    chart.parts.forEach((p, i) => {
      parts.push(
        el('rect', { x: lx, y: 34, width: 14, height: 12, fill: PART_COLORS[i % PART_COLORS.length] }),
      );
      label(p, lx + 20, 45, LABEL_FONT, 'start');
      lx += 20 + textWidth(p, LABEL_FONT) + 20;
    });
  }
  const bottom = top + chart.bars.length * rowH;
  for (const t of x.ticks) {
    parts.push(
      el('line', {
        x1: x(t),
        y1: top - 4,
        x2: x(t),
        y2: bottom,
        stroke: t === 0 ? '#6b7280' : '#e5e7eb',
        'stroke-width': 1,
      }),
    );
    label(formatUsdTick(t, x.ticks), x(t), bottom + 16, LABEL_FONT, 'middle', '#374151');
  }
  chart.bars.forEach((b, i) => {
    const cy = top + i * rowH + rowH / 2;
    const lines = wrapText(b.label, labelW, LABEL_FONT, 2);
    lines.forEach((l, k) => {
      label(l, left - 12, cy + 4 + (k - (lines.length - 1) / 2) * 15, LABEL_FONT, 'end');
    });
    let acc = 0;
    b.values.forEach((v, k) => {
      if (v <= 0) return;
      parts.push(
        el('rect', {
          x: x(acc),
          y: cy - 9,
          width: Math.max(0.5, x(acc + v) - x(acc)),
          height: 18,
          fill: PART_COLORS[k % PART_COLORS.length],
        }),
      );
      acc += v;
    });
    label(formatUsd(totals[i] as number), x(acc) + 6, cy + 4, LABEL_FONT, 'start');
  });
  const height = bottom + 30;
  const desc = chart.bars.map((b, i) => `${b.label}: ${formatUsd(totals[i] as number)}`).join('; ');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${fmt(width)} ${fmt(height)}`, role: 'img', 'aria-labelledby': `${prefix}-title ${prefix}-desc`, 'font-family': FONT_FAMILY })}>`,
    `<title id="${escapeXml(`${prefix}-title`)}">${escapeXml(chart.title)}</title>`,
    `<desc id="${escapeXml(`${prefix}-desc`)}">${escapeXml(desc)}</desc>`,
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, labels };
}
