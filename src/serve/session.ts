/**
 * The planner behind `stackplan serve`: one manifest file, evaluated in memory as the page edits it.
 * The same pipeline as `plan` — manifest text → the loader `validate` uses → planApp → the tier
 * registry → synthTier → priceTemplate with the bundled price book — with two differences made for
 * speed: synthesis runs without the compliance packs (the page shows cost and architecture; the
 * zip download runs `plan` itself, packs included), and templates are cached by a hash of what a
 * template is a function of (the manifest without its traffic, and the tier's plan without its
 * decisions' wording: see src/design/sweep.ts). A what-if that only moves traffic, the free-tier
 * regime or the usage profile is then re-planned and re-priced without synthesizing; one that
 * changes a tier's plan synthesizes that tier once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ComponentCost } from '../design/cost-components.js';
import type { TrafficSweep } from '../design/sweep.js';
import type { Diagnostic } from '../manifest/diagnostics.js';
import type { Manifest } from '../manifest/normalize.js';
import type { TierName } from '../manifest/schema.js';
import type { Step } from '../model/design.js';
import type { Plan, TierAssessment } from '../model/plan.js';
import { planApp, recommend } from '../plan/index.js';
import { parseManifest } from '../plan/load.js';
import { loadPriceBook, type PriceBook } from '../price/book/index.js';
import { usageFromManifest } from '../price/manifest-usage.js';
import type { CostReport, FreeTierMode } from '../price/types.js';
import { mergeUsage, type ProfileName, type Usage } from '../price/usage.js';
import { TIER_REGISTRY, tierNamed } from '../tiers/registry.js';
import type { Tier } from '../tiers/tier.js';
import { applyWhatIf, type WhatIf } from './whatif.js';

/** A synthesized tier, kept in memory (its cloud assembly is not). */
export interface Built {
  template: Record<string, unknown>;
  stackName: string;
  usage?: Usage;
  constructPaths: Map<string, string>;
}

export interface TierResult {
  name: TierName;
  eligible: boolean;
  unmet: string[];
  summary: string;
  /** The template is being synthesized: no cost yet. */
  pending: boolean;
  cost?: CostReport;
}

export interface Evaluation {
  /** The editor's text is a valid manifest (warnings allowed). */
  ok: boolean;
  /** What `validate` says about the editor's text. */
  diagnostics: Diagnostic[];
  /** What the loader says about the text with the what-if applied (when it adds errors). */
  whatIfDiagnostics: Diagnostic[];
  /** Every eligible tier priced and the sweep complete (nothing pending). */
  complete: boolean;
  plan?: Plan;
  tiers: TierResult[];
  recommended?: TierName;
  recommendationWhy?: string;
  /** The values in effect (the what-if over the editor's manifest), to set the controls. */
  effective?: Required<Omit<WhatIf, 'profile'>> & { profile: ProfileName; profileChosen: boolean };
  /** The editor's manifest traffic: 1× of the chart. */
  base?: { requestsPerMonth: number; gbOutPerMonth: number };
  sweep?: TrafficSweep;
}

export interface TierDetail {
  tier: TierName;
  plan: Plan;
  stackName: string;
  svg: string;
  /** The diagram's components, for the figure's text alternative. */
  nodes: string[];
  cost: CostReport;
  components: ComponentCost[];
  /** The tier's first-deploy steps (from its design), run from the plan output directory. */
  runbook?: Step[];
}

export interface SessionOptions {
  /** The manifest file (a path as the user gave it; diagnostics name it so). */
  file: string;
  book?: PriceBook;
  /** Date prices and support calendars are judged at. @default today (SOURCE_DATE_EPOCH when set) */
  asOf?: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The same date `plan` prices at. */
function today(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const d = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return d.toISOString().slice(0, 10);
}

export class ConflictError extends Error {}

/** `plan` refused the saved manifest (its message says why and what to do). */
export class PlanError extends Error {}

export class PlannerSession {
  /** As the user gave it (what diagnostics show). */
  readonly label: string;
  /** Absolute path of the manifest. */
  readonly file: string;
  /** The only directory the session reads manifests from or writes to. */
  readonly dir: string;
  readonly book: PriceBook;
  readonly asOf: string;
  private readonly staging: string;
  private readonly built = new Map<string, Built>();
  private readonly building = new Map<string, Promise<Built>>();
  private readonly sweeps = new Map<string, TrafficSweep>();
  private chain: Promise<unknown> = Promise.resolve();
  private n = 0;
  private closed = false;
  private worker: Worker | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: one map for the worker's two kinds of answer
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  /** Per tier and manifest (traffic aside): plan fields known not to reach the template. */
  private readonly unread = new Map<string, Set<string>>();
  /** Per tier and manifest: the plans synthesized and their templates, to learn `unread` from. */
  private readonly plans = new Map<string, Array<{ plan: Plan; template: string; built: Built }>>();

