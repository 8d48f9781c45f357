import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import duckdbModule from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { lakehousePlugin } from '../plugin';
import {
  sampleLakehouseForTest,
  waitFor,
} from '../__testUtils__/lakehouseTests';
import { sampleCatalogFactory } from '../__testUtils__/sampleCatalog';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const contracts = path.resolve(__dirname, '../../../../catalog-info/contracts');

const OWNERSHIP: Record<string, string[]> = {
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/chloe': ['user:default/chloe', 'group:default/customers-data'],
};

const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const enc = encodeURIComponent;

describe.each(databases.eachSupportedId())(
  'lakehouse plugin on %s',
  databaseId => {
    let tmp: string;
    let root: string;
    let server: any;
    const as = (user: string) => ({
      Authorization: mockCredentials.user.header(user),
    });
    const ana = as('user:default/ana');
    const chloe = as('user:default/chloe');

    async function syncNow() {
      const before = (await request(server).get('/api/lakehouse/sync').set(ana))
        .body.lastRun;
      expect(
        (await request(server).post('/api/lakehouse/sync').set(ana)).status,
      ).toBe(202);
      return waitFor(async () => {
        const { lastRun } = (
          await request(server).get('/api/lakehouse/sync').set(ana)
        ).body;
        return lastRun && lastRun.finishedAt !== before?.finishedAt
          ? lastRun
          : undefined;
      }, 'a sync run');
    }

    beforeAll(async () => {
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-lakehouse-'));
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          lakehousePlugin,
          sampleCatalogFactory(),
          duckdbModule,
          mockServices.database.factory({ knex }),
          mockServices.userInfo.mock({
            getUserInfo: async (credentials: any) => ({
              userEntityRef: credentials.principal.userEntityRef,
              ownershipEntityRefs:
                OWNERSHIP[credentials.principal.userEntityRef] ?? [],
            }),
          }).factory,
          mockServices.rootConfig.factory({
            data: {
              lakeport: {
                lakehouse: {
                  duckdb: { root },
                  contractsDirectory: contracts,
                  syncIntervalMinutes: 600,
                },
              },
            },
          }),
        ],
      }));
      await syncNow();
    }, 120_000);

    afterAll(async () => {
      await fs.rm(tmp, { recursive: true, force: true });
    });

    it('finds the customer table by a column name, with the matching columns', async () => {
      const res = await request(server)
        .get('/api/lakehouse/datasets?q=date_of_birth')
        .set(ana);
      expect(res.status).toBe(200);
      expect(res.body.items.map((d: any) => d.id)).toEqual([
        CUSTOMERS,
        'dataset:lakeport:customers.raw.crm_customers',
      ]);
      expect(res.body.items[0]).toMatchObject({
        title: 'Customers',
        owner: 'group:default/customers-data',
        domain: 'customers',
        layer: 'curated',
        classification: 'pii',
        matchedColumns: ['date_of_birth'],
        entityRef: 'resource:default/customers-curated-customers',
      });
      // Prefix match while typing, ranked: the table name beats column names.
      const typing = await request(server)
        .get('/api/lakehouse/datasets?q=custom')
        .set(ana);
      expect(typing.body.items[0].name).toMatch(/^customers\./);
    });

    it('lists with facets that ignore their own filter, filters and pages', async () => {
      const all = await request(server).get('/api/lakehouse/datasets').set(ana);
      expect(all.body.totalCount).toBe(15);
      expect(all.body.facets.domain).toEqual([
        { value: 'commerce', count: 6 },
        { value: 'risk', count: 5 },
        { value: 'customers', count: 4 },
      ]);
      const filtered = await request(server)
        .get(
          '/api/lakehouse/datasets?owner=group:default/risk-data&classification=pii&limit=1',
        )
        .set(ana);
      expect(filtered.body.totalCount).toBe(1);
      expect(filtered.body.items[0].name).toBe('risk.raw.card_transactions');
      expect(
        filtered.body.facets.owner.find(
          (f: any) => f.value === 'group:default/commerce-data',
        ),
      ).toEqual({ value: 'group:default/commerce-data', count: 1 });

      const tag = await request(server)
        .get('/api/lakehouse/datasets?tag=features&sort=name')
        .set(ana);
      expect(tag.body.items.map((d: any) => d.layer)).toEqual([
        'feature',
        'feature',
        'feature',
        'feature',
      ]);

      const withColumns = await request(server)
        .get(
          '/api/lakehouse/datasets?q=curated%20customers&include=columns&limit=1',
        )
        .set(ana);
      expect(withColumns.body.items[0].columns).toContainEqual(
        expect.objectContaining({
          name: 'email',
          classification: 'pii',
          description: 'Primary email address.',
        }),
      );

      const page1 = await request(server)
        .get('/api/lakehouse/datasets?limit=10')
        .set(ana);
      const page2 = await request(server)
        .get(`/api/lakehouse/datasets?limit=10&cursor=${page1.body.nextCursor}`)
        .set(ana);
      expect(page1.body.items).toHaveLength(10);
      expect(page2.body.items).toHaveLength(5);
      expect(page2.body.nextCursor).toBeUndefined();
    });

    it('answers bad input with a 400 naming the problem', async () => {
      const cases: Array<[string, RegExp]> = [
        [
          '/api/lakehouse/datasets?limit=1000',
          /limit must be an integer from 1 to 100/,
        ],
        [
          '/api/lakehouse/datasets?classification=secret',
          /Unknown classification secret/,
        ],
        ['/api/lakehouse/datasets?sort=size', /Unknown sort "size"/],
        ['/api/lakehouse/datasets?cursor=nope', /Invalid cursor/],
        [`/api/lakehouse/datasets/${enc('orders')}`, /Invalid asset id/],
      ];
      for (const [url, message] of cases) {
        const res = await request(server).get(url).set(ana);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
        expect(res.body.error.message).toMatch(message);
      }
      const missing = await request(server)
        .get(`/api/lakehouse/datasets/${enc('dataset:lakeport:a.b.c')}`)
        .set(ana);
      expect(missing.status).toBe(404);
    });

    it('details a dataset: columns with classification, contract, stats, freshness', async () => {
      const res = await request(server)
        .get(`/api/lakehouse/datasets/${enc(CUSTOMERS)}`)
        .set(ana);
      expect(res.status).toBe(200);
      expect(res.body.columns.find((c: any) => c.name === 'email')).toEqual({
        name: 'email',
        type: 'VARCHAR',
        nullable: true,
        description: 'Primary email address.',
        classification: 'pii',
      });
      expect(res.body.contract).toMatchObject({
        file: 'customers/curated.customers.odcs.yaml',
        version: '1.0.0',
        status: 'active',
      });
      expect(res.body.stats.rowCount).toBe(500);
      expect(res.body.freshness).toMatchObject({
        slaHours: 24,
        status: 'fresh',
      });
      expect(res.body.schemaVersions).toEqual([
        expect.objectContaining({
          version: 1,
          added: [],
          removed: [],
          retyped: [],
        }),
      ]);

      const events = await request(server)
        .get(
          `/api/lakehouse/datasets/${enc(
            'dataset:lakeport:customers.raw.web_events',
          )}`,
        )
        .set(ana);
      expect(events.body.freshness).toMatchObject({
        status: 'stale',
        measuredOn: 'partition event_date',
      });
      expect(events.body.stats.partitionColumns).toEqual(['event_date']);
    });

    it('shows drift between engine and contract', async () => {
      const res = await request(server)
        .get(
          `/api/lakehouse/datasets/${enc(
            'dataset:lakeport:commerce.curated.products',
          )}`,
        )
        .set(ana);
      expect(res.body.drift).toEqual({
        missingInContract: ['price_band'],
        missingInEngine: ['ean'],
      });
    });

    it('masks PII and confidential columns for non-owners only', async () => {
      const url = `/api/lakehouse/datasets/${enc(CUSTOMERS)}/preview?limit=3`;
      const forAna = await request(server).get(url).set(ana);
      expect(forAna.status).toBe(200);
      expect(forAna.body.rows).toHaveLength(3);
      expect(forAna.body.masked).toEqual([
        'full_name',
        'email',
        'phone',
        'date_of_birth',
        'address',
        'postal_code',
        'marketing_opt_in',
      ]);
      expect(forAna.body.rows[0].email).toBe('••••••');
      expect(forAna.body.rows[0].customer_id).toBe(100000);

      const forOwner = await request(server).get(url).set(chloe);
      expect(forOwner.body.masked).toEqual([]);
      expect(forOwner.body.rows[0].email).toMatch(/@/);
    });

    it('keeps schema changes as versions and marks vanished tables removed', async () => {
      const writer = await (await DuckDBInstance.create(':memory:')).connect();
      const products = path.join(
        root,
        'commerce/curated/products/data_0.parquet',
      );
      await writer.run(
        `COPY (SELECT * EXCLUDE (price_band), 'EAN' || sku AS ean, list_price::VARCHAR AS list_price_text FROM '${products}') TO '${products}.new' (FORMAT parquet)`,
      );
      writer.closeSync();
      await fs.rename(`${products}.new`, products);
      await fs.rm(path.join(root, 'risk/raw/chargebacks'), { recursive: true });

      const run = await syncNow();
      expect(run).toMatchObject({ tables: 14, removed: 1, schemaChanges: 1 });

      const res = await request(server)
        .get(
          `/api/lakehouse/datasets/${enc(
            'dataset:lakeport:commerce.curated.products',
          )}`,
        )
        .set(ana);
      expect(res.body.schemaVersions[0]).toMatchObject({
        version: 2,
        added: ['ean', 'list_price_text'],
        removed: ['price_band'],
        retyped: [],
      });
      expect(res.body.drift).toEqual({
        missingInContract: ['list_price_text'],
        missingInEngine: [],
      });

      const gone = await request(server)
        .get(
          `/api/lakehouse/datasets/${enc(
            'dataset:lakeport:risk.raw.chargebacks',
          )}`,
        )
        .set(ana);
      expect(gone.body).toMatchObject({
        status: 'removed',
        removedAt: expect.any(String),
      });
      const listed = await request(server)
        .get('/api/lakehouse/datasets?q=chargebacks')
        .set(ana);
      expect(listed.body.items.map((d: any) => d.name)).not.toContain(
        'risk.raw.chargebacks',
      );
    });
  },
);
