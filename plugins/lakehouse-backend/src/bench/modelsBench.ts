/* eslint-disable no-console */
// yarn bench (BENCH_ONLY=models): a generated MLflow store served as MLflow
// 3.17's REST API answers (shapes recorded from a real server by the
// module's fixture): 500 registered models × 20 versions = 10,000 versions,
// each with its run (metrics, params, a dataset input), paged as MLflow
// pages. Times a first sync and an unchanged re-sync through the MLflow
// module and the metadata sync, Models search through HTTP, and the latency
// from a signed webhook delivery to the new version being visible, on SQLite
// and PostgreSQL. Writes docs/benchmarks/models.md.
import fs from 'node:fs';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import {
  MlflowClient,
  MlflowSource,
} from '@lakeport/plugin-lakehouse-backend-module-mlflow';
import { DatasetStore } from '../assets/DatasetStore';
import { DatasetMatcher } from '../lineage/DatasetMatcher';
import { LineageStore } from '../lineage/LineageStore';
import { classifyColumns } from '../lineage/classifyColumns';
import { FeatureCatalog } from '../ml/FeatureCatalog';
import { createFeaturesRouter } from '../ml/featuresRouter';
import { MetadataAssetStore } from '../ml/MetadataAssetStore';
import { MetadataSync } from '../ml/MetadataSync';
import { ModelCatalog } from '../ml/models/ModelCatalog';
import { createModelsRouter } from '../ml/models/modelsRouter';
import { readPromotionPolicy } from '../ml/models/promotionGates';
import { PromotionStore } from '../ml/models/PromotionStore';
import {
  allowAllPermissions,
  engines,
  measure,
  migrations,
  quiet,
  resetPostgres,
  serveForBench,
} from './benchUtils';

const MODELS = Number(process.env.BENCH_MODELS ?? 500);
const VERSIONS_PER_MODEL = Number(process.env.BENCH_VERSIONS_PER_MODEL ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const PAGE = 100;
const SECRET = 'bench-webhook-secret';
const WORDS = ['churn', 'fraud', 'ranking', 'forecast', 'pricing', 'risk'];
const OWNERS = ['risk-data', 'data-science', 'customers-data', 'commerce-data'];

const modelName = (i: number) =>
  `${WORDS[i % WORDS.length]}-${i % 10 < 3 ? 'customer-' : ''}model-${i}`;

/** The MLflow store: models and versions, each version with its run. */
function generate() {
  const now = Date.parse('2026-11-30T00:00:00Z');
  const models = Array.from({ length: MODELS }, (_, i) => ({
    name: modelName(i),
    creation_timestamp: now - 1e9 + i,
    last_updated_timestamp: now - 1e6 + i,
    description: `${WORDS[(i + 1) % WORDS.length]} model number ${i}`,
    tags: [{ key: 'owner', value: `group:default/${OWNERS[i % 4]}` }],
    aliases: [
      { alias: 'champion', version: String((i % VERSIONS_PER_MODEL) + 1) },
    ],
  }));
  const versions = new Map<string, any[]>();
  const runs = new Map<string, any>();
  models.forEach((m, i) => {
    versions.set(
      m.name,
      Array.from({ length: VERSIONS_PER_MODEL }, (_, j) => {
        const runId = `run${i}x${j}`;
        runs.set(runId, {
          info: { run_id: runId, status: 'FINISHED', user_id: 'bench' },
          data: {
            metrics: ['accuracy', 'roc_auc', 'f1'].map((key, k) => ({
              key,
              value: 0.5 + ((i + j + k) % 50) / 100,
              step: 0,
              timestamp: now,
            })),
            params: [{ key: 'max_depth', value: String(j + 1) }],
            tags: [],
          },
          inputs: {
            dataset_inputs: [
              {
                dataset: {
                  name: `d${i % 20}.feature.t${i}`,
                  source: JSON.stringify({
                    uri: `/bench/lakehouse/d${i % 20}/feature/t${i}`,
                  }),
                  schema: JSON.stringify({
                    mlflow_colspec: [{ name: 'customer_id' }, { name: 'x' }],
                  }),
                },
              },
            ],
          },
        });
        return {
          name: m.name,
          version: String(j + 1),
          creation_timestamp: now - 1e8 + j,
          last_updated_timestamp: now - 1e8 + j,
          current_stage: 'None',
          source: `models:/m-${i.toString(16)}${j.toString(16)}`,
          run_id: runId,
          status: 'READY',
          user_id: 'bench',
          tags: [],
        };
      }),
    );
  });
  return { models, versions, runs };
}

function page<T>(items: T[], url: URL, key: string) {
  const max = Math.min(
    Number(url.searchParams.get('max_results') ?? PAGE),
    PAGE,
  );
  const start = Number(url.searchParams.get('page_token') ?? 0);
  const next = start + max;
  return {
    [key]: items.slice(start, next),
    ...(next < items.length ? { next_page_token: String(next) } : {}),
  };
}

function startFixture(store: ReturnType<typeof generate>) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const path = url.pathname.replace('/api/2.0/mlflow/', '');
    let body: unknown;
    if (path === 'registered-models/search')
      body = page(store.models, url, 'registered_models');
    else if (path === 'model-versions/search') {
      const name = /name='(.*)'/.exec(
        url.searchParams.get('filter') ?? '',
      )?.[1];
      body = page(store.versions.get(name ?? '') ?? [], url, 'model_versions');
    } else if (path === 'runs/get') {
      const run = store.runs.get(url.searchParams.get('run_id') ?? '');
      body = run && { run };
    } else if (url.pathname.endsWith('/artifacts/files')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(
        `signature:\n  inputs: '[{"type": "double", "name": "x", "required": true}]'\n  outputs: '[{"type": "long", "required": true}]'\n`,
      );
      return;
    }
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error_code: 'RESOURCE_DOES_NOT_EXIST' }));
  });
  server.listen(0);
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

