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
import http from 'node:http';
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
const FRAUD = 'model:local:fraud-detector';
const CHURN = 'model:local:churn-classifier';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/yuki': ['user:default/yuki', 'group:default/data-science'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/dev': ['user:default/dev', 'group:default/risk-data'],
  'user:default/sofia': ['user:default/sofia', 'group:default/data-governance'],
};
let tools = false;
let tmp: string;
let root: string;
let registry: FeastRegistryServer;
let mlflow: MlflowServer;
let proxy: MlflowProxy;

/**
 * The portal reaches MLflow through this proxy, so a test can take MLflow
 * "down" (connections reset) or lose the answer to an alias write after
 * MLflow made it, and count the alias writes that reached MLflow.
 */
interface MlflowProxy {
  url: string;
  mode: 'up' | 'down' | 'lose-alias-answers';
  aliasWrites: Array<{ name: string; alias: string; version: string }>;
  close(): Promise<void>;
}

async function startMlflowProxy(target: string): Promise<MlflowProxy> {
  const state: Omit<MlflowProxy, 'url' | 'close'> = {
    mode: 'up',
    aliasWrites: [],
  };
  const server = http.createServer(async (req, res) => {
    if (state.mode === 'down') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const aliasWrite =
      req.method === 'POST' && req.url?.includes('registered-models/alias');
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(
        ['authorization', 'content-type', 'accept']
          .filter(h => req.headers[h])
          .map(h => [h, String(req.headers[h])]),
      ),
      body: body.length ? body : undefined,
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (aliasWrite && answer.ok)
      state.aliasWrites.push(JSON.parse(body.toString()));
    if (aliasWrite && state.mode === 'lose-alias-answers') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(bytes);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

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
  proxy = await startMlflowProxy(mlflow.url);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await proxy?.close();
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

    const postAs = (url: string, user: string, body?: object) =>
      request(server)
        .post(url)
        .set(asUser(user))
        .send(body ?? {});
    const promotionsOf = (model: string) =>
      `/api/lakehouse/models/${enc(model)}/promotions`;
    const decide = (id: string, user: string, body: object) =>
      postAs(`/api/lakehouse/model-promotions/${id}/decision`, user, body);
    const aliasInMlflow = async (name: string, alias: string) => {
      try {
        return (
          await mlflowApi(
            'GET',
            `registered-models/alias?name=${name}&alias=${alias}`,
          )
        ).model_version.version as string;
      } catch {
        return undefined;
      }
    };

    beforeAll(async () => {
      if (!tools) return;
      // The MLflow server is shared by both databases: each starts from the
      // training script's aliases (champion on v1, no production).
      for (const name of ['churn-classifier', 'fraud-detector']) {
        await mlflowApi('POST', 'registered-models/alias', {
          name,
          alias: 'champion',
          version: '1',
        });
        if (await aliasInMlflow(name, 'production'))
          await mlflowApi('DELETE', 'registered-models/alias', {
            name,
            alias: 'production',
          });
      }
      proxy.mode = 'up';
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
            // As in production: the portal's own MLflow user (READ, and
            // EDIT on the models whose aliases it governs).
            servers: [
              {
                name: 'local',
                baseUrl: proxy.url,
                username: mlflow.portal.username,
                password: mlflow.portal.password,
                webhookSecret: WEBHOOK_SECRET,
              },
            ],
          },
          models: {
            governedAliases: ['champion', 'production'],
            promotion: {
              requiredMetrics: ['accuracy', 'roc_auc'],
              metrics: [
                { name: 'roc_auc', tolerance: 0.02 },
                { name: 'accuracy', tolerance: 0.01 },
              ],
              minTrainingGrade: 'C',
            },
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
      // 2 models + 5 versions; nothing changed since the first sync.
      expect(sources.get('mlflow:local')).toMatchObject({
        assets: 7,
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
      // A model is as sensitive as its most sensitive version.
      const rows = await knex('metadata_assets')
        .whereIn('id', [CHURN_V2, FRAUD_V1, CHURN, FRAUD])
        .select('id', 'classification');
      expect(
        Object.fromEntries(rows.map(r => [r.id, r.classification])),
      ).toEqual({
        [CHURN_V2]: 'pii',
        [FRAUD_V1]: 'confidential',
        [CHURN]: 'pii',
        [FRAUD]: 'confidential',
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
        {
          name: 'fraud-detector',
          source: v1.source,
          run_id: v1.run_id,
          // MLflow 3 wants the logged model of a models:/ source named.
          model_id: String(v1.source).replace('models:/', ''),
        },
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

    it('lists models with facets, and compares versions with metrics, curves, params, signatures and training grades', async () => {
      if (!tools) return;
      // Grades come from the first quality runs after the lakehouse sync.
      await waitFor(
        async () => {
          const res = await get(
            `/api/lakehouse/datasets/${enc(
              'dataset:lakeport:customers.raw.web_events',
            )}`,
          );
          return res.body.qualityGrade ? true : undefined;
        },
        'quality grades',
        180_000,
      );
      // The webhook test added a version to MLflow and deleted it.
      await syncSources();
      const listed = await get('/api/lakehouse/models');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((m: any) => m.name).sort()).toEqual([
        'churn-classifier',
        'fraud-detector',
      ]);
      expect(listed.body.facets.alias).toEqual([
        { value: 'champion', count: 2 },
      ]);
      const found = await get(
        '/api/lakehouse/models?q=fraud&owner=group:default/risk-data',
      );
      expect(found.body.items).toEqual([
        expect.objectContaining({
          id: FRAUD,
          owner: 'group:default/risk-data',
          versionCount: 3,
          latestVersion: '3',
          aliases: [{ alias: 'champion', version: '1' }],
          entityRef: 'resource:default/model-local-fraud-detector',
        }),
      ]);
      expect((await get('/api/lakehouse/models?sort=size')).status).toBe(400);

      const model = (await get(`/api/lakehouse/models/${enc(FRAUD)}`)).body;
      expect(model.versions.map((v: any) => v.version)).toEqual([
        '3',
        '2',
        '1',
      ]);
      expect(model.keyMetrics.slice(0, 2)).toEqual(['accuracy', 'roc_auc']);
      const [v3, v2, v1] = model.versions;
      // A training curve read from metrics/get-history: one value per depth.
      expect(
        v1.metricHistory.validation_roc_auc.map((p: any) => p.step),
      ).toEqual([1, 2, 3, 4]);
      expect(v3.metricHistory.validation_roc_auc).toHaveLength(6);
      expect(v2.params).toMatchObject({ max_depth: '5' });
      // Signatures from each logged model's MLmodel: v2 adds the spend columns.
      const inputs = (v: any) => v.signature.inputs.map((c: any) => c.name);
      expect(inputs(v2).filter((c: string) => !inputs(v1).includes(c))).toEqual(
        ['txn_count', 'amount_mean', 'risk_max'],
      );
      expect(v3.trainingGrade).toBe('D');
      expect(['A', 'B', 'C']).toContain(v2.trainingGrade);
      expect(model.aliasStates).toEqual([
        expect.objectContaining({
          alias: 'champion',
          version: '1',
          governed: true,
          governedVersion: '1',
          via: 'baseline',
        }),
      ]);

      const training = (
        await get(`/api/lakehouse/models/${enc(FRAUD)}/training-data`)
      ).body;
      const web = training.versions
        .find((v: any) => v.version === '3')
        .inputs.find(
          (i: any) => i.id === 'dataset:lakeport:customers.raw.web_events',
        );
      expect(web).toMatchObject({
        kind: 'dataset',
        qualityGrade: 'D',
        columns: ['customer_id', 'event_id', 'session_id'],
        access: 'full',
      });
      // churn v2 read PII (customers, and age_band through Feast): masked for Yuki.
      const churn = (
        await get(`/api/lakehouse/models/${enc(CHURN)}/training-data`)
      ).body.versions.find((v: any) => v.version === '2');
      expect(churn.inputs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: 'featureservice:lakeport/lakeport:churn_model_v1',
            kind: 'featureservice',
          }),
          expect.objectContaining({
            id: 'dataset:lakeport:customers.curated.customers',
            access: 'masked',
          }),
          // The service's views, each linked to its page.
          expect.objectContaining({
            id: 'featureview:lakeport/lakeport:customer_orders',
            kind: 'featureview',
            via: 'featureservice:lakeport/lakeport:churn_model_v1',
            entityRef:
              'resource:default/featureview-lakeport-lakeport-customer-orders',
          }),
          expect.objectContaining({
            id: 'featureview:lakeport/lakeport:customer_profile',
            via: 'featureservice:lakeport/lakeport:churn_model_v1',
          }),
        ]),
      );
    }, 240_000);

    it('refuses promotions it cannot evaluate, and blocks a failed gate unless an owner overrides it', async () => {
      if (!tools) return;
      const ask = (body: object, user = 'yuki') =>
        postAs(promotionsOf(FRAUD), user, body);
      const reason = 'better recall on recent fraud';
      expect(
        (await ask({ alias: 'staging', version: '2', reason })).body.error
          .message,
      ).toMatch(/not governed/);
      expect(
        (await ask({ alias: 'champion', version: '9', reason })).body.error
          .message,
      ).toMatch(/no version 9/);
      expect((await ask({ alias: 'champion', version: '2' })).status).toBe(400);
      expect(
        (await ask({ alias: 'champion', version: '1', reason })).body.error
          .message,
      ).toMatch(/already points at version 1/);
      expect(
        (
          await postAs(promotionsOf('model:local:nope'), 'yuki', {
            alias: 'champion',
            version: '1',
            reason,
          })
        ).status,
      ).toBe(404);

      const v3 = await ask({ alias: 'champion', version: '3', reason });
      expect(v3.status).toBe(201);
      const gate = (id: string) => v3.body.gates.find((g: any) => g.id === id);
      expect(gate('training-quality')).toMatchObject({
        result: 'failed',
        detail: expect.stringMatching(/customers\.raw\.web_events is graded D/),
      });
      expect(gate('required-metrics').result).toBe('passed');
      // One open promotion per alias.
      expect(
        (await ask({ alias: 'champion', version: '2', reason })).status,
      ).toBe(409);
      // Not an owner; then an owner without an override reason.
      expect(
        (await decide(v3.body.id, 'ana', { decision: 'approve' })).status,
      ).toBe(403);
      const blocked = await decide(v3.body.id, 'dev', { decision: 'approve' });
      expect(blocked.status).toBe(400);
      expect(blocked.body.error.message).toMatch(
        /Gates failed.*overrideReason/,
      );
      const rejected = await decide(v3.body.id, 'dev', {
        decision: 'reject',
        comment: 'web events fail their checks',
      });
      expect(rejected.body.status).toBe('rejected');
      expect(await aliasInMlflow('fraud-detector', 'champion')).toBe('1');
      expect(sent.map(n => n.payload.title)).toEqual(
        expect.arrayContaining([
          'Promotion rejected: fraud-detector@champion → version 3',
        ]),
      );

      // The same failed gate, overridden with a reason (audited) for production.
      const prod = await ask({
        alias: 'production',
        version: '3',
        reason: 'shadow test',
      });
      const overridden = await decide(prod.body.id, 'dev', {
        decision: 'approve',
        overrideReason: 'web events checks fail on a column v3 does not read',
      });
      expect(overridden.body).toMatchObject({
        status: 'promoted',
        overrideReason: 'web events checks fail on a column v3 does not read',
      });
      expect(overridden.body.audit.map((a: any) => a.action)).toEqual(
        expect.arrayContaining(['gates-overridden', 'alias-set']),
      );
      expect(await aliasInMlflow('fraud-detector', 'production')).toBe('3');
    }, 120_000);

    it('moves an alias in MLflow once the owners approve, never on the requester’s own word, and tells who needs to know', async () => {
      if (!tools) return;
      const asked = await postAs(promotionsOf(FRAUD), 'yuki', {
        alias: 'champion',
        version: '2',
        reason: 'higher ROC AUC with spend aggregates',
      });
      expect(asked.status).toBe(201);
      expect(asked.body.gates.map((g: any) => [g.id, g.result])).toEqual([
        ['required-metrics', 'passed'],
        ['no-regression', 'passed'],
        ['training-quality', 'passed'],
        ['pii-steward', 'passed'],
      ]);
      expect(asked.body.fromVersion).toBe('1');
      const approved = await decide(asked.body.id, 'dev', {
        decision: 'approve',
        comment: 'looks good',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'promoted',
        decidedBy: 'user:default/dev',
        attempts: 1,
      });
      // Read back from MLflow itself, not from the portal.
      expect(await aliasInMlflow('fraud-detector', 'champion')).toBe('2');
      expect(approved.body.audit.map((a: any) => a.action).reverse()).toEqual([
        'promotion-requested',
        'promotion-approved-by-owner',
        'alias-set',
      ]);
      const rows = await knex('model_promotion_audit').where({
        promotion_id: asked.body.id,
      });
      expect(rows).toHaveLength(3);
      const told = sent.find(
        n =>
          n.payload.title === 'fraud-detector@champion now points at version 2',
      );
      expect(told?.recipients).toMatchObject({
        entityRef: expect.arrayContaining([
          'user:default/yuki',
          'group:default/risk-data',
        ]),
      });
      const model = (await get(`/api/lakehouse/models/${enc(FRAUD)}`)).body;
      expect(
        model.aliasStates.find((a: any) => a.alias === 'champion'),
      ).toMatchObject({
        governedVersion: '2',
        via: 'promotion',
        setBy: 'user:default/dev',
      });

      // An owner asking cannot approve it too.
      const own = await postAs(promotionsOf(FRAUD), 'dev', {
        alias: 'champion',
        version: '1',
        reason: 'roll back',
      });
      const self = await decide(own.body.id, 'dev', { decision: 'approve' });
      expect(self.status).toBe(403);
      expect(self.body.error.message).toMatch(/own promotion/);
      expect(
        (
          await postAs(
            `/api/lakehouse/model-promotions/${own.body.id}/cancel`,
            'dev',
          )
        ).body.status,
      ).toBe('cancelled');
    }, 120_000);

    it('asks a steward to sign off a model trained on PII after the owners approve', async () => {
      if (!tools) return;
      const asked = await postAs(promotionsOf(CHURN), 'yuki', {
        alias: 'production',
        version: '2',
        reason: 'first production release',
      });
      expect(
        asked.body.gates.find((g: any) => g.id === 'pii-steward').result,
      ).toBe('pending');
      const owners = await decide(asked.body.id, 'ana', {
        decision: 'approve',
      });
      expect(owners.body.status).toBe('awaiting-steward');
      expect(
        await aliasInMlflow('churn-classifier', 'production'),
      ).toBeUndefined();
      // The owners cannot sign for the steward.
      expect(
        (await decide(asked.body.id, 'ana', { decision: 'approve' })).status,
      ).toBe(403);
      const steward = await decide(asked.body.id, 'sofia', {
        decision: 'approve',
      });
      expect(steward.body).toMatchObject({
        status: 'promoted',
        stewardBy: 'user:default/sofia',
      });
      expect(await aliasInMlflow('churn-classifier', 'production')).toBe('2');
    }, 120_000);

    it('flags an alias moved directly in MLflow as ungoverned, tells the owners, and moves it back', async () => {
      if (!tools) return;
      await mlflowApi('POST', 'registered-models/alias', {
        name: 'fraud-detector',
        alias: 'champion',
        version: '3',
      });
      await syncSources();
      const model = (await get(`/api/lakehouse/models/${enc(FRAUD)}`)).body;
      expect(model.ungovernedAliases).toEqual(['champion']);
      expect(
        model.aliasStates.find((a: any) => a.alias === 'champion'),
      ).toMatchObject({
        version: '3',
        governedVersion: '2',
        ungoverned: { version: '3' },
      });
      const audit = (await get(promotionsOf(FRAUD))).body.audit;
      expect(audit[0]).toMatchObject({
        action: 'ungoverned-change',
        alias: 'champion',
        version: '3',
      });
      expect(
        sent.filter(
          n =>
            n.payload.title ===
            'Ungoverned change: fraud-detector@champion → 3',
        ),
      ).toHaveLength(1);
      // Seen again by the next sync: still one notification.
      await syncSources();
      expect(
        sent.filter(
          n =>
            n.payload.title ===
            'Ungoverned change: fraud-detector@champion → 3',
        ),
      ).toHaveLength(1);

      expect(
        (
          await postAs(
            `/api/lakehouse/models/${enc(FRAUD)}/aliases/champion/revert`,
            'yuki',
          )
        ).status,
      ).toBe(403);
      const back = await postAs(
        `/api/lakehouse/models/${enc(FRAUD)}/aliases/champion/revert`,
        'dev',
      );
      expect(back.status).toBe(201);
      expect(back.body).toMatchObject({
        kind: 'revert',
        version: '2',
        status: 'promoted',
      });
      expect(await aliasInMlflow('fraud-detector', 'champion')).toBe('2');
      await syncSources();
      expect(
        (await get(`/api/lakehouse/models/${enc(FRAUD)}`)).body
          .ungovernedAliases,
      ).toEqual([]);
    }, 240_000);

    it('keeps the last good state and shows the error while MLflow is down', async () => {
      if (!tools) return;
      proxy.mode = 'down';
      try {
        const sources = await syncSources();
        const mlflowSource = sources.get('mlflow:local');
        expect(mlflowSource.error.message).toMatch(
          /fetch failed|ECONNRESET|socket/i,
        );
        expect(mlflowSource.error.at).toBeTruthy();
        expect(mlflowSource.assets).toBe(7);
        // Nothing deleted because a call failed.
        const listed = await get('/api/lakehouse/models');
        expect(listed.body.items.map((m: any) => m.name).sort()).toEqual([
          'churn-classifier',
          'fraud-detector',
        ]);
        expect(
          (await get(`/api/lakehouse/models/${enc(FRAUD)}`)).body.versions,
        ).toHaveLength(3);
        expect(listed.body.sources[0].error.message).toBe(
          mlflowSource.error.message,
        );
      } finally {
        proxy.mode = 'up';
      }
    }, 240_000);

    it('retries while MLflow is unreachable and sets the alias once, even when an answer was lost', async () => {
      if (!tools) return;
      const asked = await postAs(promotionsOf(FRAUD), 'yuki', {
        alias: 'champion',
        version: '1',
        reason: 'v1 is steadier in production',
      });
      expect(asked.status).toBe(201);
      const writes = () =>
        proxy.aliasWrites.filter(
          w =>
            w.name === 'fraud-detector' &&
            w.alias === 'champion' &&
            w.version === '1',
        ).length;
      const before = writes();
      proxy.mode = 'down';
      const approved = await decide(asked.body.id, 'dev', {
        decision: 'approve',
        overrideReason: 'v1 was the champion for months',
      });
      // Approved, not yet set: the answer says why, and MLflow is unchanged.
      expect(approved.body).toMatchObject({ status: 'approved', attempts: 1 });
      expect(approved.body.lastError).toBeTruthy();
      expect(await aliasInMlflow('fraud-detector', 'champion')).toBe('2');
      // MLflow takes the write but its answer is lost: that attempt fails
      // too… (the promotions task retries every 30 s; the test scheduler
      // runs no periodic task, so the test retries as a user would)
      proxy.mode = 'lose-alias-answers';
      const retry = () =>
        postAs(
          `/api/lakehouse/model-promotions/${asked.body.id}/retry`,
          'yuki',
        );
      const lost = await retry();
      expect(lost.body).toMatchObject({ status: 'approved', attempts: 2 });
      expect(writes()).toBe(before + 1);
      proxy.mode = 'up';
      // …and the next reads MLflow first and does not write again.
      const done = (await retry()).body;
      expect(done.status).toBe('promoted');
      expect(done.audit[0]).toMatchObject({
        action: 'alias-set',
        detail: 'mlflow:local already pointed there',
      });
      expect(writes()).toBe(before + 1);
      expect(await aliasInMlflow('fraud-detector', 'champion')).toBe('1');
      expect(
        done.audit.filter((a: any) => a.action === 'alias-set-failed'),
      ).toHaveLength(2);
    }, 300_000);
  },
);
