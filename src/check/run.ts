/**
 * `stackplan check`'s engine: input → packs → located findings → suppressions → CheckReport.
 * Pure apart from reading the input and a scratch directory it removes; the CLI renders the
 * report and picks the exit code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadPriceBook, type PriceBook } from '../price/book/index.js';
import { VERSION } from '../version.js';
import { type CheckInput, type CheckStack, isManifestFile, readCheckInput } from './input.js';
import type { ManifestInput } from './manifest.js';
import { type Pack, selectPacks } from './packs/index.js';
import { acknowledgementFor, type IgnoreEntry, ignoreEntryFor, MIN_REASON_LENGTH } from './suppress.js';
import {
  type CheckReport,
  type Finding,
  type FindingLocation,
  type PackRun,
  type RawFinding,
  type RuleInfo,
  type Severity,
  severityRank,
} from './types.js';

export const TOOL_VERSION = VERSION;

export interface CheckOptions {
  /** A template, a cdk.out directory, or a stackplan.yaml. */
  input: string;
  /** --pack values (comma-separated ids, `default`, `all`). */
  packs?: string | readonly string[];
  /** YYYY-MM-DD. @default today */
  asOf?: string;
  /** @default 'error' */
  failOn?: Severity | 'none';
  ignore?: IgnoreEntry[];
  book?: PriceBook;
  /** cdk-nag: run each rule only on the types it names (for tests). @default true */
  nagPrefilter?: boolean;
  /** cdk-nag: worker threads (for tests). @default when the template is large enough */
  nagWorkers?: boolean;
  /** Directory repository-relative URIs are relative to. @default the input's git root, else the working directory */
  root?: string;
}

