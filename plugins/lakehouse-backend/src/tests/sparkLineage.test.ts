import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  hasSpark,
  lakeportTestDatabaseIds,
  runSparkJob,
  SPARK_JOB_TIMEOUT_MS,
} from '@lakeport/test-utils';
import fs from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  asUser,
  sampleLakehouseForTest,
  syncAndWaitFor,
  waitFor,
} from '../__testUtils__/lakehouseTests';

/**
 * The stock OpenLineage Spark listener (openlineage-spark 1.53.0 on PySpark
 * 4.2.0) pointed at the portal over its HTTP transport with api_key auth,
 * running a PySpark job that joins two tables of the sample lakehouse and
 * writes a new one. Everything asserted here came from Spark.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const job = path.join(repo, 'python/spark_jobs/country_customer_summary.py');
const enc = encodeURIComponent;

const SUMMARY = 'dataset:lakeport:commerce.feature.country_customer_summary';
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const ORDERS = 'dataset:lakeport:commerce.curated.orders';
const APP = 'job:spark:country_customer_summary';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/sofia': ['user:default/sofia', 'group:default/data-governance'],
};

describe.each(databases.eachSupportedId())(
  'lineage from the stock Spark listener on %s',
  databaseId => {
    let tmp: string;
    let root: string;
    let server: any;
    const sent: NotificationSendOptions[] = [];
    const get = (url: string, user = 'ana') =>
      request(server).get(url).set(asUser(user));
    let spark = false;

    beforeAll(async () => {
      spark = await hasSpark();
      if (!spark) return;
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-spark-'));
      const knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: path.join(repo, 'catalog-info/contracts'),
        ownership: OWNERSHIP,
        sent,
      }));
      await syncAndWaitFor(server, CUSTOMERS, 120_000);
      const { port } = (server as { address(): AddressInfo }).address();
      await runSparkJob({
        script: job,
        args: [
          '--lakehouse-root',
          root,
          '--output',
          path.join(root, 'commerce/feature/country_customer_summary'),
        ],
        openLineage: {
          url: `http://127.0.0.1:${port}/api/lakehouse/lineage`,
          apiKey: mockCredentials.service.token(),
        },
      });
      // The job wrote a table the catalog does not know yet: the next sync
      // finds it, and its lineage joins the catalog dataset.
      await syncAndWaitFor(server, SUMMARY, 120_000);
      let last: any;
      await waitFor(
        async () => {
          last = await get(
            `/api/lakehouse/lineage/graph?node=${enc(SUMMARY)}&depth=1`,
          );
          return last.status === 200 ? true : undefined;
        },
        'the Spark output in the catalog with its lineage',
        120_000,
      ).catch(async e => {
        const byPath = await get(
          `/api/lakehouse/lineage/graph?node=${enc(
            `dataset:file:${path.join(
              root,
              'commerce/feature/country_customer_summary',
            )}`,
          )}&depth=1`,
        );
        throw new Error(
          `${e.message}: ${last?.status} ${JSON.stringify(
            last?.body,
          )}; by path ${byPath.status} ${JSON.stringify(byPath.body).slice(
            0,
            500,
          )}; dataset ${
            (await get(`/api/lakehouse/datasets/${enc(SUMMARY)}`)).status
          }; sync ${JSON.stringify(
            (await get('/api/lakehouse/sync')).body,
          ).slice(0, 300)}`,
        );
      });
    }, SPARK_JOB_TIMEOUT_MS + 5 * 60_000);

    afterAll(async () => {
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    it('shows the Spark application reading both tables (matched by path) and writing the new one', async () => {
      if (!spark) return;
      const res = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          SUMMARY,
        )}&direction=upstream&depth=1`,
      );
      expect(res.status).toBe(200);
      // Child jobs are drawn as their application, which completed.
      const jobs = res.body.nodes.filter((n: any) => n.kind === 'job');
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        id: APP,
        name: 'country_customer_summary',
        latestRun: expect.objectContaining({ state: 'COMPLETE' }),
      });
      expect(jobs[0].children).toEqual([
        expect.objectContaining({
          name: expect.stringMatching(
            /^country_customer_summary\.adaptive_spark_plan\./,
          ),
          title: expect.stringMatching(/^adaptive spark plan → /),
          latestRun: expect.objectContaining({ state: 'COMPLETE' }),
        }),
      ]);
      // The listener reports the Parquet folders: matched to catalog tables.
      expect(res.body.edges).toEqual(
        expect.arrayContaining([
          { source: CUSTOMERS, target: APP },
          { source: ORDERS, target: APP },
          { source: APP, target: SUMMARY },
        ]),
      );
      const summary = res.body.nodes.find((n: any) => n.id === SUMMARY);
      expect(summary.fields.map((f: any) => f.name)).toEqual([
        'country_code',
        'order_count',
        'revenue',
        'customer_count',
        'max_email',
        'oldest_birth_date',
        'phone_sha256',
      ]);
      // Its `"uri": "file"` data source did not cost the event: recorded.
      expect(jobs[0].children[0].latestRun.problems).toEqual([
        'facet dataSource ignored: uri is not a URI',
      ]);
    });

    it('hides the START-only schema reads unless asked, and shows each Spark action when asked', async () => {
      if (!spark) return;
      const hidden = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          CUSTOMERS,
        )}&direction=downstream&depth=1`,
      );
      expect(hidden.body.hiddenUnfinished).toBeGreaterThan(0);
      const ids = (r: any) => r.body.nodes.map((n: any) => n.id);
      expect(ids(hidden)).toContain(APP);
      expect(
        ids(hidden).filter((id: string) =>
          id.includes('map_partitions_parallel_collection'),
        ),
      ).toEqual([]);
      const all = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          CUSTOMERS,
        )}&direction=downstream&depth=1&unfinished=true&group=none`,
      );
      expect(ids(all)).toEqual(
        expect.arrayContaining([
          'job:spark:country_customer_summary.map_partitions_parallel_collection',
          expect.stringMatching(
            /^job:spark:country_customer_summary\.adaptive_spark_plan\./,
          ),
        ]),
      );
      const read = all.body.nodes.find((n: any) =>
        n.id.endsWith('map_partitions_parallel_collection'),
      );
      expect(read).toMatchObject({
        unfinished: true,
        parent: { id: APP, name: 'country_customer_summary' },
      });
      // The application itself is a graph root too.
      const app = await get(
        `/api/lakehouse/lineage/graph?node=${enc(APP)}&depth=1`,
      );
      expect(app.status).toBe(200);
      expect(ids(app)).toEqual(
        expect.arrayContaining([APP, CUSTOMERS, ORDERS, SUMMARY]),
      );
    });

    it('traces column lineage down to the source columns', async () => {
      if (!spark) return;
      const res = await get(
        `/api/lakehouse/lineage/columns?node=${enc(
          SUMMARY,
        )}&direction=upstream&depth=1`,
      );
      expect(res.status).toBe(200);
      const edges = res.body.edges.map(
        (e: any) =>
          `${e.source.node}#${e.source.column} -> ${e.target.column} ${
            e.transformation.subtype
          }${e.transformation.masking ? ' masking' : ''}`,
      );
      expect(edges).toEqual(
        expect.arrayContaining([
          `${CUSTOMERS}#country_code -> country_code IDENTITY`,
          `${ORDERS}#order_id -> order_count AGGREGATION masking`,
          `${ORDERS}#total_amount -> revenue AGGREGATION`,
          `${CUSTOMERS}#email -> max_email AGGREGATION`,
          `${CUSTOMERS}#date_of_birth -> oldest_birth_date AGGREGATION`,
          `${CUSTOMERS}#phone -> phone_sha256 AGGREGATION masking`,
        ]),
      );
    });

    it('keeps max(email) PII: derived, masked in the preview for a data scientist', async () => {
      if (!spark) return;
      const classes = await get(
        `/api/lakehouse/lineage/classifications?node=${enc(SUMMARY)}`,
      );
      const byColumn = Object.fromEntries(
        classes.body.columns.map((c: any) => [c.column, c]),
      );
      expect(byColumn.max_email).toMatchObject({
        derived: 'pii',
        status: 'derived',
        sources: [
          expect.objectContaining({ node: CUSTOMERS, column: 'email' }),
        ],
      });
      expect(byColumn.oldest_birth_date.derived).toBe('pii');
      // Spark marks count() and sha2() as masking: explicit breakers.
      expect(byColumn.phone_sha256.derived).toBeUndefined();
      expect(byColumn.phone_sha256.removedBy).toEqual([
        expect.objectContaining({
          column: 'phone',
          reason: 'masked (aggregation)',
        }),
      ]);
      const preview = await get(
        `/api/lakehouse/datasets/${enc(SUMMARY)}/preview?limit=5`,
      );
      expect(preview.status).toBe(200);
      expect(preview.body.masked).toEqual(
        expect.arrayContaining(['max_email', 'oldest_birth_date']),
      );
      expect(preview.body.masked).not.toContain('order_count');
      const column = preview.body.columns.findIndex(
        (c: any) => c.name === 'max_email',
      );
      const values = preview.body.rows.map((r: any) =>
        Array.isArray(r) ? r[column] : r.max_email,
      );
      expect(values.length).toBeGreaterThan(0);
      expect(values.some((v: unknown) => String(v).includes('@'))).toBe(false);
    });
  },
);
