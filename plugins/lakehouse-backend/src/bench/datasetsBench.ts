/* eslint-disable no-console */
// yarn bench: loads 100,000 synthetic datasets (20 columns each) into the
// store on SQLite and PostgreSQL, measures the list/search/facet API through
// HTTP, and times a sync of 10,000 tables. Prints a Markdown report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatasetStore } from '../assets/DatasetStore';
import { DatasetService } from '../assets/DatasetService';
import { createDatasetsRouter } from '../assets/datasetsRouter';
import { LakehouseSync } from '../sync/LakehouseSync';
import { syntheticEngine, syntheticRecord } from './syntheticLakehouse';
import {
  allowAllPermissions,
  engines,
  measure,
  migrations,
  quiet,
  resetPostgres,
  serveForBench,
} from './benchUtils';

const DATASETS = Number(process.env.BENCH_DATASETS ?? 100_000);
const SYNC_TABLES = Number(process.env.BENCH_SYNC_TABLES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

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
    '| engine | load | query | facet counts | p50 ms | p95 ms | matches |',
    '|---|---|---|---|---|---|---|',
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

    // Counted: every request counts (the first list after any write, or
    // no cache). Kept: the same list again with no write in between.
    const serve = (facetCacheSize?: number) =>
      serveForBench(
        createDatasetsRouter({
          service: new DatasetService({
            store: new DatasetStore(knex, { facetCacheSize }),
            engine: syntheticEngine(0),
            permissions: allowAllPermissions,
            userInfo: {} as any,
            auth: {} as any,
          }),
          httpAuth: { credentials: async () => ({}) } as any,
        }),
      );
    const servers = [
      { label: 'counted', ...serve(0) },
      { label: 'kept', ...serve() },
    ];

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
      for (const server of servers) {
        const { p50, p95, body } = await measure(server.base + url, RUNS);
        results.push(
          `| ${engine.label} | ${loadSeconds.toFixed(0)} s | ${label} | ${
            server.label
          } | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${body.totalCount} |`,
        );
        console.error(results[results.length - 1]);
      }
    }
    servers.forEach(s => s.server.close());

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
    const again = await sync.run();
    syncs.push(
      `| ${engine.label} | ${again.tables} (unchanged re-sync: ${
        again.unchanged
      } unchanged, ${again.updated} written) | ${(
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
