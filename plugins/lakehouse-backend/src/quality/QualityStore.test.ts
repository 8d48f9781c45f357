import { TestDatabases } from '@backstage/backend-test-utils';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import path from 'node:path';
import { parseContractQuality } from './checkDefinitions';
import { QualityStore, RunLostError, RunRow } from './QualityStore';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const migrations = path.resolve(__dirname, '../../migrations');
const DATASET = 'dataset:lakeport:shop.curated.orders';

const { checks } = parseContractQuality(
  'shop/orders.odcs.yaml',
  { properties: [{ name: 'id', quality: [{ metric: 'nullValues' }] }] },
  ['id'],
);

function queued(id: string, createdAt: string, extra: Partial<RunRow> = {}) {
  return {
    id,
    datasetId: DATASET,
    status: 'queued',
    progress: 0,
    trigger: 'schedule',
    source: 'lakeport',
    suite: 'contract',
    createdAt,
    ...extra,
  } as RunRow;
}

const result = (checkId: string, status: 'passed' | 'failed') => ({
  checkId,
  name: checkId,
  dimension: 'completeness' as const,
  severity: 'error' as const,
  status,
  source: 'lakeport' as const,
  pointsLost: 0,
});

describe.each(databases.eachSupportedId())('QualityStore on %s', databaseId => {
  let store: QualityStore;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: migrations });
    store = new QualityStore(knex);
  });

  it('hands each queued run to exactly one of several concurrent workers', async () => {
    for (let i = 0; i < 5; i++)
      await store.insertRun(
        queued(`run-${i}`, `2026-11-26T10:00:0${i}Z`, {
          datasetId: `${DATASET}_${i}`,
        }),
      );
    // Ten workers (replicas) poll at once.
    const claimed = await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        store.claimNext('2026-11-26T10:01:00Z', `worker-${w}`),
      ),
    );
    const ids = claimed.filter(Boolean).map(r => r!.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Whatever lost a race retried; the rest is still claimable, once.
    const rest: string[] = [];
    for (;;) {
      const run = await store.claimNext('2026-11-26T10:02:00Z', 'worker-a');
      if (!run) break;
      rest.push(run.id);
    }
    expect([...ids, ...rest].sort()).toEqual([
      'run-0',
      'run-1',
      'run-2',
      'run-3',
      'run-4',
    ]);
    expect((await store.run('run-0'))?.status).toBe('running');
  });

  it('gives the runs of a worker that stopped sending heartbeats to another, which alone writes them; fails a run after three claims', async () => {
    // run-1's worker is alive (a heartbeat at 10:20); the others' are not.
    const holder = (await store.run('run-1'))!.claimedBy!;
    expect(await store.heartbeat('run-1', holder, '2026-11-26T10:20:00Z')).toBe(
      true,
    );
    expect(
      await store.heartbeat('run-1', 'someone-else', '2026-11-26T10:20:00Z'),
    ).toBe(false);
    expect(
      await store.requeueStale('2026-11-26T10:10:00Z', '2026-11-26T10:30:00Z'),
    ).toEqual({ requeued: 4, failed: 0 });
    expect((await store.run('run-1'))?.status).toBe('running');
    const lost = (await store.run('run-0'))!;
    expect(lost).toMatchObject({ status: 'queued', attempts: 1 });
    expect(lost.claimedBy).toBeUndefined();

    // A run of another table (the oldest in the queue): worker-a claims
    // it and vanishes; worker-b gets it and alone writes it.
    const OTHER = 'dataset:lakeport:risk.curated.cards';
    await store.insertRun(
      queued('q-0', '2026-11-26T09:00:00Z', { datasetId: OTHER }),
    );
    expect(
      (await store.claimNext('2026-11-26T10:40:00Z', 'worker-a'))?.id,
    ).toBe('q-0');
    await store.requeueStale('2026-11-26T10:45:00Z', '2026-11-26T10:50:00Z');
    const taken = await store.claimNext('2026-11-26T10:51:00Z', 'worker-b');
    expect(taken).toMatchObject({
      id: 'q-0',
      claimedBy: 'worker-b',
      attempts: 2,
    });
    const completion = (claimedBy: string) =>
      store.completeRun({
        runId: 'q-0',
        datasetId: OTHER,
        source: 'lakeport',
        suite: 'contract',
        finishedAt: '2026-11-26T10:52:00Z',
        claimedBy,
        results: [result('a:nullValues', 'passed')],
        health: {
          datasetId: OTHER,
          health: 'passing',
          healthSince: '2026-11-26T10:52:00Z',
          failedChecks: 0,
          lastRunId: 'q-0',
          lastRunAt: '2026-11-26T10:52:00Z',
        },
      });
    await expect(completion('worker-a')).rejects.toThrow(RunLostError);
    await completion('worker-b');
    await expect(completion('worker-b')).rejects.toThrow(RunLostError);
    expect((await store.run('q-0'))?.status).toBe('completed');
    expect(await store.currentResults(OTHER)).toHaveLength(1);

    // A run whose worker vanishes three times fails.
    await store.insertRun(
      queued('q-9', '2026-11-26T08:00:00Z', { datasetId: OTHER }),
    );
    for (let i = 0; i < 3; i++) {
      expect((await store.claimNext('2026-11-26T11:00:00Z', `w${i}`))?.id).toBe(
        'q-9',
      );
      await store.requeueStale('2026-11-26T11:05:00Z', '2026-11-26T11:10:00Z');
    }
    expect(await store.run('q-9')).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: expect.stringMatching(/stopped 3 times/),
    });
  });

  it('keeps one queued or running run of the own checks of a dataset, whoever queues it', async () => {
    const TABLE = 'dataset:lakeport:ops.raw.once';
    // Two replicas queue a run of the same table at the same moment.
    const inserted = await Promise.all(
      ['a', 'b'].map(r =>
        store.insertRun(
          queued(`once-${r}`, '2026-11-26T09:30:00Z', { datasetId: TABLE }),
        ),
      ),
    );
    expect(inserted.sort()).toEqual([false, true]);
    const first = (await store.activeRun(TABLE))!;
    // Running, it still blocks a second; imported results do not count.
    expect((await store.claimNext('2026-11-26T09:31:00Z', 'w'))?.id).toBe(
      first.id,
    );
    expect(
      await store.insertRun(
        queued('once-c', '2026-11-26T09:32:00Z', { datasetId: TABLE }),
      ),
    ).toBe(false);
    expect(
      await store.insertRun(
        queued('once-import', '2026-11-26T09:32:00Z', {
          datasetId: TABLE,
          status: 'running',
          source: 'soda',
          suite: 'nightly',
        }),
      ),
    ).toBe(true);
    // Once it ended, the next one may be queued.
    await store.failRun(first.id, 'stopped', '2026-11-26T09:33:00Z');
    expect(
      await store.insertRun(
        queued('once-d', '2026-11-26T09:34:00Z', { datasetId: TABLE }),
      ),
    ).toBe(true);
  });

  it('keeps a schedule per contract and moves it on', async () => {
    await store.replaceDefinitions(DATASET, checks, {
      cron: '0 * * * *',
      nextRunAt: '2026-11-26T11:00:00.000Z',
    });
    expect(await store.dueSchedules('2026-11-26T10:59:00Z')).toEqual([]);
    expect(await store.dueSchedules('2026-11-26T11:00:00.000Z')).toEqual([
      {
        datasetId: DATASET,
        cron: '0 * * * *',
        dueAt: '2026-11-26T11:00:00.000Z',
      },
    ]);
    // Two replicas claim the due run at once: one gets it.
    const claims = await Promise.all(
      [1, 2].map(() =>
        store.claimSchedule(
          DATASET,
          '2026-11-26T11:00:00.000Z',
          '2026-11-26T12:00:00.000Z',
        ),
      ),
    );
    expect(claims.sort()).toEqual([false, true]);
    expect(await store.dueSchedules('2026-11-26T11:30:00Z')).toEqual([]);
    // The same cron at the next sync keeps the next run; a new one resets it.
    await store.replaceDefinitions(DATASET, checks, {
      cron: '0 * * * *',
      nextRunAt: '2026-11-26T11:00:00.000Z',
    });
    expect((await store.schedule(DATASET))?.nextRunAt).toBe(
      '2026-11-26T12:00:00.000Z',
    );
    expect((await store.definitions(DATASET)).map(c => c.id)).toEqual([
      'id:nullValues',
      'schema',
    ]);
    await store.removeDefinitionsExcept([]);
    expect(await store.definitions(DATASET)).toEqual([]);
    expect(await store.schedule(DATASET)).toBeUndefined();
  });

  it('builds the current scorecard from the latest run of each suite', async () => {
    const complete = async (run: RunRow, results: any[], at: string) => {
      await store.insertRun({ ...run, status: 'running' });
      await store.completeRun({
        runId: run.id,
        datasetId: DATASET,
        source: run.source,
        suite: run.suite,
        finishedAt: at,
        results,
        health: {
          datasetId: DATASET,
          health: 'passing',
          healthSince: at,
          failedChecks: 0,
        },
      });
    };
    await complete(
      queued('own-1', '2026-11-26T09:00:00Z'),
      [result('id:nullValues', 'failed')],
      '2026-11-26T09:00:01Z',
    );
    await complete(
      queued('ge-1', '2026-11-26T09:10:00Z', {
        source: 'great_expectations',
        suite: 'nightly',
      }),
      [result('ge:a', 'failed'), result('ge:b', 'passed')],
      '2026-11-26T09:10:01Z',
    );
    await complete(
      queued('own-2', '2026-11-26T09:20:00Z'),
      [result('id:nullValues', 'passed')],
      '2026-11-26T09:20:01Z',
    );
    const current = await store.currentResults(DATASET);
    expect(current.map(r => [r.runId, r.checkId, r.status]).sort()).toEqual([
      ['ge-1', 'ge:a', 'failed'],
      ['ge-1', 'ge:b', 'passed'],
      ['own-2', 'id:nullValues', 'passed'],
    ]);
    const history = await store.checkHistory(DATASET);
    expect(history.get('id:nullValues')?.map(h => h.status)).toEqual([
      'failed',
      'passed',
    ]);
  });
});
