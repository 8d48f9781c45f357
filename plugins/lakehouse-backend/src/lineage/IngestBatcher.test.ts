import { IngestBatcher } from './IngestBatcher';
import { LineageWrite } from './LineageStore';

const write = (hash: string) =>
  ({ event: { hash } } as unknown as LineageWrite);

/** A store whose transactions commit when the test says so. */
function gatedStore(failing = new Set<string>()) {
  const batches: string[][] = [];
  const commits: Array<() => void> = [];
  let open = 0;
  let mostOpen = 0;
  return {
    batches,
    mostOpen: () => mostOpen,
    commitNext: async () => {
      while (!commits.length) await new Promise(r => setImmediate(r));
      commits.shift()!();
    },
    applyBatch: (writes: LineageWrite[]) => {
      const hashes = writes.map(w => w.event.hash);
      batches.push(hashes);
      mostOpen = Math.max(mostOpen, ++open);
      return new Promise<boolean[]>((resolve, reject) =>
        commits.push(() => {
          open--;
          if (hashes.some(h => failing.has(h)))
            reject(new Error('rolled back'));
          else resolve(hashes.map(h => !h.startsWith('dup')));
        }),
      );
    },
  };
}

describe('IngestBatcher', () => {
  it('sends what arrives during a commit as the next batch, one batch at a time', async () => {
    const store = gatedStore();
    const batcher = new IngestBatcher(store);
    const first = batcher.submit(write('a'));
    await new Promise(r => setImmediate(r));
    const later = ['b', 'dup-c', 'd'].map(h => batcher.submit(write(h)));
    let answered = 0;
    later.forEach(p => p.then(() => answered++));

    await store.commitNext();
    expect(await first).toBe(true);
    expect(answered).toBe(0); // not before their own batch committed
    await store.commitNext();
    expect(await Promise.all(later)).toEqual([true, false, true]);
    expect(store.batches).toEqual([['a'], ['b', 'dup-c', 'd']]);
    expect(store.mostOpen()).toBe(1);
  });

  it('fails only the callers of a batch that rolled back', async () => {
    const store = gatedStore(new Set(['bad']));
    const batcher = new IngestBatcher(store, 2);
    const answers = ['ok', 'bad', 'next'].map(h =>
      batcher.submit(write(h)).then(
        applied => applied,
        (e: Error) => e.message,
      ),
    );
    await store.commitNext();
    await store.commitNext();
    expect(await Promise.all(answers)).toEqual([
      'rolled back',
      'rolled back',
      true,
    ]);
    expect(store.batches).toEqual([['ok', 'bad'], ['next']]);
  });
});
