/* eslint-disable no-console */
// yarn bench (quality part): a 10-million-row Parquet table with 10 contract
// checks. The runner's wall time for a whole run (claim, compile, scan,
// samples of failing checks, results and score written to SQLite) against
// one hand-written DuckDB query computing the same 10 checks in one scan,
// on a table where every check passes and on one with defects.
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBEngine } from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { DatasetStore } from '../assets/DatasetStore';
import { parseContract } from '../contracts/odcs';
import { QualityRunner } from '../quality/QualityRunner';
import { QualityStore } from '../quality/QualityStore';
import { buildDatasetRecord } from '../sync/buildDatasetRecord';
import { migrations, percentile, quiet } from './benchUtils';

const ROWS = Number(process.env.BENCH_QUALITY_ROWS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_QUALITY_RUNS ?? 5);

const TABLE = (defects: boolean) =>
  `bench.curated.${defects ? 'orders_defects' : 'orders_clean'}`;

// Defects (when asked for): 0.1 % duplicated ids, null country codes,
// negative amounts, unknown statuses, malformed emails.
function tableSql(defects: boolean) {
  const bad = defects ? 1 : 0; // per mille
  const h = (key: string, mod: number) =>
    `CAST(hash(i, '${key}') % ${mod} AS BIGINT)`;
  return `
    SELECT CASE WHEN ${h(
      'dup',
      1000,
    )} < ${bad} THEN i - 1 ELSE i END AS order_id,
           ${h('cust', 500000)} AS customer_id,
           (['created', 'paid', 'shipped', 'delivered', 'cancelled', 'lost'])[
             1 + CASE WHEN ${h('bad', 1000)} < ${bad} THEN 5 ELSE ${h(
    's',
    5,
  )} END] AS status,
           round(${h('a', 100000)} / 100.0, 2) * CASE WHEN ${h(
    'neg',
    1000,
  )} < ${bad} THEN -1 ELSE 1 END AS amount,
           CASE WHEN ${h('e', 1000)} < ${bad}
                THEN 'customer' || i || '.example'
                ELSE 'customer' || i || '@mail.example' END AS email,
           CASE WHEN ${h('c', 1000)} < ${bad} THEN NULL
                ELSE (['DE', 'FR', 'NL', 'ES', 'IT'])[1 + ${h(
                  'cc',
                  5,
                )}] END AS country_code,
           current_date - CAST(${h('d', 365)} AS INTEGER) AS order_date
    FROM range(${ROWS}) t(i)`;
}

const CONTRACT = (table: string) => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: `urn:bench:${table}`,
  version: '1.0.0',
  status: 'active',
  schema: [
    {
      name: 'orders',
      physicalName: table,
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
      properties: [
        {
          name: 'order_id',
          quality: [{ metric: 'nullValues' }, { metric: 'duplicateValues' }],
        },
        { name: 'customer_id', quality: [{ metric: 'nullValues' }] },
        {
          name: 'status',
          quality: [
            {
              metric: 'invalidValues',
              arguments: {
                validValues: [
                  'created',
                  'paid',
                  'shipped',
                  'delivered',
                  'cancelled',
                ],
              },
            },
          ],
        },
        {
          name: 'amount',
          quality: [{ metric: 'invalidValues', arguments: { minimum: 0 } }],
        },
        {
          name: 'email',
          quality: [
            { metric: 'invalidValues', arguments: { format: 'email' } },
          ],
        },
        { name: 'country_code', quality: [{ metric: 'nullValues' }] },
        {
          name: 'order_date',
          quality: [
            {
              metric: 'invalidValues',
              arguments: { minimum: '2000-01-01', maximum: 'today' },
            },
          ],
        },
      ],
    },
  ],
  // Freshness on order_date: the 10th check.
  slaProperties: [
    { property: 'latency', value: 2, unit: 'd', element: 'orders.order_date' },
  ],
});

// The same 10 checks as one query, written by hand.
const HAND_QUERY = (table: string) => `
  SELECT count(*) AS row_count,
         count(*) FILTER (WHERE order_id IS NULL) AS order_id_nulls,
         count(order_id) - count(DISTINCT order_id) AS order_id_duplicates,
         count(*) FILTER (WHERE customer_id IS NULL) AS customer_id_nulls,
         count(*) FILTER (WHERE status NOT IN ('created', 'paid', 'shipped', 'delivered', 'cancelled')) AS bad_status,
         count(*) FILTER (WHERE amount < 0) AS negative_amount,
         count(*) FILTER (WHERE NOT regexp_matches(email, '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')) AS bad_email,
         count(*) FILTER (WHERE country_code IS NULL) AS country_nulls,
         count(*) FILTER (WHERE order_date < DATE '2000-01-01' OR order_date > current_date) AS bad_date,
         max(order_date) AS newest
  FROM ${table}`;

