/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The planner page in the browser: a CodeMirror 6 editor on the manifest, the what-if controls, and
 * the fragments the server renders (tiers, chart, one tier in full). Bundled by esbuild at build
 * time (scripts/serve-client.mjs) into dist/serve/client/app.js: the page loads nothing else.
 * Everything shown comes from the server's escaped HTML or goes through textContent.
 */

import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { type Diagnostic as CmDiagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { type SchemaNode, schemaCompletion } from './complete.js';

interface ServerDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  path: string;
  message: string;
  expected?: string;
  found?: string;
  fix: string;
  line?: number;
  column?: number;
}

interface WhatIf {
  requestsPerMonth?: number;
  gbOutPerMonth?: number;
  availability?: string;
  rpoHours?: number;
  region?: string;
  freeTier?: string;
  profile?: string;
}

interface EvaluateResponse {
  ok: boolean;
  complete: boolean;
  diagnostics: ServerDiagnostic[];
  effective: {
    requestsPerMonth: number;
    gbOutPerMonth: number;
    availability: string;
    rpoHours: number;
    region: string;
    freeTier: string;
    profile: string;
    profileChosen: boolean;
  } | null;
  base: { requestsPerMonth: number; gbOutPerMonth: number } | null;
  recommended: string | null;
  html: { diagnostics: string; tiers: string; chart: string };
  error?: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => {
  $('status').textContent = text;
};

let savedHash = '';
let savedText = '';
let whatIf: WhatIf = {};
let base = { requestsPerMonth: 0, gbOutPerMonth: 0 };
let selected: string | undefined;
let seq = 0;
let view: EditorView;

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const value = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(value.error ?? `${res.status}`);
  return value;
}

const text = () => view.state.doc.toString();

function updateDirty() {
  const dirty = text() !== savedText;
  ($('save') as HTMLButtonElement).disabled = !dirty;
  return dirty;
}

/** The editor's diagnostics, placed where the loader says (line and column). */
function showDiagnostics(list: ServerDiagnostic[]) {
  const doc = view.state.doc;
  const out: CmDiagnostic[] = list.map((d) => {
    const line = doc.line(Math.min(Math.max(d.line ?? 1, 1), doc.lines));
    const from = Math.min(line.from + Math.max((d.column ?? 1) - 1, 0), line.to);
    const to = from < line.to ? line.to : Math.min(from + 1, doc.length);
    const ef =
      d.expected !== undefined || d.found !== undefined
        ? `\nexpected ${d.expected ?? '?'}, found ${d.found ?? '?'}`
        : '';
    return {
      from,
      to: Math.max(to, from),
      severity: d.severity,
      source: d.code,
      message: `${d.path ? `${d.path}: ` : ''}${d.message}${ef}\nfix: ${d.fix}`,
    };
  });
  view.dispatch(setDiagnostics(view.state, out));
}

// Log sliders: 0…1000 spans a tenth to 100× of the manifest's value (at least 1 … 10).
const span = (b: number) => {
  const lo = Math.log10(Math.max(b / 10, 1e-3));
  const hi = Math.log10(Math.max(b * 100, 10));
  return { lo, hi };
};
const toSlider = (v: number, b: number) => {
  const { lo, hi } = span(b);
  return Math.round(((Math.log10(Math.max(v, 1e-3)) - lo) / (hi - lo)) * 1000);
};
const fromSlider = (s: number, b: number, integer: boolean) => {
  const { lo, hi } = span(b);
  const v = 10 ** (lo + ((hi - lo) * s) / 1000);
  const p = Number(v.toPrecision(3));
  return integer ? Math.round(p) : p;
};
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });

