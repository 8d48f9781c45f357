import { layout, rankedLayout } from './layout';

describe('layouts', () => {
  it('places upstream left of downstream in the layered layout', () => {
    const box = (id: string) => ({ id, width: 100, height: 40 });
    const at = layout(
      [box('a'), box('job'), box('b')],
      [
        { source: 'a', target: 'job' },
        { source: 'job', target: 'b' },
      ],
    );
    expect(at.get('a')!.x).toBeLessThan(at.get('job')!.x);
    expect(at.get('job')!.x).toBeLessThan(at.get('b')!.x);
  });

  it('places large graphs in columns by rank without overlaps', () => {
    const boxes = Array.from({ length: 600 }, (_, i) => ({
      id: `n${i}`,
      width: 250,
      height: 74,
      rank: (i % 7) - 3,
      label: `node ${i}`,
    }));
    const at = rankedLayout(boxes);
    expect(at.size).toBe(600);
    expect(at.get('n3')!.x).toBe(0);
    expect(at.get('n0')!.x).toBeLessThan(at.get('n1')!.x);
    const column = boxes
      .filter(b => b.rank === 0)
      .map(b => at.get(b.id)!.y)
      .sort((a, b) => a - b);
    column
      .slice(1)
      .forEach((y, i) => expect(y - column[i]).toBeGreaterThanOrEqual(74));
  });
});
