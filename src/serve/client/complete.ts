/// <reference lib="dom" />
/**
 * Completion from the manifest's JSON Schema (the one `stackplan schema` prints): keys where a key
 * goes, with their descriptions, and the allowed values of enumerations after `key: `. The YAML path
 * at the cursor is read from the indentation of the lines above it.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

type Segment = string | { item: true };

/** The path of mapping keys (and list items) that contain the given line at the given indentation. */
export function pathAt(lines: readonly string[], lineIndex: number, indent: number): Segment[] {
  const path: Segment[] = [];
  let want = indent;
  for (let i = lineIndex - 1; i >= 0 && want > 0; i--) {
    const l = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(l)) continue;
    const ind = l.length - l.trimStart().length;
    if (ind >= want) continue;
    const item = /^(\s*)-\s+(.*)$/.exec(l);
    if (item) {
      // `- key: value` at ind: keys of the item sit at ind + 2.
      const inner = ind + 2;
      if (inner < want) {
        const key = /^([A-Za-z0-9_.-]+)\s*:\s*(#.*)?$/.exec(item[2] ?? '');
        if (key?.[1]) path.unshift(key[1]);
      }
      path.unshift({ item: true });
      want = ind;
      continue;
    }
    const key = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*:/.exec(l);
    if (key?.[1]) path.unshift(key[1]);
    want = ind;
  }
  return path;
}

function alternatives(n: SchemaNode): SchemaNode[] {
  return [n, ...(n.anyOf ?? []), ...(n.oneOf ?? [])];
}

/** The schema at a path (following properties, map values and list items). */
export function schemaAt(root: SchemaNode, path: readonly Segment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    let next: SchemaNode | undefined;
    for (const alt of alternatives(node)) {
      if (typeof seg === 'string') {
        next =
          alt.properties?.[seg] ??
          (typeof alt.additionalProperties === 'object' ? alt.additionalProperties : undefined);
      } else next = alt.items;
      if (next) break;
    }
    node = next;
  }
  return node;
}

function keysOf(n: SchemaNode): Array<[string, SchemaNode]> {
  const out: Array<[string, SchemaNode]> = [];
  for (const alt of alternatives(n)) out.push(...Object.entries(alt.properties ?? {}));
  return out;
}

function enumOf(n: SchemaNode): unknown[] {
  for (const alt of alternatives(n)) if (alt.enum) return alt.enum;
  if (alternatives(n).some((a) => a.type === 'boolean')) return [true, false];
  return [];
}

export function schemaCompletion(schema: SchemaNode) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const lines = ctx.state.doc.toString().split('\n');
    const keyMatch = /^(\s*)(-\s+)?([A-Za-z0-9_-]*)$/.exec(before);
    if (keyMatch) {
      const indent = (keyMatch[1]?.length ?? 0) + (keyMatch[2]?.length ?? 0);
      if (!ctx.explicit && !keyMatch[3]) return null;
      const path = pathAt(lines, line.number - 1, indent);
      if (keyMatch[2]) path.push({ item: true });
      const node = schemaAt(schema, path);
      if (!node) return null;
      const present = new Set(
        lines
          .filter((l) => l.length - l.trimStart().length === indent)
          .map((l) => /^\s*([A-Za-z0-9_-]+)\s*:/.exec(l)?.[1])
          .filter(Boolean),
      );
      const options: Completion[] = keysOf(node)
        .filter(([k]) => !present.has(k) || k === keyMatch[3])
        .map(([k, v]) => ({
          label: k,
          type: 'property',
          apply: `${k}: `,
          ...(v.description && { info: v.description }),
        }));
      return options.length
        ? { from: ctx.pos - (keyMatch[3]?.length ?? 0), options, validFor: /^[A-Za-z0-9_-]*$/ }
        : null;
    }
    const valueMatch = /^(\s*)(-\s+)?([A-Za-z0-9_-]+):\s+([A-Za-z0-9_.-]*)$/.exec(before);
    if (valueMatch) {
      const indent = (valueMatch[1]?.length ?? 0) + (valueMatch[2]?.length ?? 0);
      const path = pathAt(lines, line.number - 1, indent);
      if (valueMatch[2]) path.push({ item: true });
      path.push(valueMatch[3] ?? '');
      const node = schemaAt(schema, path);
      if (!node) return null;
      const values = enumOf(node);
      if (!values.length) return null;
      return {
        from: ctx.pos - (valueMatch[4]?.length ?? 0),
        options: values.map((v) => ({
          label: String(v),
          type: 'enum',
          ...(node.description && { info: node.description }),
        })),
        validFor: /^[A-Za-z0-9_.-]*$/,
      };
    }
    return null;
  };
}
