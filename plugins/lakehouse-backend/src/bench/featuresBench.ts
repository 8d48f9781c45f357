/* eslint-disable no-console */
// yarn bench (BENCH_ONLY=features): a Feast registry REST fixture built from
// responses recorded from a real Feast 0.67 server (the sample repository),
// scaled up to 5,000 feature views × 10 features and 500 services, paged as
// Feast pages. Times a first sync and an unchanged re-sync through the Feast
// module and the metadata sync, then Features search through HTTP, on SQLite
// and PostgreSQL. Writes docs/benchmarks/features.md.
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  FeastRegistryClient,
  FeastSource,
} from '@lakeport/plugin-lakehouse-backend-module-feast';
import { DatasetStore } from '../assets/DatasetStore';
import { DatasetMatcher } from '../lineage/DatasetMatcher';
import { LineageStore } from '../lineage/LineageStore';
import { classifyColumns } from '../lineage/classifyColumns';
import { FeatureCatalog } from '../ml/FeatureCatalog';
import { createFeaturesRouter } from '../ml/featuresRouter';
import { MetadataAssetStore } from '../ml/MetadataAssetStore';
import { MetadataSync } from '../ml/MetadataSync';
import {
  allowAllPermissions,
  engines,
  measure,
  migrations,
  quiet,
  resetPostgres,
  serveForBench,
} from './benchUtils';