function setControls(e: NonNullable<EvaluateResponse['effective']>) {
  const req = $('requests') as HTMLInputElement;
  const gb = $('gbout') as HTMLInputElement;
  if (document.activeElement !== req) req.value = String(toSlider(e.requestsPerMonth, base.requestsPerMonth));
  if (document.activeElement !== gb) gb.value = String(toSlider(e.gbOutPerMonth, base.gbOutPerMonth));
  const x = base.requestsPerMonth > 0 ? e.requestsPerMonth / base.requestsPerMonth : 1;
  const xs = `${fmt(Math.round(x * 100) / 100)}× the manifest`;
  $('requests-value').textContent = `${fmt(e.requestsPerMonth)} (${xs})`;
  req.setAttribute('aria-valuetext', `${fmt(e.requestsPerMonth)} requests a month, ${xs}`);
  $('gbout-value').textContent = `${fmt(e.gbOutPerMonth)} GB`;
  gb.setAttribute('aria-valuetext', `${fmt(e.gbOutPerMonth)} GB out a month`);
  ($('availability') as HTMLSelectElement).value = e.availability;
  const rpo = $('rpo') as HTMLInputElement;
  if (document.activeElement !== rpo) rpo.value = String(e.rpoHours);
  ($('region') as HTMLSelectElement).value = e.region;
  ($('freetier') as HTMLSelectElement).value = e.freeTier;
  ($('profile') as HTMLSelectElement).value = e.profileChosen ? e.profile : '';
}

function render(r: EvaluateResponse) {
  showDiagnostics(r.diagnostics);
  $('diagnostics').innerHTML = r.html.diagnostics;
  $('tiers').innerHTML = r.html.tiers;
  if (r.html.chart || !r.ok) $('chart').innerHTML = r.html.chart;
  if (r.base) base = r.base;
  if (r.effective) setControls(r.effective);
}

let detailTimer: ReturnType<typeof setTimeout> | undefined;
async function loadDetail(mine: number) {
  if (!selected) return;
  const detail = $('detail');
  detail.setAttribute('aria-busy', 'true');
  try {
    const r = await post<{ ok: boolean; html: string }>('/api/tier', {
      text: text(),
      whatIf,
      tier: selected,
    });
    if (mine !== seq) return;
    detail.innerHTML = r.html;
  } catch (e) {
    if (mine === seq) detail.innerHTML = '';
    status(`Could not show the tier: ${(e as Error).message}`);
  } finally {
    if (mine === seq) detail.removeAttribute('aria-busy');
  }
}

/** Re-plans the editor's text with the what-if: fast first (cached templates), then complete. */
async function evaluate() {
  const mine = ++seq;
  document.body.dataset.state = 'planning';
  status('Planning…');
  try {
    let r = await post<EvaluateResponse>('/api/evaluate', { text: text(), whatIf, selected, wait: false });
    if (mine !== seq) return;
    render(r);
    if (!r.complete) {
      status('Synthesizing the tiers this plan changes…');
      r = await post<EvaluateResponse>('/api/evaluate', { text: text(), whatIf, selected, wait: true });
      if (mine !== seq) return;
      render(r);
    }
    document.body.dataset.state = 'ready';
    status(r.ok ? (updateDirty() ? 'Modified — not saved' : 'Saved') : 'The manifest has errors');
    if (selected && r.ok) {
      clearTimeout(detailTimer);
      detailTimer = setTimeout(() => void loadDetail(mine), 0);
    }
  } catch (e) {
    if (mine === seq) {
      document.body.dataset.state = 'ready';
      status(`Planning failed: ${(e as Error).message}`);
    }
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
const soon = (ms: number) => {
  document.body.dataset.state = 'planning';
  clearTimeout(timer);
  timer = setTimeout(() => void evaluate(), ms);
};

async function save() {
  try {
    const r = await post<{ hash: string }>('/api/save', { text: text(), hash: savedHash });
    savedHash = r.hash;
    savedText = text();
    updateDirty();
    status('Saved');
  } catch (e) {
    status(`Not saved: ${(e as Error).message}`);
  }
}

async function reload() {
  const res = await fetch('/api/manifest');
  const m = (await res.json()) as { text: string; hash: string };
  savedHash = m.hash;
  savedText = m.text;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: m.text } });
  updateDirty();
  soon(0);
}

