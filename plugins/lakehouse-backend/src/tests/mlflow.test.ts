import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import feastModule from '@lakeport/plugin-lakehouse-backend-module-feast';
import mlflowModule from '@lakeport/plugin-lakehouse-backend-module-mlflow';
import { SAMPLE_LINEAGE_FILE } from '@lakeport/sample-lakehouse';
import {
  applyFeastSample,
  FEAST_APPLY_TIMEOUT_MS,
  FEAST_SERVER_START_TIMEOUT_MS,
  FeastRegistryServer,
  hasFeast,
  lakeportTestDatabaseIds,
  MLFLOW_SERVER_START_TIMEOUT_MS,
  MLFLOW_TRAINING_TIMEOUT_MS,
  MlflowServer,
  startFeastRegistry,
  startMlflowServer,
  trainSampleModels,
} from '@lakeport/test-utils';
import { Knex } from 'knex';
import { createHmac } from 'node:crypto';
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
 * A real MLflow 3 tracking server (basic-auth app) with models trained by
 * the sample training script over the sample lakehouse, on features it
 * retrieved from the real Feast sample repository (so Feast itself tagged
 * the runs), synced into the portal with the Feast registry.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const enc = encodeURIComponent;
const CHURN_V2 = 'modelversion:local:churn-classifier/2';
const FRAUD_V1 = 'modelversion:local:fraud-detector/1';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/yuki': ['user:default/yuki', 'group:default/data-science'],
};
let tools = false;
let tmp: string;
let root: string;
let registry: FeastRegistryServer;
let mlflow: MlflowServer;

const WEBHOOK_SECRET = 'lakeport-test-webhook-secret';
const WEBHOOK = '/api/lakehouse/webhooks/mlflow:local';

/** Headers MLflow sends with a delivery, signed with `secret`. */
function signed(
  body: string,
  deliveryId: string,
  secret = WEBHOOK_SECRET,
  at = Date.now(),
) {
  const timestamp = String(Math.floor(at / 1000));
  const signature = createHmac('sha256', secret)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest('base64');
  return {
    'Content-Type': 'application/json',
    'X-MLflow-Signature': `v1,${signature}`,
    'X-MLflow-Timestamp': timestamp,
    'X-MLflow-Delivery-Id': deliveryId,
  };
}

