/**
 * A compose project as `docker compose` would load it from `-f` files: the `.env` beside the first
 * file (or --env-file) and the environment for interpolation, every file read, interpolated and
 * validated against the compose-spec schema, `include`d projects loaded from their own
 * directories, the files merged in order, `extends` resolved (also across files), services
 * outside the active profiles set aside, and each service's environment assembled from its
 * `env_file`s and `environment`. Relative paths become absolute, so later steps can make them
 * relative to wherever the manifest is written.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../manifest/diagnostics.js';
import { dotenvMap, parseDotenv } from './dotenv.js';
import type { Env } from './interpolate.js';
import { isMapping, type Loc, locOf, setLoc, setSelfLoc, stripMarkers } from './located.js';
import { kvToMap, mergeMappings } from './merge.js';
import { readComposeText } from './read.js';
import { validateComposeFile } from './schema.js';

export interface EnvVar {
  name: string;
  /** undefined: named without a value and not set in the environment. */
  value: string | undefined;
  loc?: Loc;
  /** Where it was defined: the service's `environment`, or an env_file. */
  source: 'environment' | 'env_file';
}

export interface EnvFileRef {
  path: string;
  display: string;
  loc?: Loc;
  found: boolean;
  required: boolean;
}

export interface ComposeService {
  name: string;
  /** The merged service definition (markers resolved), with locations. */
  config: Record<string, unknown>;
  /** Where the service's key was written. */
  loc?: Loc;
  /** The directory relative paths of this service were written against. */
  dir: string;
  /** Other services merge this one in with `<<:` (it is probably a template). */
  mergedIntoOthers: boolean;
  env: EnvVar[];
  envFiles: EnvFileRef[];
  /** Set when the service came from an `include`d project. */
  includedFrom?: string;
}

export interface DisabledService {
  name: string;
  profiles: string[];
  loc?: Loc;
}

export interface ComposeProject {
  /** Top-level `name:`, else COMPOSE_PROJECT_NAME, else undefined. */
  name?: string;
  nameLoc?: Loc;
  /** The project directory (the first file's). */
  dir: string;
  files: string[];
  services: ComposeService[];
  disabled: DisabledService[];
  activeProfiles: string[];
  /** Top-level named volumes. */
  volumes: Record<string, unknown>;
  /** Top-level keys of every file read, where each was written (for the report). */
  topKeys: Array<{ key: string; loc?: Loc }>;
  /** Variables used but not set (interpolated as blank), each where first used. */
  unset: Array<{ name: string; loc: Loc }>;
  /** Interpolation environment (environment over .env). */
  env: Env;
  envFileShown?: string;
  warnings: Diagnostic[];
}

export interface LoadOptions {
  /** The process environment (tests pass their own). @default process.env */
  env?: Env;
  /** Replaces the .env beside the first file, as `docker compose --env-file`. */
  envFiles?: string[];
  /** Active profiles, as `--profile`. @default COMPOSE_PROFILES */
  profiles?: string[];
  /** File names in messages are relative to this directory. @default process.cwd() */
  cwd?: string;
}

export type LoadResult = { ok: true; project: ComposeProject } | { ok: false; diagnostics: Diagnostic[] };

function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function fileProblem(file: string, message: string, fix: string, loc?: Loc): Diagnostic {
  return {
    severity: 'error',
    code: 'file',
    path: '',
    message,
    fix,
    file: loc?.file ?? file,
    ...(loc && { line: loc.line, column: loc.col }),
  };
}