const VIEWS = Number(process.env.BENCH_FEATURE_VIEWS ?? 5_000);
const FEATURES_PER_VIEW = 10;
const SERVICES = Math.round(VIEWS / 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const recorded = JSON.parse(
  fs.readFileSync(
    resolvePackagePath(
      '@lakeport/plugin-lakehouse-backend-module-feast',
      'src/__fixtures__/feast-0.67-registry.json',
    ),
    'utf8',
  ),
);

const WORDS = ['revenue', 'sessions', 'risk', 'clicks', 'returns', 'refunds'];
const OWNERS = [
  'chloe.martin@lakeport.example',
  'ben.okafor@lakeport.example',
  'dev.patel@lakeport.example',
  'nobody@elsewhere.example',
];

/** The recorded customer_fraud view, cloned into view i. */
function view(i: number) {
  const template = recorded.feature_views.featureViews.find(
    (v: any) => v.spec.name === 'customer_fraud',
  );
  const v = JSON.parse(JSON.stringify(template));
  v.spec.name = `fv_${i}`;
  v.spec.owner = OWNERS[i % OWNERS.length];
  v.spec.entities = [`entity_${i % 50}`];
  v.spec.online = i % 4 !== 0;
  // "customer" in 30 % of the views: the broad word.
  v.spec.description = `${i % 10 < 3 ? 'customer ' : ''}${
    WORDS[i % WORDS.length]
  } features, set ${i}`;
  v.spec.tags = { team: `team_${i % 20}` };
  v.spec.features = Array.from({ length: FEATURES_PER_VIEW }, (_, j) => ({
    name: `f${i}_${j}`,
    valueType: j % 2 ? 'DOUBLE' : 'INT64',
    description: `${WORDS[(i + j) % WORDS.length]} measure ${j}`,
  }));
  v.spec.batchSource.fileOptions.uri = `/bench/lakehouse/d${
    i % 20
  }/feature/t${i}/data_0.parquet`;
  delete v.spec.batchSource.fieldMapping;
  return v;
}

function service(i: number) {
  const template = recorded.feature_services.featureServices[0];
  const s = JSON.parse(JSON.stringify(template));
  s.spec.name = `fs_${i}`;
  s.spec.features = [0, 1].map(k => {
    const v = view((i * 10 + k) % VIEWS);
    return {
      featureViewName: v.spec.name,
      featureColumns: v.spec.features.slice(0, 5),
    };
  });
  return s;
}

function entity(i: number) {
  const e = JSON.parse(JSON.stringify(recorded.entities.entities[0]));
  e.spec.name = `entity_${i}`;
  e.spec.joinKey = `key_${i}`;
  return e;
}

/** Feast's registry REST server, as far as the module reads it. */
function startFixture() {
  const lists: Record<string, [string, unknown[]]> = {
    '/api/v1/entities': [
      'entities',
      Array.from({ length: 50 }, (_, i) => entity(i)),
    ],
    '/api/v1/feature_views': [
      'featureViews',
      Array.from({ length: VIEWS }, (_, i) => ({
        type: 'featureView',
        ...view(i),
      })),
    ],
    '/api/v1/feature_services': [
      'featureServices',
      Array.from({ length: SERVICES }, (_, i) => service(i)),
    ],
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    let body: unknown;
    if (url.pathname === '/api/v1/projects') {
      body = {
        projects: [{ spec: { name: 'bench' }, meta: {} }],
        pagination: {},
      };
    } else if (lists[url.pathname]) {
      const [key, items] = lists[url.pathname];
      const page = Number(url.searchParams.get('page') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 0);
      // Feast pages only when both page and limit are sent.
      const slice =
        page && limit ? items.slice((page - 1) * limit, page * limit) : items;
      body = {
        [key]: slice,
        pagination: {
          page,
          limit,
          totalCount: items.length,
          totalPages: limit ? Math.ceil(items.length / limit) : 1,
          ...(page * limit < items.length ? { hasNext: true } : {}),
        },
      };
    }
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { detail: 'Not Found' }));
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
  log('# Feature store benchmark');
  log('');
  log(
    `${new Date().toISOString().slice(0, 10)}, ${
      os.cpus().length
    } cores, Node ${
      process.version
    }; a Feast 0.67 registry REST fixture (recorded responses scaled up): ${VIEWS} feature views × ${FEATURES_PER_VIEW} features (${
      VIEWS * FEATURES_PER_VIEW
    } features), ${SERVICES} feature services, 50 entities, pages of 100; ${RUNS} sequential requests per query after 10 warm-up requests.`,
  );
  log('');
  log(
    'Goals (issue 12): unchanged re-sync ≤ 10 s, Features search p95 ≤ 100 ms, on both databases. The first sync computes every asset’s classification along lineage (one walk per asset); later syncs only for changed assets.',
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
  const fixture = startFixture();
  for (const engine of engines()) {
    if (engine.label === 'PostgreSQL') await resetPostgres();
    const knex = engine.knex();
    await knex.migrate.latest({ directory: migrations });
    const datasets = new DatasetStore(knex);
    const lineage = new LineageStore(knex);
    const store = new MetadataAssetStore(knex);
    const classify = (id: string) =>
      classifyColumns({ store: lineage, datasets }, id);
    const sync = new MetadataSync({
      assets: store,
      lineage,
      matcher: new DatasetMatcher(() => datasets.identities()),
      datasetSummaries: ids => datasets.summaries(ids),
      classify,
      resolveOwners: async emails =>
        new Map(
          emails
            .filter(e => e.endsWith('@lakeport.example'))
            .map(e => [e, `group:default/${e.split('.')[0]}`]),
        ),
      logger: quiet,
    });
    const source = new FeastSource({
      name: 'bench',
      client: new FeastRegistryClient({ baseUrl: fixture.url }),
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

    const { server, base } = serveForBench(
      createFeaturesRouter({
        catalog: new FeatureCatalog({
          store,
          permissions: allowAllPermissions,
          datasetSummaries: ids => datasets.summaries(ids),
          classify,
        }),
        store,
        scheduler: {} as any,
        permissions: allowAllPermissions,
        httpAuth: { credentials: async () => ({}) } as any,
        access: {} as any,
        sources: [],
        onDelivery: () => undefined,
      }),
    );
    const prefixes = ['f1', 'f12', 'f123', 'f1234'];
    let n = 0;
    const queries: Array<[string, string, (() => string)?]> = [
      ['empty query', '/features?limit=25'],
      ['broad word (customer, 30 %)', '/features?q=customer&limit=25'],
      [
        'typing a feature name (f1, f12, f123, f1234)',
        '/features?q=f1&limit=25',
        () => `${base}/features?q=${prefixes[n++ % prefixes.length]}&limit=25`,
      ],
      [
        'two facets (entity + online)',
        '/features?entity=entity_7&online=true&limit=25',
      ],
      ['word + facet', '/features?q=revenue&owner=group:default/ben&limit=25'],
    ];
    for (const [label, url, next] of queries) {
      const { p50, p95, body } = await measure(base + url, RUNS, next);
      searches.push(
        `| ${engine.label} | ${label} | ${p50.toFixed(1)} | ${p95.toFixed(
          1,
        )} | ${body.totalCount} |`,
      );
      console.error(searches[searches.length - 1]);
    }
    server.close();
    await knex.destroy();
  }
  fixture.server.close();
  log('## Sync from the registry');
  log('');
  syncs.forEach(log);
  log('');
  log('## Features search through HTTP');
  log('');
  searches.forEach(log);
  const out = process.env.BENCH_FEATURES_OUTPUT;
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
