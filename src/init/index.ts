/**
 * `stackplan init`, minus the terminal: from a compose project (or from answers) to the manifest
 * text, checked against the manifest schema before anyone writes it, plus the report. Bad compose
 * input and unsupported services throw UserError with file:line diagnostics; nothing here writes.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { type Diagnostic, formatDiagnostics } from '../manifest/diagnostics.js';
import { parseManifest } from '../manifest/load.js';
import type { Env } from './compose/interpolate.js';
import { type ComposeProject, loadComposeProject } from './compose/project.js';
import { type InitOptions, type Mapping, mapProject, type ReportItem } from './map/index.js';
import { fatalDiagnostics } from './report.js';
import { renderManifest } from './write.js';

export type { InitOptions, ReportItem } from './map/index.js';

/** The files `docker compose` reads in a directory when no -f is given, in its order of preference. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};

/** The compose file(s) in a directory, as `docker compose` would pick them (base, then override). */
export function composeFilesIn(dir: string): string[] {
  for (const f of DEFAULT_FILES) {
    const p = path.join(dir, f);
    if (existsSync(p)) {
      const override = (OVERRIDE_FILES[f] ?? []).map((o) => path.join(dir, o)).find((o) => existsSync(o));
      return override ? [p, override] : [p];
    }
  }
  return [];
}

export interface FromComposeOptions extends InitOptions {
  /** Compose files as given (-f, repeatable); a directory means its default files. */
  files: string[];
  profiles?: string[];
  envFiles?: string[];
  env?: Env;
  /** File names in messages are relative to this. @default process.cwd() */
  cwd?: string;
  /** Where the manifest will be written (absolute). */
  outFile: string;
}

export interface InitResult {
  text: string;
  report: ReportItem[];
  manifest: Record<string, unknown>;
  sources: string[];
  project?: ComposeProject;
}

function expandFiles(files: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const f of files) {
    const abs = path.resolve(cwd, f);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      out.push(f);
      continue;
    }
    const found = composeFilesIn(abs);
    if (!found.length) {
      throw new UserError(`${f} is a directory without a compose file`, {
        actions: [
          `pass the compose file itself: stackplan init --from-compose ${path.join(f, 'docker-compose.yml')}`,
        ],
      });
    }
    out.push(...found.map((p) => path.relative(cwd, p) || p));
  }
  return out;
}

function badCompose(diagnostics: Diagnostic[], files: string[]): UserError {
  return new UserError(`${files.join(' + ')}: cannot be converted`, {
    detail: formatDiagnostics(diagnostics),
    actions: [
      'fix each error above (file:line: what, then fix:)',
      `check the file with docker compose: docker compose ${files.map((f) => `-f ${f}`).join(' ')} config`,
    ],
  });
}

/** Loads, maps and renders; throws UserError for bad compose files and unsupported services. */
export function initFromCompose(o: FromComposeOptions): InitResult {
  const cwd = o.cwd ?? process.cwd();
  const files = expandFiles(o.files, cwd);
  const loaded = loadComposeProject(files, {
    ...(o.env && { env: o.env }),
    ...(o.envFiles && { envFiles: o.envFiles }),
    ...(o.profiles && { profiles: o.profiles }),
    cwd,
  });
  if (!loaded.ok) throw badCompose(loaded.diagnostics, files);
  const project = loaded.project;
  const mapping = mapProject(project, o, { outDir: path.dirname(o.outFile), cwd });
  const fatal = fatalDiagnostics(mapping.report, project.files[0]!);
  if (fatal.length) {
    throw new UserError(
      `${project.files.join(' + ')}: ${fatal.length === 1 ? 'a service needs' : 'services need'} what no stackplan tier provides`,
      {
        detail: formatDiagnostics(fatal),
        actions: [
          'change or remove what each error above names (fix:), then run stackplan init again',
          'or convert a compose file without those services (-f with the files that hold your app)',
        ],
      },
    );
  }
  const text = checked(mapping, o.outFile);
  return { text, report: mapping.report, manifest: mapping.manifest, sources: project.files, project };
}

/**
 * Renders the manifest and validates it with the manifest schema. A value the schema refuses in an
 * environment variable (a limit the schema sets, a control character) is dropped with a report
 * line; anything else failing is a bug in the mapping, reported as one.
 */
export function checked(mapping: Mapping, outFile: string): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const text = renderManifest(mapping);
    const r = parseManifest(text, outFile);
    if (r.ok) return text;
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    // A compose build context outside the repository is the project's layout, not a mapping bug:
    // CI could not build it (run init inside the repository, where the context is part of it).
    const outside = errors.filter((d) => d.code === 'path-outside-repository');
    if (outside.length) {
      throw new UserError(`${path.basename(outFile)} would build from outside the repository that holds it`, {
        detail: formatDiagnostics(outside),
        actions: [
          'run stackplan init inside the git repository that holds the build contexts (or git init its root)',
        ],
      });
    }
    let dropped = false;
    for (const d of errors) {
      const m =
        /^services\.([a-z][a-z0-9-]*)\.(env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(d.path) ??
        /^services\.([a-z][a-z0-9-]*)\.(secrets)\[(\d+)\]$/.exec(d.path);
      if (!m) continue;
      const svc = (mapping.manifest.services as Record<string, Record<string, unknown>>)[m[1]!];
      if (!svc) continue;
      if (m[2] === 'env') {
        const env = svc.env as Record<string, unknown> | undefined;
        if (env && m[3]! in env) {
          delete env[m[3]!];
          if (Object.keys(env).length === 0) delete svc.env;
          mapping.comments.delete(`services.${m[1]}.env.${m[3]}`);
          dropped = true;
        }
      } else {
        const list = svc.secrets as string[] | undefined;
        const i = Number(m[3]);
        if (list && list[i] !== undefined) {
          list.splice(i, 1);
          if (!list.length) delete svc.secrets;
          dropped = true;
        }
      }
      if (dropped) {
        mapping.report.push({
          kind: 'attention',
          message: `services.${m[1]}.${m[2] === 'env' ? `env.${m[3]}` : 'secrets'}: ${d.message}${d.expected ? ` (expected ${d.expected})` : ''}, so it was left out`,
          fix: d.fix,
        });
        break;
      }
    }
    if (!dropped) {
      throw new Error(
        `the manifest generated for ${path.basename(outFile)} does not validate:\n${formatDiagnostics(r.diagnostics)}`,
      );
    }
  }
  throw new Error('the generated manifest kept failing validation');
}
