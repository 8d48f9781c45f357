import { LineageNode } from '@lakeport/plugin-lakehouse-common';
import {
  collapse,
  expand,
  fromResponse,
  groupCrowdedColumns,
  keptInView,
} from './graphModel';

const node = (
  id: string,
  side: LineageNode['side'],
  depth: number,
): LineageNode => ({
  id,
  kind: id.startsWith('job') ? 'job' : 'dataset',
  namespace: 'n',
  name: id,
  owners: [],
  side,
  depth,
});

// a -> j1 -> root -> j2 -> b
const base = fromResponse({
  root: 'root',
  direction: 'both',
  depth: 1,
  truncated: false,
  nodes: [
    node('root', 'root', 0),
    node('job1', 'upstream', 1),
    node('a', 'upstream', 1),
    node('job2', 'downstream', 1),
    node('b', 'downstream', 1),
  ],
  edges: [
    { source: 'a', target: 'job1' },
    { source: 'job1', target: 'root' },
    { source: 'root', target: 'job2' },
    { source: 'job2', target: 'b' },
  ],
});

describe('graph model', () => {
  it('expands a node with its neighbours one step further out', () => {
    const next = expand(base, 'b', {
      root: 'b',
      direction: 'both',
      depth: 1,
      truncated: false,
      nodes: [
        node('b', 'root', 0),
        node('job3', 'downstream', 1),
        node('c', 'downstream', 1),
      ],
      edges: [
        { source: 'b', target: 'job3' },
        { source: 'job3', target: 'c' },
      ],
    });
    expect(next.nodes.get('c')).toMatchObject({ side: 'downstream', depth: 2 });
    expect(next.nodes.get('b')).toMatchObject({ depth: 1 });
    expect(next.edges.size).toBe(6);
  });

  it('collapses what lies beyond a node, keeping the rest', () => {
    const next = collapse(base, 'job2');
    expect([...next.nodes.keys()].sort()).toEqual([
      'a',
      'job1',
      'job2',
      'root',
    ]);
    expect(next.edges.size).toBe(3);
    const upstream = collapse(base, 'job1');
    expect([...upstream.nodes.keys()].sort()).toEqual([
      'b',
      'job1',
      'job2',
      'root',
    ]);
  });
});

describe('crowded columns', () => {
  it('shows a few nodes per distance and one group for the rest, until opened', () => {
    const nodes = [node('root', 'root', 0)];
    const edges = [];
    for (let i = 0; i < 100; i++) {
      nodes.push(node(`job${String(i).padStart(3, '0')}`, 'downstream', 1));
      edges.push({
        source: 'root',
        target: `job${String(i).padStart(3, '0')}`,
      });
    }
    const rank = (n: LineageNode) => (n.side === 'root' ? 0 : 1);
    const grouped = groupCrowdedColumns(
      nodes,
      edges,
      rank,
      new Set(),
      new Set(['job099']),
      10,
    );
    expect(grouped.nodes).toHaveLength(12);
    expect(grouped.nodes.map(n => n.id)).toContain('job099');
    expect(grouped.groups).toEqual([{ id: 'group:1', rank: 1, count: 89 }]);
    expect(grouped.edges).toHaveLength(12);
    expect(grouped.edges).toContainEqual({ source: 'root', target: 'group:1' });
    const opened = groupCrowdedColumns(
      nodes,
      edges,
      rank,
      new Set([1]),
      new Set(),
      10,
    );
    expect(opened.nodes).toHaveLength(101);
    expect(opened.groups).toEqual([]);
  });

  it("keeps the selected application's child jobs out of the group", () => {
    const app = { id: 'jobapp', name: 'app' };
    const nodes = [node('root', 'root', 0)];
    for (let i = 0; i < 30; i++)
      nodes.push(node(`job${String(i).padStart(3, '0')}`, 'downstream', 1));
    nodes.push({ ...node('jobzz.action', 'downstream', 1), parent: app });
    const state = fromResponse({
      root: 'root',
      direction: 'downstream',
      depth: 1,
      truncated: false,
      nodes,
      edges: nodes.slice(1).map(n => ({ source: 'root', target: n.id })),
    });
    const rank = (n: LineageNode) => (n.side === 'root' ? 0 : 1);
    const shown = (selected?: string) =>
      groupCrowdedColumns(
        [...state.nodes.values()],
        [...state.edges.values()],
        rank,
        new Set(),
        keptInView(state, selected),
        10,
      ).nodes.map(n => n.id);
    expect(shown()).not.toContain('jobzz.action');
    expect(shown('jobapp')).toContain('jobzz.action');
    expect(shown('job003')).not.toContain('jobzz.action');
    expect([...keptInView(state)]).toEqual(['root']);
  });
});
