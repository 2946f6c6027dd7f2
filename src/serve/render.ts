/**
 * The planner page's HTML: the page shell and the fragments the server renders for it (tiers, the
 * chart, one tier's diagram and cost table, diagnostics). Every value that comes from a manifest, a
 * plan or a price book goes through escapeHtml here; the SVGs come from the design document's
 * renderers, which escape their own text. The browser inserts only these fragments.
 */
import { formatMultiple } from '../design/chart/scale.js';
import { usd } from '../design/document/build.js';
import { escapeHtml as h } from '../design/escape.js';
import { type Diagnostic, sortDiagnostics } from '../manifest/diagnostics.js';
import { AVAILABILITY } from '../manifest/schema.js';
import { FREE_TIER_MODES } from '../price/types.js';
import { PROFILE_NAMES } from '../price/usage.js';
import type { Evaluation, TierDetail } from './session.js';

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });

export function renderDiagnostics(diags: readonly Diagnostic[], title: string): string {
  if (!diags.length) return '';
  const items = sortDiagnostics(diags).map((d) => {
    const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
    const ef =
      d.expected !== undefined || d.found !== undefined
        ? `<div>expected ${h(d.expected ?? '?')}, found ${h(d.found ?? '?')}</div>`
        : '';
    return `<li class="diag ${d.severity}"><div><span class="where">${h(where)}</span> <strong>${h(d.severity)}</strong> [${h(d.code)}] ${d.path ? `<code>${h(d.path)}</code>: ` : ''}${h(d.message)}</div>${ef}<div>fix: ${h(d.fix)}</div></li>`;
  });
  const errors = diags.filter((d) => d.severity === 'error').length;
  return `<h3>${h(title)}: ${errors} error${errors === 1 ? '' : 's'}, ${diags.length - errors} warning${diags.length - errors === 1 ? '' : 's'}</h3><ul class="diags">${items.join('')}</ul>`;
}

