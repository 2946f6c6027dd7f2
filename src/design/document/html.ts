/**
 * Design document → one self-contained HTML file: inline CSS and SVG, no script, nothing fetched
 * (no font, image, stylesheet or icon from anywhere), readable on a phone and printable. Every value
 * is HTML-escaped; figures are inlined after checkSvg has vetted them.
 */
import { escapeHtml } from '../escape.js';
import { STYLESHEET } from './css.js';
import { type Block, type DesignDocument, type Inline, type Section, validateDocument } from './model.js';

function inline(content: Inline[]): string {
  return content
    .map((i) => {
      if (typeof i === 'string') return escapeHtml(i);
      let t = escapeHtml(i.text);
      if (i.style === 'code') t = `<code>${t}</code>`;
      if (i.style === 'strong') t = `<strong>${t}</strong>`;
      if (i.style === 'em') t = `<em>${t}</em>`;
      if (i.href !== undefined) t = `<a href="${escapeHtml(i.href)}">${t}</a>`;
      return t;
    })
    .join('');
}

const alignClass = (a?: string) => (a === 'right' ? ' class="num"' : a === 'center' ? ' class="center"' : '');

/** The natural width of an SVG (its width attribute), for the CSS that keeps it legible. */
function svgWidth(svg: string): number {
  const m = /^<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  return m ? Number(m[1]) : 800;
}

function block(b: Block, figureNumber: () => number): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${inline(b.content)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${tag}>`;
    }
    case 'table': {
      const caption = b.caption ? `<caption>${escapeHtml(b.caption)}</caption>` : '';
      const head = `<thead><tr>${b.columns.map((c) => `<th scope="col"${alignClass(c.align)}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>`;
      const body = `<tbody>${b.rows.map((r) => `<tr>${r.map((cell, i) => `<td${alignClass(b.columns[i]?.align)}>${inline(cell)}</td>`).join('')}</tr>`).join('')}</tbody>`;
      return `<div class="table-wrap"><table>${caption}${head}${body}</table></div>`;
    }
    case 'code': {
      const lang = b.language
        ? ` class="language-${escapeHtml(b.language.replace(/[^A-Za-z0-9_+-]/g, ''))}"`
        : '';
      const caption = b.caption ? `<div class="code-caption">${escapeHtml(b.caption)}</div>` : '';
      return `${caption}<pre><code${lang}>${escapeHtml(b.code.replace(/\r\n?/g, '\n'))}</code></pre>`;
    }
    case 'note':
      return `<aside class="note${b.tone === 'warning' ? ' warning' : ''}"><p><span class="label">${b.tone === 'warning' ? 'Warning' : 'Note'}:</span> ${inline(b.content)}</p></aside>`;
    case 'figure': {
      const n = figureNumber();
      return `<figure id="${escapeHtml(b.id)}"><div class="figure-scroll" style="--w: ${svgWidth(b.svg)}px">${b.svg.trim()}</div><figcaption>Figure ${n}: ${escapeHtml(b.caption)}</figcaption></figure>`;
    }
  }
}

/** The browser tab's title, escaped: at most 70 characters of markup (validators and search engines cut longer ones). */
function pageTitle(title: string): string {
  if (escapeHtml(title).length <= 70) return escapeHtml(title);
  let chars = [...title];
  while (chars.length && escapeHtml(`${chars.join('').trimEnd()}…`).length > 70) chars = chars.slice(0, -1);
  return escapeHtml(`${chars.join('').trimEnd()}…`);
}

export function renderHtml(doc: DesignDocument): string {
  validateDocument(doc);
  let figures = 0;
  const next = () => ++figures;
  const body: string[] = [];
  const section = (s: Section, level: number) => {
    const h = `h${Math.min(6, level)}`;
    body.push(`<section id="${escapeHtml(s.id)}" aria-labelledby="${escapeHtml(s.id)}-h">`);
    body.push(`<${h} id="${escapeHtml(s.id)}-h">${escapeHtml(s.title)}</${h}>`);
    for (const b of s.blocks) body.push(block(b, next));
    for (const c of s.sections ?? []) section(c, level + 1);
    body.push('</section>');
  };
  for (const s of doc.sections) section(s, 2);
  const toc =
    doc.sections.length > 1
      ? `<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>${doc.sections
          .map(
            (s) =>
              `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>${s.sections?.length ? `<ol>${s.sections.map((c) => `<li><a href="#${escapeHtml(c.id)}">${escapeHtml(c.title)}</a></li>`).join('')}</ol>` : ''}</li>`,
          )
          .join('')}</ol></nav>`
      : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${pageTitle(doc.title)}</title>`,
    `<style>${STYLESHEET}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    `<header class="doc-header"><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle ? `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>` : ''}</header>`,
    toc,
    `<main>\n${body.join('\n')}\n</main>`,
    doc.footer ? `<footer class="doc-footer"><p>${escapeHtml(doc.footer)}</p></footer>` : '',
    '</div>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}
