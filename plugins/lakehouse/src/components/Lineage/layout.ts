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
