/**
 * The cost charts: scales with the ticks a reader expects, crossovers and eligibility changes found
 * exactly, lines broken where a tier is not eligible, labels clear of each other and of the lines,
 * well-formed and byte-stable SVG, pinned as golden files.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { segmentHitsBox } from '../../src/design/chart/cost-traffic.js';
import { formatUsdTick, linearScale, logScale, niceStep } from '../../src/design/chart/scale.js';
import {
  type CostSeries,
  chartEvents,
  eventLabel,
  formatMultiple,
  formatUsd,
  renderBarChart,
  renderCostTrafficChart,
} from '../../src/design/index.js';
import { expectGolden } from '../helpers/golden.js';

const XS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** lean: flat then stepping up, not eligible above 10×; ecs: a line; eks: from 0.5×, flatter. */
function threeTiers(): CostSeries[] {
  return [
    {
      name: 'lean',
      points: XS.map((x) =>
        x <= 10
          ? { x, usd: x < 2 ? 24 : x < 5 ? 41 : 68 }
          : { x, usd: null, why: 'one host cannot serve it' },
      ),
    },
    { name: 'ecs', points: XS.map((x) => ({ x, usd: 150 + 4 * x })) },
    { name: 'eks', points: XS.map((x) => (x < 0.5 ? { x, usd: null } : { x, usd: 320 + 2 * x })) },
  ];
}

describe('scales', () => {
  it('picks 1-2-2.5-5 steps and a top that covers the data', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(0.9, 4)).toBe(0.25);
    const y = linearScale(0, 537, [300, 0]);
    expect(y.ticks).toEqual([0, 200, 400, 600]);
    expect(y(0)).toBe(300);
    expect(y(600)).toBe(0);
    expect(y(300)).toBe(150);
  });

  it('puts 1, 2 and 5 of every power of ten on a log axis, evenly per decade', () => {
    const x = logScale(0.1, 100, [0, 300]);
    expect(x.ticks).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
    expect(x(0.1)).toBe(0);
    expect(x(1)).toBeCloseTo(100);
    expect(x(10)).toBeCloseTo(200);
    expect(x(100)).toBe(300);
    expect(() => logScale(0, 10, [0, 1])).toThrow(/0 < min < max/);
  });

  it('formats money and multiples for labels', () => {
    expect(formatUsd(1234.5)).toBe('$1,235');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(-3.456)).toBe('−$3.46');
    expect(formatUsdTick(200, [0, 100, 200])).toBe('$200');
    expect(formatUsdTick(0.5, [0, 0.25, 0.5])).toBe('$0.50');
    expect(formatMultiple(0.1)).toBe('0.1×');
    expect(formatMultiple(81.2)).toBe('81×');
    expect(formatMultiple(100)).toBe('100×');
  });
});

describe('chartEvents', () => {
  it('finds where lines cross, interpolated on the drawn (log-x) segments', () => {
    const series: CostSeries[] = [
      {
        name: 'a',
        points: [
          { x: 1, usd: 10 },
          { x: 10, usd: 30 },
        ],
      },
      {
        name: 'b',
        points: [
          { x: 1, usd: 20 },
          { x: 10, usd: 20 },
        ],
      },
    ];
    const [e] = chartEvents(series);
    // a − b goes from −10 to +10: halfway in log x, i.e. at √10.
    expect(e).toMatchObject({ kind: 'crossover', cheaper: 'b', than: 'a', usd: 20 });
    expect(e?.x).toBeCloseTo(Math.sqrt(10), 10);
    expect(eventLabel(e as never)).toBe('b cheaper than a from 3.2×');
  });

  it('reports where a tier stops and starts being eligible, and ignores gaps for crossovers', () => {
    const events = chartEvents(threeTiers());
    expect(
      events.map(
        (e) =>
          `${e.kind} ${e.kind === 'crossover' ? `${e.cheaper}<${e.than}` : e.series} ${formatMultiple(e.x)}`,
      ),
    ).toEqual(['starts eks 0.5×', 'stops lean 10×', 'crossover eks<ecs 81×']);
    expect(events[1]).toMatchObject({ why: 'one host cannot serve it', usd: 68 });
  });

  it('finds no crossover between lines that only touch or never meet', () => {
    expect(
      chartEvents([
        {
          name: 'a',
          points: [
            { x: 1, usd: 10 },
            { x: 2, usd: 20 },
            { x: 3, usd: 10 },
          ],
        },
        {
          name: 'b',
          points: [
            { x: 1, usd: 30 },
            { x: 2, usd: 20 },
            { x: 3, usd: 30 },
          ],
        },
      ]),
    ).toEqual([]);
  });
});