async function main() {
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  log('# Model registry benchmark');
  log('');
  log(
    `${new Date().toISOString().slice(0, 10)}, ${
      os.cpus().length
    } cores, Node ${
      process.version
    }; a generated MLflow store served with MLflow 3.17's REST shapes: ${MODELS} registered models × ${VERSIONS_PER_MODEL} versions (${
      MODELS * VERSIONS_PER_MODEL
    } versions, each with a finished run: 3 metrics, a param, a dataset input; a logged model with a signature), pages of ${PAGE}; ${RUNS} sequential requests per query after 10 warm-up requests.`,
  );
  log('');
  log(
    'Goals (issue 13): Models search p95 ≤ 100 ms on both databases; sync of 10,000 versions across 500 models; webhook-to-visible latency (a signed delivery, then polling the model until the new version shows).',
  );
  log('');
  const syncs = [
    '| engine | sync | assets | written | time |',
    '|---|---|---|---|---|',
  ];
  const searches = [
    '| engine | query | p50 ms | p95 ms | matches |',
    '|---|---|---|---|---|',
  ];
  const hooks = ['| engine | delivery → version visible |', '|---|---|'];
  const store = generate();
  const fixture = startFixture(store);
  for (const engine of engines()) {
    if (engine.label === 'PostgreSQL') await resetPostgres();
    const knex = engine.knex();
    await knex.migrate.latest({ directory: migrations });
    const datasets = new DatasetStore(knex);
    const lineage = new LineageStore(knex);
    const assets = new MetadataAssetStore(knex);
    const classify = (id: string) =>
      classifyColumns({ store: lineage, datasets }, id);
    const sync = new MetadataSync({
      assets,
      lineage,
      matcher: new DatasetMatcher(() => datasets.identities()),
      datasetSummaries: ids => datasets.summaries(ids),
      classify,
      resolveOwners: async () => new Map(),
      logger: quiet,
    });
    const source = new MlflowSource({
      name: 'bench',
      client: new MlflowClient({ baseUrl: fixture.url }),
      webhookSecret: SECRET,
    });
    for (const label of ['first sync (all new)', 'unchanged re-sync']) {
      const started = performance.now();
      const result = await sync.syncOne(source);
      if (!result.ok) throw new Error(result.error);
      syncs.push(
        `| ${engine.label} | ${label} | ${result.assets} | ${
          result.written
        } | ${((performance.now() - started) / 1000).toFixed(1)} s |`,
      );
      console.error(syncs[syncs.length - 1]);
    }
    await knex.raw(
      engine.label === 'PostgreSQL' ? 'VACUUM ANALYZE' : 'ANALYZE',
    );

    const features = new FeatureCatalog({
      store: assets,
      permissions: allowAllPermissions,
      datasetSummaries: ids => datasets.summaries(ids),
      classify,
    });
    const catalog = new ModelCatalog({
      store: assets,
      promotions: new PromotionStore(knex),
      permissions: allowAllPermissions,
      policy: readPromotionPolicy(),
      datasetSummaries: ids => datasets.summaries(ids),
      sourceColumns: id => features.sourceColumns(id),
      access: async () => 'full',
    });
    const router = createModelsRouter({
      catalog,
      promotions: {} as any,
      httpAuth: { credentials: async () => ({}) } as any,
    });
    const hooksRouter = createFeaturesRouter({
      catalog: features,
      store: assets,
      scheduler: {} as any,
      permissions: allowAllPermissions,
      httpAuth: { credentials: async () => ({}) } as any,
      access: {} as any,
      sources: [source],
      onDelivery: s => {
        sync.syncOne(s).catch(e => console.error(e));
      },
    });
    const express = (await import('express')).default;
    const both = express.Router();
    both.use(router, hooksRouter);
    const { server, base } = serveForBench(both);
    const queries: Array<[string, string]> = [
      ['empty query (last updated)', '/models?limit=25'],
      ['broad word (customer, 30 %)', '/models?q=customer&limit=25'],
      ['a model name', `/models?q=${modelName(123)}&limit=25`],
      [
        'two facets (owner + alias)',
        '/models?owner=group:default/risk-data&alias=champion&limit=25',
      ],
      [
        'a model page (20 versions)',
        `/models/${encodeURIComponent(`model:bench:${modelName(7)}`)}`,
      ],
    ];
    for (const [label, url] of queries) {
      const { p50, p95, body } = await measure(base + url, RUNS);
      searches.push(
        `| ${engine.label} | ${label} | ${p50.toFixed(1)} | ${p95.toFixed(
          1,
        )} | ${body.totalCount ?? body.versions?.length} |`,
      );
      console.error(searches[searches.length - 1]);
    }

    // A new version of one model, announced by a signed webhook delivery.
    const target = store.models[42];
    const list = store.versions.get(target.name)!;
    const version = String(list.length + 1);
    list.push({ ...list[0], version, run_id: list[0].run_id });
    const delivered = `bench-${engine.label}-${Date.now()}`;
    const payload = JSON.stringify({
      entity: 'model_version',
      action: 'created',
      timestamp: new Date().toISOString(),
      data: { name: target.name, version },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SECRET)
      .update(`${delivered}.${timestamp}.${payload}`)
      .digest('base64');
    const started = performance.now();
    const res = await fetch(`${base}/webhooks/${source.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mlflow-signature': `v1,${signature}`,
        'x-mlflow-timestamp': timestamp,
        'x-mlflow-delivery-id': delivered,
      },
      body: payload,
    });
    if (!res.ok) throw new Error(`webhook: ${res.status} ${await res.text()}`);
    const modelUrl = `${base}/models/${encodeURIComponent(
      `model:bench:${target.name}`,
    )}`;
    for (;;) {
      const model = await (await fetch(modelUrl)).json();
      if (model.versions?.some((v: any) => v.version === version)) break;
      await new Promise(r => setTimeout(r, 20));
    }
    hooks.push(
      `| ${engine.label} | ${((performance.now() - started) / 1000).toFixed(
        2,
      )} s |`,
    );
    console.error(hooks[hooks.length - 1]);
    list.pop();
    server.close();
    await knex.destroy();
  }
  fixture.server.close();
  log('## Sync from the registry');
  log('');
  syncs.forEach(log);
  log('');
  log('## Models search through HTTP');
  log('');
  searches.forEach(log);
  log('');
  log('## Webhook to visible');
  log('');
  log(
    'A verified delivery syncs the whole server once (no per-model read yet), so this is an unchanged re-sync plus one new version.',
  );
  log('');
  hooks.forEach(log);
  const out = process.env.BENCH_MODELS_OUTPUT;
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
