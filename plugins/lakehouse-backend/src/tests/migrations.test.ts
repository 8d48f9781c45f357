import { TestDatabases } from '@backstage/backend-test-utils';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import path from 'node:path';
import { DatasetStore } from '../assets/DatasetStore';
import { syntheticRecord } from '../bench/syntheticLakehouse';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const directory = path.resolve(__dirname, '../../migrations');

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('go up and down cleanly', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('lakehouse_datasets')).toBe(true);
    expect(
      await knex.schema.hasColumn('lakehouse_datasets', 'quality_grade'),
    ).toBe(true);
    await knex.migrate.rollback({ directory }, true);
    for (const table of [
      'lakehouse_datasets',
      'lakehouse_dataset_columns',
      'lakehouse_schema_versions',
      'quality_runs',
      'quality_results',
      'access_requests',
      'access_grants',
      'access_audit',
      'lineage_classification_confirmations',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('lakehouse_dataset_tags')).toBe(true);
    expect(await knex.schema.hasColumn('lineage_events', 'problems')).toBe(
      true,
    );
    expect(await knex.schema.hasColumn('lineage_nodes', 'parent_id')).toBe(
      true,
    );
    await knex.destroy();
  });

  it('give the search rows of existing datasets their tags', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    await knex.migrate.down({
      directory,
      name: '20261208000000_dataset_search_tags.js',
    });
    const records = [0, 1, 2].map(i => syntheticRecord(i));
    await new DatasetStore(knex).upsert(records);
    await knex.migrate.latest({ directory });

    const rows = await knex('lakehouse_dataset_search as s')
      .join('lakehouse_datasets as w', 'w.seq', 's.seq')
      .select('w.id', 's.tags', 's.name', 's.owner');
    expect(
      rows.map(r => [r.id, JSON.parse(r.tags), r.name, r.owner]).sort(),
    ).toEqual(records.map(r => [r.id, r.tags, r.name, r.owner]).sort());
    // A search's tag counts read them.
    const { facets } = await new DatasetStore(knex).list({ q: 'table' });
    expect(facets.tag.reduce((n, t) => n + t.count, 0)).toBe(
      records.reduce((n, r) => n + new Set(r.tags).size, 0),
    );
    await knex.destroy();
  });
});
