import { TestDatabases } from '@backstage/backend-test-utils';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { Knex } from 'knex';
import path from 'node:path';
import { LineageStore } from './LineageStore';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const migrations = path.resolve(__dirname, '../../migrations');
const JOB = 'job:tests:nightly';
const TABLE = 'dataset:lakeport:shop.curated.orders';
const SOURCE = 'dataset:lakeport:shop.raw.orders';

describe.each(databases.eachSupportedId())('LineageStore on %s', databaseId => {
  let knex: Knex;
  let store: LineageStore;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: migrations });
    store = new LineageStore(knex);
  });

  const node = async (id: string) =>
    knex('lineage_nodes').where({ id }).first('description', 'updated_at');

  it('writes nodes, edges, column edges and runs of one write together, and rewrites a node only when it changed', async () => {
    const write = (description: string | undefined, masking: boolean) => ({
      nodes: [
        { id: JOB, kind: 'job' as const, namespace: 'tests', name: 'nightly' },
        {
          id: TABLE,
          kind: 'dataset' as const,
          namespace: 'lakeport',
          name: 'shop.curated.orders',
          description,
        },
        {
          id: SOURCE,
          kind: 'dataset' as const,
          namespace: 'lakeport',
          name: 'shop.raw.orders',
        },
      ],
      aliases: [],
      edges: [
        { sourceId: SOURCE, targetId: JOB },
        { sourceId: JOB, targetId: TABLE },
      ],
      columnEdges: [
        {
          sourceId: SOURCE,
          sourceColumn: 'email',
          targetId: TABLE,
          targetColumn: 'email_hash',
          jobId: JOB,
          transformationType: 'DIRECT',
          transformationSubtype: 'TRANSFORMATION',
          masking,
        },
      ],
      runs: [
        {
          runId: 'run-1',
          jobId: JOB,
          state: 'COMPLETE',
          eventTime: '2026-12-01T10:00:00.000Z',
        },
      ],
    });
    await store.writeGraph(
      knex,
      write('Orders', false),
      new Date('2026-12-01T10:00:00Z'),
    );
    expect(await node(TABLE)).toEqual({
      description: 'Orders',
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    expect(
      await knex('lineage_edges').orderBy('source_id').select('source_id'),
    ).toHaveLength(2);
    expect((await store.run('run-1'))?.state).toBe('COMPLETE');

    // The same again: nothing rewritten. Without a description: kept.
    await store.writeGraph(
      knex,
      write('Orders', false),
      new Date('2026-12-01T11:00:00Z'),
    );
    await store.writeGraph(
      knex,
      write(undefined, false),
      new Date('2026-12-01T11:30:00Z'),
    );
    expect(await node(TABLE)).toEqual({
      description: 'Orders',
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    // A new description and a masking column edge: both written.
    await store.writeGraph(
      knex,
      write('Orders, one row each', true),
      new Date('2026-12-01T12:00:00Z'),
    );
    expect(await node(TABLE)).toEqual({
      description: 'Orders, one row each',
      updated_at: '2026-12-01T12:00:00.000Z',
    });
    const edge = await knex('lineage_column_edges')
      .where({ target_id: TABLE })
      .first('masking');
    expect(Boolean(edge.masking)).toBe(true);
  });
});