function readText(abs: string, shown: string, from?: Loc): string | Diagnostic {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(abs);
  } catch {
    return fileProblem(
      shown,
      from ? `${shown} does not exist` : 'no such file',
      'check the path (docker compose files are usually docker-compose.yml or compose.yaml)',
      from,
    );
  }
  if (st.isDirectory()) {
    return fileProblem(shown, `${shown} is a directory`, 'pass the compose file itself', from);
  }
  if (st.size > 5 * 1024 * 1024) {
    return fileProblem(
      shown,
      `${shown} is larger than 5 MB: not a compose file`,
      'pass the compose file',
      from,
    );
  }
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    return fileProblem(
      shown,
      `${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the file permissions',
      from,
    );
  }
}

interface Loaded {
  data: Record<string, unknown>;
  file: string;
  shown: string;
  dir: string;
  mergedServices: Set<string>;
}

interface Ctx {
  cwd: string;
  env: Env;
  /** The process environment alone (wins over every .env). */
  shell: Env;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  unset: Map<string, Loc>;
  /** Files being loaded, for include/extends cycles. */
  stack: string[];
  cache: Map<string, Loaded | undefined>;
}

const envIds = new WeakMap<object, number>();
let nextEnvId = 1;
function envId(env: Env): number {
  const known = envIds.get(env);
  if (known !== undefined) return known;
  const id = nextEnvId++;
  envIds.set(env, id);
  return id;
}

/** Reads, interpolates and validates one file; relative paths made absolute against `dir`. */
function loadFile(abs: string, ctx: Ctx, from?: Loc): Loaded | undefined {
  const key = `${abs}\0${envId(ctx.env)}`;
  if (ctx.cache.has(key)) return ctx.cache.get(key);
  const shown = display(abs, ctx.cwd);
  const text = readText(abs, shown, from);
  if (typeof text !== 'string') {
    ctx.errors.push(text);
    ctx.cache.set(key, undefined);
    return undefined;
  }
  const r = readComposeText(text, shown, ctx.env);
  for (const u of r.unset) if (!ctx.unset.has(u.name)) ctx.unset.set(u.name, u.loc);
  const errs = r.diagnostics.filter((d) => d.severity === 'error');
  ctx.errors.push(...errs);
  ctx.warnings.push(...r.diagnostics.filter((d) => d.severity !== 'error'));
  if (!r.data || errs.length) {
    ctx.cache.set(key, undefined);
    return undefined;
  }
  const plain = stripMarkers(r.data) as Record<string, unknown>;
  const schemaErrors = validateComposeFile(JSON.parse(JSON.stringify(plain)), plain, shown);
  if (schemaErrors.length) {
    ctx.errors.push(...schemaErrors);
    ctx.cache.set(key, undefined);
    return undefined;
  }
  const dir = path.dirname(abs);
  const data = r.data;
  absolutize(data, dir);
  const loaded: Loaded = { data, file: abs, shown, dir, mergedServices: new Set(r.mergedServices) };
  ctx.cache.set(key, loaded);
  return loaded;
}

function abs(dir: string, p: string): string {
  return path.resolve(dir, p);
}

/** Makes the paths compose resolves against the project directory absolute. */
function absolutize(data: Record<string, unknown>, dir: string): void {
  const services = data.services;
  if (!isMapping(services)) return;
  for (const svc of Object.values(services)) {
    if (!isMapping(svc)) continue;
    const b = svc.build;
    if (typeof b === 'string' && !/^[a-z]+:\/\//.test(b) && !b.startsWith('git@')) svc.build = abs(dir, b);
    else if (isMapping(b) && typeof b.context === 'string' && !/^[a-z]+:\/\//.test(b.context)) {
      b.context = abs(dir, b.context);
    } else if (isMapping(b) && b.context === undefined) {
      b.context = dir;
    }
    const ef = svc.env_file;
    const fix = (v: unknown): unknown =>
      typeof v === 'string'
        ? abs(dir, v)
        : isMapping(v) && typeof v.path === 'string'
          ? { ...v, path: abs(dir, v.path) }
          : v;
    if (typeof ef === 'string') svc.env_file = fix(ef);
    else if (Array.isArray(ef))
      ef.forEach((v, i) => {
        ef[i] = fix(v);
      });
    const vols = svc.volumes;
    if (Array.isArray(vols)) {
      vols.forEach((v, i) => {
        if (typeof v === 'string') {
          const parts = v.split(':');
          const src = parts[0]!;
          if (parts.length >= 2 && (src.startsWith('.') || src.startsWith('/') || src.startsWith('~'))) {
            parts[0] = src.startsWith('~') ? src : abs(dir, src);
            vols[i] = parts.join(':');
          }
        } else if (
          isMapping(v) &&
          v.type === 'bind' &&
          typeof v.source === 'string' &&
          !v.source.startsWith('~')
        ) {
          v.source = abs(dir, v.source);
        }
      });
    }
    const ext = svc.extends;
    if (isMapping(ext) && typeof ext.file === 'string') ext.file = abs(dir, ext.file);
  }
}

function asStringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** Resolves `extends` of one service of a loaded file (recursively, across files). */
function resolveExtends(
  name: string,
  svc: Record<string, unknown>,
  file: Loaded,
  ctx: Ctx,
  seen: string[] = [],
): Record<string, unknown> {
  const ext = svc.extends;
  if (ext === undefined) return svc;
  const here = locOf(svc, 'extends');
  const target = typeof ext === 'string' ? { service: ext } : (ext as { service?: string; file?: string });
  const targetName = String(target.service);
  const targetFile = target.file ? loadFile(target.file, ctx, here) : file;
  const id = `${targetFile?.file ?? '?'}#${targetName}`;
  if (seen.includes(id)) {
    ctx.errors.push({
      severity: 'error',
      code: 'extends',
      path: `services.${name}.extends`,
      message: `extends forms a cycle: ${[...seen, id].map((s) => s.split('#')[1]).join(' → ')}`,
      fix: 'remove one of the extends so each service has a base that does not extend it back',
      file: here?.file ?? file.shown,
      ...(here && { line: here.line, column: here.col }),
    });
    return svc;
  }
  if (!targetFile) return svc;
  const services = (targetFile.data.services ?? {}) as Record<string, unknown>;
  const base = services[targetName];
  if (!isMapping(base)) {
    ctx.errors.push({
      severity: 'error',
      code: 'extends',
      path: `services.${name}.extends`,
      message: `extends names service "${targetName}", which ${target.file ? targetFile.shown : 'this file'} does not define`,
      fix: `name one of: ${Object.keys(services).join(', ') || '(no services)'}`,
      file: here?.file ?? file.shown,
      ...(here && { line: here.line, column: here.col }),
    });
    return svc;
  }
  const resolvedBase = resolveExtends(targetName, base, targetFile, ctx, [...seen, id]);
  const { extends: _e, ...own } = svc;
  copyOwnLocs(svc, own);
  const { depends_on: _d, ...inheritable } = resolvedBase;
  copyOwnLocs(resolvedBase, inheritable);
  return mergeMappings(inheritable, own);
}

