/**
 * Escaping for every format the design document writes. Every value that reaches SVG, HTML or
 * Markdown — names from the manifest, construct paths, prices, notes — goes through one of these.
 */

/** Characters XML 1.0 forbids anywhere (C0 controls but tab, CR and LF; U+FFFE/U+FFFF; lone surrogates). */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content or a double-quoted attribute value in XML, SVG or HTML. */
export function escapeXml(value: string): string {
  return value
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** HTML is escaped exactly as XML: the same five characters, the same replacement of controls. */
export const escapeHtml = escapeXml;

/**
 * Inline Markdown (GitHub-flavoured): backslash-escapes the characters that start inline markup
 * (emphasis, code, links, tables, strikethrough, escapes), HTML-escapes `<`, `>` and `&` so no tag
 * or entity survives, and escapes what would start a block when the value begins a line (a heading,
 * a list item, a rule). Newlines become spaces: an inline value never starts a new block. Plain
 * words, numbers and dots stay as they are, so the raw file reads well too.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(XML_INVALID, '\uFFFD')
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(\s*)(#{1,6}(?:\s|$)|[-+*](?:\s|$)|=+\s*$|-{3,}\s*$)/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A Markdown table cell: inline-escaped; `|` is escaped by escapeMarkdown already. */
export const escapeMarkdownCell = escapeMarkdown;

/**
 * A fenced code block that no line of `code` can close: the fence is one backtick longer than the
 * longest run of backticks in the code (at least three).
 */
export function markdownFence(code: string, info = ''): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const safeInfo = info.replace(/[^A-Za-z0-9_+-]/g, '');
  const body = code.replace(XML_INVALID, '\uFFFD').replace(/\r\n?/g, '\n');
  return `${fence}${safeInfo}\n${body}${body.endsWith('\n') ? '' : '\n'}${fence}`;
}

/**
 * A link destination or image path in Markdown: only relative paths of safe characters (a figure
 * file next to DESIGN.md); anything else is refused, so no value can smuggle a URL or markup.
 */
export function markdownPath(p: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/.test(p) || p.includes('..') || p.includes('//')) {
    throw new Error(`not a safe relative file path for a Markdown link: ${JSON.stringify(p)}`);
  }
  return p;
}

/** An id usable in XML, HTML and as a URL fragment: letters, digits, `-` and `_`, starting with a letter. */
export function safeId(value: string): string {
  const s = value.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[A-Za-z]/.test(s) ? s : `x-${s}`;
}