  constructor(opts: SessionOptions) {
    this.file = path.resolve(opts.file);
    this.label = opts.file;
    this.dir = path.dirname(this.file);
    this.book = opts.book ?? loadPriceBook();
    this.asOf = opts.asOf ?? today();
    this.staging = mkdtempSync(path.join(tmpdir(), 'stackplan-serve-'));
  }

  /** The manifest as it is on disk now, with the hash a save must name. */
  read(): { text: string; hash: string } {
    const text = readFileSync(this.file, 'utf8');
    return { text, hash: sha256(text) };
  }

  /** Runs heavy work (synthesis, a full plan) one at a time: the machine may have few cores. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * What a tier's template is a function of: the manifest but its traffic, and the tier's plan but
   * its decisions' wording and the fields a synthesis showed it does not read (see `learn`).
   */
  private key(plan: Plan, tier: TierName): string {
    const { traffic: _t, ...rest } = plan.manifest;
    const manifest = JSON.stringify(rest);
    const unread = this.unread.get(`${tier}:${manifest}`) ?? new Set<string>();
    const tierPlan = Object.fromEntries(
      Object.entries((plan.tiers[tier] ?? {}) as Record<string, unknown>).filter(
        ([k]) => k !== 'decisions' && !unread.has(k),
      ),
    );
    return sha256(JSON.stringify({ tier, manifest: rest, plan: tierPlan }));
  }

  /**
   * After a synthesis: when another plan of the same tier and manifest gave the very same template,
   * the top-level plan fields that differ between the two do not reach the template (eks's k6 load
   * figures), and later plans differing only in them reuse it — the rule the design document's
   * traffic sweep uses, whose test checks every reused template byte for byte.
   */
  private learn(plan: Plan, tier: TierName, b: Built): void {
    const { traffic: _t, ...rest } = plan.manifest;
    const scope = `${tier}:${JSON.stringify(rest)}`;
    const text = JSON.stringify(b.template);
    const same = this.plans.get(scope) ?? [];
    for (const other of same) {
      if (other.template !== text) continue;
      const a = (other.plan.tiers[tier] ?? {}) as Record<string, unknown>;
      const c = (plan.tiers[tier] ?? {}) as Record<string, unknown>;
      const changed = [...new Set([...Object.keys(a), ...Object.keys(c)])].filter(
        (k) => k !== 'decisions' && JSON.stringify(a[k]) !== JSON.stringify(c[k]),
      );
      if (changed.length) this.unread.set(scope, new Set([...(this.unread.get(scope) ?? []), ...changed]));
    }
    same.push({ plan, template: text, built: b });
    this.plans.set(scope, same);
    // Keys leave out what is now known unread: file every template of the scope under its new key.
    for (const e of same) this.built.set(this.key(e.plan, tier), e.built);
  }

  /** The cached template of a tier's plan, or undefined (never synthesizes). */
  cached(plan: Plan, tier: TierName): Built | undefined {
    return this.built.get(this.key(plan, tier));
  }

  /** The tier's template for this plan: cached, or synthesized in the worker (once per key, one at a time). */
  template(plan: Plan, tier: TierName): Promise<Built> {
    const key = this.key(plan, tier);
    const done = this.built.get(key);
    if (done) return Promise.resolve(done);
    const inflight = this.building.get(key);
    if (inflight) return inflight;
    const p = this.run(async () => {
      if (this.closed) throw new Error('the planner is closed');
      const b = await this.synthesize(plan, tier);
      this.built.set(key, b);
      this.learn(plan, tier, b);
      return b;
    }).finally(() => this.building.delete(key));
    this.building.set(key, p);
    return p;
  }

