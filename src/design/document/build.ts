/**
 * The design document from what `plan` produced: the plan, each generated tier's template, cost
 * report and compliance report, and the traffic sweep. Every figure in it is read from those
 * inputs (the number test parses them back); everything a tier knows about itself (containers,
 * controls, backups, runbooks, data moves) comes through `Tier.design()`, so a tier added to the
 * registry appears here with no change to this file.
 */
import type { Step, TierDesign } from '../../model/design.js';
import { formatHours, type Plan } from '../../model/plan.js';
import type { CostReport } from '../../price/types.js';
import { TIER_REGISTRY, tierNamed } from '../../tiers/registry.js';
import { renderBarChart } from '../chart/bars.js';
import { chartEvents, eventLabel, renderCostTrafficChart } from '../chart/cost-traffic.js';
import { formatMultiple } from '../chart/scale.js';
import { costByComponent } from '../cost-components.js';
import { renderArchitectureDiagram } from '../index.js';
import { sweepSeries, type TrafficSweep } from '../sweep.js';
import { type Block, code, type DesignDocument, type Inline, type Section, strong } from './model.js';

/** One pack's results in checks.json: cdk-nag's two packs, then the packs plan adds (Control Tower). */
export interface DesignCheckPack {
  id: string;
  title?: string;
  findings: Array<{ rule?: string; ruleId?: string }>;
  acknowledgements: Array<{ rule: string; path: string; reason: string }>;
}

export interface DesignChecks {
  packs: DesignCheckPack[];
  findings: Array<{ rule: string; path: string; description: string }>;
  acknowledgements: Array<{ rule: string; path: string; reason: string }>;
}

export interface DesignTierInput {
  name: string;
  stackName: string;
  template: Record<string, unknown>;
  /** Logical id → construct path, when the template carries no aws:cdk:path metadata. */
  constructPaths?: ReadonlyMap<string, string>;
  cost: CostReport;
  checks: DesignChecks;
  /** The cloud assembly as the document's reader finds it, relative to DESIGN.md (`lean/cdk.out`). */
  assemblyDir: string;
}

export interface DesignInput {
  plan: Plan;
  /** The generated tiers, in registry order. */
  tiers: DesignTierInput[];
  sweep: TrafficSweep;
}