/** The directory holding `.git` above `p`, if any. */
export function gitRoot(p: string): string | undefined {
  let dir = path.resolve(p);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const posix = (p: string) => p.split(path.sep).join('/');

/** A path as a user reads it: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

async function readInput(p: string, asOf: string): Promise<CheckInput | ManifestInput> {
  if (existsSync(p) && statSync(p).isFile() && isManifestFile(p)) {
    return (await import('./manifest.js')).readManifestInput(p, asOf);
  }
  return readCheckInput(p);
}

function fingerprint(parts: Array<string | undefined>): string {
  return createHash('sha256')
    .update(parts.map((x) => x ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export async function runCheck(opts: CheckOptions): Promise<CheckReport> {
  const packs: Pack[] = selectPacks(opts.packs);
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  const book = opts.book ?? loadPriceBook();
  const input = await readInput(opts.input, asOf);
  const manifest = input.kind === 'manifest' ? (input as ManifestInput) : undefined;
  const scratchDir = mkdtempSync(path.join(tmpdir(), 'stackplan-check-'));
  try {
    const runs: PackRun[] = [];
    const raw: Array<{ pack: Pack; f: RawFinding }> = [];
    const rules = new Map<string, RuleInfo>();
    const warnings: string[] = input.stacks.flatMap((s) => s.warnings);
    // Packs run at the same time: cdk-nag packs in worker threads, Control Tower in cfn-guard's
    // own process, stackplan's rules here; results are kept in pack order.
    const ctx = {
      stacks: input.stacks,
      asOf,
      book,
      scratchDir,
      packIds: packs.map((p) => p.id),
      ...(opts.nagPrefilter !== undefined && { nagPrefilter: opts.nagPrefilter }),
      ...(opts.nagWorkers !== undefined && { nagWorkers: opts.nagWorkers }),
    };
    const results = await Promise.all(
      packs.map(async (pack) => {
        const t0 = process.hrtime.bigint();
        const r = await pack.run(ctx);
        return { pack, r, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
      }),
    );
    for (const { pack, r, seconds } of results) {
      const run: PackRun = { id: pack.id, title: pack.title, seconds, limits: pack.limits };
      if (r.rulesEvaluated !== undefined) run.rules = r.rulesEvaluated;
      runs.push(run);
      for (const info of r.rules) if (!rules.has(info.id)) rules.set(info.id, info);
      for (const f of r.findings) raw.push({ pack, f });
      warnings.push(...r.warnings);
    }

    const manifestModule = manifest ? await import('./manifest.js') : undefined;
    const root = opts.root ?? gitRoot(manifest ? manifest.path : opts.input) ?? process.cwd();
    const byName = new Map<string, CheckStack>(input.stacks.map((s) => [s.name, s]));
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    const shortReasons = new Set<string>();
    for (const { pack, f } of raw) {
      const stack = byName.get(f.stack);
      if (!stack) continue;
      const info = rules.get(f.ruleId);
      const constructPath = f.logicalId ? stack.constructPaths.get(f.logicalId) : undefined;
      const at = stack.source.locate(
        f.logicalId ? ['Resources', f.logicalId, ...(f.path ?? [])] : ['Resources'],
      ) ?? {
        line: 1,
        column: 1,
      };
      const property = f.path && f.path.length > 1 ? f.path.join('.') : undefined;
      // A manifest's findings point at the field that caused them; a template's at the template.
      const field = manifest
        ? manifestModule!.manifestFieldOf(manifest.manifest, constructPath, f.ruleId)
        : undefined;
      const file = manifest ? manifest.path : stack.file;
      const pos = manifest ? manifestModule!.manifestLine(manifest.doc, field!) : at;
      const location: FindingLocation = {
        file: displayPath(file),
        uri: posix(path.relative(root, path.resolve(file))),
        line: pos.line,
        column: pos.column,
        stack: stack.name,
      };
      if (field) {
        location.manifestField = field.join('.');
        location.templateLocation = { file: path.basename(stack.file), line: at.line };
      }
      if (stack.tier) location.tier = stack.tier;
      if (f.logicalId) location.logicalId = f.logicalId;
      if (property) location.property = property;
      if (constructPath) location.constructPath = constructPath;

      const base = fingerprint([f.ruleId, stack.tier, stack.name, f.logicalId, f.detail, property]);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const finding: Finding = {
        ruleId: f.ruleId,
        pack: pack.id,
        severity: f.severity ?? info?.severity ?? 'warning',
        message: f.message,
        location,
        fingerprint: n === 1 ? base : fingerprint([base, String(n)]),
      };
      if (f.detail !== undefined) finding.detail = f.detail;
      if (f.monthlyImpactUsd !== undefined) finding.monthlyImpactUsd = f.monthlyImpactUsd;
      const target = {
        ruleId: f.ruleId,
        nag: pack.id !== 'stackplan' && pack.id !== 'control-tower',
        stack,
        ...(f.detail !== undefined && { detail: f.detail }),
        ...(f.logicalId !== undefined && { logicalId: f.logicalId }),
        ...(constructPath !== undefined && { constructPath }),
      };
      const suppression = acknowledgementFor(target) ?? ignoreEntryFor(target, opts.ignore ?? [], asOf);
      if (suppression) {
        finding.suppression = suppression;
        if (suppression.kind === 'acknowledgement' && suppression.reason.trim().length < MIN_REASON_LENGTH) {
          shortReasons.add(
            `acknowledgement of ${f.ruleId} at ${suppression.source} has a reason shorter than ${MIN_REASON_LENGTH} characters: "${suppression.reason}"`,
          );
        }
      }
      findings.push(finding);
    }
    findings.sort(
      (a, b) =>
        a.location.file.localeCompare(b.location.file) ||
        (a.location.tier ?? '').localeCompare(b.location.tier ?? '') ||
        a.location.line - b.location.line ||
        severityRank(b.severity) - severityRank(a.severity) ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.location.logicalId ?? '').localeCompare(b.location.logicalId ?? '') ||
        (a.detail ?? '').localeCompare(b.detail ?? ''),
    );
    for (const e of opts.ignore ?? []) {
      if (e.expires && e.expires < asOf)
        warnings.push(`${e.where}: ignore entry for ${e.rule} expired on ${e.expires}`);
      else if (!e.used) warnings.push(`${e.where}: ignore entry for ${e.rule} matched no finding`);
    }
    warnings.push(...shortReasons);

    const active = findings.filter((f) => !f.suppression);
    const used = new Set(findings.map((f) => f.ruleId));
    return {
      schemaVersion: 1,
      tool: { name: 'stackplan', version: TOOL_VERSION },
      asOf,
      input: {
        path: opts.input,
        kind: input.kind,
        stacks: input.stacks.map((s) => (s.tier ? `${s.tier}: ${s.name}` : s.name)),
      },
      failOn: opts.failOn ?? 'error',
      packs: runs,
      rules: [...rules.values()].filter((r) => used.has(r.id)).sort((a, b) => a.id.localeCompare(b.id)),
      findings,
      counts: {
        error: active.filter((f) => f.severity === 'error').length,
        warning: active.filter((f) => f.severity === 'warning').length,
        note: active.filter((f) => f.severity === 'note').length,
        suppressed: findings.length - active.length,
      },
      warnings,
    };
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
    manifest?.cleanup();
  }
}

/** Whether the report fails at its --fail-on level: an unsuppressed finding at or above it. */
export function fails(report: CheckReport): boolean {
  if (report.failOn === 'none') return false;
  const min = severityRank(report.failOn);
  return report.findings.some((f) => !f.suppression && severityRank(f.severity) >= min);
}
