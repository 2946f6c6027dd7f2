/** Small helpers to write SVG as text: every attribute value and text node is escaped here. */
import { escapeXml } from '../escape.js';

export type Attrs = Record<string, string | number | undefined>;

/** A number as SVG writes it: at most one decimal, no trailing zeros, no `-0`. */
export function fmt(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? fmt(v) : (v as string))}"`)
    .join('');
}

export function el(name: string, a: Attrs, children?: string): string {
  return children === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${children}</${name}>`;
}

export function text(a: Attrs, content: string): string {
  return `<text${attrs(a)}>${escapeXml(content)}</text>`;
}