function copyOwnLocs(from: Record<string, unknown>, to: Record<string, unknown>): void {
  for (const k of Object.keys(to)) setLoc(to, k, locOf(from, k));
  setSelfLoc(to, locOf(from));
}

interface Gathered {
  services: Map<
    string,
    { config: Record<string, unknown>; loc?: Loc; dir: string; merged: boolean; includedFrom?: string }
  >;
  volumes: Record<string, unknown>;
  topKeys: Array<{ key: string; loc?: Loc }>;
  name?: string;
  nameLoc?: Loc;
}

/** Loads `files` (merged in order) plus their includes; `extends` resolved per file first. */
function gather(files: string[], ctx: Ctx, from?: Loc): Gathered {
  const out: Gathered = { services: new Map(), volumes: {}, topKeys: [] };
  for (const f of files) {
    if (ctx.stack.includes(f)) {
      ctx.errors.push(
        fileProblem(
          display(f, ctx.cwd),
          `include forms a cycle through ${display(f, ctx.cwd)}`,
          'remove the include that points back',
          from,
        ),
      );
      continue;
    }
    const loaded = loadFile(f, ctx, from);
    if (!loaded) continue;
    ctx.stack.push(f);
    try {
      const included = new Map<string, Loc | undefined>();
      for (const inc of includesOf(loaded)) {
        const sub = gather(inc.paths, { ...ctx, env: includeEnv(inc, ctx) }, inc.loc);
        for (const [name, s] of sub.services) {
          if (out.services.has(name)) {
            ctx.errors.push({
              severity: 'error',
              code: 'include',
              path: `services.${name}`,
              message: `service "${name}" is defined both by the including project and by ${display(inc.paths[0]!, ctx.cwd)}`,
              fix: 'rename one of them; compose refuses an include that redefines a service',
              file: inc.loc?.file ?? loaded.shown,
              ...(inc.loc && { line: inc.loc.line, column: inc.loc.col }),
            });
            continue;
          }
          out.services.set(name, { ...s, includedFrom: s.includedFrom ?? display(inc.paths[0]!, ctx.cwd) });
          included.set(name, inc.loc);
        }
        Object.assign(out.volumes, sub.volumes);
        out.topKeys.push(...sub.topKeys);
      }
      for (const key of Object.keys(loaded.data)) {
        const l = locOf(loaded.data, key);
        out.topKeys.push({ key, ...(l && { loc: l }) });
      }
      if (typeof loaded.data.name === 'string' && out.name === undefined) {
        out.name = loaded.data.name;
        const l = locOf(loaded.data, 'name');
        if (l) out.nameLoc = l;
      }
      if (isMapping(loaded.data.volumes)) Object.assign(out.volumes, loaded.data.volumes);
      const services = isMapping(loaded.data.services) ? loaded.data.services : {};
      for (const [name, raw] of Object.entries(services)) {
        if (!isMapping(raw)) {
          // `services: {web: }` (null) is valid compose for an override that adds nothing.
          continue;
        }
        if (included.has(name)) {
          const at = included.get(name);
          ctx.errors.push({
            severity: 'error',
            code: 'include',
            path: `services.${name}`,
            message: `service "${name}" is defined both by this file and by the project it includes`,
            fix: 'rename one of them; compose refuses an include that redefines a service',
            file: at?.file ?? loaded.shown,
            ...(at && { line: at.line, column: at.col }),
          });
          continue;
        }
        const config = resolveExtends(name, raw, loaded, ctx);
        const prev = out.services.get(name);
        const loc = locOf(services, name);
        if (prev) {
          out.services.set(name, {
            ...prev,
            config: mergeMappings(prev.config, config),
            merged: prev.merged || loaded.mergedServices.has(name),
          });
        } else {
          out.services.set(name, {
            config,
            dir: loaded.dir,
            merged: loaded.mergedServices.has(name),
            ...(loc && { loc }),
          });
        }
      }
    } finally {
      ctx.stack.pop();
    }
  }
  return out;
}

