import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import feastModule from '@lakeport/plugin-lakehouse-backend-module-feast';
import { SAMPLE_LINEAGE_FILE } from '@lakeport/sample-lakehouse';
import {
  applyFeastSample,
  FEAST_APPLY_TIMEOUT_MS,
  FEAST_SERVER_START_TIMEOUT_MS,
  FeastRegistryServer,
  hasFeast,
  lakeportTestDatabaseIds,
  runFeast,
  startFeastRegistry,
} from '@lakeport/test-utils';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
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
 * A real Feast 0.67 registry (the sample feature repository applied and
 * materialized over a sample lakehouse, served by `feast serve_registry
 * --rest-api`) synced into the portal. Everything asserted came from Feast.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const enc = encodeURIComponent;
const NS = 'lakeport/lakeport';
const PROFILE = `featureview:${NS}:customer_profile`;
const FRAUD = `featureview:${NS}:customer_fraud`;
const ORDER_CONTEXT = `featureview:${NS}:order_context`;
const CHURN = `featureservice:${NS}:churn_model_v1`;
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
};
/** Two syncs, the lakehouse's and Feast's, each with its first reads. */
const SETUP_TIMEOUT_MS =
  FEAST_APPLY_TIMEOUT_MS + FEAST_SERVER_START_TIMEOUT_MS + 4 * 60_000;

