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
