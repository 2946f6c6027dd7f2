/**
 * A sample design document built from an example's real outputs — its diagrams, its cost report
 * grouped by diagram component, a cost-versus-traffic chart — so the renderers, the screenshots
 * and the preview (scripts/design-preview.ts) show real content. It is a rendering sample: the
 * document's prose and the full traffic sweep (re-planned and re-priced at each step) come when
 * `plan` writes the design; here the sweep re-prices the same templates with scaled usage and
 * asks the planner which tiers the scaled traffic still allows.
 */
import {
  type Block,
  type CostSeries,
  code,
  costByComponent,
  type DesignDocument,
  formatUsd,
  renderArchitectureDiagram,
  renderBarChart,
  renderCostTrafficChart,
  type Section,
  strong,
} from '../../src/design/index.js';
import type { TierName } from '../../src/manifest/schema.js';
import { planApp } from '../../src/plan/index.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplate } from '../../src/price/engine.js';
import { usageFromManifest } from '../../src/price/manifest-usage.js';
import { costOf, leanContainers, type TierInput, tierInput } from './inputs.js';

export const SWEEP = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** Month-13 cost of each tier at each traffic multiple: the same templates, usage scaled. */
export function usageSweep(inputs: TierInput[]): CostSeries[] {
  const base = inputs[0]?.plan;
  if (!base) return [];
  const book = loadPriceBook();
  return inputs.map((input) => ({
    name: input.tier,
    points: SWEEP.map((x) => {
      const m = {
        ...base.manifest,
        traffic: {
          requestsPerMonth: Math.round(base.manifest.traffic.requestsPerMonth * x),
          gbOutPerMonth: base.manifest.traffic.gbOutPerMonth * x,
        },
      };
      const assessment = planApp(m, { catalog: book, manifestDir: base.manifestDir }).assessments.find(
        (a) => a.tier === input.tier,
      );
      if (!assessment?.eligible) return { x, usd: null, why: assessment?.unmet.join('; ') ?? 'not planned' };
      const report = priceTemplate(input.template, {
        region: m.region,
        usage: usageFromManifest(m),
        freeTier: 'paid-plan',
        asOf: '2026-12-01',
        book,
        stackName: input.stackName,
      });
      return { x, usd: Math.round(report.totals.month13Usd * 100) / 100 };
    }),
  }));
}

export async function sampleDesignDocument(example: string, tiers: TierName[]): Promise<DesignDocument> {
  const inputs = await Promise.all(tiers.map((t) => tierInput(example, t)));
  const plan = (inputs[0] as TierInput).plan;
  const sections: Section[] = [];
  const architecture: Block[] = [];
  const cost: Section[] = [];
  for (const input of inputs) {
    const d = await renderArchitectureDiagram({
      template: input.template,
      constructPaths: input.constructPaths,
      ...(input.tier === 'lean' ? leanContainers(input) : {}),
      title: `${example}: ${input.tier} tier architecture`,
      idPrefix: `arch-${input.tier}`,
    });
    const folded = d.model.accounting.filter((a) => a.how === 'collapsed' || a.how === 'aggregated').length;
    architecture.push({
      kind: 'figure',
      id: `architecture-${input.tier}`,
      caption: `The ${input.tier} tier as synthesized: ${d.model.accounting.length} resources, ${folded} of them folded into the box they serve. Thick orange arrows are the request flow.`,
      alt: `Architecture of the ${input.tier} tier of ${example}`,
      svg: d.svg,
      file: `design/${input.tier}-architecture.svg`,
    });
    const report = costOf(input);
    const components = costByComponent(report, d.model, input.stackName);
    const bars = renderBarChart({
      title: `${input.tier}: list price by component (USD a month)`,
      parts: ['fixed', 'usage-based'],
      bars: components.slice(0, 12).map((c) => ({ label: c.title, values: [c.fixedUsd, c.usageUsd] })),
      idPrefix: `bars-${input.tier}`,
    });
    cost.push({
      id: `cost-${input.tier}`,
      title: `The ${input.tier} tier`,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            'Month 1 ',
            strong(formatUsd(report.totals.month1Usd)),
            ', month 13 ',
            strong(formatUsd(report.totals.month13Usd)),
            ` (list ${formatUsd(report.totals.listMonthlyUsd)}; usage: ${report.usage}; free tier: ${report.freeTier}).`,
          ],
        },
        {
          kind: 'table',
          caption: `${input.tier}: cost by component, list prices`,
          columns: [
            { header: 'component' },
            { header: 'fixed', align: 'right' },
            { header: 'usage-based', align: 'right' },
            { header: 'resources', align: 'right' },
          ],
          rows: components.map((c) => [
            [c.title],
            [formatUsd(c.fixedUsd)],
            [formatUsd(c.usageUsd)],
            [String(c.resources.length)],
          ]),
        },
        {
          kind: 'figure',
          id: `cost-bars-${input.tier}`,
          caption: `Where the ${input.tier} tier's money goes.`,
          alt: `Cost by component of the ${input.tier} tier`,
          svg: bars.svg,
          file: `design/${input.tier}-cost.svg`,
        },
      ],
    });
  }
  const chart = renderCostTrafficChart({
    title: `${example}: cost versus traffic (month 13)`,
    baseLabel: `${plan.manifest.traffic.requestsPerMonth.toLocaleString('en-US')} requests a month`,
    series: usageSweep(inputs),
    idPrefix: 'cost-traffic',
  });
  sections.push(
    {
      id: 'summary',
      title: 'Summary',
      blocks: [
        {
          kind: 'note',
          tone: 'note',
          content: [
            'A rendering sample of the design document: real diagrams, costs and charts of this example; the prose sections come with ',
            code('stackplan plan'),
            '.',
          ],
        },
        {
          kind: 'paragraph',
          content: [strong(plan.manifest.name), ` → ${plan.recommended} tier: ${plan.recommendationWhy}.`],
        },
      ],
    },
    { id: 'architecture', title: 'Architecture', blocks: architecture },
    {
      id: 'cost',
      title: 'Cost',
      blocks: [
        {
          kind: 'figure',
          id: 'cost-traffic',
          caption:
            'Month-13 cost from a tenth of the manifest’s traffic to 100 times it. In this sample each tier’s template is re-priced with the scaled usage (sizes unchanged); the planner says where a tier stops being eligible.',
          alt: `Cost versus traffic for ${tiers.join(', ')}`,
          svg: chart.svg,
          file: 'design/cost-traffic.svg',
        },
      ],
      sections: cost,
    },
    {
      id: 'deploy',
      title: 'Deploy',
      blocks: [
        {
          kind: 'code',
          language: 'sh',
          code: inputs.map((i) => `npx aws-cdk deploy --app out/${i.tier}/cdk.out --all`).join('\n'),
        },
      ],
    },
  );
  return {
    title: `${plan.manifest.name}: design`,
    subtitle: `${plan.manifest.domain ?? ''} · ${plan.manifest.region} · rendering sample`,
    sections,
    footer:
      'Rendered by stackplan’s design renderers (src/design) from the synthesized templates and the price book.',
  };
}