/** MLflow's REST API as its admin. */
async function mlflowApi(method: string, api: string, body?: unknown) {
  const res = await fetch(`${mlflow.url}/api/2.0/mlflow/${api}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(
        `${mlflow.admin.username}:${mlflow.admin.password}`,
      ).toString('base64')}`,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${api}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const SETUP_TIMEOUT_MS =
  FEAST_APPLY_TIMEOUT_MS +
  FEAST_SERVER_START_TIMEOUT_MS +
  MLFLOW_SERVER_START_TIMEOUT_MS +
  MLFLOW_TRAINING_TIMEOUT_MS;

beforeAll(async () => {
  tools = await hasFeast();
  if (!tools) return;
  ({ tmp, root } = await sampleLakehouseForTest('lakeport-mlflow-'));
  const feastRepo = await applyFeastSample(root, path.join(tmp, 'feast'));
  [registry, mlflow] = await Promise.all([
    startFeastRegistry(feastRepo),
    startMlflowServer(),
  ]);
  await trainSampleModels({ server: mlflow, lakehouseRoot: root, feastRepo });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([registry?.stop(), mlflow?.stop()]);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
}, 60_000);

describe.each(databases.eachSupportedId())(
  'MLflow model registry on %s',
  databaseId => {
    let knex: Knex;
    let server: any;
    const sent: NotificationSendOptions[] = [];
    const get = (url: string, user = 'yuki') =>
      request(server).get(url).set(asUser(user));

    async function syncSources() {
      const before = (await get('/api/lakehouse/metadata-sources')).body.items
        .map((s: any) => s.lastAttemptAt)
        .join();
      const res = await request(server)
        .post('/api/lakehouse/metadata-sources/sync')
        .set(asUser('marcus'));
      expect(res.status).toBe(202);
      return waitFor(
        async () => {
          const items = (await get('/api/lakehouse/metadata-sources')).body
            .items;
          return items.length === 2 &&
            items.map((s: any) => s.lastAttemptAt).join() !== before
            ? new Map<string, any>(items.map((s: any) => [s.id, s]))
            : undefined;
        },
        'a metadata sync',
        180_000,
      );
    }

    beforeAll(async () => {
      if (!tools) return;
      knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: path.join(repo, 'catalog-info/contracts'),
        ownership: OWNERSHIP,
        sent,
        modules: [feastModule, mlflowModule],
        lakeport: {
          lineage: { sampleEventsFile: path.join(root, SAMPLE_LINEAGE_FILE) },
          feast: { registries: [{ name: 'lakeport', baseUrl: registry.url }] },
          mlflow: {
            servers: [
              {
                name: 'local',
                baseUrl: mlflow.url,
                username: mlflow.admin.username,
                password: mlflow.admin.password,
                webhookSecret: WEBHOOK_SECRET,
              },
            ],
          },
          metadata: { syncIntervalMinutes: 600 },
        },
      }));
      await syncAndWaitFor(
        server,
        'dataset:lakeport:customers.curated.customers',
        120_000,
      );
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
      const sources = await syncSources();
      for (const s of sources.values())
        if (s.error) throw new Error(`${s.id} failed: ${s.error.message}`);
    }, 300_000);

    it('reads every registered model and version with its run', async () => {
      if (!tools) return;
      const sources = await syncSources();
      // 2 models + 3 versions; nothing changed since the first sync.
      expect(sources.get('mlflow:local')).toMatchObject({
        assets: 5,
        lastWritten: 0,
      });
      const row = await knex('metadata_assets').where({ id: CHURN_V2 }).first();
      const details = JSON.parse(row.details);
      expect(details).toMatchObject({
        model: 'churn-classifier',
        version: '2',
        status: 'READY',
        featureService: 'churn_model_v1',
        params: { algorithm: 'logistic_regression', C: '1.0' },
      });
      // The script's metrics, and the one Feast's MLflow integration logged
      // when the run retrieved its features.
      expect(Object.keys(details.metrics).sort()).toEqual([
        'accuracy',
        'f1',
        'feast.job_submission_sec',
        'roc_auc',
      ]);
      // The owner tag names a catalog group.
      expect(row.owner).toBe('group:default/data-science');
    });

    it('links a version to the features and data it was trained on, and PII reaches it', async () => {
      if (!tools) return;
      const graph = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          CHURN_V2,
        )}&direction=upstream&depth=3`,
      );
      expect(graph.status).toBe(200);
      const edges = graph.body.edges.map(
        (e: any) => `${e.source} -> ${e.target}`,
      );
      expect(edges).toEqual(
        expect.arrayContaining([
          `featureservice:lakeport/lakeport:churn_model_v1 -> ${CHURN_V2}`,
          `dataset:lakeport:customers.curated.customers -> ${CHURN_V2}`,
          'featureview:lakeport/lakeport:customer_profile -> featureservice:lakeport/lakeport:churn_model_v1',
          'dataset:lakeport:customers.feature.customer_profile_features -> featureview:lakeport/lakeport:customer_profile',
        ]),
      );
      // Trained on PII: the customers table itself, and age_band through Feast.
      const rows = await knex('metadata_assets')
        .whereIn('id', [CHURN_V2, FRAUD_V1])
        .select('id', 'classification');
      expect(
        Object.fromEntries(rows.map(r => [r.id, r.classification])),
      ).toEqual({
        [CHURN_V2]: 'pii',
        [FRAUD_V1]: 'confidential',
      });
    });

    it('takes only authentic, fresh, first deliveries of a webhook', async () => {
      if (!tools) return;
      const body = JSON.stringify({
        entity: 'model_version',
        action: 'created',
        timestamp: new Date().toISOString(),
        data: { name: 'churn-classifier', version: '2' },
      });
      const post = (headers: Record<string, string>, raw = body) =>
        request(server).post(WEBHOOK).set(headers).send(raw);
      const id = `delivery-${databaseId}`;
      const first = await post(signed(body, id));
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ status: 'accepted', deliveryId: id });
      // A replay (or MLflow's retry) is handled once.
      expect((await post(signed(body, id))).body.status).toBe('duplicate');
      // Signed with another secret, or the body changed after signing.
      expect(
        (await post(signed(body, `${id}-b`, 'not-the-secret'))).status,
      ).toBe(401);
      expect(
        (await post(signed(body, `${id}-c`), body.replace('2', '1'))).status,
      ).toBe(401);
      expect((await post({ 'Content-Type': 'application/json' })).status).toBe(
        401,
      );
      // Recorded long ago: refused even with a valid signature.
      const old = await post(
        signed(body, `${id}-d`, WEBHOOK_SECRET, Date.now() - 3_600_000),
      );
      expect(old.status).toBe(400);
      expect(old.body.error.message).toMatch(/X-MLflow-Timestamp/);
      expect(
        (
          await request(server)
            .post('/api/lakehouse/webhooks/mlflow:nope')
            .send('{}')
        ).status,
      ).toBe(404);
      const rows = await knex('metadata_webhook_deliveries').where(
        'delivery_id',
        'like',
        `${id}%`,
      );
      expect(rows.map(r => r.delivery_id)).toEqual([id]);
    });

    it('shows a version registered in MLflow through MLflow’s own webhook, without a scheduled sync', async () => {
      if (!tools) return;
      const { port } = (server as { address(): AddressInfo }).address();
      const { webhook } = await mlflowApi('POST', 'webhooks', {
        name: `lakeport-${databaseId.toLowerCase()}`,
        url: `http://127.0.0.1:${port}${WEBHOOK}`,
        events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
        secret: WEBHOOK_SECRET,
      });
      const v1 = (
        await mlflowApi(
          'GET',
          'model-versions/get?name=fraud-detector&version=1',
        )
      ).model_version;
      const { model_version: created } = await mlflowApi(
        'POST',
        'model-versions/create',
        { name: 'fraud-detector', source: v1.source, run_id: v1.run_id },
      );
      try {
        const id = `modelversion:local:fraud-detector/${created.version}`;
        const row = await waitFor(
          async () =>
            (await knex('metadata_assets').where({ id }).first()) ?? undefined,
          `${id} after MLflow's webhook`,
          120_000,
        ).catch(async e => {
          const seen = await knex('metadata_webhook_deliveries');
          throw new Error(`${e.message}; deliveries: ${JSON.stringify(seen)}`);
        });
        expect(row.kind).toBe('modelversion');
        const delivered = await knex('metadata_webhook_deliveries').where({
          source_id: 'mlflow:local',
          event: 'model_version.created',
        });
        expect(delivered.length).toBeGreaterThanOrEqual(1);
      } finally {
        await mlflowApi('DELETE', `webhooks/${webhook.webhook_id}`);
        await mlflowApi('DELETE', 'model-versions/delete', {
          name: 'fraud-detector',
          version: created.version,
        });
      }
    }, 180_000);
  },
);
