/**
 * One compose file → located JS values. YAML merge keys (`<<: *base`, also a list of aliases)
 * resolve as the `yaml` package's `merge: true` parses them, explicit keys winning; `!reset` and
 * `!override` become markers the merge step honours; every string is interpolated (keys are not,
 * as in compose). Problems become diagnostics with file:line; nothing here throws for bad input.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { type Diagnostic, formatPath } from '../../manifest/diagnostics.js';
import { type Env, interpolate } from './interpolate.js';
import { type Loc, locOf as locOfMember, OVERRIDE, RESET, setLoc, setSelfLoc } from './located.js';

export interface ReadFileResult {
  /** undefined when the file could not be parsed. */
  data?: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Services that other services merge in with `<<:` (templates such as `base: &base`). */
  mergedServices: string[];
  /** Variables the file references that were not set, each where first used (for the report). */
  unset: Array<{ name: string; loc: Loc }>;
}

/** Nodes visited per file before we give up (alias bombs). */
const NODE_BUDGET = 200_000;

interface Ctx {
  file: string;
  doc: Document;
  lc: LineCounter;
  env: Env;
  diagnostics: Diagnostic[];
  unset: Map<string, Loc>;
  anchorsMergedIn: Set<Node>;
  produced: Map<Node, object[]>;
  budget: number;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');
}

function locAt(
  ctx: Ctx,
  node: { range?: [number, number, number] | null } | null | undefined,
): Loc | undefined {
  const r = node?.range;
  if (!r) return undefined;
  const p = ctx.lc.linePos(r[0]);
  return { file: ctx.file, line: p.line, col: p.col };
}

function diag(
  ctx: Ctx,
  loc: Loc | undefined,
  severity: Diagnostic['severity'],
  code: string,
  path: string,
  message: string,
  fix: string,
): void {
  ctx.diagnostics.push({
    severity,
    code,
    path,
    message,
    fix,
    file: ctx.file,
    ...(loc && { line: loc.line, column: loc.col }),
  });
}

function walk(node: unknown, ctx: Ctx, path: (string | number)[]): unknown {
  if (--ctx.budget < 0) return undefined;
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target) {
      diag(
        ctx,
        locAt(ctx, node),
        'error',
        'yaml',
        formatPath(path),
        `alias *${node.source} refers to no anchor`,
        `define &${node.source} before using it, or remove the alias`,
      );
      return undefined;
    }
    return walk(target, ctx, path);
  }
  const n = node as Node & { tag?: string };
  if (n && n.tag === '!reset') return { [RESET]: true };
  if (n && n.tag === '!override') {
    const inner = walkPlain(n, ctx, path);
    return { [OVERRIDE]: inner };
  }
  return walkPlain(n, ctx, path);
}

function walkPlain(node: Node | null | undefined, ctx: Ctx, path: (string | number)[]): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') {
      const r = interpolate(v, ctx.env);
      for (const issue of r.issues) {
        const loc = locAt(ctx, node);
        if (issue.kind === 'unset') {
          if (!ctx.unset.has(issue.variable) && loc) ctx.unset.set(issue.variable, loc);
        } else if (issue.kind === 'required') {
          diag(
            ctx,
            loc,
            'error',
            'variable',
            formatPath(path),
            issue.message,
            `set ${issue.variable} in the environment or in the .env file beside the compose file (or pass --env-file FILE)`,
          );
        } else {
          diag(
            ctx,
            loc,
            'error',
            'variable',
            formatPath(path),
            issue.message,
            'fix the $' + '{…} expression',
          );
        }
      }
      return r.value;
    }
    return v;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    setSelfLoc(out, locAt(ctx, node));
    const merged: Array<{ key: string; value: unknown; loc: Loc | undefined }> = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) {
        const sources: unknown[] = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const src of sources) {
          const value = walk(src, ctx, path);
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            diag(
              ctx,
              locAt(ctx, pair.key as Node),
              'error',
              'yaml',
              formatPath(path),
              'a merge key (<<) must refer to a mapping',
              'point << at an anchored mapping, e.g. <<: *defaults',
            );
            continue;
          }
          for (const [k, v] of Object.entries(value)) {
            if (!merged.some((m) => m.key === k))
              merged.push({ key: k, value: v, loc: locOfMember(value, k) });
          }
        }
        continue;
      }
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) {
        diag(
          ctx,
          locAt(ctx, keyNode as Node),
          'error',
          'yaml',
          formatPath(path),
          'a mapping key must be a plain string',
          'use a plain key such as "web:"',
        );
        continue;
      }
      out[key] = walk(pair.value, ctx, [...path, key]);
      setLoc(out, key, locAt(ctx, keyNode as Node));
    }
    for (const m of merged) {
      if (Object.hasOwn(out, m.key)) continue;
      out[m.key] = m.value;
      setLoc(out, m.key, m.loc);
    }
    remember(ctx, node, out);
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    setSelfLoc(out, locAt(ctx, node));
    node.items.forEach((item, i) => {
      out.push(walk(item, ctx, [...path, i]));
      setLoc(out, i, locAt(ctx, item as Node) ?? locAt(ctx, node));
    });
    return out;
  }
  return null;
}

