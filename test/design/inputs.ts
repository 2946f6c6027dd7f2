/**
 * Real inputs for the design tests: each example's tiers synthesized with the project's own
 * pipeline (cdk-nag off: the diagram does not read findings), the construct paths from the
 * assembly's metadata, the cost report from the real price book, and a lean host's containers as
 * the plan describes them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ExtraEdge, ExtraNode } from '../../src/design/index.js';
import { readConstructPaths } from '../../src/design/index.js';
import type { TierName } from '../../src/manifest/schema.js';
import { leanPlanOf } from '../../src/model/lean.js';
import type { Plan } from '../../src/model/plan.js';
import { loadPriceBook } from '../../src/price/book/index.js';
import { priceTemplate } from '../../src/price/engine.js';
import { usageFromManifest } from '../../src/price/manifest-usage.js';
import type { CostReport } from '../../src/price/types.js';
import { synthTier } from '../../src/synth/index.js';
import { planExample } from '../helpers/assembly.js';

export interface TierInput {
  example: string;
  tier: TierName;
  plan: Plan;
  stackName: string;
  template: Record<string, unknown>;
  constructPaths: Map<string, string>;
}

const work = mkdtempSync(path.join(tmpdir(), 'stackplan-design-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const cache = new Map<string, Promise<TierInput>>();

/** The example's tier as `plan` synthesizes it (once per test process). */
export function tierInput(example: string, tier: TierName): Promise<TierInput> {
  const key = `${example}/${tier}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const plan = planExample(`${example}/stackplan.yaml`);
      const r = await synthTier(plan, tier, {
        assemblyDir: path.join(work, `${example}-${tier}`),
        nag: false,
      });
      return {
        example,
        tier,
        plan,
        stackName: r.stackName,
        template: r.template,
        constructPaths: readConstructPaths(r.assemblyDir, r.stackName),
      };
    })();
    cache.set(key, p);
  }
  return p;
}

/** The tier priced as `plan` prices it, on a fixed date so reports are reproducible. */
export function costOf(input: TierInput): CostReport {
  return priceTemplate(input.template, {
    region: input.plan.manifest.region,
    usage: usageFromManifest(input.plan.manifest),
    usageLabel: 'manifest traffic and integrations',
    freeTier: 'paid-plan',
    asOf: '2026-12-01',
    book: loadPriceBook(),
    stackName: input.stackName,
  });
}

/** The lean host's containers — nginx in front, the app's services, PostgreSQL and Redis — as nodes inside the instance. */
export function leanContainers(input: TierInput): { extraNodes: ExtraNode[]; extraEdges: ExtraEdge[] } {
  const lean = leanPlanOf(input.plan);
  if (!lean) throw new Error(`${input.example} has no lean plan`);
  const resources = input.template.Resources as Record<string, { Type: string }>;
  const host = Object.keys(resources).find((id) => resources[id]?.Type === 'AWS::EC2::Instance');
  if (!host) throw new Error(`${input.example}: no EC2 instance in the lean template`);
  const statics = lean.services.filter((s) => s.service.kind === 'static').map((s) => s.service.name);
  const nodes: ExtraNode[] = [
    {
      id: 'c-nginx',
      title: 'nginx',
      subtitle: `TLS, HTTP/2${statics.length ? ` · serves ${statics.join(', ')}` : ''}`,
      category: 'edge',
      inside: host,
      entry: true,
    },
  ];
  const edges: ExtraEdge[] = [];
  for (const s of lean.services) {
    if (s.service.kind === 'static') continue;
    nodes.push({
      id: `c-${s.service.name}`,
      title: s.service.name,
      subtitle: `container · ${s.memoryLimitMiB} MiB${s.copies > 1 ? ` × ${s.copies}` : ''}`,
      category: 'compute',
      inside: host,
    });
    if (s.hostPort !== undefined) edges.push({ from: 'c-nginx', to: `c-${s.service.name}` });
    for (const u of s.service.uses) {
      if ((u === 'postgres' && lean.postgres) || (u === 'redis' && lean.redis))
        edges.push({ from: `c-${s.service.name}`, to: `c-${u}` });
    }
  }
  if (lean.postgres) {
    nodes.push({
      id: 'c-postgres',
      title: 'PostgreSQL',
      subtitle: `${lean.postgres.version} · ${lean.postgres.memoryMiB} MiB`,
      category: 'data',
      inside: host,
    });
  }
  if (lean.redis) {
    nodes.push({
      id: 'c-redis',
      title: 'Redis',
      subtitle: `${lean.redis.maxmemoryMiB} MiB${lean.redis.persistence ? ' · persistent' : ''}`,
      category: 'data',
      inside: host,
    });
  }
  return { extraNodes: nodes, extraEdges: edges };
}