  /** One synthesis in the worker thread (started on first use, kept for the session). */
  private synthesize(plan: Plan, tier: TierName): Promise<Built> {
    const worker = this.startWorker();
    const id = this.n++;
    const assemblyDir = path.join(this.staging, `synth-${id}`);
    return new Promise<Built>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, plan, tier, assemblyDir });
    });
  }

  private startWorker(): Worker {
    if (this.worker) return this.worker;
    const js = new URL('./synth-worker.js', import.meta.url);
    const entry = existsSync(fileURLToPath(js)) ? js : new URL('./synth-worker.ts', import.meta.url);
    // Under the test runner the sources are TypeScript: register tsx in the worker first.
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true },
        )
      : new Worker(entry);
    worker.unref();
    worker.on(
      'message',
      (m: {
        id: number;
        built?: Omit<Built, 'constructPaths'> & { constructPaths: Array<[string, string]> };
        zip?: Uint8Array;
        error?: string;
        refused?: boolean;
      }) => {
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        if (m.built) w.resolve({ ...m.built, constructPaths: new Map(m.built.constructPaths) });
        else if (m.zip) w.resolve(m.zip);
        else w.reject(m.refused ? new PlanError(m.error) : new Error(m.error ?? 'the worker failed'));
      },
    );
    const fail = (e: Error) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the synthesis worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Prices a tier's template for a plan exactly as `plan` does (manifest usage, stack usage, the tier's own). */
  price(plan: Plan, tier: Tier, b: Built, freeTier: FreeTierMode, profile?: ProfileName): CostReport {
    const manifestUsage = usageFromManifest(plan.manifest, profile);
    const usage = b.usage ? mergeUsage(manifestUsage, b.usage) : manifestUsage;
    const label = `manifest traffic and integrations, profile ${manifestUsage.profile ?? 'none'} for the rest`;
    const tierUsage = tier.usage(plan, { usage, label });
    return this.priceWith(plan.manifest, tierUsage.usage, tierUsage.label, b, freeTier);
  }

  private priceWith(m: Manifest, usage: Usage, label: string, b: Built, freeTier: FreeTierMode): CostReport {
    // Loaded lazily like plan does: the price engine is only needed once a template exists.
    return this.engine!(b.template, {
      region: m.region,
      usage,
      usageLabel: label,
      freeTier,
      asOf: this.asOf,
      book: this.book,
      stackName: b.stackName,
      file: 'template.json',
    });
  }

  private engine: typeof import('../price/engine.js').priceTemplate | undefined;

  /**
   * The editor's text with the what-if over it: diagnostics, every tier's eligibility, and the cost
   * of every tier whose template is built. With `wait`, missing templates are synthesized first.
   */
  async evaluate(text: string, whatIf: WhatIf, opts: { wait?: boolean } = {}): Promise<Evaluation> {
    this.engine ??= (await import('../price/engine.js')).priceTemplate;
    const loaded = parseManifest(text, this.label);
    if (!loaded.ok) {
      return { ok: false, diagnostics: loaded.diagnostics, whatIfDiagnostics: [], complete: true, tiers: [] };
    }
    const base = {
      requestsPerMonth: loaded.manifest.traffic.requestsPerMonth,
      gbOutPerMonth: loaded.manifest.traffic.gbOutPerMonth,
    };
    const applied = parseManifest(applyWhatIf(text, whatIf), this.label);
    if (!applied.ok) {
      return {
        ok: true,
        diagnostics: loaded.diagnostics,
        whatIfDiagnostics: applied.diagnostics.filter((d) => d.severity === 'error'),
        complete: true,
        tiers: [],
        base,
      };
    }
    const m = applied.manifest;
    const freeTier = whatIf.freeTier ?? 'paid-plan';
    const plan = planApp(m, { catalog: this.book, manifestDir: this.dir, asOf: this.asOf });
    const tiers: TierResult[] = [];
    const monthly: Partial<Record<TierName, number>> = {};
    let complete = true;
    for (const tier of TIER_REGISTRY) {
      const a = plan.assessments.find((x) => x.tier === tier.name) as TierAssessment;
      const r: TierResult = {
        name: tier.name,
        eligible: a.eligible && plan.tiers[tier.name] !== undefined,
        unmet: a.unmet,
        summary: a.capability.summary,
        pending: false,
      };
      if (r.eligible) {
        const b = opts.wait ? await this.template(plan, tier.name) : this.cached(plan, tier.name);
        if (b) {
          r.cost = this.price(plan, tier, b, freeTier, whatIf.profile);
          monthly[tier.name] = r.cost.totals.month13Usd;
        } else {
          r.pending = true;
          complete = false;
          void this.template(plan, tier.name).catch(() => undefined);
        }
      }
      tiers.push(r);
    }
    // The recommendation `plan` prints: the cheapest eligible tier at month 13, once all are priced.
    const rec = complete ? recommend(m, plan.assessments, monthly) : undefined;
    const sweep = await this.sweep(text, whatIf, freeTier, Boolean(opts.wait));
    if (!sweep) complete = false;
    return {
      ok: true,
      diagnostics: loaded.diagnostics,
      whatIfDiagnostics: [],
      complete,
      plan,
      tiers,
      recommended: rec?.tier ?? plan.recommended,
      recommendationWhy: rec?.why ?? plan.recommendationWhy,
      effective: {
        requestsPerMonth: m.traffic.requestsPerMonth,
        gbOutPerMonth: m.traffic.gbOutPerMonth,
        availability: m.availability,
        rpoHours: m.backups.rpoHours,
        region: m.region,
        freeTier,
        profile: usageFromManifest(m, whatIf.profile).profile ?? 'small',
        profileChosen: whatIf.profile !== undefined,
      },
      base,
      ...(sweep && { sweep }),
    };
  }

  /**
   * The cost-versus-traffic sweep of the editor's manifest with the what-if's other values
   * (availability, RPO, region, pricing) but the manifest's own traffic as 1×, so the chart keeps its
   * axis while the traffic slider moves. Cached; undefined while templates it needs are missing.
   */
  private async sweep(
    text: string,
    whatIf: WhatIf,
    freeTier: FreeTierMode,
    wait: boolean,
  ): Promise<TrafficSweep | undefined> {
    const { requestsPerMonth: _r, gbOutPerMonth: _g, ...rest } = whatIf;
    const key = sha256(JSON.stringify({ text, rest, freeTier }));
    const hit = this.sweeps.get(key);
    if (hit) return hit;
    // Pricing ten traffic steps takes longer than the tiers themselves: the quick answer leaves the
    // chart out (pending) and the complete one, which the page asks for next, draws it.
    if (!wait) return undefined;
    const loaded = parseManifest(applyWhatIf(text, rest), this.label);
    if (!loaded.ok) return undefined;
    const plan = planApp(loaded.manifest, { catalog: this.book, manifestDir: this.dir, asOf: this.asOf });
    const tiers = [];
    let missing = false;
    for (const tier of TIER_REGISTRY) {
      if (!plan.tiers[tier.name]) continue;
      const b = wait ? await this.template(plan, tier.name) : this.cached(plan, tier.name);
      if (!b) {
        missing = true;
        void this.template(plan, tier.name).catch(() => undefined);
        continue;
      }
      tiers.push({
        tier,
        stackName: b.stackName,
        template: b.template,
        ...(b.usage && { stackUsage: b.usage }),
      });
    }
    if (missing) return undefined;
    const { trafficSweep } = await import('../design/sweep.js');
    let pending = false;
    const sweep = await trafficSweep(plan, tiers, {
      book: this.book,
      asOf: this.asOf,
      freeTier,
      ...(whatIf.profile && { profile: whatIf.profile }),
      synthesize: async (p, tier) => {
        const b = wait ? await this.template(p, tier.name) : this.cached(p, tier.name);
        if (!b) {
          pending = true;
          void this.template(p, tier.name).catch(() => undefined);
          return undefined;
        }
        return { template: b.template, ...(b.usage && { usage: b.usage }) };
      },
    });
    if (pending) return undefined;
    this.sweeps.set(key, sweep);
    return sweep;
  }

  /**
   * Writes the editor's text to the manifest, byte for byte as typed (comments and formatting are the
   * person's own), only when the file on disk is still the one the page loaded (`baseHash`).
   * Written to a temporary file beside it and renamed: never half a manifest.
   */
  save(text: string, baseHash: string): { hash: string } {
    let now: { text: string; hash: string };
    try {
      now = this.read();
    } catch (e) {
      throw new ConflictError(
        `${this.label} cannot be read any more (${(e as NodeJS.ErrnoException).code ?? 'error'}): it was moved or removed since the page loaded it; nothing was written`,
      );
    }
    if (now.hash !== baseHash) {
      throw new ConflictError(
        `${this.label} changed on disk since the page loaded it; reload it (your edits are kept in the editor until you do) or copy your edits first`,
      );
    }
    const tmp = path.join(this.dir, `.${path.basename(this.file)}.stackplan-serve-${process.pid}.tmp`);
    let mode: number | undefined;
    try {
      mode = statSync(this.file).mode & 0o777;
    } catch {
      mode = undefined;
    }
    try {
      writeFileSync(tmp, text, { encoding: 'utf8', ...(mode !== undefined && { mode }) });
      renameSync(tmp, this.file);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { hash: sha256(text) };
  }

  /**
   * One tier in full for the what-if manifest: its architecture diagram (the design document's
   * renderer, with the tier's own extra nodes), its cost report and that report grouped by the
   * diagram's components. Synthesizes the tier's template when it is not cached.
   */
  async detail(text: string, whatIf: WhatIf, name: string): Promise<TierDetail | { error: string }> {
    const tier = tierNamed(name);
    if (!tier) return { error: `stackplan has no tier named ${name}` };
    this.engine ??= (await import('../price/engine.js')).priceTemplate;
    const applied = parseManifest(applyWhatIf(text, whatIf), this.label);
    if (!applied.ok)
      return { error: `${this.label} is not a valid manifest: fix the errors the editor shows` };
    const plan = planApp(applied.manifest, { catalog: this.book, manifestDir: this.dir, asOf: this.asOf });
    if (!plan.tiers[tier.name]) {
      const a = plan.assessments.find((x) => x.tier === tier.name);
      return { error: `the ${tier.name} tier cannot run this app: ${a?.unmet.join('; ') ?? 'not planned'}` };
    }
    const b = await this.template(plan, tier.name);
    const cost = this.price(plan, tier, b, whatIf.freeTier ?? 'paid-plan', whatIf.profile);
    const [{ renderArchitectureDiagram }, { costByComponent }] = await Promise.all([
      import('../design/index.js'),
      import('../design/cost-components.js'),
    ]);
    const design = tier.design?.(plan, {
      template: b.template,
      stackName: b.stackName,
      assemblyDir: `out/${tier.name}/cdk.out`,
    });
    const diagram = await renderArchitectureDiagram({
      template: b.template,
      constructPaths: b.constructPaths,
      ...(design?.diagram && {
        extraNodes: design.diagram.extraNodes,
        extraEdges: design.diagram.extraEdges,
      }),
      title: `${plan.manifest.name}: ${tier.name} tier architecture`,
      description: `Every resource of stack ${b.stackName}, grouped by network, edge, compute, data and operations; the request flow from the user to the data stores is drawn thick.`,
      idPrefix: `arch-${tier.name}`,
    });
    return {
      tier: tier.name,
      plan,
      stackName: b.stackName,
      svg: diagram.svg,
      nodes: diagram.model.nodes.filter((n) => n.kind !== 'internet').map((n) => n.title),
      cost,
      components: costByComponent(cost, diagram.model, b.stackName),
      ...(design && { runbook: design.runbook.first }),
    };
  }

  /**
   * `stackplan plan` on the manifest as saved, zipped — in the worker, after the syntheses queued
   * before it, so the page keeps answering while it runs.
   */
  zip(): Promise<Uint8Array> {
    return this.run(() => {
      if (this.closed) throw new Error('the planner is closed');
      const worker = this.startWorker();
      const id = this.n++;
      return new Promise<Uint8Array>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        worker.postMessage({ id, zip: { file: this.file } });
      });
    });
  }

  /** A tier by name, when the registry has it. */
  tier(name: string): Tier | undefined {
    return tierNamed(name);
  }

  close(): void {
    this.closed = true;
    void this.worker?.terminate();
    this.worker = undefined;
    rmSync(this.staging, { recursive: true, force: true });
  }
}
