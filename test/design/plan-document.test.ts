/**
 * The design document `stackplan plan` writes for every example, read back as a reader (and GitHub)
 * would: its numbers against cost.json and the plan, every template resource in the diagram and
 * every diagram component in the text, the HTML through html-validate with no external asset, the
 * committed copy under examples/ unchanged, the terminal output on one screen, `stackplan design`
 * re-rendering the same bytes without synthesizing, and `--no-design`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { design } from '../../src/cli/commands/design.js';
import { memoryIo } from '../../src/cli/io.js';
import { usd } from '../../src/design/document/build.js';
import {
  buildArchitecture,
  completenessProblems,
  layoutArchitecture,
  parseTemplate,
  readConstructPaths,
} from '../../src/design/index.js';
import type { DesignState } from '../../src/design/write.js';
import { UserError } from '../../src/errors.js';
import type { CostReport } from '../../src/price/types.js';
import { committedDesignFiles, exampleNames, planExampleTo } from './examples.js';

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-plan-doc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const examples = exampleNames();
const runs = new Map<string, { out: string; stdout: string }>();

beforeAll(async () => {
  for (const e of examples) runs.set(e, await planExampleTo(e, path.join(work, e)));
}, 600_000);

const read = (e: string, f: string) => readFileSync(path.join(runs.get(e)!.out, f), 'utf8');
const state = (e: string) => JSON.parse(read(e, 'design/design.json')) as DesignState;
const cost = (e: string, tier: string) => JSON.parse(read(e, `${tier}/cost.json`)) as CostReport;

/** `## Title` / `### Title` → the text up to the next heading of the same or a higher level. */
function section(md: string, ...titles: string[]): string {
  let text = md;
  for (const t of titles) {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^#{2,4} /.test(l) && l.replace(/^#+ /, '') === t);
    if (start < 0) throw new Error(`no section "${t}"`);
    const level = lines[start]!.match(/^#+/)![0].length;
    const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level);
    text = lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  }
  return text;
}

/** Rows of the Markdown table that follows the caption line `caption`, as cell texts. */
function table(md: string, caption: string): string[][] {
  const lines = md.split('\n');
  const at = lines.indexOf(caption);
  if (at < 0) throw new Error(`no table "${caption}"`);
  const rows: string[][] = [];
  for (let i = at + 4; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\(.)/g, '$1').replace(/\*\*/g, '')),
    );
  }
  return rows;
}

/** "$1,234.56" / "−$3.00" → number. */
function money(text: string): number {
  const m = text.match(/^(−)?\$([\d,]+\.\d\d)$/);
  if (!m) throw new Error(`not a money figure: ${text}`);
  return (m[1] ? -1 : 1) * Number(m[2]!.replace(/,/g, ''));
}

const cents = (n: number) => Math.round(n * 100) / 100;

