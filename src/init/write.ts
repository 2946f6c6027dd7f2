/**
 * The manifest as YAML text, written through the `yaml` Document API so every value is quoted
 * and escaped as YAML needs (a `#`, a colon, a leading `*`, `true` as a string, a line break),
 * with a comment on each mapped field naming the compose line it came from.
 */
import { Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';

export interface ManifestText {
  manifest: Record<string, unknown>;
  comments: Map<string, string>;
  header: string[];
}

/** The pair holding `path` (dot-separated keys), or undefined. */
function pairAt(doc: Document, path: string[]): Pair<Scalar, Node> | undefined {
  let node: unknown = doc.contents;
  let pair: Pair<Scalar, Node> | undefined;
  for (const seg of path) {
    if (!isMap(node)) return undefined;
    pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg) as
      | Pair<Scalar, Node>
      | undefined;
    if (!pair) return undefined;
    node = pair.value;
  }
  return pair;
}

const FLOW_MAX = 72;

export function renderManifest(m: ManifestText): string {
  const doc = new Document(m.manifest);
  doc.commentBefore = m.header.map((l) => ` ${l}`).join('\n');
  // Short lists of scalars read best on one line, where a trailing comment fits too.
  const flowLists = (node: unknown) => {
    if (isMap(node)) for (const p of node.items) flowLists(p.value);
    else if (isSeq(node)) {
      const scalars = node.items.every((i) => isScalar(i));
      const width = node.items.reduce<number>((n, i) => n + String((i as Scalar).value).length + 2, 2);
      if (scalars && width <= FLOW_MAX) node.flow = true;
    }
  };
  flowLists(doc.contents);
  for (const [path, text] of m.comments) {
    const pair = pairAt(doc, path.split('.'));
    if (!pair) continue;
    const value = pair.value as Node | null;
    const oneLine = text.replace(/\s*\n\s*/g, ' ');
    if (isScalar(value) || (isSeq(value) && value.flow)) {
      value.comment = ` ${oneLine}`;
    } else {
      // A mapping or block list: the comment goes on the line above its key.
      const key = isScalar(pair.key) ? pair.key : (doc.createNode(pair.key) as Scalar);
      key.commentBefore = ` ${oneLine}`;
      pair.key = key;
    }
  }
  // A blank line before each service and each top-level section, for reading.
  if (isMap(doc.contents)) {
    doc.contents.items.forEach((p, i) => {
      if (
        i > 0 &&
        isScalar(p.key) &&
        ['services', 'postgres', 'redis', 'search', 'buckets'].includes(String(p.key.value))
      ) {
        p.key.spaceBefore = true;
      }
    });
    const services = pairAt(doc, ['services'])?.value;
    if (isMap(services)) {
      services.items.forEach((p, i) => {
        if (i > 0 && isScalar(p.key)) p.key.spaceBefore = true;
      });
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
