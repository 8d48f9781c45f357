/* eslint-disable no-console */
// yarn bench: loads 100,000 synthetic datasets (20 columns each) into the
// store on SQLite and PostgreSQL, measures the list/search/facet API through
// HTTP, and times a sync of 10,000 tables. Prints a Markdown report.
import express from 'express';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DatasetStore } from '../assets/DatasetStore';
import { DatasetService } from '../assets/DatasetService';
import { createDatasetsRouter } from '../assets/datasetsRouter';
import { LakehouseSync } from '../sync/LakehouseSync';
import { syntheticEngine, syntheticRecord } from './syntheticLakehouse';

const DATASETS = Number(process.env.BENCH_DATASETS ?? 100_000);
const SYNC_TABLES = Number(process.env.BENCH_SYNC_TABLES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const migrations = resolvePackagePath(
  '@lakeport/plugin-lakehouse-backend',
  'migrations',
);

const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quiet;
  },
} as any;

function engines(): Array<{ label: string; knex: () => Knex }> {
  const list = [
    {
      label: 'SQLite',
      knex: () => {
        const file = path.join(
          fs.mkdtempSync(path.join(os.tmpdir(), 'lakeport-bench-')),
          'bench.sqlite',
        );
        return knexFactory({
          client: 'better-sqlite3',
          connection: { filename: file },
          useNullAsDefault: true,
        });
      },
    },
  ];
  const pg = process.env.LAKEPORT_POSTGRES_URL;
  const only = process.env.BENCH_ENGINES; // sqlite or postgres; default both
  if (only === 'postgres') list.pop();
  if (only === 'sqlite') return list;
  if (pg) {
    list.push({
      label: 'PostgreSQL',
      knex: () =>
        knexFactory({ client: 'pg', connection: `${pg}/lakeport_bench` }),
    });
  } else {
    console.error(
      'LAKEPORT_POSTGRES_URL is not set: PostgreSQL is skipped (run through scripts/bench)',
    );
  }
  return list;
}

async function resetPostgres() {
  const admin = knexFactory({
    client: 'pg',
    connection: `${process.env.LAKEPORT_POSTGRES_URL}/postgres`,
  });
  await admin.raw('DROP DATABASE IF EXISTS lakeport_bench');
  await admin.raw('CREATE DATABASE lakeport_bench');
  await admin.destroy();
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function measure(base: string, url: string) {
  for (let i = 0; i < 10; i++) await (await fetch(base + url)).json();
  const times: number[] = [];
  let body: any;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await fetch(base + url);
    body = await res.json();
    times.push(performance.now() - started);
    if (!res.ok)
      throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    total: body.totalCount,
  };
}

async function main() {
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  log(`# Dataset store benchmark`);
  log('');
  log(
    `${new Date().toISOString().slice(0, 10)}, ${
      os.cpus().length
    } cores, Node ${
      process.version
    }; ${DATASETS} datasets × 20 columns; ${RUNS} sequential requests per query after 10 warm-up requests.`,
  );
  log('');
  const results: string[] = [
    '| engine | load | query | p50 ms | p95 ms | matches |',
    '|---|---|---|---|---|---|',
  ];
  const syncs: string[] = ['| engine | tables | sync time |', '|---|---|---|'];

  for (const engine of engines()) {
    if (engine.label === 'PostgreSQL') await resetPostgres();
    const knex = engine.knex();
    await knex.migrate.latest({ directory: migrations });
    const store = new DatasetStore(knex);

    const loadStarted = performance.now();
    for (let i = 0; i < DATASETS; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(i + 500, DATASETS); j++)
        batch.push(syntheticRecord(j));
      await store.upsert(batch);
      if ((i / 500) % 20 === 0)
        console.error(`  ${engine.label}: loaded ${i + batch.length}`);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    // What autovacuum (PostgreSQL: statistics and the visibility map that
    // index-only scans need) or a periodic ANALYZE (SQLite) leaves after a
    // bulk load.
    await knex.raw(
      engine.label === 'PostgreSQL' ? 'VACUUM ANALYZE' : 'ANALYZE',
    );

    const service = new DatasetService({
      store,
      engine: syntheticEngine(0),
      permissions: {
        authorize: async (reqs: any[]) =>
          reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
        authorizeConditional: async (reqs: any[]) =>
          reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as any,
      userInfo: {} as any,
      auth: {} as any,
    });
    const app = express();
    app.use(
      '/api/lakehouse',
      createDatasetsRouter({
        service,
        httpAuth: { credentials: async () => ({}) } as any,
      }),
    );
    app.use(
      (
        error: Error,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(500).json({ error: { message: error.message } });
      },
    );
    const server = app.listen(0);
    const base = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/lakehouse`;

    const queries: Array<[string, string]> = [
      ['empty query', '/datasets?limit=25'],
      ['word query (email)', '/datasets?q=email&limit=25'],
      [
        'two-word query (customer email)',
        '/datasets?q=customer%20email&limit=25',
      ],
      [
        'two facets (domain + classification)',
        '/datasets?domain=domain3&classification=pii&limit=25',
      ],
      [
        'word + two facets',
        '/datasets?q=payment&domain=domain3&layer=curated&limit=25',
      ],
    ];
    for (const [label, url] of queries) {
      const { p50, p95, total } = await measure(base, url);
      results.push(
        `| ${engine.label} | ${loadSeconds.toFixed(
          0,
        )} s | ${label} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${total} |`,
      );
      console.error(results[results.length - 1]);
    }
    server.close();

    const sync = new LakehouseSync({
      engine: syntheticEngine(SYNC_TABLES),
      store,
      contractsDirectory: path.join(os.tmpdir(), 'lakeport-bench-no-contracts'),
      logger: quiet,
    });
    const syncStarted = performance.now();
    const run = await sync.run();
    syncs.push(
      `| ${engine.label} | ${run.tables} (first sync, all new) | ${(
        (performance.now() - syncStarted) /
        1000
      ).toFixed(1)} s |`,
    );
    const resyncStarted = performance.now();
    await sync.run();
    syncs.push(
      `| ${engine.label} | ${run.tables} (unchanged re-sync) | ${(
        (performance.now() - resyncStarted) /
        1000
      ).toFixed(1)} s |`,
    );
    console.error(syncs[syncs.length - 1]);
    await knex.destroy();
  }
  log('## List, search and facets through HTTP');
  log('');
  results.forEach(log);
  log('');
  log('## Sync');
  log('');
  syncs.forEach(log);
  const out = process.env.BENCH_OUTPUT;
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