describe.each(examples)('%s: the design document plan writes', (example) => {
  it('matches the copy committed under examples/ (npm run examples:design rewrites it)', () => {
    const fresh = committedDesignFiles(runs.get(example)!.out);
    const committed = committedDesignFiles(path.join('examples', example));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [f, text] of fresh) expect(committed.get(f), `examples/${example}/${f} is stale`).toBe(text);
  });

  it('prints one screen: under 60 lines, acknowledgements left to the document', () => {
    const stdout = runs.get(example)!.stdout;
    expect(stdout.split('\n').length).toBeLessThan(60);
    expect(stdout).toMatch(/wrote .*DESIGN\.md and .*design\.html/);
    expect(stdout).not.toMatch(/^ {4}(AwsSolutions|NIST)/m);
  });

  it("gives every tier's totals as cost.json has them, and the sweep as design.json has it", () => {
    const md = read(example, 'DESIGN.md');
    const s = state(example);
    const sideBySide = table(
      section(md, 'Tiers side by side'),
      'Every tier stackplan knows, priced from its synthesized template (USD a month, list prices)',
    );
    for (const t of s.tiers) {
      const c = cost(example, t.name);
      const totals = table(
        section(md, 'Cost', `The ${t.name} tier's cost`),
        `${t.name}: totals (USD a month)`,
      );
      expect(Object.fromEntries(totals.map(([k, v]) => [k, money(v!)]))).toEqual({
        'list price': cents(c.totals.listMonthlyUsd),
        'month 1': cents(c.totals.month1Usd),
        'month 13': cents(c.totals.month13Usd),
      });
      const row = sideBySide.find((r) => r[0] === t.name)!;
      expect([money(row[4]!), money(row[5]!)]).toEqual([
        cents(c.totals.month1Usd),
        cents(c.totals.month13Usd),
      ]);
      // The components add up to the priced resources of the report.
      const comps = table(
        section(md, 'Cost', `The ${t.name} tier's cost`),
        `${t.name}: cost by component (list prices, USD a month)`,
      );
      const sum = comps.reduce((a, r) => a + money(r[1]!) + money(r[2]!), 0);
      const priced = c.stacks
        .flatMap((st) => st.resources)
        .flatMap((r) => r.components)
        .reduce((a, k) => a + (k.monthlyUsd ?? 0), 0);
      expect(Math.abs(sum - priced)).toBeLessThan(0.01 * comps.length + 0.01);
      // Price sources and their dates, as the report cites them.
      const sources = table(section(md, 'Cost', `The ${t.name} tier's cost`), `${t.name}: price sources`);
      expect(sources.map((r) => Number(r[0]))).toEqual(c.sources.map((x) => x.ref));
    }
    const sweep = table(
      section(md, 'Cost', 'Cost versus traffic'),
      'Month-13 cost by traffic (USD a month; — where the tier is not eligible)',
    );
    expect(sweep).toHaveLength(s.sweep.multiples.length);
    for (const [i, x] of s.sweep.multiples.entries()) {
      const row = sweep[i]!;
      expect(Number(row[1]!.replace(/,/g, ''))).toBe(Math.round(s.sweep.base.requestsPerMonth * x));
      for (const [j, t] of s.tiers.entries()) {
        const p = s.sweep.points.find((q) => q.x === x && q.tier === t.name)!;
        expect(row[2 + j] === '—' ? null : money(row[2 + j]!)).toBe(p.usd);
      }
      expect(row.at(-1)).toBe(s.sweep.recommended[i]!.tier);
    }
    // At 1× the sweep prices exactly what plan priced.
    for (const t of s.tiers) {
      expect(s.sweep.points.find((q) => q.x === 1 && q.tier === t.name)?.usd).toBe(
        cents(cost(example, t.name).totals.month13Usd),
      );
    }
  });

  it('has no money figure that the plan, the cost reports or the sweep do not hold', () => {
    const md = read(example, 'DESIGN.md');
    const s = state(example);
    const known = new Set<string>();
    const add = (n: number | null | undefined) => {
      if (n !== null && n !== undefined) known.add(usd(cents(n)));
    };
    // The plan's decisions and the acknowledgement reasons quote unit prices from the price book.
    const planText =
      JSON.stringify(s.plan) + s.tiers.map((t) => read(example, `${t.name}/checks.json`)).join('');
    for (const t of s.tiers) {
      const c = cost(example, t.name);
      add(c.totals.listMonthlyUsd);
      add(c.totals.month1Usd);
      add(c.totals.month13Usd);
      for (const sv of c.savings) add(sv.differenceUsd);
      for (const u of s.tiers) add(cost(example, u.name).totals.month13Usd - c.totals.month13Usd);
    }
    for (const p of s.sweep.points) add(p.usd);
    const componentTables = [...md.matchAll(/^\| .* \| (\$[\d,]+\.\d\d) \| (\$[\d,]+\.\d\d) \| \d+ \|$/gm)];
    for (const m of componentTables) {
      known.add(m[1]!);
      known.add(m[2]!);
    }
    const unknown = [...md.matchAll(/[−+]?\$[\d,]+(?:\.\d+)?/g)]
      .map((m) => m[0].replace(/^\+/, ''))
      .filter(
        (f) =>
          !known.has(f) && !planText.includes(f.replace('−', '-')) && !planText.includes(f.replace(/^−/, '')),
      );
    expect(unknown).toEqual([]);
  });

  it('draws every template resource, and names every diagram component in the text', async () => {
    const md = read(example, 'DESIGN.md');
    for (const t of state(example).tiers) {
      const template = JSON.parse(read(example, `${t.name}/template.json`));
      const paths = readConstructPaths(path.join(runs.get(example)!.out, t.name, 'cdk.out'), t.stackName);
      const model = buildArchitecture(parseTemplate(template, paths));
      expect(completenessProblems(template, model, await layoutArchitecture(model))).toEqual([]);
      const components = section(md, 'Architecture', `The ${t.name} tier's architecture`);
      for (const n of model.nodes.filter((x) => x.kind !== 'internet')) {
        expect(components, `${t.name}: ${n.id} (${n.title})`).toContain(
          n.title
            .replace(/([\\`*_[\]<>|#])/g, '\\$1')
            .slice(0, 12)
            .replace(/\\$/, ''),
        );
      }
      expect(read(example, `design/${t.name}-architecture.svg`)).toMatch(
        /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      );
    }
  });

  it('writes HTML that passes html-validate, fetches nothing, and Markdown whose images are its own files', async () => {
    const html = read(example, 'design.html');
    const report = await new HtmlValidate({
      extends: ['html-validate:recommended', 'html-validate:document'],
    }).validateString(html, 'design.html');
    expect(
      report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)),
    ).toEqual([]);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(
      [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]).filter((u) => !u!.startsWith('#')),
    ).toEqual([]);
    const md = read(example, 'DESIGN.md');
    const rendered = micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    const images = [...rendered.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThan(0);
    for (const src of images) {
      expect(src).toMatch(/^design\/[a-z0-9-]+\.svg$/);
      expect(statSync(path.join(runs.get(example)!.out, src)).isFile()).toBe(true);
    }
    // Every section the issue lists, in order.
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual([
      'Summary',
      'Requirements',
      'Tiers side by side',
      'Architecture',
      'Cost',
      'Security',
      'Reliability and operations',
      'Deploy runbook',
      'Upgrade path',
    ]);
  });

  it('lists every acknowledgement with its reason, and the counts per pack', () => {
    const md = read(example, 'DESIGN.md');
    for (const t of state(example).tiers) {
      type Ack = { rule: string; path: string; reason: string };
      const checks = JSON.parse(read(example, `${t.name}/checks.json`)) as {
        acknowledgements: Ack[];
        packs: Array<{ id: string; title?: string; findings: unknown[]; acknowledgements: Ack[] }>;
      };
      // cdk-nag's acknowledgements (top level), then those of the packs plan adds (Control Tower).
      const added = checks.packs.filter((p) => p.id !== 'AwsSolutions' && p.id !== 'NIST.800.53.R5');
      const expected = [...checks.acknowledgements, ...added.flatMap((p) => p.acknowledgements)];
      const sec = section(md, 'Security', `Securing the ${t.name} tier`);
      const rows = table(sec, `${t.name}: every acknowledgement, with its reason`);
      expect(rows.map((r) => r[0]!.replace(/`/g, ''))).toEqual(expected.map((a) => a.rule));
      const packs = table(sec, `${t.name}: compliance packs run on the template`);
      // Each acknowledgement counted once, under its pack.
      expect(packs.reduce((n, r) => n + Number(r[2]), 0)).toBe(expected.length);
      expect(packs.map((r) => r[0])).toEqual(
        expect.arrayContaining([
          'AwsSolutions',
          'NIST 800-53 R5',
          'AWS Control Tower proactive controls (cfn-guard)',
        ]),
      );
      // Every pack passes: plan refuses a tier with an unacknowledged finding.
      expect(packs.every((r) => r[1] === '0')).toBe(true);
    }
  });
});

describe('stackplan design DIR', () => {
  it('re-renders the same bytes from what plan wrote, without planning again', async () => {
    const e = examples[0]!;
    const out = runs.get(e)!.out;
    const before = new Map(
      ['DESIGN.md', 'design.html', ...readdirSync(path.join(out, 'design')).map((f) => `design/${f}`)].map(
        (f) => [f, read(e, f)],
      ),
    );
    rmSync(path.join(out, 'DESIGN.md'));
    const io = memoryIo();
    expect(await design({ dir: out }, io)).toBe(0);
    for (const [f, text] of before) expect(read(e, f), f).toBe(text);
    expect(io.stdout.join('')).toMatch(/wrote .*DESIGN\.md/);
  });

  it('says what to run when the directory is not plan output, and writes nothing', async () => {
    const empty = mkdtempSync(path.join(work, 'empty-'));
    await expect(design({ dir: empty }, memoryIo())).rejects.toThrow(UserError);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('plan --no-design', () => {
  it('writes no document and removes a stale one', async () => {
    const e = 'default-rate';
    const out = path.join(work, 'no-design');
    await planExampleTo(e, out);
    expect(readdirSync(out)).toContain('DESIGN.md');
    const { plan } = await import('../../src/cli/commands/plan.js');
    const io = memoryIo();
    expect(await plan({ file: `examples/${e}/stackplan.yaml`, out, design: false }, io)).toBe(0);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith('.'))
        .sort(),
    ).toEqual(
      readdirSync(out)
        .filter((f) => ['lean', 'ecs', 'eks'].includes(f))
        .sort(),
    );
    expect(io.stdout.join('')).not.toMatch(/DESIGN\.md/);
  }, 120_000);

  it('--verbose prints every acknowledgement', async () => {
    const r = await planExampleTo('default-rate', path.join(work, 'verbose'), { verbose: true });
    const tier = readdirSync(path.join(work, 'verbose')).find((f) => f !== 'design' && !f.includes('.'))!;
    const checks = JSON.parse(readFileSync(path.join(work, 'verbose', tier, 'checks.json'), 'utf8'));
    expect(checks.acknowledgements.length).toBeGreaterThan(0);
    for (const a of checks.acknowledgements) expect(r.stdout).toContain(a.reason);
  }, 120_000);
});

describe('manifest values in the document are escaped for each format', () => {
  const HOSTILE = '<script>alert(1)</script> | *x* _y_ [z](javascript:alert(1)) `c` & "q" \'a\' ]]> <!--';

  it('in Markdown, HTML and SVG, with hostile text in the manifest, the plan and the reports', async () => {
    const { readDesignInput, renderDesignFiles } = await import('../../src/design/write.js');
    const { XMLValidator } = await import('fast-xml-parser');
    const input = readDesignInput(runs.get(examples[0]!)!.out);
    const m = input.plan.manifest;
    const plan = {
      ...input.plan,
      recommendationWhy: HOSTILE,
      manifest: {
        ...m,
        domain: `${HOSTILE}.example.com`,
        alarmEmail: `${HOSTILE}@example.com`,
        buckets: [{ key: 'uploads', purpose: HOSTILE, versioned: false }],
        services: m.services.map((s) => ({ ...s, route: `/${HOSTILE}` })),
      },
      tiers: Object.fromEntries(
        Object.entries(input.plan.tiers).map(([k, v]) => [
          k,
          { ...v, decisions: [...(v?.decisions ?? []), { topic: HOSTILE, choice: HOSTILE, why: HOSTILE }] },
        ]),
      ),
    };
    const tiers = input.tiers.map((t) => ({
      ...t,
      checks: {
        ...t.checks,
        acknowledgements: [
          ...t.checks.acknowledgements,
          { rule: 'AwsSolutions-X1', path: `/${HOSTILE}`, reason: HOSTILE },
        ],
      },
      template: {
        ...t.template,
        Outputs: { ...(t.template.Outputs as object), Hostile: { Value: 'x', Description: HOSTILE } },
      },
    }));
    const files = await renderDesignFiles({ ...input, plan: plan as typeof input.plan, tiers });
    const html = files['design.html']!;
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const report = await new HtmlValidate({
      extends: ['html-validate:recommended', 'html-validate:document'],
    }).validateString(html, 'design.html');
    expect(
      report.valid,
      JSON.stringify(report.results.flatMap((r) => r.messages.map((x) => x.message))),
    ).toBe(true);
    // GitHub renders Markdown with raw HTML allowed (then sanitizes): no element, link or extra cell may come from the text.
    const md = files['DESIGN.md']!;
    const rendered = micromark(md, {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    });
    expect(rendered).not.toContain('<script');
    expect(rendered).not.toMatch(/href="javascript:/i);
    for (const t of tiers) {
      const rows = table(
        section(md, 'Security', `Securing the ${t.name} tier`),
        `${t.name}: every acknowledgement, with its reason`,
      );
      expect(rows.every((r) => r.length === 3)).toBe(true);
      const hostile = rows.find((r) => r[0]!.includes('AwsSolutions-X1'));
      expect(hostile, 'the hostile acknowledgement is listed').toBeDefined();
      const decoded = hostile![2]!.replace(
        /&(lt|gt|amp|quot|#39|#x27);/g,
        (_e, n: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'" })[n]!,
      );
      expect(decoded).toBe(HOSTILE);
    }
    for (const [f, svg] of Object.entries(files).filter(([f]) => f.endsWith('.svg'))) {
      expect(XMLValidator.validate(svg), f).toBe(true);
      expect(svg).not.toContain('<script');
    }
  });
});
