/**
 * Design document → GitHub-flavoured Markdown. Figures are referenced as relative image files (the
 * caller writes each figure's SVG to its `file`, see figuresOf); every value is escaped for
 * Markdown; headings get the anchors GitHub generates, so the table of contents links work there.
 */
import { escapeMarkdown, markdownFence, markdownPath } from '../escape.js';
import { type Block, type DesignDocument, type Inline, type Section, validateDocument } from './model.js';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2. */
export function githubSlugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading: string) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

/** A code span; in a table cell a `|` still ends the cell (GFM), so it is escaped there too. */
function codeSpan(text: string, inTable: boolean): string {
  const body = text.replace(/\r\n?|\n/g, ' ').replace(/\|/g, inTable ? '\\|' : '|');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || /^ .* $/.test(body) ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

function linkDestination(href: string, anchors: Map<string, string>): string {
  if (href.startsWith('#')) return `#${anchors.get(href.slice(1)) ?? href.slice(1)}`;
  // An http(s) URL (checked by validateDocument): encode what would end or break the destination.
  return href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function inline(content: Inline[], anchors: Map<string, string>, inTable = false): string {
  return content
    .map((i) => {
      if (typeof i === 'string') return escapeMarkdown(i);
      let t = i.style === 'code' ? codeSpan(i.text, inTable) : escapeMarkdown(i.text);
      if (i.style === 'strong') t = `**${t}**`;
      if (i.style === 'em') t = `*${t}*`;
      if (i.href !== undefined) t = `[${t}](${linkDestination(i.href, anchors)})`;
      return t;
    })
    .join('');
}

function block(b: Block, anchors: Map<string, string>, figureNumber: () => number): string {
  switch (b.kind) {
    case 'paragraph':
      return inline(b.content, anchors);
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inline(item, anchors)}`).join('\n');
    case 'table': {
      const head = `| ${b.columns.map((c) => escapeMarkdown(c.header)).join(' | ')} |`;
      const sep = `| ${b.columns.map((c) => (c.align === 'right' ? '---:' : c.align === 'center' ? ':---:' : '---')).join(' | ')} |`;
      const rows = b.rows.map(
        (r) => `| ${r.map((cell) => inline(cell, anchors, true) || ' ').join(' | ')} |`,
      );
      const caption = b.caption ? `${escapeMarkdown(b.caption)}\n\n` : '';
      return `${caption}${[head, sep, ...rows].join('\n')}`;
    }
    case 'code':
      return `${b.caption ? `${escapeMarkdown(b.caption)}\n\n` : ''}${markdownFence(b.code, b.language ?? '')}`;
    case 'note':
      return `> [!${b.tone === 'warning' ? 'WARNING' : 'NOTE'}]\n> ${inline(b.content, anchors)}`;
    case 'figure': {
      const n = figureNumber();
      return `![${escapeMarkdown(b.alt)}](${markdownPath(b.file)})\n\n*Figure ${n}: ${escapeMarkdown(b.caption)}*`;
    }
  }
}

export function renderMarkdown(doc: DesignDocument): string {
  validateDocument(doc);
  // Anchors as GitHub makes them from the heading text, in document order.
  const slug = githubSlugger();
  const anchors = new Map<string, string>();
  slug(doc.title);
  const collect = (s: Section) => {
    anchors.set(s.id, slug(s.title));
    for (const c of s.sections ?? []) collect(c);
  };
  for (const s of doc.sections) collect(s);
  let figures = 0;
  const next = () => ++figures;
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`];
  if (doc.subtitle) out.push(escapeMarkdown(doc.subtitle));
  if (doc.sections.length > 1) {
    const toc: string[] = [];
    const tocOf = (s: Section, depth: number) => {
      toc.push(`${'  '.repeat(depth)}- [${escapeMarkdown(s.title)}](#${anchors.get(s.id)})`);
      for (const c of s.sections ?? []) tocOf(c, depth + 1);
    };
    for (const s of doc.sections) tocOf(s, 0);
    out.push(toc.join('\n'));
  }
  const section = (s: Section, level: number) => {
    out.push(`${'#'.repeat(Math.min(6, level))} ${escapeMarkdown(s.title)}`);
    for (const b of s.blocks) out.push(block(b, anchors, next));
    for (const c of s.sections ?? []) section(c, level + 1);
  };
  for (const s of doc.sections) section(s, 2);
  if (doc.footer) out.push(`---\n\n${escapeMarkdown(doc.footer)}`);
  return `${out.join('\n\n')}\n`;
}
