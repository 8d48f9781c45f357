import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { MetadataAsset, MetadataSource } from '@lakeport/plugin-lakehouse-node';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { DatasetStore } from '../assets/DatasetStore';
import { classifyColumns } from '../lineage/classifyColumns';
import { DatasetMatcher } from '../lineage/DatasetMatcher';
import { LineageStore } from '../lineage/LineageStore';
import { MetadataAssetStore } from './MetadataAssetStore';
import { MetadataSync } from './MetadataSync';

/**
 * The sync against a scripted source (the real sources are proven in
 * tests/feast.test.ts and tests/mlflow.test.ts): what a snapshot the core
 * cannot store does to what the portal knew.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });

const view = (name: string, input: MetadataAsset['inputs'][number]) =>
  ({
    id: `featureview:reg/p:${name}`,
    kind: 'featureview',
    project: 'p',
    name,
    tags: {},
    fields: [{ name: 'f' }],
    inputs: [input],
    version: '1',
    details: {},
  } as MetadataAsset);

describe.each(databases.eachSupportedId())('MetadataSync on %s', id => {
  it('keeps the last good state when a snapshot names an input it cannot resolve, or repeats an id', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@lakeport/plugin-lakehouse-backend',
        'migrations',
      ),
    });
    const datasets = new DatasetStore(knex);
    const lineage = new LineageStore(knex);
    const assets = new MetadataAssetStore(knex);
    const sync = new MetadataSync({
      assets,
      lineage,
      matcher: new DatasetMatcher(async () => []),
      datasetSummaries: ids => datasets.summaries(ids),
      classify: asset => classifyColumns({ store: lineage, datasets }, asset),
      resolveOwners: async () => new Map(),
      logger: mockServices.logger.mock(),
    });
    let snapshot: MetadataAsset[] = [
      view('good', { dataset: { path: '/data/t/part.parquet' } }),
    ];
    const source: MetadataSource = {
      id: 'test:reg',
      kind: 'test',
      read: async () => ({ assets: snapshot }),
    };
    expect(await sync.syncOne(source)).toMatchObject({ ok: true, written: 1 });

    snapshot = [view('broken', {})];
    const broken = await sync.syncOne(source);
    expect(broken).toMatchObject({ ok: false, written: 0 });
    expect(broken.error).toMatch(
      /an input of featureview:reg\/p:broken names neither an asset nor a dataset/,
    );
    snapshot = [
      view('good', { dataset: { path: '/x' } }),
      view('good', { dataset: { path: '/y' } }),
    ];
    expect((await sync.syncOne(source)).error).toMatch(/returned .* twice/);

    // Nothing was removed or rewritten; the error is on record with its time.
    const rows = await knex('metadata_assets').select('id', 'inputs');
    expect(rows.map(r => r.id)).toEqual(['featureview:reg/p:good']);
    expect(JSON.parse(rows[0].inputs)[0].location).toBe('/data/t/part.parquet');
    const [status] = await assets.sourceStatuses();
    expect(status).toMatchObject({ id: 'test:reg', assets: 1 });
    expect(status.error?.message).toMatch(/twice/);
    expect(Date.parse(status.error!.at)).toBeGreaterThan(0);
  });
});
