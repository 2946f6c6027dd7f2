/**
 * Templates with their source positions. `stackplan check` points every finding at a file and
 * line, so a template is parsed twice over: the value (JSON.parse, or yaml with CloudFormation's
 * short tags, as `stackplan cost` reads it) and a syntax tree (jsonc-parser, or yaml's own
 * document) that answers "where is Resources.Listener.Properties.SslPolicy?" with the line of
 * that key, or of the deepest part of the path that exists.
 */
import { findNodeAtLocation, type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import type { Node as YamlNode } from 'yaml';
import { UserError } from '../errors.js';

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export type SourcePath = ReadonlyArray<string | number>;

export interface SourceDoc {
  format: 'json' | 'yaml';
  /** The parsed document (plain JSON values). */
  value: unknown;
  /**
   * Where `path` is: the key of its last segment, or of the deepest segment that exists (a
   * missing property points at its resource). Undefined only when not even the first exists.
   */
  locate(path: SourcePath): Position | undefined;
}

/** Offsets → line and column, by binary search over line starts. */
class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const JSON_ERRORS: Record<number, string> = {
  1: 'invalid symbol',
  2: 'invalid number',
  3: 'a property name was expected',
  4: 'a value was expected',
  5: 'a colon was expected',
  6: 'a comma was expected',
  7: 'a closing brace was expected',
  8: 'a closing bracket was expected',
  9: 'unexpected end of file',
  10: 'invalid comment token',
  11: 'unexpected end of comment',
  12: 'unexpected end of string',
  13: 'unexpected end of number',
  14: 'invalid unicode',
  15: 'invalid escape character',
  16: 'invalid character',
};

function parseJson(text: string, file: string): SourceDoc {
  const lines = new Lines(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    const where = first ? lines.at(first.offset) : undefined;
    throw new UserError(
      `${file}${where ? `:${where.line}:${where.column}` : ''}: not valid JSON: ${first ? JSON_ERRORS[first.error] : (e as Error).message}`,
      { actions: ['Fix the JSON at that line, or pass a YAML template with a .yaml or .yml extension'] },
    );
  }
  let tree: JsonNode | undefined;
  return {
    format: 'json',
    value,
    locate(path) {
      tree ??= parseTree(text);
      if (!tree) return undefined;
      for (let n = path.length; n > 0; n--) {
        const node = findNodeAtLocation(tree, path.slice(0, n) as Array<string | number>);
        if (!node) continue;
        // A property value: point at its key, where a reader looks.
        const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
        return lines.at(at);
      }
      return undefined;
    },
  };
}

async function parseYaml(text: string, file: string): Promise<SourceDoc> {
  // Loaded only for YAML templates: JSON ones (every cloud assembly) never pay for them.
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = await import('yaml');
  const { cfnYamlTags } = await import('../price/input.js');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    customTags: await cfnYamlTags(),
    uniqueKeys: false,
    lineCounter,
  });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const where = err.linePos?.[0];
    throw new UserError(
      `${file}${where ? `:${where.line}:${where.col}` : ''}: not valid YAML: ${err.message.split('\n')[0]}`,
      {
        actions: [
          'Fix the YAML at that line (CloudFormation short tags such as !Ref and !Sub are understood)',
        ],
      },
    );
  }
  const value = doc.toJS({ maxAliasCount: 1000 });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return {
    format: 'yaml',
    value,
    locate(path) {
      let node: unknown = doc.contents;
      let found: Position | undefined;
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg),
          );
          if (!pair) break;
          const keyRange = (pair.key as YamlNode).range;
          if (keyRange) found = pos(keyRange[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg] as YamlNode | undefined;
          if (!item?.range) break;
          found = pos(item.range[0]);
          node = item;
        } else break;
      }
      return found;
    },
  };
}

/** Parses a template's text: JSON when it starts with `{` or the file ends in .json, else YAML. */
export async function parseSource(text: string, file: string): Promise<SourceDoc> {
  if (text.trimStart().startsWith('{') || file.endsWith('.json')) return parseJson(text, file);
  return parseYaml(text, file);
}