async function main() {
  const root = fs.mkdtempSync(
    path.join(os.tmpdir(), 'lakeport-quality-bench-'),
  );
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    console.error(line);
  };
  log('# Quality runner benchmark');
  log('');
  log(
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(0)} GiB. ${ROWS.toLocaleString(
      'en',
    )} rows of Parquet, 10 checks (nulls ×3, unique key, accepted values, range ×2, email format, row count, freshness; plus the schema check every contract gets, which reads no data). Median of ${RUNS} runs after one warm-up; the runner's time is a whole run as users get it: claim, one scan, samples of failing checks, results and score written to SQLite. Both through the same DuckDB engine (DuckDBEngine.query).`,
  );
  log('');
  log(
    "The runner puts every row-level check in one aggregate scan, except the unique key: a GROUP BY of its own counts the duplicates and returns two duplicated keys, so a failing key's sample is a lookup instead of a second GROUP BY (the count costs what `count(DISTINCT)` costs in the hand-written scan). Samples of other failing checks stop at their first rows.",
  );
  log('');
  log('| table | hand-written query | runner | ratio | runner queries |');
  log('|---|---|---|---|---|');

  const gen = await (await DuckDBInstance.create(':memory:')).connect();
  const engine = await DuckDBEngine.create({ root, namespace: 'lakeport' });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(root, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  await knex.migrate.latest({ directory: migrations });
  const datasets = new DatasetStore(knex);
  const store = new QualityStore(knex);
  let queries = 0;
  const counted = Object.create(engine) as DuckDBEngine;
  counted.query = (sql, options) => {
    queries++;
    return engine.query(sql, options);
  };
  const runner = new QualityRunner({
    store,
    datasets,
    engine: counted,
    logger: quiet,
    queryTimeoutMs: 600_000,
  });

  for (const defects of [false, true]) {
    const table = TABLE(defects);
    const dir = path.join(root, ...table.split('.'));
    fs.mkdirSync(dir, { recursive: true });
    const started = performance.now();
    await gen.run(
      `COPY (${tableSql(defects)}) TO '${dir}/part-0.parquet' (FORMAT parquet)`,
    );
    console.error(
      `${table}: written in ${((performance.now() - started) / 1000).toFixed(
        1,
      )} s`,
    );
    await engine.listTables();
    const { contract, problems } = parseContract(
      `${table}.odcs.yaml`,
      CONTRACT(table),
    );
    if (!contract) throw new Error(JSON.stringify(problems));
    const record = buildDatasetRecord(
      (await engine.describeTable(table))!,
      contract,
      [],
    );
    await datasets.upsert([record]);
    await store.replaceDefinitions(
      record.id,
      contract.quality.checks,
      undefined,
    );
    // 10 data checks, plus the schema check every contract gets (no query).
    if (contract.quality.checks.length !== 11)
      throw new Error(
        `expected 11 checks, got ${contract.quality.checks.length}`,
      );

    const hand: number[] = [];
    const runs: number[] = [];
    let failed = 0;
    for (let i = 0; i <= RUNS; i++) {
      let t = performance.now();
      await engine.query(HAND_QUERY(engine.quoteTable(table)), {
        limit: 1,
        timeoutMs: 600_000,
      });
      if (i > 0) hand.push(performance.now() - t);
      queries = 0;
      await store.insertRun({
        id: `run-${defects}-${i}`,
        datasetId: record.id,
        status: 'queued',
        progress: 0,
        trigger: 'manual',
        source: 'lakeport',
        suite: 'contract',
        createdAt: new Date().toISOString(),
      });
      t = performance.now();
      await runner.drain();
      if (i > 0) runs.push(performance.now() - t);
      const run = await store.run(`run-${defects}-${i}`);
      if (run?.status !== 'completed')
        throw new Error(`run ${run?.status}: ${run?.error}`);
      failed = (await store.runResults(run.id)).filter(
        r => r.status === 'failed',
      ).length;
    }
    hand.sort((a, b) => a - b);
    runs.sort((a, b) => a - b);
    const h = percentile(hand, 50);
    const r = percentile(runs, 50);
    log(
      `| ${
        defects ? `with defects (${failed} checks fail)` : 'clean (all pass)'
      } | ${(h / 1000).toFixed(2)} s | ${(r / 1000).toFixed(2)} s | ${(
        r / h
      ).toFixed(2)}× | ${queries} |`,
    );
  }
  await knex.destroy();
  engine.close();
  fs.rmSync(root, { recursive: true, force: true });
  const out = process.env.BENCH_QUALITY_OUTPUT;
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch(e => {
  console.error(String(e).slice(0, 2000));
  process.exit(1);
});
