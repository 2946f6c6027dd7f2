/**
 * The design document as data: sections of paragraphs, lists, tables, code blocks, notes and
 * figures. Renderers turn it into GitHub-flavoured Markdown (markdown.ts) and one self-contained
 * HTML file (html.ts); neither adds content, so the two always say the same thing.
 */

/** A run of text: plain, or styled, or a link. */
export type Inline = string | { text: string; style?: 'strong' | 'em' | 'code'; href?: string };

export type Align = 'left' | 'right' | 'center';

export type Block =
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered?: boolean; items: Inline[][] }
  | {
      kind: 'table';
      caption?: string;
      columns: Array<{ header: string; align?: Align }>;
      rows: Inline[][][];
    }
  | { kind: 'code'; language?: string; code: string; caption?: string }
  | { kind: 'note'; tone: 'note' | 'warning'; content: Inline[] }
  | Figure;

export interface Figure {
  kind: 'figure';
  /** Anchor id, unique in the document. */
  id: string;
  caption: string;
  /** What the figure shows, for readers who cannot see it (Markdown alt text). */
  alt: string;
  /** The SVG, as this package's renderers write it. */
  svg: string;
  /** Where the Markdown document finds it: a relative path next to DESIGN.md (`design/lean-architecture.svg`). */
  file: string;
}

export interface Section {
  /** Anchor id, unique in the document (letters, digits, `-`). */
  id: string;
  title: string;
  blocks: Block[];
  sections?: Section[];
}

export interface DesignDocument {
  title: string;
  /** One line under the title. */
  subtitle?: string;
  sections: Section[];
  /** Closing line: what generated the document, from what, when. */
  footer?: string;
}

export const strong = (text: string): Inline => ({ text, style: 'strong' });
export const em = (text: string): Inline => ({ text, style: 'em' });
export const code = (text: string): Inline => ({ text, style: 'code' });
export const link = (text: string, href: string): Inline => ({ text, href });

export class DocumentError extends Error {}

/** Every figure of the document, in order. */
export function figuresOf(doc: DesignDocument): Figure[] {
  const out: Figure[] = [];
  const visit = (s: Section) => {
    for (const b of s.blocks) if (b.kind === 'figure') out.push(b);
    for (const c of s.sections ?? []) visit(c);
  };
  for (const s of doc.sections) visit(s);
  return out;
}

/** Checks what both renderers rely on: unique ids and figure files, well-formed ids, table widths, safe links. */
export function validateDocument(doc: DesignDocument): void {
  const ids = new Set<string>();
  const files = new Set<string>();
  const checkId = (id: string, where: string) => {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(id))
      throw new DocumentError(
        `${where}: id ${JSON.stringify(id)} must be letters, digits and dashes, starting with a letter`,
      );
    if (ids.has(id)) throw new DocumentError(`${where}: id ${JSON.stringify(id)} is used twice`);
    ids.add(id);
  };
  const checkInline = (content: Inline[], where: string) => {
    for (const i of content) {
      if (typeof i === 'string' || i.href === undefined) continue;
      if (!/^(https?:\/\/[^\s"'<>]+|#[A-Za-z][A-Za-z0-9-]*)$/.test(i.href)) {
        throw new DocumentError(
          `${where}: link ${JSON.stringify(i.href)} must be an http(s) URL or a #section anchor`,
        );
      }
    }
  };
  const visit = (s: Section, where: string) => {
    checkId(s.id, where);
    for (const [n, b] of s.blocks.entries()) {
      const at = `${where} block ${n + 1}`;
      switch (b.kind) {
        case 'paragraph':
        case 'note':
          checkInline(b.content, at);
          break;
        case 'list':
          for (const item of b.items) checkInline(item, at);
          break;
        case 'table':
          for (const [r, row] of b.rows.entries()) {
            if (row.length !== b.columns.length)
              throw new DocumentError(
                `${at}: table row ${r + 1} has ${row.length} cells for ${b.columns.length} columns`,
              );
            for (const cell of row) checkInline(cell, at);
          }
          break;
        case 'figure':
          checkId(b.id, at);
          if (files.has(b.file)) throw new DocumentError(`${at}: figure file ${b.file} is used twice`);
          files.add(b.file);
          checkSvg(b.svg, at);
          break;
      }
    }
    for (const c of s.sections ?? []) visit(c, `${where} › ${c.title}`);
  };
  for (const s of doc.sections) visit(s, s.title);
}

/**
 * A figure is inlined into the HTML as it is: it must be one of ours — an SVG element with no
 * script, event handler, foreign content or link to anything outside itself.
 */
export function checkSvg(svg: string, where: string): void {
  const problems: string[] = [];
  if (!svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'))
    problems.push('does not start with an <svg> element');
  if (!/<\/svg>\s*$/.test(svg)) problems.push('does not end with </svg>');
  // Only markup is checked (text is escaped, so `onload=` in a label is just text).
  const tags = svg.match(/<[^>]*>/g) ?? [];
  if (tags.some((t) => /^<\/?(script|foreignObject|iframe|image|use|a|style)\b/i.test(t)))
    problems.push('holds a script, style, link, image, <use> or foreign content');
  if (tags.some((t) => /\son[a-z]+\s*=/i.test(t))) problems.push('has an event handler attribute');
  if (tags.some((t) => /\s(xlink:)?href\s*=/i.test(t))) problems.push('links to something (href)');
  if (tags.some((t) => /url\(\s*['"]?(?!#)/i.test(t)))
    problems.push('references a URL other than its own #ids');
  if (problems.length) throw new DocumentError(`${where}: the figure's SVG ${problems.join(', ')}`);
}
