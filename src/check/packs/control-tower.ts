/**
 * AWS Control Tower proactive controls on CloudFormation templates, with the cfn-guard binary and
 * the Control Tower guard rules that `@cdklabs/cdk-validator-cfnguard` ships (cfn-guard 3.1.1,
 * 237 controls). A reusable module: `runControlTower(templates)` takes parsed templates and
 * returns one finding per control and resource, with the property path guard reported; `plan`
 * can call it on the templates it synthesizes exactly as `check` does.
 *
 * Cost: guard evaluates every rule file against the whole template, so only the controls whose
 * evaluated resource types occur in the templates are passed to it (the rest could only SKIP);
 * all templates go to one guard process.
 */
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, availableParallelism, platform, tmpdir } from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import type { RawFinding, RuleInfo, Severity } from '../types.js';
import type { Pack } from './types.js';

export interface ControlTowerControl {
  /** `CT.EC2.PR.4` */
  id: string;
  /** Guard rule file (absolute). */
  ruleFile: string;
  title: string;
  description: string;
  /** Control Tower's severity: CRITICAL | HIGH | MEDIUM | LOW. */
  severity: string;
  remediation: string;
  resourceTypes: string[];
  references: string[];
}

export interface ControlTowerTemplate {
  /** A name for the template (stack name); findings carry it back. */
  name: string;
  /** The parsed CloudFormation template. */
  template: { Resources: Record<string, { Type: string }> } & Record<string, unknown>;
}

export interface ControlTowerFinding {
  control: string;
  template: string;
  logicalId: string;
  /** Path below the resource guard pointed at, e.g. ['Properties', 'MultiAZ']. */
  path: string[];
  message: string;
}

export interface ControlTowerResult {
  findings: ControlTowerFinding[];
  /** Controls passed to guard (those whose resource types occur). */
  controlsEvaluated: number;
  seconds: number;
}

const requireHere = createRequire(import.meta.url);

function packageDir(): string {
  return path.dirname(requireHere.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
}

/** The bundled cfn-guard for this machine. */
export function guardBinary(): string {
  const os = platform() === 'linux' ? 'ubuntu' : platform() === 'darwin' ? 'macos' : undefined;
  const cpu = arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? 'aarch64' : undefined;
  if (!os || !cpu) {
    throw new UserError(`the control-tower pack has no cfn-guard binary for ${platform()}/${arch()}`, {
      actions: ['Run it on Linux or macOS (x86_64 or arm64), or leave the control-tower pack out'],
    });
  }
  const bin = path.join(packageDir(), 'bin', os, cpu, 'cfn-guard');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new UserError(`cfn-guard is missing or not executable at ${bin}`, {
      actions: ['Reinstall dependencies: npm ci'],
    });
  }
  return bin;
}

let controlsCache: ControlTowerControl[] | undefined;

/** Every Control Tower control the package ships, from its metadata files. */
export function controlTowerControls(): ControlTowerControl[] {
  if (controlsCache) return controlsCache;
  const root = path.join(packageDir(), 'rules', 'control-tower');
  const out: ControlTowerControl[] = [];
  for (const service of readdirSync(path.join(root, 'cfn-guard')).sort()) {
    for (const f of readdirSync(path.join(root, 'cfn-guard', service)).sort()) {
      if (!f.endsWith('.guard')) continue;
      const base = f.replace(/\.guard$/, '');
      const metaFile = path.join(root, 'metadata', service, `${base}.metadata.json`);
      let m: Record<string, unknown> = {};
      try {
        m = JSON.parse(readFileSync(metaFile, 'utf8'));
      } catch {
        // a rule without metadata still runs; its id comes from the file name
      }
      out.push({
        id: String(m.Id ?? base.replace(/^ct-/, 'CT.').replace(/-/g, '.').toUpperCase()),
        ruleFile: path.join(root, 'cfn-guard', service, f),
        title: String(m.DisplayName ?? base),
        description: String(m.Description ?? ''),
        severity: String(m.Severity ?? 'MEDIUM'),
        remediation: String(m.RemediationMessage ?? ''),
        resourceTypes: Array.isArray(m.EvaluatedResourceTypes) ? (m.EvaluatedResourceTypes as string[]) : [],
        references: [
          'https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html',
          ...(Array.isArray(m.DocumentationReferences)
            ? (m.DocumentationReferences as Array<{ Url?: string }>).flatMap((r) => (r.Url ? [r.Url] : []))
            : []),
        ],
      });
    }
  }
  controlsCache = out;
  return out;
}

