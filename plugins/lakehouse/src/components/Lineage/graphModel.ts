import {
  LineageEdge,
  LineageGraphResponse,
  LineageNode,
} from '@lakeport/plugin-lakehouse-common';

/** The graph on screen: what was fetched plus what the user expanded. */
export interface GraphState {
  root: string;
  nodes: Map<string, LineageNode>;
  edges: Map<string, LineageEdge>;
  truncated: boolean;
}

export const edgeKey = (e: LineageEdge) => `${e.source}->${e.target}`;

export function fromResponse(response: LineageGraphResponse): GraphState {
  return {
    root: response.root,
    nodes: new Map(response.nodes.map(n => [n.id, n])),
    edges: new Map(response.edges.map(e => [edgeKey(e), e])),
    truncated: response.truncated,
  };
}

/**
 * Adds the neighbours fetched around one node. Nodes already shown keep
 * their place; new ones sit one step further out on the expanded node's side.
 */
export function expand(
  state: GraphState,
  from: string,
  response: LineageGraphResponse,
): GraphState {
  const nodes = new Map(state.nodes);
  const edges = new Map(state.edges);
  const origin = nodes.get(from);
  for (const n of response.nodes) {
    if (nodes.has(n.id)) continue;
    const upstream = response.edges.some(e => e.source === n.id);
    const side = upstream ? 'upstream' : 'downstream';
    const base = origin?.side === side ? origin.depth : 0;
    nodes.set(n.id, { ...n, side, depth: base + Math.max(n.depth, 1) });
  }
  for (const e of response.edges) edges.set(edgeKey(e), e);
  return {
    ...state,
    nodes,
    edges,
    truncated: state.truncated || response.truncated,
  };
}

/**
 * Hides what lies beyond a node, away from the root: its neighbours on the
 * far side and anything then cut off from the root.
 */
export function collapse(state: GraphState, at: string): GraphState {
  const node = state.nodes.get(at);
  if (!node) return state;
  const edges = new Map(state.edges);
  for (const [key, e] of state.edges) {
    const beyond =
      (node.side !== 'downstream' && e.target === at) ||
      (node.side !== 'upstream' && e.source === at);
    if (beyond && at !== state.root) edges.delete(key);
    if (at === state.root && (e.source === at || e.target === at))
      edges.delete(key);
  }
  // Keep what the root still reaches (ignoring direction).
  const adjacent = new Map<string, string[]>();
  for (const e of edges.values()) {
    adjacent.set(e.source, [...(adjacent.get(e.source) ?? []), e.target]);
    adjacent.set(e.target, [...(adjacent.get(e.target) ?? []), e.source]);
  }
  const keep = new Set([state.root]);
  const queue = [state.root];
  while (queue.length) {
    for (const next of adjacent.get(queue.shift()!) ?? []) {
      if (!keep.has(next)) {
        keep.add(next);
        queue.push(next);
      }
    }
  }
  keep.add(at);
  return {
    ...state,
    nodes: new Map([...state.nodes].filter(([id]) => keep.has(id))),
    edges: new Map(
      [...edges].filter(([, e]) => keep.has(e.source) && keep.has(e.target)),
    ),
  };
}

/** Stands for the nodes of one crowded column that are not drawn. */
export interface HiddenGroup {
  id: string;
  rank: number;
  count: number;
}

/**
 * Keeps the graph readable when one distance holds many nodes (a table read
 * by hundreds of jobs): each column shows at most `max` nodes, by name, and
 * one group node for the rest, until the user opens that column. Edges to
 * hidden nodes lead to the group node.
 */
export function groupCrowdedColumns(
  nodes: LineageNode[],
  edges: LineageEdge[],
  rankOf: (n: LineageNode) => number,
  open: Set<number>,
  keep: Set<string>,
  max = 15,
): { nodes: LineageNode[]; groups: HiddenGroup[]; edges: LineageEdge[] } {
  const byRank = new Map<number, LineageNode[]>();
  for (const n of nodes) {
    const rank = rankOf(n);
    if (!byRank.has(rank)) byRank.set(rank, []);
    byRank.get(rank)!.push(n);
  }
  const shown: LineageNode[] = [];
  const groups: HiddenGroup[] = [];
  const hiddenIn = new Map<string, string>();
  for (const [rank, column] of byRank) {
    if (column.length <= max || open.has(rank)) {
      shown.push(...column);
      continue;
    }
    column.sort((a, b) => (a.title ?? a.name).localeCompare(b.title ?? b.name));
    const visible = column.filter((n, i) => i < max || keep.has(n.id));
    const group = {
      id: `group:${rank}`,
      rank,
      count: column.length - visible.length,
    };
    shown.push(...visible);
    groups.push(group);
    const visibleIds = new Set(visible.map(n => n.id));
    for (const n of column)
      if (!visibleIds.has(n.id)) hiddenIn.set(n.id, group.id);
  }
  const mapped = new Map<string, LineageEdge>();
  for (const e of edges) {
    const source = hiddenIn.get(e.source) ?? e.source;
    const target = hiddenIn.get(e.target) ?? e.target;
    if (source !== target)
      mapped.set(edgeKey({ source, target }), { source, target });
  }
  return { nodes: shown, groups, edges: [...mapped.values()] };
}

/**
 * Nodes never folded into a "+N more" group: the root and the child jobs of
 * the selected job. Turning "Child jobs" on with a Spark application
 * selected thus draws its actions even in a crowded column, although the
 * application itself is no longer a node of that graph.
 */
export function keptInView(state: GraphState, selected?: string): Set<string> {
  const keep = new Set([state.root]);
  if (selected)
    for (const n of state.nodes.values())
      if (n.parent?.id === selected) keep.add(n.id);
  return keep;
}