describe.each(databases.eachSupportedId())(
  'Feast feature registry on %s',
  databaseId => {
    let tmp: string;
    let repoDir: string;
    let registry: FeastRegistryServer;
    let knex: Knex;
    let server: any;
    const sent: NotificationSendOptions[] = [];
    let feast = false;
    const get = (url: string, user = 'ana') =>
      request(server).get(url).set(asUser(user));

    /** Runs a Feast sync now (as an admin) and waits for its outcome. */
    async function syncFeast() {
      const before = (await get('/api/lakehouse/metadata-sources')).body
        .items[0]?.lastAttemptAt;
      const res = await request(server)
        .post('/api/lakehouse/metadata-sources/sync')
        .set(asUser('marcus'));
      expect(res.status).toBe(202);
      return waitFor(
        async () => {
          const s = (await get('/api/lakehouse/metadata-sources')).body
            .items[0];
          return s && s.lastAttemptAt !== before ? s : undefined;
        },
        'a Feast sync',
        120_000,
      );
    }

    beforeAll(async () => {
      feast = await hasFeast();
      if (!feast) return;
      let root: string;
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-feast-'));
      repoDir = await applyFeastSample(root, path.join(tmp, 'feast'));
      registry = await startFeastRegistry(repoDir);
      knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: path.join(repo, 'catalog-info/contracts'),
        ownership: OWNERSHIP,
        sent,
        modules: [feastModule],
        lakeport: {
          lineage: { sampleEventsFile: path.join(root, SAMPLE_LINEAGE_FILE) },
          feast: { registries: [{ name: 'lakeport', baseUrl: registry.url }] },
          metadata: { syncIntervalMinutes: 600 },
        },
      }));
      await syncAndWaitFor(
        server,
        'dataset:lakeport:customers.feature.customer_profile_features',
        120_000,
      );
      // The sample lineage loads right after the lakehouse sync.
      await waitFor(
        async () =>
          (
            await get(
              `/api/lakehouse/lineage/columns?node=${enc(
                'dataset:lakeport:customers.feature.customer_profile_features',
              )}&column=age_band`,
            )
          ).status === 200 || undefined,
        'the sample lineage',
        60_000,
      );
      const status = await syncFeast();
      if (status.error)
        throw new Error(`The first Feast sync failed: ${status.error.message}`);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await registry?.stop();
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    }, 30_000);

    it('lists the registry’s views and services with their facets', async () => {
      if (!feast) return;
      const res = await get('/api/lakehouse/features?limit=50');
      expect(res.status).toBe(200);
      const ids = res.body.items.map((i: any) => i.id).sort();
      expect(ids).toEqual(
        [
          `featureservice:${NS}:churn_model_v1`,
          `featureservice:${NS}:fraud_scoring_v1`,
          FRAUD,
          `featureview:${NS}:customer_orders`,
          PROFILE,
          `featureview:${NS}:merchant_category_stats`,
          ORDER_CONTEXT,
        ].sort(),
      );
      const facet = (name: string) =>
        Object.fromEntries(
          res.body.facets[name].map((f: any) => [f.value, f.count]),
        );
      // Feast's synthetic __dummy entity is not one of ours.
      expect(facet('entity')).toEqual({ customer: 5, merchant_category: 1 });
      expect(facet('kind')).toEqual({ featureview: 5, featureservice: 2 });
      // merchant_category_stats is offline only; on-demand views have no flag.
      expect(facet('online')).toEqual({ true: 3, false: 1 });
      // Owners are emails in Feast, groups here (via the catalog users).
      const profile = res.body.items.find((i: any) => i.id === PROFILE);
      expect(profile).toMatchObject({
        ownerEmail: 'chloe.martin@lakeport.example',
        owner: 'group:default/customers-data',
        entities: ['customer'],
        online: true,
        domain: 'customers',
        featureCount: 6,
      });
      const entity = await get(
        `/api/lakehouse/features/${enc(`entity:${NS}:merchant_category`)}`,
      );
      expect(entity.status).toBe(200);
      expect(entity.body.features).toEqual([
        expect.objectContaining({ name: 'merchant_category', type: 'STRING' }),
      ]);
    });

    it('searches by feature name, description and tag', async () => {
      if (!feast) return;
      const byFeature = await get('/api/lakehouse/features?q=age_ba');
      expect(byFeature.body.items.map((i: any) => i.id).sort()).toEqual(
        [CHURN, PROFILE].sort(),
      );
      expect(
        byFeature.body.items.find((i: any) => i.id === PROFILE).matchedFeatures,
      ).toEqual(['age_band']);
      const byTag = await get(
        '/api/lakehouse/features?q=fraud-detection&kind=featureview',
      );
      expect(byTag.body.items.map((i: any) => i.name).sort()).toEqual([
        'customer_fraud',
        'merchant_category_stats',
        'order_context',
      ]);
      const bad = await get('/api/lakehouse/features?sort=popularity');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Unknown sort "popularity"/);
    });

    it('matches batch sources to lakehouse datasets, column by column', async () => {
      if (!feast) return;
      const fraud = (await get(`/api/lakehouse/features/${enc(FRAUD)}`)).body;
      expect(fraud.sources).toEqual([
        expect.objectContaining({
          type: 'BATCH_FILE',
          fieldMapping: { txn_count_7d: 'transactions_7d' },
          dataset: expect.objectContaining({
            id: 'dataset:lakeport:risk.feature.fraud_features',
            entityRef: 'resource:default/risk-feature-fraud-features',
          }),
        }),
      ]);
      const feature = (name: string) =>
        fraud.features.find((f: any) => f.name === name);
      // Renamed by the field mapping; the others read their own name.
      expect(feature('transactions_7d').source).toEqual({
        id: 'dataset:lakeport:risk.feature.fraud_features',
        column: 'txn_count_7d',
      });
      expect(feature('fraud_rate_90d').source.column).toBe('fraud_rate_90d');
      expect(fraud.freshness).toMatchObject({
        status: 'fresh',
        ttlSeconds: 86400,
      });
      expect(fraud.usedBy).toEqual([
        expect.objectContaining({
          id: `featureservice:${NS}:fraud_scoring_v1`,
        }),
      ]);

      const graph = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          CHURN,
        )}&direction=upstream&depth=2`,
      );
      expect(graph.status).toBe(200);
      const edges = graph.body.edges.map(
        (e: any) => `${e.source} -> ${e.target}`,
      );
      expect(edges).toEqual(
        expect.arrayContaining([
          `dataset:lakeport:customers.feature.customer_profile_features -> ${PROFILE}`,
          `${PROFILE} -> ${CHURN}`,
        ]),
      );
      // Lineage names owners as groups (entity refs), never as Feast's emails.
      expect(graph.body.nodes.find((n: any) => n.id === PROFILE)).toMatchObject(
        { owner: 'group:default/customers-data' },
      );
    });

    it('derives PII onto features, views and the services that select them', async () => {
      if (!feast) return;
      const profile = (await get(`/api/lakehouse/features/${enc(PROFILE)}`))
        .body;
      const feature = (name: string) =>
        profile.features.find((f: any) => f.name === name);
      // age_band is computed from date_of_birth (PII): bucketing is no masking.
      expect(feature('age_band').classification).toBe('pii');
      expect(feature('tenure_days').classification).not.toBe('pii');
      expect(profile.classification).toBe('pii');
      const churn = (await get(`/api/lakehouse/features/${enc(CHURN)}`)).body;
      expect(churn.classification).toBe('pii');
      expect(
        churn.features.find((f: any) => f.name === 'customer_profile:age_band'),
      ).toMatchObject({ classification: 'pii', view: 'customer_profile' });
      // The on-demand view reads customer_orders and a request field only.
      const context = (
        await get(`/api/lakehouse/features/${enc(ORDER_CONTEXT)}`)
      ).body;
      expect(context.classification).not.toBe('pii');
      expect(context.inputViews).toEqual([`featureview:${NS}:customer_orders`]);
      // Lists and facets carry it too.
      const pii = await get('/api/lakehouse/features?classification=pii');
      expect(pii.body.items.map((i: any) => i.id).sort()).toEqual(
        [CHURN, PROFILE].sort(),
      );
    });

    it('turns a request for a PII feature service into steward-reviewed requests for its source columns', async () => {
      if (!feast) return;
      const url = `/api/lakehouse/features/${enc(CHURN)}/access-requests`;
      const count = async () =>
        Number((await knex('access_requests').count({ n: '*' }))[0].n);
      const bad = await request(server)
        .post(url)
        .set(asUser('ana'))
        .send({ justification: 'Retraining the churn model' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/purpose is required/);
      expect(await count()).toBe(0);

      const res = await request(server).post(url).set(asUser('ana')).send({
        purpose: 'Churn model v2',
        justification: 'Retraining the churn model on the current features',
        durationDays: 30,
      });
      expect(res.status).toBe(201);
      expect(res.body.classification).toBe('pii');
      const byDataset = new Map<string, any>(
        res.body.requests.map((r: any) => [r.datasetId, r]),
      );
      expect([...byDataset.keys()].sort()).toEqual([
        'dataset:lakeport:commerce.feature.customer_order_features',
        'dataset:lakeport:customers.feature.customer_profile_features',
      ]);
      const profile = byDataset.get(
        'dataset:lakeport:customers.feature.customer_profile_features',
      );
      expect(profile.columns).toEqual([
        'age_band',
        'country_code',
        'page_views_30d',
        'segment',
        'sessions_30d',
        'tenure_days',
      ]);
      // Each source column alone is declared internal; the service carries
      // PII (age_band from the date of birth), so a steward reviews.
      const created = await get(`/api/lakehouse/access/requests/${profile.id}`);
      expect(created.body).toMatchObject({
        steps: ['owner', 'steward'],
        classification: 'pii',
        purpose: 'Churn model v2 (for feature service churn_model_v1)',
      });
      expect(await count()).toBe(2);
    });

    it(
      're-syncs an unchanged registry without writing, and picks up feast apply',
      async () => {
        if (!feast) return;
        const rows = () =>
          knex('metadata_assets').select('id', 'updated_at').orderBy('id');
        const before = await rows();
        const again = await syncFeast();
        expect(again).toMatchObject({ assets: 9, lastWritten: 0 });
        expect(await rows()).toEqual(before);

        const file = path.join(repoDir, 'features.py');
        const source = await fs.readFile(file, 'utf8');
        await fs.writeFile(
          file,
          source.replace(
            'Order history of a customer over the last 90 days.',
            'Order history of a customer over the last 90 days (all channels).',
          ),
        );
        await runFeast(repoDir, ['apply']);
        const changed = await syncFeast();
        expect(changed.error).toBeUndefined();
        expect(changed.lastWritten).toBeGreaterThanOrEqual(1);
        const orders = await get(
          `/api/lakehouse/features/${enc(`featureview:${NS}:customer_orders`)}`,
        );
        expect(orders.body.description).toBe(
          'Order history of a customer over the last 90 days (all channels).',
        );
      },
      FEAST_APPLY_TIMEOUT_MS + 60_000,
    );

    it('keeps the last good state and shows the error when the registry is down', async () => {
      if (!feast) return;
      await registry.stop();
      const down = await syncFeast();
      expect(down.error.message).toMatch(/fetch failed|ECONNREFUSED/);
      expect(Date.parse(down.error.at)).toBeGreaterThan(0);
      expect(down.lastSuccessAt).toBeDefined();
      const list = await get('/api/lakehouse/features');
      expect(list.body.totalCount).toBe(7);
      expect(list.body.sources[0].error.message).toBe(down.error.message);
    }, 180_000);

    it('checks who is calling', async () => {
      if (!feast) return;
      expect(
        (await request(server).get('/api/lakehouse/features')).status,
      ).toBe(401);
      const sync = await request(server)
        .post('/api/lakehouse/metadata-sources/sync')
        .set(asUser('ana'));
      expect(sync.status).toBe(403);
      expect((await get('/api/lakehouse/features/not-an-id')).status).toBe(400);
      expect(
        (await get(`/api/lakehouse/features/${enc(`featureview:${NS}:nope`)}`))
          .status,
      ).toBe(404);
    });
  },
);