/** Control Tower severity → a finding's level and GitHub's security-severity. */
export function severityOf(ct: string): { level: Severity; security: number } {
  switch (ct.toUpperCase()) {
    case 'CRITICAL':
      return { level: 'error', security: 9.1 };
    case 'HIGH':
      return { level: 'error', security: 7.5 };
    case 'LOW':
      return { level: 'note', security: 2.5 };
    default:
      return { level: 'warning', security: 5.0 };
  }
}

function exec(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? ((err as NodeJS.ErrnoException & { code?: unknown }).code as unknown) : 0;
      if (err && typeof code !== 'number') return reject(err);
      resolve({ code: typeof code === 'number' ? code : 0, stdout, stderr });
    });
  });
}

/** Every (message, resource path) pair under a guard result, keeping the nearest custom message. */
function violations(node: unknown, message: string, out: Array<{ message: string; path: string }>): void {
  if (Array.isArray(node)) {
    for (const x of node) violations(x, message, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  const msgs = o.messages as { custom_message?: unknown; error_message?: unknown } | undefined;
  const here =
    typeof msgs?.custom_message === 'string' && msgs.custom_message.trim() ? msgs.custom_message : message;
  const isNode = typeof o.path === 'string';
  if (isNode && (o.path as string).startsWith('/Resources/'))
    out.push({ message: here, path: o.path as string });
  for (const [k, v] of Object.entries(o)) {
    // A traversed node's `value` is the template's own data: large, and holds no results.
    if (k === 'messages' || (isNode && k === 'value')) continue;
    violations(v, here, out);
  }
}

/**
 * Runs the Control Tower controls on templates. `disabled` lists control ids (`CT.S3.PR.1`) to
 * leave out. Throws UserError when the bundled guard is unusable.
 */
export async function runControlTower(
  templates: ControlTowerTemplate[],
  opts: { disabled?: string[]; scratchDir?: string } = {},
): Promise<ControlTowerResult> {
  const started = process.hrtime.bigint();
  const types = new Set<string>();
  for (const t of templates) for (const r of Object.values(t.template.Resources)) types.add(r.Type);
  const disabled = new Set(opts.disabled ?? []);
  const controls = controlTowerControls().filter(
    (c) => !disabled.has(c.id) && (c.resourceTypes.length === 0 || c.resourceTypes.some((x) => types.has(x))),
  );
  const result: ControlTowerResult = { findings: [], controlsEvaluated: controls.length, seconds: 0 };
  if (controls.length === 0 || templates.length === 0) return result;
  const bin = guardBinary();
  const dir = opts.scratchDir ?? mkdtempSync(path.join(tmpdir(), 'stackplan-guard-'));
  const files = templates.map((t, i) => {
    const f = path.join(dir, `guard-${i}.json`);
    writeFileSync(f, JSON.stringify(t.template));
    return f;
  });
  try {
    // Guard's time grows with rules × resources: the controls are split over one guard process
    // per core, run at the same time.
    const groups = Math.max(1, Math.min(availableParallelism(), Math.ceil(controls.length / 10)));
    const runs = await Promise.all(
      Array.from({ length: groups }, async (_, g) => {
        const args = ['validate'];
        controls.forEach((c, i) => {
          if (i % groups === g) args.push('--rules', c.ruleFile);
        });
        for (const f of files) args.push('--data', f);
        args.push('--output-format', 'json', '--show-summary', 'none', '--structured');
        const r = await exec(bin, args);
        // 0: every rule passed or skipped; 19: some failed. Anything else is guard failing.
        if (r.code !== 0 && r.code !== 19) {
          throw new Error(`cfn-guard exited with ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
        }
        return JSON.parse(r.stdout || '[]') as Array<{ name: string; not_compliant?: unknown[] }>;
      }),
    );
    const reports = runs.flat();
    const seen = new Set<string>();
    for (const report of reports) {
      const index = files.findIndex((f) => path.resolve(f) === path.resolve(report.name));
      const t = templates[index];
      if (!t) continue;
      for (const nc of report.not_compliant ?? []) {
        const pairs: Array<{ message: string; path: string }> = [];
        violations(nc, '', pairs);
        for (const p of pairs) {
          const control = /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/.exec(p.message)?.[1];
          if (!control) continue;
          const [, , logicalId, ...rest] = p.path.split('/');
          if (!logicalId || !t.template.Resources[logicalId]) continue;
          const key = `${t.name}\u0000${control}\u0000${logicalId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const text = p.message.replace(/\s+/g, ' ').trim();
          const title = /\]:\s*(.*?)\s*\[FIX\]/.exec(text)?.[1] ?? text;
          const fix = /\[FIX\]:\s*(.*)$/.exec(text)?.[1];
          result.findings.push({
            control,
            template: t.name,
            logicalId,
            path: rest.map(decodeURIComponent),
            message: fix ? `${title}: ${fix}` : title,
          });
        }
      }
    }
  } finally {
    if (!opts.scratchDir) rmSync(dir, { recursive: true, force: true });
  }
  result.findings.sort(
    (a, b) =>
      a.template.localeCompare(b.template) ||
      a.control.localeCompare(b.control) ||
      a.logicalId.localeCompare(b.logicalId),
  );
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return result;
}

function ruleInfo(c: ControlTowerControl): RuleInfo {
  const sev = severityOf(c.severity);
  return {
    id: c.id,
    pack: 'control-tower',
    title: c.title,
    severity: sev.level,
    category: 'compliance',
    securitySeverity: sev.security,
    what: c.description || c.title,
    why: `AWS Control Tower proactive control (${c.severity.toLowerCase()} severity): the CloudFormation hook of an account with this control enabled refuses the template.`,
    fix: c.remediation || 'See the control reference.',
    references: c.references,
    resourceTypes: c.resourceTypes,
  };
}

export const controlTowerPack: Pack = {
  id: 'control-tower',
  title: 'AWS Control Tower proactive controls (cfn-guard)',
  // `plan` runs it on every tier it builds and refuses output with an unacknowledged finding
  // (src/check/plan-packs.ts). For `stackplan check` on templates written elsewhere it stays
  // opt-in: Control Tower's controls are an account's choice, and most hand-written templates
  // would fail a dozen of them before anyone enabled them.
  optIn: true,
  limits: [
    'Control Tower proactive controls run with the cfn-guard 3.1.1 binary and rules bundled in @cdklabs/cdk-validator-cfnguard; only controls whose resource types occur in the template are evaluated, each against the template as written (no parameter values, conditions or Fn::ImportValue).',
  ],
  async run(ctx) {
    const r = await runControlTower(
      ctx.stacks.map((s) => ({ name: s.name, template: s.template as ControlTowerTemplate['template'] })),
      { scratchDir: ctx.scratchDir },
    );
    const controls = new Map(controlTowerControls().map((c) => [c.id, c]));
    const findings: RawFinding[] = r.findings.map((f) => ({
      ruleId: f.control,
      severity: severityOf(controls.get(f.control)?.severity ?? 'MEDIUM').level,
      message: f.message,
      stack: f.template,
      logicalId: f.logicalId,
      path: f.path,
    }));
    const used = new Set(r.findings.map((f) => f.control));
    return {
      findings,
      rules: [...controls.values()].filter((c) => used.has(c.id)).map(ruleInfo),
      rulesEvaluated: r.controlsEvaluated,
      warnings: [],
    };
  },
};