function remember(ctx: Ctx, node: Node, value: object): void {
  if (!ctx.anchorsMergedIn.has(node)) return;
  const list = ctx.produced.get(node) ?? [];
  list.push(value);
  ctx.produced.set(node, list);
}

/** Parses and interpolates one compose file's text. `file` labels diagnostics and locations. */
export function readComposeText(text: string, file: string, env: Env): ReadFileResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false, uniqueKeys: true });
  const ctx: Ctx = {
    file,
    doc,
    lc,
    env,
    diagnostics: [],
    unset: new Map(),
    anchorsMergedIn: new Set(),
    produced: new Map(),
    budget: NODE_BUDGET,
  };
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? (e.pos ? lc.linePos(e.pos[0]) : undefined);
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    ctx.diagnostics.push({
      severity: 'error',
      code: 'yaml',
      path: '',
      message: `YAML syntax: ${first}`,
      fix:
        e.code === 'DUPLICATE_KEY'
          ? 'remove or rename the repeated key'
          : 'fix the YAML at this line (check indentation, quotes and colons)',
      file,
      ...(pos && { line: pos.line, column: pos.col }),
    });
  }
  if (ctx.diagnostics.length) return { diagnostics: ctx.diagnostics, mergedServices: [], unset: [] };
  visit(doc, {
    Pair(_k, pair) {
      if (!isMergeKey(pair.key)) return;
      const sources: unknown[] = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const s of sources) {
        if (isAlias(s)) {
          const target = s.resolve(doc);
          if (target) ctx.anchorsMergedIn.add(target as Node);
        }
      }
    },
  });
  const data = walk(doc.contents, ctx, []);
  if (ctx.budget < 0) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'yaml',
      path: '',
      message: `the file expands to more than ${NODE_BUDGET.toLocaleString('en-US')} values (aliases nested too deeply)`,
      fix: 'reduce the alias nesting; compose files never need this many values',
      file,
      line: 1,
      column: 1,
    });
    return { diagnostics: ctx.diagnostics, mergedServices: [], unset: [] };
  }
  if (data === null || data === undefined) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'empty',
      path: '',
      message: 'the compose file is empty',
      fix: 'point --from-compose at the file that defines your services',
      file,
    });
    return { diagnostics: ctx.diagnostics, mergedServices: [], unset: [] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'type',
      path: '',
      message: 'a compose file must be a mapping (services:, volumes: …)',
      fix: 'point --from-compose at a docker-compose.yml file',
      file,
      line: 1,
      column: 1,
    });
    return { diagnostics: ctx.diagnostics, mergedServices: [], unset: [] };
  }
  const mergeSources = new Set<object>();
  for (const list of ctx.produced.values()) for (const v of list) mergeSources.add(v);
  const services = (data as Record<string, unknown>).services;
  const mergedServices =
    services && typeof services === 'object'
      ? Object.entries(services)
          .filter(([, v]) => v !== null && typeof v === 'object' && mergeSources.has(v))
          .map(([k]) => k)
      : [];
  return {
    data: data as Record<string, unknown>,
    diagnostics: ctx.diagnostics,
    mergedServices,
    unset: [...ctx.unset].map(([name, loc]) => ({ name, loc })),
  };
}
