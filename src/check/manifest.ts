/**
 * `stackplan check stackplan.yaml`: plans the manifest and synthesizes every buildable tier the way
 * `plan` does, in memory (a temporary directory, removed afterwards), then checks each tier's
 * cloud assembly. `synthesizeTiers` is the one call into the planner and the synthesizer, and it
 * goes through the tier registry.
 *
 * A finding in a generated stack is caused by a manifest field; `manifestFieldOf` maps a construct
 * path to that field (`Postgres/Instance` → `postgres`, `Services/ApiTask` → `services.api`), and
 * the finding points at the field's line in the manifest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { formatDiagnostics } from '../manifest/diagnostics.js';
import type { Manifest } from '../manifest/normalize.js';
import type { TierName } from '../manifest/schema.js';
import { loadManifest } from '../plan/load.js';
import { type CheckInput, type CheckStack, readAssemblyInput } from './input.js';
import { type Position, parseSource, type SourceDoc } from './source.js';

export interface ManifestInput extends CheckInput {
  kind: 'manifest';
  manifest: Manifest;
  /** The manifest's own text, with positions. */
  doc: SourceDoc;
  /** Removes the temporary assemblies. */
  cleanup(): void;
}

/**
 * Every registered tier `plan` would build for this manifest, synthesized into `staging/<tier>`.
 * It iterates the tier registry, so a tier added there is checked here with no change.
 */
async function synthesizeTiers(
  manifest: Manifest,
  manifestDir: string,
  staging: string,
  asOf: string,
): Promise<Array<{ tier: TierName; assemblyDir: string }>> {
  const { loadPriceBook } = await import('../price/book/index.js');
  const { planApp } = await import('../plan/index.js');
  const { TIER_REGISTRY } = await import('../tiers/registry.js');
  const { synthTier } = await import('../synth/index.js');
  const plan = planApp(manifest, { catalog: loadPriceBook(), manifestDir, asOf });
  const out: Array<{ tier: TierName; assemblyDir: string }> = [];
  for (const tier of TIER_REGISTRY.filter((t) => plan.tiers[t.name] !== undefined)) {
    // cdk-nag runs in check itself (so acknowledged findings are reported, not dropped).
    const synth = await synthTier(plan, tier.name, {
      assemblyDir: path.join(staging, tier.name),
      nag: false,
    });
    out.push({ tier: tier.name, assemblyDir: synth.assemblyDir });
  }
  return out;
}

/** `asOf` (YYYY-MM-DD): the date the plan is for (the day of checking, as `plan` plans for today). */
export async function readManifestInput(file: string, asOf: string): Promise<ManifestInput> {
  const loaded = loadManifest(file);
  if (!loaded.ok) {
    throw new UserError(`${loaded.file} is not a valid manifest`, {
      detail: formatDiagnostics(loaded.diagnostics),
      actions: [
        'fix each error above (file:line: what, then fix:)',
        `check again: stackplan validate ${file}`,
      ],
    });
  }
  const doc = await parseSource(readFileSync(loaded.file, 'utf8'), loaded.file);
  const staging = mkdtempSync(path.join(tmpdir(), 'stackplan-check-'));
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  try {
    const stacks: CheckStack[] = [];
    for (const { tier, assemblyDir } of await synthesizeTiers(loaded.manifest, loaded.dir, staging, asOf)) {
      for (const s of await readAssemblyInput(assemblyDir)) {
        s.tier = tier;
        s.availability = loaded.manifest.availability;
        stacks.push(s);
      }
    }
    return { kind: 'manifest', path: file, stacks, manifest: loaded.manifest, doc, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * The manifest field a generated construct comes from. `constructPath` is the full path
 * (`stack/Top/Child/…`); the first segment below the stack decides.
 */
export function manifestFieldOf(
  m: Manifest,
  constructPath: string | undefined,
  ruleId?: string,
): Array<string | number> {
  const parts = (constructPath ?? '').replace(/^\//, '').split('/').slice(1);
  const top = parts[0] ?? '';
  const child = parts[1] ?? '';
  const service = (id: string) =>
    m.services.find((s) => id === `Repository-${s.name}` || id.startsWith(pascal(s.name)))?.name;
  const version = ruleId?.startsWith('SP-version');
  if (top.startsWith('Postgres')) return version ? ['postgres', 'version'] : ['postgres'];
  if (top === 'Cache') return version ? ['redis', 'engine'] : ['redis'];
  if (top === 'Search') return ['search'];
  if (top === 'Services') {
    const name = service(child);
    return name ? ['services', name] : ['services'];
  }
  if (top === 'Buckets') {
    const key = m.buckets.map((b) => b.key).find((k) => child.startsWith(k) || child.startsWith(pascal(k)));
    return key ? ['buckets', key] : ['buckets'];
  }
  if (top === 'Edge' || top.startsWith('Record-')) return ['domain'];
  if (top === 'Alarms' || top === 'Operations' || top.endsWith('Alarm') || top === 'Dashboard') {
    return ['alarmEmail'];
  }
  if (top === 'Backups' || top.startsWith('Backup')) return ['backups'];
  if (top === 'Deploy') return ['ci'];
  if (top === 'Network' || top === 'Vpc') return ['availability'];
  if (top === 'WebSecurityGroup') return m.adminCidr ? ['adminCidr'] : ['services'];
  if (top.startsWith('Host') || top === 'InstanceRole' || top === 'Address') return ['services'];
  if (top === 'GeneratedParameters') return ['services'];
  return ['name'];
}

/** The manifest line of a field: the deepest part of it that is written, else `name:`. */
export function manifestLine(doc: SourceDoc, field: Array<string | number>): Position {
  return doc.locate(field) ?? doc.locate(['name']) ?? { line: 1, column: 1 };
}
