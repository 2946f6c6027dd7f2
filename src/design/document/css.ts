/**
 * The HTML document's stylesheet: readable type on any screen, tables that scroll sideways on a
 * phone instead of squeezing, diagrams kept large enough to read (scrolling when the screen is
 * narrower), and a print stylesheet (no navigation, figures fit the page, sections start cleanly).
 * System fonts only: nothing is fetched.
 */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #111827; --muted: #4b5563; --line: #d1d5db; --soft: #f3f4f6; --accent: #1d4ed8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #ffffff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
.page { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
header.doc-header { border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; padding-bottom: .75rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .35rem; }
.subtitle { color: var(--muted); margin: 0; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h4, h5, h6 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p, ul, ol { margin: .6rem 0; }
/* A long unbroken token (a logical id, an ARN) wraps rather than widening the page on a phone. */
p, li, h1, h2, h3, h4, h5, h6, .subtitle { overflow-wrap: anywhere; }
li { margin: .2rem 0; }
a { color: var(--accent); }
code { font: .9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: var(--soft); padding: .1em .3em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; }
pre code { background: none; padding: 0; overflow-wrap: normal; white-space: pre; }
.code-caption { color: var(--muted); font-size: .9rem; margin-bottom: .25rem; }
nav.toc { background: var(--soft); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0 2rem; }
nav.toc h2 { border: 0; margin: 0 0 .25rem; padding: 0; font-size: 1rem; }
nav.toc ol { margin: 0; padding-left: 1.25rem; }
.table-wrap { overflow-x: auto; margin: .75rem 0; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; min-width: 100%; font-size: .95rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .35rem; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; vertical-align: top; text-align: left; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.center, th.center { text-align: center; }
aside.note { border-left: 4px solid var(--accent); background: #eff6ff; padding: .5rem .9rem; margin: 1rem 0; border-radius: 0 6px 6px 0; }
aside.note.warning { border-color: #b45309; background: #fffbeb; }
aside.note p { margin: .25rem 0; }
aside.note .label { font-weight: 700; }
figure { margin: 1.25rem 0; }
.figure-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; -webkit-overflow-scrolling: touch; }
/* A diagram never shrinks below 80% of its drawn size, so its 11-13px labels stay readable: on a
   narrow screen it scrolls sideways instead. */
.figure-scroll svg { display: block; height: auto; width: 100%; min-width: calc(var(--w) * 0.8); max-width: var(--w); }
figcaption { color: var(--muted); font-size: .95rem; margin-top: .4rem; }
footer.doc-footer { margin-top: 3rem; padding-top: .75rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  .page { padding: 1rem .85rem 2rem; }
  h1 { font-size: 1.55rem; }
  h2 { font-size: 1.3rem; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-before: page; border-top: 0; }
  h2, h3, h4 { break-after: avoid; }
  figure, table, pre, aside.note { break-inside: avoid; }
  .figure-scroll, .table-wrap { overflow: visible; border: 0; }
  .figure-scroll svg { min-width: 0; max-width: 100%; }
  a { color: inherit; text-decoration: none; }
  pre { white-space: pre-wrap; }
  pre code { white-space: pre-wrap; }
}
`;