/** The tiers side by side: eligibility and why, month 1 and 13, the difference to the cheapest. */
export function renderTiers(ev: Evaluation, selected: string | undefined): string {
  if (!ev.ok) return '<p class="note">The manifest has errors (see under the editor): fix them to plan.</p>';
  if (ev.whatIfDiagnostics.length)
    return `<div class="note">${renderDiagnostics(ev.whatIfDiagnostics, 'These what-if values make the manifest invalid')}</div>`;
  const priced = ev.tiers.filter((t) => t.cost);
  const cheapest = Math.min(...priced.map((t) => t.cost!.totals.month13Usd));
  const rows = ev.tiers.map((t) => {
    const rec = t.name === ev.recommended;
    const why = t.eligible
      ? h(t.summary)
      : `<strong>not eligible:</strong> ${t.unmet.map((u) => h(u)).join('; ')}`;
    const money = (n: number | undefined) => (n === undefined ? '' : h(usd(n)));
    const m13 = t.cost?.totals.month13Usd;
    const diff =
      m13 === undefined ? '' : m13 === cheapest ? 'cheapest' : `${h(usd(m13 - cheapest))} more a month`;
    const status = !t.eligible ? '—' : t.pending ? '<span class="pending">synthesizing…</span>' : '';
    const button = t.eligible
      ? `<button type="button" class="tier-button" data-tier="${h(t.name)}" aria-pressed="${t.name === selected ? 'true' : 'false'}">${h(t.name)}</button>`
      : `<span class="tier-name">${h(t.name)}</span>`;
    return `<tr class="${rec ? 'recommended' : ''}${t.eligible ? '' : ' ineligible'}" data-tier-row="${h(t.name)}"><th scope="row">${button}${rec ? '<span class="badge">recommended</span>' : ''}</th><td class="num" data-month1="${h(t.name)}">${status || money(t.cost?.totals.month1Usd)}</td><td class="num" data-month13="${h(t.name)}">${status || money(m13)}</td><td>${diff}</td><td class="why">${why}</td></tr>`;
  });
  const e = ev.effective!;
  return `<p class="recommendation"><strong>Recommended: <span data-recommended>${h(ev.recommended ?? '')}</span></strong> — ${h(ev.recommendationWhy ?? '')}.</p>
<p class="assumptions">At ${h(count(e.requestsPerMonth))} requests and ${h(count(e.gbOutPerMonth))} GB out a month, ${h(e.availability)}, RPO ${h(count(e.rpoHours))} h, ${h(e.region)}, free tier ${h(e.freeTier)}, usage profile ${h(e.profile)}.</p>
<section class="table-scroll" tabindex="0" aria-label="Tiers side by side"><table class="tiers"><caption>Tiers side by side (USD a month)</caption><thead><tr><th scope="col">tier</th><th scope="col" class="num">month 1</th><th scope="col" class="num">month 13</th><th scope="col">vs the cheapest</th><th scope="col">eligibility and why</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** The cost-versus-traffic chart, with the what-if traffic marked. */
export async function renderChart(ev: Evaluation): Promise<string> {
  if (!ev.ok || !ev.sweep || !ev.plan || !ev.base || !ev.effective)
    return ev.ok && !ev.whatIfDiagnostics.length
      ? '<p class="pending">Drawing the cost-versus-traffic chart (synthesizing the tiers the sweep needs)…</p>'
      : '';
  const [{ renderCostTrafficChart, eventLabel, chartEvents }, { sweepSeries }] = await Promise.all([
    import('../design/chart/cost-traffic.js'),
    import('../design/sweep.js'),
  ]);
  const names = ev.tiers.filter((t) => ev.sweep!.points.some((p) => p.tier === t.name)).map((t) => t.name);
  const series = sweepSeries(ev.sweep, names);
  const x = ev.base.requestsPerMonth > 0 ? ev.effective.requestsPerMonth / ev.base.requestsPerMonth : 1;
  const chart = renderCostTrafficChart({
    title: `${ev.plan.manifest.name}: cost versus traffic (month 13, USD a month)`,
    baseLabel: `${count(ev.base.requestsPerMonth)} requests and ${count(ev.base.gbOutPerMonth)} GB out a month`,
    series,
    idPrefix: 'serve-cost-traffic',
    ...(Math.abs(x - 1) > 1e-9 &&
      x > 0 && { cursor: { x, label: `what-if ${formatMultiple(Math.round(x * 100) / 100)}` } }),
  });
  const events = chartEvents(series);
  const changes: string[] = [];
  for (const [i, r] of ev.sweep.recommended.entries()) {
    if (i === 0 || ev.sweep.recommended[i - 1]?.tier !== r.tier)
      changes.push(`${r.tier} from ${formatMultiple(r.x)}`);
  }
  return `<figure class="chart">${chart.svg}<figcaption>${h(events.length ? `Marked: ${events.map(eventLabel).join('; ')}.` : 'No tier becomes cheaper than another in this range.')} Recommended by traffic: ${h(changes.join(', '))}.</figcaption></figure>`;
}

/** One tier: its diagram, its cost by component with every line, source and date, and deploy commands. */
export function renderDetail(d: TierDetail, manifestLabel: string): string {
  const c = d.cost;
  const sources = new Map(c.sources.map((s) => [s.ref, s]));
  const byResource = new Map<string, (typeof c.stacks)[number]['resources'][number]>(
    c.stacks.flatMap((s) => s.resources.map((r) => [`${s.name}/${r.logicalId}`, r] as const)),
  );
  const groups = d.components.map((comp) => {
    const lines = comp.resources.flatMap((id) => {
      const r = byResource.get(id);
      if (!r) return [];
      return r.components
        .filter((k) => k.monthlyUsd !== null && k.monthlyUsd !== 0)
        .map((k) => {
          const src = k.price.source !== undefined ? sources.get(k.price.source) : undefined;
          const qty =
            k.monthlyQuantity === null ? 'depends on usage' : `${count(k.monthlyQuantity)} ${k.unit}`;
          const unit =
            k.unitPriceUsd === null ? '' : `$${k.unitPriceUsd.toPrecision(4).replace(/\.?0+$/, '')}`;
          return `<tr><td>${h(r.logicalId)}</td><td>${h(k.name)}</td><td class="num">${h(qty)}</td><td class="num">${h(unit)}</td><td class="num">${h(usd(k.monthlyUsd ?? 0))}</td><td>${src ? `${h(src.source)}, ${h(src.asOf)}${src.stale ? ' (stale)' : ''}` : '—'}</td></tr>`;
        });
    });
    return `<tbody><tr class="component"><th scope="rowgroup" colspan="4">${h(comp.title)}</th><td class="num">${h(usd(comp.fixedUsd + comp.usageUsd))}</td><td>${comp.usageUsd ? `${h(usd(comp.usageUsd))} usage-based` : ''}</td></tr>${lines.join('')}</tbody>`;
  });
  const pending = c.stacks.flatMap((s) =>
    s.resources.flatMap((r) =>
      r.components
        .filter((k) => k.monthlyUsd === null && k.usageBased)
        .map((k) => `${r.logicalId}: ${k.name}`),
    ),
  );
  const steps = [
    {
      say: 'Write the plan (cloud assembly, host files, design document) into out/',
      run: `npx stackplan plan ${manifestLabel} --out out --tier ${d.tier}`,
    },
    ...(d.runbook ?? []),
  ];
  const commands = steps
    .map(
      (s, i) =>
        `<li><p>${h(s.say)}</p>${s.run ? `<div class="cmd"><pre id="cmd-${i}"><code>${h(s.run)}</code></pre><button type="button" class="copy" data-copy="cmd-${i}" aria-label="Copy the command of step ${i + 1}">Copy</button></div>` : ''}</li>`,
    )
    .join('');
  return `<h2 id="detail-title">The ${h(d.tier)} tier</h2>
<figure class="diagram"><section class="svg-scroll" tabindex="0" aria-label="The ${h(d.tier)} tier's architecture diagram (scrolls sideways)">${d.svg}</section><figcaption>The ${h(d.tier)} tier as synthesized (stack ${h(d.stackName)}): ${h(d.nodes.join(', '))}.</figcaption></figure>
<table class="totals"><caption>${h(d.tier)}: totals (USD a month)</caption><tbody><tr><th scope="row">list price</th><td class="num">${h(usd(c.totals.listMonthlyUsd))}</td></tr><tr><th scope="row">month 1</th><td class="num" data-detail-month1>${h(usd(c.totals.month1Usd))}</td></tr><tr><th scope="row">month 13</th><td class="num" data-detail-month13>${h(usd(c.totals.month13Usd))}</td></tr></tbody></table>
<p class="assumptions">Region ${h(c.stacks[0]?.region ?? '')}, ${h(String(c.hoursPerMonth))} hours a month, usage from ${h(c.usage)}, free-tier regime ${h(c.freeTier)}, prices as of ${h(c.asOf)}.${pending.length ? ` Not in the totals (usage-based, no usage given): ${h(pending.join('; '))}.` : ''}</p>
<section class="table-scroll" tabindex="0" aria-label="${h(d.tier)} cost lines (scrolls sideways)"><table class="cost"><caption>${h(d.tier)}: cost by component, each line with its price source and date (list prices, USD a month)</caption><thead><tr><th scope="col">resource</th><th scope="col">line</th><th scope="col" class="num">quantity a month</th><th scope="col" class="num">unit price</th><th scope="col" class="num">USD a month</th><th scope="col">source, as of</th></tr></thead>${groups.join('')}</table></section>
<h3>Deploy</h3><p>From the directory of ${h(manifestLabel)}'s repository, with AWS credentials for the target account:</p><ol class="steps">${commands}</ol>`;
}