describe('renderCostTrafficChart', () => {
  const chart = renderCostTrafficChart({
    title: 'Cost versus traffic — <shop> & "co"',
    baseLabel: '300,000 requests a month',
    series: threeTiers(),
    idPrefix: 'cost-traffic',
  });

  it('is well-formed, accessible SVG with every label escaped', () => {
    expect(XMLValidator.validate(chart.svg)).toBe(true);
    expect(chart.svg).toContain(
      '<title id="cost-traffic-title">Cost versus traffic — &lt;shop&gt; &amp; &quot;co&quot;</title>',
    );
    expect(chart.svg).toMatch(
      /<desc id="cost-traffic-desc">[^<]*lean: \$24\.00 today\.[^<]*eks cheaper than ecs from 81×\.<\/desc>/,
    );
  });

  it('draws each tier as lines broken where it is not eligible', () => {
    const doc = new XMLParser({ ignoreAttributes: false }).parse(chart.svg);
    const lines = [doc.svg.polyline].flat().map((p: Record<string, string>) => p['@_stroke']);
    // lean: one run (0.1×–10×); ecs: one; eks: one (0.5×–100×).
    expect(lines.filter((s) => s === '#1d4ed8')).toHaveLength(1);
    expect(lines.filter((s) => s === '#c2410c')).toHaveLength(1);
    expect(lines.filter((s) => s === '#047857')).toHaveLength(1);
  });

  it('marks and labels every event, with no label over another label or over a line', () => {
    expect(chart.events).toHaveLength(3);
    for (const [i, e] of chart.events.entries()) expect(chart.svg).toContain(`${i + 1}. ${eventLabel(e)}`);
    const boxes = chart.labels.map((l) => l.box);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as (typeof boxes)[number];
        const b = boxes[j] as (typeof boxes)[number];
        const overlap =
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${chart.labels[i]?.text} / ${chart.labels[j]?.text}`).toBe(false);
      }
    }
    // Event labels sit clear of every series line.
    const doc = new XMLParser({ ignoreAttributes: false }).parse(chart.svg);
    const segments = [doc.svg.polyline].flat().flatMap((p: Record<string, string>) => {
      const pts = (p['@_points'] as string)
        .split(' ')
        .map((xy) => xy.split(',').map(Number) as [number, number]);
      return pts
        .slice(1)
        .map((q, k) => [...(pts[k] as [number, number]), ...q] as [number, number, number, number]);
    });
    for (const l of chart.labels.filter((x) => /^\d( |$)/.test(x.text))) {
      for (const [x1, y1, x2, y2] of segments)
        expect(segmentHitsBox(x1, y1, x2, y2, l.box), l.text).toBe(false);
    }
  });

  it('is byte-identical for the same data, and matches its golden file', () => {
    const again = renderCostTrafficChart({
      title: 'Cost versus traffic — <shop> & "co"',
      baseLabel: '300,000 requests a month',
      series: threeTiers(),
      idPrefix: 'cost-traffic',
    });
    expect(again.svg).toBe(chart.svg);
    expectGolden('design/cost-traffic.svg', chart.svg);
  });
});

describe('renderBarChart', () => {
  const bars = renderBarChart({
    title: 'Cost by component (USD a month)',
    parts: ['fixed', 'usage-based'],
    bars: [
      { label: 'Application Load Balancer', values: [23.73, 5.84] },
      { label: 'RDS PostgreSQL <db.t4g.small>', values: [25.66, 0] },
      { label: 'A component with a long name that has to wrap onto a second line', values: [3.1, 1.2] },
    ],
    idPrefix: 'bars',
  });

  it('is well-formed SVG with labels that do not collide, and matches its golden file', () => {
    expect(XMLValidator.validate(bars.svg)).toBe(true);
    expect(bars.svg).toContain('RDS PostgreSQL &lt;db.t4g.small&gt;');
    expect(bars.svg).toContain('$29.57');
    const boxes = bars.labels.map((l) => l.box);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as (typeof boxes)[number];
        const b = boxes[j] as (typeof boxes)[number];
        expect(
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
          `${bars.labels[i]?.text} / ${bars.labels[j]?.text}`,
        ).toBe(false);
      }
    }
    expectGolden('design/cost-bars.svg', bars.svg);
  });
});

describe('segmentHitsBox', () => {
  it('tells a segment through a box from one beside it', () => {
    const box = { x: 10, y: 10, width: 10, height: 10 };
    expect(segmentHitsBox(0, 15, 30, 15, box)).toBe(true);
    expect(segmentHitsBox(0, 0, 30, 30, box)).toBe(true);
    expect(segmentHitsBox(0, 25, 30, 25, box)).toBe(false);
    expect(segmentHitsBox(0, 0, 5, 30, box)).toBe(false);
  });
});