function wire() {
  const onWhatIf = (ms: number) => soon(ms);
  $('requests').addEventListener('input', (ev) => {
    whatIf.requestsPerMonth = fromSlider(
      Number((ev.target as HTMLInputElement).value),
      base.requestsPerMonth,
      true,
    );
    ($('multiple') as HTMLSelectElement).value = '';
    onWhatIf(30);
  });
  $('gbout').addEventListener('input', (ev) => {
    whatIf.gbOutPerMonth = fromSlider(
      Number((ev.target as HTMLInputElement).value),
      base.gbOutPerMonth,
      false,
    );
    ($('multiple') as HTMLSelectElement).value = '';
    onWhatIf(30);
  });
  $('multiple').addEventListener('change', (ev) => {
    const x = Number((ev.target as HTMLSelectElement).value);
    if (!x) return;
    whatIf.requestsPerMonth = Math.round(base.requestsPerMonth * x);
    whatIf.gbOutPerMonth = Math.round(base.gbOutPerMonth * x * 1000) / 1000;
    onWhatIf(0);
  });
  $('availability').addEventListener('change', (ev) => {
    whatIf.availability = (ev.target as HTMLSelectElement).value;
    onWhatIf(0);
  });
  $('rpo').addEventListener('input', (ev) => {
    const v = Number((ev.target as HTMLInputElement).value);
    if ((ev.target as HTMLInputElement).value === '' || !Number.isFinite(v)) return;
    whatIf.rpoHours = v;
    onWhatIf(250);
  });
  $('region').addEventListener('change', (ev) => {
    whatIf.region = (ev.target as HTMLSelectElement).value;
    onWhatIf(0);
  });
  $('freetier').addEventListener('change', (ev) => {
    whatIf.freeTier = (ev.target as HTMLSelectElement).value;
    onWhatIf(0);
  });
  $('profile').addEventListener('change', (ev) => {
    const v = (ev.target as HTMLSelectElement).value;
    if (v) whatIf.profile = v;
    else delete whatIf.profile;
    onWhatIf(0);
  });
  $('reset').addEventListener('click', () => {
    whatIf = {};
    ($('multiple') as HTMLSelectElement).value = '';
    soon(0);
  });
  $('apply').addEventListener('click', async () => {
    const r = await post<{ text: string }>('/api/apply', { text: text(), whatIf });
    if (r.text !== text()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: r.text } });
    whatIf = {
      ...(whatIf.freeTier && { freeTier: whatIf.freeTier }),
      ...(whatIf.profile && { profile: whatIf.profile }),
    };
    updateDirty();
    soon(0);
    status('Written into the editor — Save to keep it');
  });
  $('save').addEventListener('click', () => void save());
  $('reload').addEventListener('click', () => {
    if (!updateDirty() || confirm('Discard the edits in the editor and load the file from disk?'))
      void reload();
  });
  $('download').addEventListener('click', async () => {
    const button = $('download') as HTMLButtonElement;
    button.disabled = true;
    status(
      `Planning the saved manifest for download${updateDirty() ? ' (your unsaved edits are not in it)' : ''}…`,
    );
    try {
      const res = await fetch('/api/download', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new Error(((await res.json()) as { error: string }).error);
      const blob = await res.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'plan.zip';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      status('Plan downloaded');
    } catch (e) {
      status(`Download failed: ${(e as Error).message}`);
    } finally {
      button.disabled = false;
    }
  });
  $('tiers').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-tier]');
    if (!b) return;
    selected = b.dataset.tier;
    for (const x of document.querySelectorAll<HTMLButtonElement>('button[data-tier]'))
      x.setAttribute('aria-pressed', String(x === b));
    void loadDetail(seq);
  });
  $('detail').addEventListener('click', async (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-copy]');
    if (!b) return;
    const pre = document.getElementById(b.dataset.copy ?? '');
    try {
      await navigator.clipboard.writeText(pre?.textContent ?? '');
      b.textContent = 'Copied';
    } catch {
      b.textContent = 'Select and copy';
    }
    setTimeout(() => {
      b.textContent = 'Copy';
    }, 1500);
  });
  window.addEventListener('beforeunload', (ev) => {
    if (updateDirty()) ev.preventDefault();
  });
}

async function start() {
  performance.mark('stackplan:script');
  const [res, schemaRes] = await Promise.all([fetch('/api/manifest'), fetch('/api/schema')]);
  const m = (await res.json()) as { text: string; hash: string };
  const schema = (await schemaRes.json()) as SchemaNode;
  savedHash = m.hash;
  savedText = m.text;
  view = new EditorView({
    doc: m.text,
    parent: $('editor'),
    extensions: [
      basicSetup,
      yaml(),
      yamlLanguage.data.of({ autocomplete: schemaCompletion(schema) }),
      lintGutter(),
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            void save();
            return true;
          },
        },
      ]),
      EditorView.contentAttributes.of({ 'aria-label': 'Manifest (YAML)', tabindex: '0' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) {
          updateDirty();
          soon(250);
        }
      }),
    ],
  });
  performance.mark('stackplan:editor');
  wire();
  await evaluate();
}

void start();
