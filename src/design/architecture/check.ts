/**
 * Checks over a laid-out diagram that the tests — and the document, before it is written — run:
 * every resource of the template is drawn or accounted for by a drawn owner, and nothing overlaps
 * (boxes, labels, arrows through boxes), judged from the layout coordinates.
 */
import type { DiagramLayout, Rect } from './layout.js';
import type { ArchitectureModel } from './model.js';

const EPS = 0.5;

function intersects(a: Rect, b: Rect): boolean {
  return (
    a.x < b.x + b.width - EPS &&
    b.x < a.x + a.width - EPS &&
    a.y < b.y + b.height - EPS &&
    b.y < a.y + a.height - EPS
  );
}

function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x - EPS &&
    inner.y >= outer.y - EPS &&
    inner.x + inner.width <= outer.x + outer.width + EPS &&
    inner.y + inner.height <= outer.y + outer.height + EPS
  );
}

/**
 * What the diagram leaves out: template resources the model does not account for, and accounted
 * resources whose node or group is not in the layout. Empty when the diagram is complete.
 */
export function completenessProblems(
  template: Record<string, unknown>,
  model: ArchitectureModel,
  layout: DiagramLayout,
): string[] {
  const problems: string[] = [];
  const resources = Object.keys((template.Resources ?? {}) as Record<string, unknown>);
  const accounted = new Map(model.accounting.map((a) => [a.logicalId, a]));
  const drawn = new Set([...layout.nodes.map((n) => n.node.id), ...layout.groups.map((g) => g.group.id)]);
  for (const id of resources) {
    const a = accounted.get(id);
    if (!a) {
      problems.push(`${id} is in the template but not in the diagram`);
      continue;
    }
    if (!drawn.has(a.shownAs)) problems.push(`${id} is shown as ${a.shownAs}, which is not drawn`);
    if (a.how === 'collapsed' && (!a.owner || !accounted.has(a.owner)))
      problems.push(
        `${id} is collapsed into ${a.owner ?? 'nothing'}, which is not a resource of the template`,
      );
  }
  for (const a of model.accounting)
    if (!resources.includes(a.logicalId))
      problems.push(`${a.logicalId} is in the diagram but not in the template`);
  for (const n of layout.nodes) {
    for (const r of n.node.resources) {
      if (accounted.get(r)?.shownAs !== n.node.id)
        problems.push(`node ${n.node.id} lists ${r}, which is shown as ${accounted.get(r)?.shownAs}`);
    }
  }
  return problems;
}

/** Boxes, labels and arrows that collide. Empty when the drawing is clean. */
export function overlapProblems(layout: DiagramLayout): string[] {
  const problems: string[] = [];
  type Box = Rect & { id: string; parent: string; leaf: boolean };
  const boxes: Box[] = [
    ...layout.groups.map((g) => ({
      x: g.x,
      y: g.y,
      width: g.width,
      height: g.height,
      id: g.group.id,
      parent: g.group.parent,
      leaf: false,
    })),
    ...layout.nodes.map((n) => ({
      x: n.x,
      y: n.y,
      width: n.width,
      height: n.height,
      id: n.node.id,
      parent: n.node.parent,
      leaf: !n.container,
    })),
  ];
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const ancestors = (id: string): Set<string> => {
    const out = new Set<string>();
    let p = byId.get(id)?.parent;
    while (p) {
      out.add(p);
      p = byId.get(p)?.parent;
    }
    return out;
  };
  // Every box inside its parent; siblings (and anything not nested) apart.
  for (const b of boxes) {
    const parent = b.parent ? byId.get(b.parent) : undefined;
    if (b.parent && !parent) problems.push(`${b.id}: its parent ${b.parent} is not drawn`);
    if (parent && !contains(parent, b)) problems.push(`${b.id} sticks out of ${parent.id}`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i] as Box;
      const b = boxes[j] as Box;
      if (ancestors(a.id).has(b.id) || ancestors(b.id).has(a.id)) continue;
      if (intersects(a, b)) problems.push(`${a.id} overlaps ${b.id}`);
    }
  }
  // Labels: inside their box, clear of each other and of every box they are not in.
  const labels = [
    ...layout.groups.flatMap((g) => g.text.map((t) => ({ owner: g.group.id, t }))),
    ...layout.nodes.flatMap((n) => n.text.map((t) => ({ owner: n.node.id, t }))),
  ];
  for (const { owner, t } of labels) {
    const box = byId.get(owner) as Box;
    if (!contains(box, t.box)) problems.push(`label "${t.text}" of ${owner} sticks out of its box`);
    const mine = ancestors(owner);
    for (const other of boxes) {
      if (other.id === owner || mine.has(other.id)) continue;
      if (intersects(other, t.box)) problems.push(`label "${t.text}" of ${owner} overlaps ${other.id}`);
    }
  }
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i] as (typeof labels)[number];
      const b = labels[j] as (typeof labels)[number];
      if (intersects(a.t.box, b.t.box))
        problems.push(`label "${a.t.text}" of ${a.owner} overlaps label "${b.t.text}" of ${b.owner}`);
    }
  }
  // Arrows never run through a node other than their own ends (nor those ends' containers' labels).
  for (const e of layout.edges) {
    for (let k = 0; k + 1 < e.points.length; k++) {
      const [x1, y1] = e.points[k] as [number, number];
      const [x2, y2] = e.points[k + 1] as [number, number];
      for (const b of boxes) {
        if (!b.leaf || b.id === e.edge.from || b.id === e.edge.to) continue;
        const inner = { x: b.x + 1, y: b.y + 1, width: b.width - 2, height: b.height - 2 };
        if (segmentCrosses(x1, y1, x2, y2, inner)) problems.push(`arrow ${e.edge.id} runs through ${b.id}`);
      }
    }
  }
  return problems;
}

/** Whether an axis-parallel or diagonal segment passes through the interior of a box. */
function segmentCrosses(x1: number, y1: number, x2: number, y2: number, b: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  for (const [p, q] of [
    [-dx, x1 - b.x],
    [dx, b.x + b.width - x1],
    [-dy, y1 - b.y],
    [dy, b.y + b.height - y1],
  ] as Array<[number, number]>) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 >= t1) return false;
  }
  return true;
}
