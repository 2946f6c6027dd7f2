/** Scales for the charts: data value ↔ pixel, with tick values a reader expects. */

export interface Scale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
  ticks: number[];
}

/** 1, 2, 2.5, 5 × 10^k steps: the smallest step giving at most `count` intervals over [0, max]. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw - 1e-12) return m * mag;
  return 10 * mag;
}

/** A linear scale from 0 (or min) up to a nice maximum covering `max`, with ticks on its steps. */
export function linearScale(min: number, max: number, range: [number, number], tickCount = 5): Scale {
  const lo = Math.min(0, min);
  const hi = max > lo ? max : lo + 1;
  const step = niceStep(hi - lo, tickCount);
  const top = Math.ceil(hi / step - 1e-9) * step;
  const bottom = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = bottom; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  const f = ((v: number) => range[0] + ((v - bottom) / (top - bottom)) * (range[1] - range[0])) as Scale;
  f.domain = [bottom, top];
  f.range = range;
  f.ticks = ticks;
  return f;
}

/** A base-10 log scale over [min, max] (both > 0); ticks at 1, 2 and 5 × each power of ten inside. */
export function logScale(min: number, max: number, range: [number, number]): Scale {
  if (!(min > 0) || !(max > min)) throw new Error(`a log scale needs 0 < min < max (got ${min}, ${max})`);
  const l0 = Math.log10(min);
  const l1 = Math.log10(max);
  const f = ((v: number) => range[0] + ((Math.log10(v) - l0) / (l1 - l0)) * (range[1] - range[0])) as Scale;
  f.domain = [min, max];
  f.range = range;
  const ticks: number[] = [];
  for (let k = Math.floor(l0); k <= Math.ceil(l1); k++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  f.ticks = ticks;
  return f;
}

/** `$1,234`, `$12.50`, `$0.40`: whole dollars from 100 up, cents below. */
export function formatUsd(v: number): string {
  const abs = Math.abs(v);
  const fixed = abs.toFixed(abs >= 100 ? 0 : 2);
  const [whole = '0', cents] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0 ? '−' : ''}$${grouped}${cents ? `.${cents}` : ''}`;
}

/** Axis ticks: whole dollars when every tick is whole, cents otherwise — the same for all ticks. */
export function formatUsdTick(v: number, ticks: readonly number[]): string {
  const whole = ticks.every((t) => Math.abs(t - Math.round(t)) < 1e-9);
  if (!whole) return formatUsd(v).replace(/^(−?\$[\d,]+)$/, '$1.00');
  const s = String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0 ? '−' : ''}$${s}`;
}

/** A traffic multiple to two significant digits: `0.1×`, `2×`, `81×`, `100×`, `1.5×`. */
export function formatMultiple(v: number): string {
  return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))}×`;
}
