import { TestDatabases } from '@backstage/backend-test-utils';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import path from 'node:path';

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
});