/** USD with cents and thousands separators: every money figure in the document's text and tables. */
export function usd(n: number): string {
  const s = Math.abs(n).toFixed(2);
  const [whole = '0', cents = '00'] = s.split('.');
  return `${n < 0 ? '−' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

const count = (n: number) => {
  const [whole = '0', frac] = String(n).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
};
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const cell = (...content: Inline[]): Inline[] => content;

/** The pack a rule id belongs to (`AwsSolutions-IAM5[...]` → AwsSolutions). */
export function packOf(rule: string): string {
  if (rule.startsWith('AwsSolutions-')) return 'AwsSolutions';
  if (rule.startsWith('NIST.800.53.R5-')) return 'NIST 800-53 R5';
  return rule.split('-')[0] ?? rule;
}

function steps(list: readonly Step[]): Block[] {
  const out: Block[] = [];
  for (const [i, s] of list.entries()) {
    out.push({ kind: 'paragraph', content: [strong(`${i + 1}.`), ` ${s.say}`] });
    if (s.run) out.push({ kind: 'code', language: 'sh', code: s.run });
  }
  return out;
}

interface Alarm {
  id: string;
  description: string;
  metric: string;
}

function alarmsOf(template: Record<string, unknown>): Alarm[] {
  const res = (template.Resources ?? {}) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  return Object.keys(res)
    .sort()
    .filter((id) => res[id]?.Type === 'AWS::CloudWatch::Alarm')
    .map((id) => {
      const p = res[id]?.Properties ?? {};
      const metric =
        typeof p.MetricName === 'string'
          ? `${typeof p.Namespace === 'string' ? `${p.Namespace} ` : ''}${p.MetricName}`
          : Array.isArray(p.Metrics)
            ? 'metric math'
            : '';
      return { id, description: typeof p.AlarmDescription === 'string' ? p.AlarmDescription : '', metric };
    });
}

/** Resources CloudFormation keeps (or snapshots) when the stack is deleted. */
function retained(template: Record<string, unknown>): string[] {
  const res = (template.Resources ?? {}) as Record<string, { Type: string; DeletionPolicy?: string }>;
  return Object.keys(res)
    .sort()
    .filter((id) => res[id]?.DeletionPolicy === 'Retain' || res[id]?.DeletionPolicy === 'Snapshot')
    .map(
      (id) =>
        `${id} (${res[id]!.Type}): ${res[id]!.DeletionPolicy === 'Snapshot' ? 'a final snapshot is kept' : 'kept'}`,
    );
}

function outputsOf(template: Record<string, unknown>): Array<[string, string]> {
  const o = (template.Outputs ?? {}) as Record<string, { Description?: string }>;
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]?.Description ?? '']);
}

export async function buildDesignDocument(input: DesignInput): Promise<DesignDocument> {
  const { plan, tiers, sweep } = input;
  const m = plan.manifest;
  const rec = tiers.find((t) => t.name === plan.recommended) ?? tiers[0];
  if (!rec) throw new Error('the design document needs at least one generated tier');
  const designs = new Map<string, TierDesign | undefined>(
    tiers.map((t) => [
      t.name,
      tierNamed(t.name)?.design?.(plan, {
        template: t.template,
        stackName: t.stackName,
        assemblyDir: t.assemblyDir,
      }),
    ]),
  );
  const capability = (name: string) => plan.assessments.find((a) => a.tier === name)?.capability;
  const recDesign = designs.get(rec.name);
  const recCap = capability(rec.name);
  const sections: Section[] = [];

  // 1. Summary ------------------------------------------------------------------------------------
  const rpo = recCap ? Math.max(recCap.minRpoHours, 0) : undefined;
  sections.push({
    id: 'summary',
    title: 'Summary',
    blocks: [
      {
        kind: 'paragraph',
        content: [
          `${m.name} (${m.domain}, ${m.region}): ${plan.recommendationWhy}. Recommended: the `,
          strong(`${rec.name} tier`),
          ` — ${recCap?.summary ?? rec.name}.`,
        ],
      },
      {
        kind: 'table',
        caption: 'The recommended tier at a glance',
        columns: [{ header: 'what' }, { header: 'value' }],
        rows: [
          [cell('tier'), cell(strong(rec.name))],
          [cell('month 1 (free-tier credits taken off)'), cell(usd(rec.cost.totals.month1Usd))],
          [cell('month 13 (steady state)'), cell(usd(rec.cost.totals.month13Usd))],
          [cell('availability'), cell(m.availability)],
          [
            cell('RPO (data that can be lost)'),
            cell(
              `asked ${formatHours(m.backups.rpoHours)}; ${recDesign?.backups[0] ? `backups ${recDesign.backups[0].schedule}` : 'see the tier'}${rpo === undefined ? '' : ` (the tier can go down to ${formatHours(rpo)})`}`,
            ),
          ],
          [
            cell('RTO (time to recover)'),
            cell(
              recDesign
                ? `about ${formatHours(recDesign.rto.hours)}: ${recDesign.rto.basis}`
                : 'the tier does not state one',
            ),
          ],
          [
            cell('traffic planned for'),
            cell(
              `${count(m.traffic.requestsPerMonth)} requests and ${count(m.traffic.gbOutPerMonth)} GB out a month`,
            ),
          ],
        ],
      },
    ],
  });

  // 2. Requirements ---------------------------------------------------------------------------------
  const reqRows: Inline[][][] = [
    [
      cell('availability'),
      cell(m.availability),
      cell(recCap ? `${rec.name}: ${recCap.availability.join(', ')}` : rec.name),
    ],
    [cell('RPO'), cell(formatHours(m.backups.rpoHours)), cell(recCap?.rpoMechanism ?? '')],
    [
      cell('backup retention'),
      cell(`${m.backups.retentionDays} days`),
      cell(recDesign?.backups.map((b) => `${b.what}: ${b.retention}`).join('; ') || '—'),
    ],
    [
      cell('traffic'),
      cell(`${count(m.traffic.requestsPerMonth)} requests, ${count(m.traffic.gbOutPerMonth)} GB out a month`),
      cell(
        `priced as usage; ${rec.name} is designed for up to ${recCap && Number.isFinite(recCap.maxRequestsPerMonth) ? count(recCap.maxRequestsPerMonth) : 'any number of'} requests a month`,
      ),
    ],
    [cell('domain'), cell(code(m.domain)), cell(recDesign?.dnsTarget ?? 'DNS')],
    [
      cell('alarms to'),
      cell(code(m.alarmEmail)),
      cell(
        `${plural(alarmsOf(rec.template).length, 'CloudWatch alarm')} notify an SNS topic with this subscription`,
      ),
    ],
  ];
  for (const s of m.services) {
    reqRows.push([
      cell(`service ${s.kind}`),
      cell(code(s.name), s.route ? ` at ${s.route}` : ''),
      cell(`${s.cpu} vCPU, ${count(s.memory)} MiB, ${s.replicas.min}–${s.replicas.max} replicas`),
    ]);
  }
  if (m.postgres)
    reqRows.push([
      cell('PostgreSQL'),
      cell(code(m.postgres.database)),
      cell(recDesign?.backups[0]?.what ?? 'PostgreSQL'),
    ]);
  if (m.redis) reqRows.push([cell('Redis'), cell('yes'), cell('see the architecture')]);
  for (const b of m.buckets)
    reqRows.push([cell('bucket'), cell(code(b.key)), cell(b.purpose ?? 'S3 bucket, encrypted, TLS only')]);
  sections.push({
    id: 'requirements',
    title: 'Requirements',
    blocks: [
      {
        kind: 'paragraph',
        content: ['What the manifest asks for, and what implements it in the recommended tier.'],
      },
      {
        kind: 'table',
        caption: 'Requirements',
        columns: [{ header: 'requirement' }, { header: 'manifest' }, { header: 'implemented by' }],
        rows: reqRows,
      },
    ],
  });

  // 3. Tiers side by side ---------------------------------------------------------------------------
  const tierRows: Inline[][][] = plan.assessments.map((a) => {
    const t = tiers.find((x) => x.name === a.tier);
    return [
      cell(a.tier === plan.recommended ? strong(a.tier) : a.tier),
      cell(a.capability.summary),
      cell(a.capability.availability.join(', ')),
      cell(formatHours(a.capability.minRpoHours)),
      cell(t ? usd(t.cost.totals.month1Usd) : '—'),
      cell(t ? usd(t.cost.totals.month13Usd) : '—'),
      cell(a.eligible ? (t ? 'eligible' : 'eligible; not generated') : `not eligible: ${a.unmet.join('; ')}`),
    ];
  });
  const savings: Inline[][][] = [];
  for (const t of tiers) {
    for (const s of t.cost.savings) {
      if (s.differenceUsd === null || s.differenceUsd >= 0) continue;
      savings.push([
        cell(t.name),
        cell(`${s.logicalId}: ${s.component}`),
        cell(s.description),
        cell(usd(s.differenceUsd)),
      ]);
    }
  }
  sections.push({
    id: 'tiers',
    title: 'Tiers side by side',
    blocks: [
      {
        kind: 'table',
        caption:
          'Every tier stackplan knows, priced from its synthesized template (USD a month, list prices)',
        columns: [
          { header: 'tier' },
          { header: 'runs' },
          { header: 'availability' },
          { header: 'best RPO' },
          { header: 'month 1', align: 'right' },
          { header: 'month 13', align: 'right' },
          { header: 'verdict' },
        ],
        rows: tierRows,
      },
      ...(savings.length
        ? [
            {
              kind: 'paragraph',
              content: ['Cheaper designs the manifest allows (not applied; the difference is per month):'],
            } as Block,
            {
              kind: 'table',
              caption: 'Cheaper options',
              columns: [
                { header: 'tier' },
                { header: 'line' },
                { header: 'option' },
                { header: 'difference', align: 'right' },
              ],
              rows: savings,
            } as Block,
          ]
        : []),
    ],
  });

  // 4. Architecture -----------------------------------------------------------------------------------
  const architecture: Section[] = [];
  const models = new Map<string, Awaited<ReturnType<typeof renderArchitectureDiagram>>>();
  for (const t of tiers) {
    const d = designs.get(t.name);
    const diagram = await renderArchitectureDiagram({
      template: t.template,
      ...(t.constructPaths && { constructPaths: t.constructPaths }),
      ...(d?.diagram && { extraNodes: d.diagram.extraNodes, extraEdges: d.diagram.extraEdges }),
      title: `${m.name}: ${t.name} tier architecture`,
      description: `Every resource of stack ${t.stackName}, grouped by network, edge, compute, data and operations; the request flow from the user to the data stores is drawn thick.`,
      idPrefix: `arch-${t.name}`,
    });
    models.set(t.name, diagram);
    const folded = diagram.model.accounting.filter(
      (a) => a.how === 'collapsed' || a.how === 'aggregated',
    ).length;
    architecture.push({
      id: `architecture-${t.name}-section`,
      title: `The ${t.name} tier's architecture`,
      blocks: [
        {
          kind: 'figure',
          id: `architecture-${t.name}`,
          caption: `The ${t.name} tier as synthesized: ${plural(diagram.model.accounting.length, 'resource')}, ${count(folded)} of them folded into the box they serve (roles, policies, log groups, plumbing). Thick arrows are the request flow.`,
          alt: `Architecture of the ${t.name} tier of ${m.name}: ${diagram.model.nodes.map((n) => n.title).join(', ')}`,
          svg: diagram.svg,
          file: `design/${t.name}-architecture.svg`,
        },
        {
          kind: 'table',
          caption: `${t.name}: the planner's decisions`,
          columns: [{ header: 'topic' }, { header: 'choice' }, { header: 'why' }],
          rows: (plan.tiers[t.name as keyof Plan['tiers']]?.decisions ?? []).map((d) => [
            cell(d.topic),
            cell(d.choice),
            cell(d.why),
          ]),
        },
        {
          kind: 'paragraph',
          content: [
            'Components: ',
            diagram.model.nodes
              .filter((n) => n.kind !== 'internet')
              .map((n) => (n.subtitle ? `${n.title} (${n.subtitle})` : n.title))
              .join('; '),
            '.',
          ],
        },
      ],
    });
  }
  sections.push({ id: 'architecture', title: 'Architecture', blocks: [], sections: architecture });

  // 5. Cost --------------------------------------------------------------------------------------------
  const costSections: Section[] = [];
  for (const t of tiers) {
    const diagram = models.get(t.name)!;
    const c = t.cost;
    const components = costByComponent(c, diagram.model, t.stackName);
    const bars = renderBarChart({
      title: `${t.name}: list price by component (USD a month)`,
      parts: ['fixed', 'usage-based'],
      bars: components.slice(0, 12).map((x) => ({ label: x.title, values: [x.fixedUsd, x.usageUsd] })),
      idPrefix: `bars-${t.name}`,
    });
    const pending = c.stacks.flatMap((s) =>
      s.resources.flatMap((r) =>
        r.components
          .filter((k) => k.monthlyUsd === null && k.usageBased)
          .map((k) => `${r.logicalId}: ${k.name}`),
      ),
    );
    costSections.push({
      id: `cost-${t.name}`,
      title: `The ${t.name} tier's cost`,
      blocks: [
        {
          kind: 'table',
          caption: `${t.name}: totals (USD a month)`,
          columns: [{ header: 'total' }, { header: 'USD', align: 'right' }],
          rows: [
            [cell('list price'), cell(usd(c.totals.listMonthlyUsd))],
            [cell('month 1'), cell(usd(c.totals.month1Usd))],
            [cell('month 13'), cell(usd(c.totals.month13Usd))],
          ],
        },
        {
          kind: 'paragraph',
          content: [
            `Assumptions: region ${m.region}, ${c.hoursPerMonth} hours a month, usage from ${c.usage}, free-tier regime ${c.freeTier}, prices as of ${c.asOf}. `,
            `${plural(c.totals.dependsOnUsage, 'usage-based line')} without usage ${c.totals.dependsOnUsage === 1 ? 'is' : 'are'} not in the totals${pending.length ? ` (${pending.join('; ')})` : ''}.`,
          ],
        },
        {
          kind: 'table',
          caption: `${t.name}: cost by component (list prices, USD a month)`,
          columns: [
            { header: 'component' },
            { header: 'fixed', align: 'right' },
            { header: 'usage-based', align: 'right' },
            { header: 'resources', align: 'right' },
          ],
          rows: components.map((x) => [
            cell(x.title),
            cell(usd(x.fixedUsd)),
            cell(usd(x.usageUsd)),
            cell(String(x.resources.length)),
          ]),
        },
        {
          kind: 'figure',
          id: `cost-bars-${t.name}`,
          caption: `Where the ${t.name} tier's money goes.`,
          alt: `Cost by component of the ${t.name} tier`,
          svg: bars.svg,
          file: `design/${t.name}-cost.svg`,
        },
        {
          kind: 'table',
          caption: `${t.name}: price sources`,
          columns: [{ header: '#', align: 'right' }, { header: 'source' }, { header: 'as of' }],
          rows: c.sources.map((s) => [
            cell(String(s.ref)),
            cell(s.source),
            cell(`${s.asOf}${s.stale ? ' (stale)' : ''}`),
          ]),
        },
      ],
    });
  }
  const series = sweepSeries(
    sweep,
    tiers.map((t) => t.name),
  );
  const chart = renderCostTrafficChart({
    title: `${m.name}: cost versus traffic (month 13, USD a month)`,
    baseLabel: `${count(sweep.base.requestsPerMonth)} requests and ${count(sweep.base.gbOutPerMonth)} GB out a month`,
    series,
    idPrefix: 'cost-traffic',
  });
  const events = chartEvents(series);
  const changes: string[] = [];
  for (const [i, r] of sweep.recommended.entries()) {
    if (i === 0 || sweep.recommended[i - 1]?.tier !== r.tier)
      changes.push(`${r.tier} from ${formatMultiple(r.x)}`);
  }
  costSections.push({
    id: 'cost-traffic',
    title: 'Cost versus traffic',
    blocks: [
      {
        kind: 'paragraph',
        content: [
          `Each tier re-planned and re-priced at ${sweep.multiples.map(formatMultiple).join(', ')} the manifest's traffic (1× = ${count(sweep.base.requestsPerMonth)} requests and ${count(sweep.base.gbOutPerMonth)} GB out a month). A gap means the tier is not eligible at that traffic.`,
        ],
      },
      {
        kind: 'figure',
        id: 'cost-traffic-chart',
        caption: events.length
          ? `Marked: ${events.map(eventLabel).join('; ')}.`
          : 'No tier becomes cheaper than another in this range.',
        alt: `Monthly cost of each tier from a tenth to 100 times the manifest's traffic`,
        svg: chart.svg,
        file: 'design/cost-traffic.svg',
      },
      {
        kind: 'table',
        caption: 'Month-13 cost by traffic (USD a month; — where the tier is not eligible)',
        columns: [
          { header: 'traffic' },
          { header: 'requests a month', align: 'right' },
          ...tiers.map((t) => ({ header: t.name, align: 'right' as const })),
          { header: 'recommended' },
        ],
        rows: sweep.multiples.map((x) => [
          cell(formatMultiple(x)),
          cell(count(Math.round(sweep.base.requestsPerMonth * x))),
          ...tiers.map((t) => {
            const p = sweep.points.find((q) => q.x === x && q.tier === t.name);
            return cell(p && p.usd !== null ? usd(p.usd) : '—');
          }),
          cell(sweep.recommended.find((r) => r.x === x)?.tier ?? ''),
        ]),
      },
      { kind: 'paragraph', content: [`Recommended tier by traffic: ${changes.join(', then ')}.`] },
    ],
  });
  sections.push({ id: 'cost', title: 'Cost', blocks: [], sections: costSections });

  // 6. Security --------------------------------------------------------------------------------------------
  const security: Section[] = [];
  for (const t of tiers) {
    const d = designs.get(t.name);
    const packTitle = (p: DesignCheckPack) =>
      p.title ?? (p.id === 'NIST.800.53.R5' ? 'NIST 800-53 R5' : p.id);
    const byPack = new Map<string, { acknowledged: number; findings: number }>();
    for (const p of t.checks.packs)
      byPack.set(packTitle(p), { acknowledged: p.acknowledgements.length, findings: p.findings.length });
    // Acknowledgements no pack claims (a report written before packs were listed) count under their rule's pack.
    const claimed = new Set(
      t.checks.packs.flatMap((p) => p.acknowledgements.map((a) => `${a.rule}\0${a.path}`)),
    );
    for (const a of t.checks.acknowledgements) {
      if (claimed.has(`${a.rule}\0${a.path}`)) continue;
      const e = byPack.get(packOf(a.rule)) ?? { acknowledged: 0, findings: 0 };
      e.acknowledged++;
      byPack.set(packOf(a.rule), e);
    }
    // Every acknowledgement: cdk-nag's (top level) and those of the packs plan adds.
    const nagIds = new Set(['AwsSolutions', 'NIST.800.53.R5']);
    const acknowledgements = [
      ...t.checks.acknowledgements,
      ...t.checks.packs.filter((p) => !nagIds.has(p.id)).flatMap((p) => p.acknowledgements),
    ];
    security.push({
      id: `security-${t.name}`,
      title: `Securing the ${t.name} tier`,
      blocks: [
        ...(d ? [{ kind: 'list', items: d.enforced.map((e) => [e]) } as Block] : []),
        {
          kind: 'table',
          caption: `${t.name}: compliance packs run on the template`,
          columns: [
            { header: 'pack' },
            { header: 'unacknowledged findings', align: 'right' },
            { header: 'acknowledged', align: 'right' },
          ],
          rows: [...byPack.entries()].map(([p, n]) => [
            cell(p),
            cell(String(n.findings)),
            cell(String(n.acknowledged)),
          ]),
        },
        {
          kind: 'table',
          caption: `${t.name}: every acknowledgement, with its reason`,
          columns: [{ header: 'rule' }, { header: 'where' }, { header: 'reason' }],
          rows: acknowledgements.map((a) => [cell(code(a.rule)), cell(code(a.path)), cell(a.reason)]),
        },
      ],
    });
  }
  sections.push({ id: 'security', title: 'Security', blocks: [], sections: security });

  // 7. Reliability and operations ---------------------------------------------------------------------------
  const ops: Section[] = [];
  for (const t of tiers) {
    const d = designs.get(t.name);
    const alarms = alarmsOf(t.template);
    ops.push({
      id: `operations-${t.name}`,
      title: `Operating the ${t.name} tier`,
      blocks: [
        ...(d?.backups.length
          ? [
              {
                kind: 'table',
                caption: `${t.name}: backups`,
                columns: [
                  { header: 'what' },
                  { header: 'schedule' },
                  { header: 'retention' },
                  { header: 'where' },
                  { header: 'verified by' },
                ],
                rows: d.backups.map((b) => [
                  cell(b.what),
                  cell(b.schedule),
                  cell(b.retention),
                  cell(b.where),
                  cell(b.verified),
                ]),
              } as Block,
            ]
          : [
              {
                kind: 'paragraph',
                content: [
                  d
                    ? 'No database: nothing to back up beyond the buckets.'
                    : `The ${t.name} tier does not describe its backups to the document; its template holds them.`,
                ],
              } as Block,
            ]),
        ...(d?.restore.length
          ? [{ kind: 'paragraph', content: [strong('Restore'), ':'] } as Block, ...steps(d.restore)]
          : []),
        {
          kind: 'table',
          caption: `${t.name}: alarms (each notifies ${m.alarmEmail})`,
          columns: [{ header: 'alarm' }, { header: 'metric' }, { header: 'means, and what to do' }],
          rows: alarms.map((a) => [cell(code(a.id)), cell(a.metric), cell(a.description)]),
        },
        ...(d
          ? [
              {
                kind: 'table',
                caption: `${t.name}: failure modes`,
                columns: [{ header: 'failure' }, { header: 'what happens' }, { header: 'recovery' }],
                rows: d.failureModes.map((f) => [cell(f.failure), cell(f.response), cell(f.recovery)]),
              } as Block,
            ]
          : []),
      ],
    });
  }
  sections.push({
    id: 'operations',
    title: 'Reliability and operations',
    blocks: [
      {
        kind: 'paragraph',
        content: [
          'Before deploying a host tier, ',
          code('stackplan rehearse stackplan.yaml'),
          ' runs it on this machine (real nginx, PostgreSQL, Redis and an S3-compatible store) and proves backup, restore and recovery.',
        ],
      },
    ],
    sections: ops,
  });

  // 8. Deploy runbook -------------------------------------------------------------------------------------
  const runbooks: Section[] = [];
  for (const t of tiers) {
    const d = designs.get(t.name);
    const deploy =
      tierNamed(t.name)?.deployCommand(plan, t.assemblyDir) ?? `npx aws-cdk deploy --app ${t.assemblyDir}`;
    const survives = [...(d?.runbook.survives ?? []), ...retained(t.template)];
    const outputs = outputsOf(t.template);
    runbooks.push({
      id: `runbook-${t.name}`,
      title: `Deploying the ${t.name} tier`,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            strong('First deploy'),
            ': once per account and region, bootstrap the CDK, then follow the steps.',
          ],
        },
        { kind: 'code', language: 'sh', code: `npx aws-cdk bootstrap aws://<account>/${m.region}` },
        ...steps(d ? d.runbook.first : [{ say: 'Deploy', run: deploy }]),
        ...(outputs.length
          ? [
              {
                kind: 'table',
                caption: `${t.name}: stack outputs the steps read`,
                columns: [{ header: 'output' }, { header: 'what' }],
                rows: outputs.map(([k, v]) => [cell(code(k)), cell(v)]),
              } as Block,
            ]
          : []),
        { kind: 'paragraph', content: [strong('Updating')] },
        ...steps(d ? d.runbook.update : [{ say: 'Deploy the re-planned assembly', run: deploy }]),
        { kind: 'paragraph', content: [strong('Rolling back')] },
        ...steps(d ? d.runbook.rollback : [{ say: 'Re-plan from the previous manifest and deploy it' }]),
        { kind: 'paragraph', content: [strong('Rotating secrets')] },
        ...steps(
          d
            ? d.runbook.rotateSecrets
            : [{ say: 'Write the new value where the tier reads it, then restart the workloads' }],
        ),
        { kind: 'paragraph', content: [strong('Destroying')] },
        ...steps(
          d ? d.runbook.destroy : [{ say: 'Destroy', run: `npx aws-cdk destroy --app ${t.assemblyDir}` }],
        ),
        {
          kind: 'paragraph',
          content: [`What survives destroying: ${survives.length ? survives.join('; ') : 'nothing'}.`],
        },
      ],
    });
  }
  sections.push({ id: 'runbook', title: 'Deploy runbook', blocks: [], sections: runbooks });

  // 9. Upgrade path ---------------------------------------------------------------------------------------------
  const order = TIER_REGISTRY.map((t) => t.name as string);
  const generated = tiers.map((t) => t.name).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const upgrade: Section[] = [];
  for (let i = generated.indexOf(rec.name); i >= 0 && i + 1 < generated.length; i++) {
    const from = tiers.find((t) => t.name === generated[i])!;
    const to = tiers.find((t) => t.name === generated[i + 1])!;
    const df = designs.get(from.name);
    const dt = designs.get(to.name);
    const delta = to.cost.totals.month13Usd - from.cost.totals.month13Usd;
    const event = events.find(
      (e) =>
        (e.kind === 'crossover' && e.cheaper === to.name && e.than === from.name) ||
        (e.kind === 'stops' && e.series === from.name),
    );
    const payoff = event
      ? event.kind === 'crossover'
        ? `${to.name} becomes cheaper than ${from.name} at about ${formatMultiple(event.x)} the manifest's traffic`
        : `${from.name} stops being eligible above ${formatMultiple(event.x)} the manifest's traffic`
      : `${to.name} does not become cheaper than ${from.name} between ${formatMultiple(Math.min(...sweep.multiples))} and ${formatMultiple(Math.max(...sweep.multiples))} the manifest's traffic: move for availability or RPO, not for cost`;
    const moves: Step[] = [];
    for (const kind of ['postgres', 'redis', 'buckets'] as const) {
      moves.push(...(df?.dataOut[kind] ?? []), ...(dt?.dataIn[kind] ?? []));
    }
    upgrade.push({
      id: `upgrade-${from.name}-${to.name}`,
      title: `${from.name} → ${to.name}`,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            `Cost: month 13 goes from ${usd(from.cost.totals.month13Usd)} to ${usd(to.cost.totals.month13Usd)} (`,
            strong(`${delta >= 0 ? '+' : ''}${usd(delta)}`),
            ` a month). When it pays off: ${payoff}. What it buys: availability ${capability(to.name)?.availability.join(', ') ?? ''}; RPO ${formatHours(capability(to.name)?.minRpoHours ?? 0)}.`,
          ],
        },
        {
          kind: 'paragraph',
          content: [strong('Provision the new tier beside the old'), ': both run while the data moves.'],
        },
        {
          kind: 'code',
          language: 'sh',
          code: `${tierNamed(to.name)?.deployCommand(plan, to.assemblyDir) ?? `npx aws-cdk deploy --app ${to.assemblyDir}`}`,
        },
        { kind: 'paragraph', content: [strong('Move the data'), ' (writes stop at the first step):'] },
        ...steps(moves.length ? moves : [{ say: 'The app keeps no data in the tier: nothing to move' }]),
        {
          kind: 'paragraph',
          content: [
            strong('Switch DNS'),
            `: point ${m.domain} at ${dt?.dnsTarget ?? `the ${to.name} tier's entry point`} instead of ${df?.dnsTarget ?? from.name}. Lower the record's TTL to 60 seconds a day before.`,
          ],
        },
        {
          kind: 'paragraph',
          content: [
            strong('Decommission'),
            ` the ${from.name} tier once the new one has served a full backup cycle:`,
          ],
        },
        ...steps(
          df
            ? df.runbook.destroy
            : [{ say: 'Destroy', run: `npx aws-cdk destroy --app ${from.assemblyDir}` }],
        ),
        {
          kind: 'paragraph',
          content: [
            'Expected downtime: writes stop from the final dump until DNS points at the new tier — the dump and restore (minutes for a database of a few GB) plus the DNS TTL.',
          ],
        },
      ],
    });
  }
  const above = TIER_REGISTRY.map((t) => t.name as string).filter(
    (n) => order.indexOf(n) > order.indexOf(rec.name) && !generated.includes(n),
  );
  sections.push({
    id: 'upgrade',
    title: 'Upgrade path',
    blocks: [
      {
        kind: 'paragraph',
        content: [
          upgrade.length
            ? `From the recommended ${rec.name} tier upwards, in the order stackplan ranks tiers (${order.join(' → ')}).`
            : `${rec.name} is the largest tier generated for this manifest.`,
          above.length ? ` Not generated for this manifest: ${above.join(', ')}.` : '',
        ],
      },
    ],
    sections: upgrade,
  });

  return {
    title: `${m.name}: design`,
    subtitle: `Generated by stackplan plan from stackplan.yaml, the synthesized templates and their cost reports (prices as of ${rec.cost.asOf}).`,
    sections,
    footer: `Generated by stackplan from the same plan as the templates in ${tiers.map((t) => `${t.name}/`).join(', ')}: re-render with stackplan design.`,
  };
}