interface Include {
  paths: string[];
  projectDir: string;
  envFiles: string[];
  loc?: Loc;
}

function includesOf(loaded: Loaded): Include[] {
  const inc = loaded.data.include;
  if (!Array.isArray(inc)) return [];
  return inc.map((item, i): Include => {
    const loc = locOf(inc, i);
    if (typeof item === 'string') {
      const p = abs(loaded.dir, item);
      return { paths: [p], projectDir: path.dirname(p), envFiles: [], ...(loc && { loc }) };
    }
    const m = item as { path?: unknown; project_directory?: string; env_file?: unknown };
    const paths = asStringList(m.path).map((p) => abs(loaded.dir, p));
    const projectDir = m.project_directory
      ? abs(loaded.dir, m.project_directory)
      : path.dirname(paths[0] ?? loaded.file);
    const envFiles = asStringList(m.env_file).map((p) => abs(loaded.dir, p));
    return { paths, projectDir, envFiles, ...(loc && { loc }) };
  });
}

/** An included project interpolates with its own .env (or env_file), the shell still winning. */
function includeEnv(inc: Include, ctx: Ctx): Env {
  const files = inc.envFiles.length ? inc.envFiles : [path.join(inc.projectDir, '.env')];
  const fromFiles: Record<string, string> = {};
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    Object.assign(fromFiles, dotenvMap(parseDotenv(text, ctx.shell)));
  }
  return withShell(fromFiles, ctx.shell);
}

function withShell(fromFiles: Record<string, string>, shell: Env): Env {
  const env: Record<string, string> = { ...fromFiles };
  for (const [k, v] of Object.entries(shell)) if (v !== undefined) env[k] = v;
  return env;
}

