import dagre from '@dagrejs/dagre';

export interface Box {
  id: string;
  width: number;
  height: number;
}

/** Left-to-right layered layout (upstream left, downstream right). */
export function layout(
  boxes: Box[],
  edges: Array<{ source: string; target: string }>,
): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: 'LR',
    nodesep: 18,
    ranksep: 70,
    marginx: 10,
    marginy: 10,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  for (const e of edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target))
      g.setEdge(e.source, e.target);
  }
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const b of boxes) {
    const p = g.node(b.id);
    out.set(b.id, { x: p.x - b.width / 2, y: p.y - b.height / 2 });
  }
  return out;
}

/**
 * Columns by rank (distance from the root, upstream negative), rows by
 * name: linear time, for graphs too large for a layered layout to stay
 * responsive (dagre takes seconds at 500 nodes on the main thread).
 */
export function rankedLayout(
  boxes: Array<Box & { rank: number; label: string }>,
): Map<string, { x: number; y: number }> {
  const columns = new Map<number, typeof boxes>();
  for (const b of boxes) {
    if (!columns.has(b.rank)) columns.set(b.rank, []);
    columns.get(b.rank)!.push(b);
  }
  const out = new Map<string, { x: number; y: number }>();
  for (const [rank, column] of columns) {
    column.sort((a, b) => a.label.localeCompare(b.label));
    const height = column.reduce((sum, b) => sum + b.height + 18, 0);
    let y = -height / 2;
    for (const b of column) {
      out.set(b.id, { x: rank * 330, y });
      y += b.height + 18;
    }
  }
  return out;
}