/** The page: everything the first paint needs is in it; data arrives through the API. */
export function renderPage(opts: {
  label: string;
  name: string;
  regions: readonly string[];
  /** Subresource integrity of /app.js and /app.css (sha384-…). */
  integrity: { js: string; css: string };
}): string {
  const options = (values: readonly string[]) =>
    values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(opts.name)} — stackplan serve</title>
<link rel="stylesheet" href="/app.css" integrity="${h(opts.integrity.css)}">
<script src="/app.js" integrity="${h(opts.integrity.js)}" defer></script>
</head>
<body>
<header class="top">
<h1>stackplan · <span class="file">${h(opts.label)}</span></h1>
<div class="actions">
<span id="status" role="status" aria-live="polite">Loading…</span>
<button type="button" id="save" disabled>Save</button>
<button type="button" id="reload">Reload from disk</button>
<button type="button" id="download">Download plan (.zip)</button>
</div>
</header>
<main>
<section class="editor-pane" aria-labelledby="editor-title">
<h2 id="editor-title">Manifest</h2>
<div id="editor" class="editor"></div>
<div id="diagnostics" aria-live="polite"></div>
</section>
<section class="plan-pane" aria-labelledby="whatif-title">
<h2 id="whatif-title">What if…</h2>
<p class="note">These values change the plan on this page only; the file changes when you press “Write into the editor” and then Save.</p>
<div id="whatif" class="whatif" role="group" aria-labelledby="whatif-title">
<div class="field"><label for="requests">Requests a month</label><input type="range" id="requests" min="0" max="1000" step="1"><output id="requests-value" for="requests"></output></div>
<div class="field"><label for="gbout">GB out a month</label><input type="range" id="gbout" min="0" max="1000" step="1"><output id="gbout-value" for="gbout"></output></div>
<div class="field"><label for="multiple">Traffic multiple</label><select id="multiple"><option value="">custom</option><option value="0.1">0.1×</option><option value="0.5">0.5×</option><option value="1">1× (the manifest)</option><option value="2">2×</option><option value="3">3×</option><option value="10">10×</option><option value="30">30×</option><option value="100">100×</option></select></div>
<div class="field"><label for="availability">Availability</label><select id="availability">${options(AVAILABILITY)}</select></div>
<div class="field"><label for="rpo">RPO (hours of data you accept to lose)</label><input type="number" id="rpo" min="0" step="any" inputmode="decimal"></div>
<div class="field"><label for="region">Region</label><select id="region">${options(opts.regions)}</select></div>
<div class="field"><label for="freetier">Free-tier regime</label><select id="freetier">${options(FREE_TIER_MODES)}</select></div>
<div class="field"><label for="profile">Usage profile</label><select id="profile"><option value="">from the traffic</option>${options(PROFILE_NAMES)}</select></div>
<div class="buttons"><button type="button" id="reset">Reset to the manifest</button><button type="button" id="apply">Write into the editor</button></div>
</div>
<div id="tiers" aria-live="polite"><p class="pending">Planning…</p></div>
<div id="chart"></div>
</section>
<section id="detail" aria-labelledby="detail-title"><h2 id="detail-title">Tier</h2><p class="note">Choose a tier in the table to see its architecture and its cost line by line.</p></section>
</main>
</body>
</html>
`;
}