/** Loads the project `docker compose -f files[0] -f files[1] …` would see. */
export function loadComposeProject(files: string[], opts: LoadOptions = {}): LoadResult {
  const cwd = opts.cwd ?? process.cwd();
  const shell = opts.env ?? (process.env as Env);
  const absFiles = files.map((f) => path.resolve(cwd, f));
  const dir = path.dirname(absFiles[0]!);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  // The interpolation environment: the shell over the .env file(s).
  const envFiles = opts.envFiles?.length
    ? opts.envFiles.map((f) => path.resolve(cwd, f))
    : [path.join(dir, '.env')];
  const fromFiles: Record<string, string> = {};
  let envFileShown: string | undefined;
  for (const f of envFiles) {
    let text: string | undefined;
    try {
      if (statSync(f).isFile()) text = readFileSync(f, 'utf8');
    } catch {
      if (opts.envFiles?.length) {
        errors.push(fileProblem(display(f, cwd), 'no such file', 'check the --env-file path'));
      }
    }
    if (text === undefined) continue;
    const parsed = parseDotenv(text, shell);
    for (const p of parsed.problems) {
      (p.kind === 'syntax' || p.kind === 'required' ? errors : warnings).push({
        severity: p.kind === 'syntax' || p.kind === 'required' ? 'error' : 'warning',
        code: 'env-file',
        path: '',
        message: p.message,
        fix: 'write each line as KEY=value',
        file: display(f, cwd),
        line: p.line,
        column: 1,
      });
    }
    Object.assign(fromFiles, dotenvMap(parsed));
    envFileShown = display(f, cwd);
  }
  const env = withShell(fromFiles, shell);
  if (errors.length) return { ok: false, diagnostics: errors };

  const ctx: Ctx = { cwd, env, shell, errors, warnings, unset: new Map(), stack: [], cache: new Map() };
  const g = gather(absFiles, ctx);
  if (errors.length) return { ok: false, diagnostics: errors };

  const profiles = (opts.profiles?.length ? opts.profiles : (env.COMPOSE_PROFILES ?? '').split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  const all = profiles.includes('*');
  const services: ComposeService[] = [];
  const disabled: DisabledService[] = [];
  for (const [name, s] of g.services) {
    const config = stripMarkers(s.config) as Record<string, unknown>;
    const own = asStringList(config.profiles);
    if (own.length && !all && !own.some((p) => profiles.includes(p))) {
      disabled.push({ name, profiles: own, ...(s.loc && { loc: s.loc }) });
      continue;
    }
    const { env: vars, envFiles: refs } = serviceEnv(config, ctx, cwd);
    services.push({
      name,
      config,
      dir: s.dir,
      mergedIntoOthers: s.merged,
      env: vars,
      envFiles: refs,
      ...(s.loc && { loc: s.loc }),
      ...(s.includedFrom && { includedFrom: s.includedFrom }),
    });
  }
  const name = g.name ?? env.COMPOSE_PROJECT_NAME;
  return {
    ok: true,
    project: {
      ...(name !== undefined && { name }),
      ...(g.nameLoc && { nameLoc: g.nameLoc }),
      dir,
      files: absFiles.map((f) => display(f, cwd)),
      services,
      disabled,
      activeProfiles: profiles,
      volumes: g.volumes,
      topKeys: g.topKeys,
      unset: [...ctx.unset].map(([n, loc]) => ({ name: n, loc })),
      env,
      ...(envFileShown && { envFileShown }),
      warnings,
    },
  };
}

/** A service's environment: its env_files in order, then `environment`, later winning. */
function serviceEnv(
  config: Record<string, unknown>,
  ctx: Ctx,
  cwd: string,
): { env: EnvVar[]; envFiles: EnvFileRef[] } {
  const vars = new Map<string, EnvVar>();
  const refs: EnvFileRef[] = [];
  const ef = config.env_file;
  const list = ef === undefined ? [] : Array.isArray(ef) ? ef : [ef];
  list.forEach((item, i) => {
    const loc = Array.isArray(ef) ? locOf(ef, i) : locOf(config, 'env_file');
    const p = typeof item === 'string' ? item : String((item as { path: string }).path);
    const required = typeof item === 'string' ? true : (item as { required?: boolean }).required !== false;
    const shown = display(p, cwd);
    let text: string | undefined;
    try {
      if (statSync(p).isFile()) text = readFileSync(p, 'utf8');
    } catch {
      text = undefined;
    }
    refs.push({ path: p, display: shown, found: text !== undefined, required, ...(loc && { loc }) });
    if (text === undefined) return;
    const parsed = parseDotenv(text, ctx.env);
    for (const e of parsed.entries) {
      vars.set(e.name, {
        name: e.name,
        value: e.value,
        loc: { file: shown, line: e.line, col: 1 },
        source: 'env_file',
      });
    }
  });
  const environment = kvToMap(config.environment);
  for (const [k, v] of Object.entries(environment)) {
    const loc = locOf(environment, k);
    const value = v === null || v === undefined ? ctx.env[k] : typeof v === 'string' ? v : String(v);
    vars.set(k, { name: k, value, source: 'environment', ...(loc && { loc }) });
  }
  return { env: [...vars.values()], envFiles: refs };
}
