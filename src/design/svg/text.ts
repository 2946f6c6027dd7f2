/**
 * Text measurement without a browser: advance widths from font-metrics.ts (the wider of Liberation
 * Sans and DejaVu Sans per character), so a box sized here holds its label in either font. Anything
 * outside printable ASCII is measured as a full em (wide East Asian) or 0.75 em (everything else) —
 * generous on purpose: a box a little too wide is fine, a label spilling out is not.
 */
import { BOLD, REGULAR } from './font-metrics.js';

/** The font every diagram and chart names: the families the metrics were taken from first. */
export const FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";

export interface FontSpec {
  size: number;
  bold?: boolean;
}

function charWidth(cp: number, bold: boolean): number {
  if (cp >= 32 && cp < 127) return ((bold ? BOLD : REGULAR)[cp - 32] ?? 1000) / 1000;
  if (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)))
    return 1;
  if (cp >= 0xf900 && (cp <= 0xfaff || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)))
    return 1;
  if (cp >= 0x20000) return 1;
  return 0.75;
}

/** Width in px of `text` in the given font. */
export function textWidth(text: string, font: FontSpec): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch.codePointAt(0) ?? 0, font.bold ?? false);
  return em * font.size;
}

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidth`, at spaces, or at `-`, `/`,
 * `_`, `:` and lower→upper case changes for long identifiers (never inside a number like `0.25`); the last line ends with `…`
 * when the text does not fit. Returns at least one line.
 */
export function wrapText(text: string, maxWidth: number, font: FontSpec, maxLines = 2): string[] {
  const fits = (s: string) => textWidth(s, font) <= maxWidth;
  const all: string[] = [];
  let current = '';
  for (let token of splitWords(text.trim().replace(/\s+/g, ' '))) {
    if (fits((current + token).trimEnd())) {
      current += token;
      continue;
    }
    if (current.trim()) all.push(current.trimEnd());
    current = '';
    token = token.trimStart();
    // A single token wider than a line: cut it by characters.
    while (!fits(token.trimEnd())) {
      let cut = '';
      for (const ch of token) {
        if (!fits(cut + ch)) break;
        cut += ch;
      }
      if (!cut) cut = [...token][0] as string;
      all.push(cut);
      token = token.slice(cut.length);
    }
    current = token;
  }
  if (current.trim() || all.length === 0) all.push(current.trimEnd());
  if (all.length <= maxLines) return all;
  const lines = all.slice(0, maxLines);
  let last = lines[maxLines - 1] as string;
  while (last && !fits(`${last.trimEnd()}…`)) last = [...last].slice(0, -1).join('');
  lines[maxLines - 1] = `${last.trimEnd()}…`;
  return lines;
}

function splitWords(text: string): string[] {
  // Keep the separator with the word before it, so joining the pieces gives back the text.
  const parts = text.match(/[^\s\-/_:]+?(?=[A-Z][a-z])|[^\s\-/_:]+[\s\-/_:]*|[\s\-/_:]+/g);
  return parts ?? [text];
}
