/* eslint-disable no-console */
// yarn bench (lineage part): a synthetic lineage graph of 100,000 datasets,
// 50,000 jobs and 1,000,000 table-level edges plus column edges, on SQLite
// and PostgreSQL; graph and impact queries through HTTP, and ingestion
// throughput of RunEvents posted to the OpenLineage receiver.
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DatasetStore } from '../assets/DatasetStore';
import { createLineageRouter } from '../lineage/lineageRouter';
import { LineageService } from '../lineage/LineageService';
import { LineageStore } from '../lineage/LineageStore';
import {
  allowAllPermissions,
  engines,
  measure,
  migrations,
  quiet,
  resetPostgres,
  serveForBench,
} from './benchUtils';

const DATASETS = Number(process.env.BENCH_LINEAGE_DATASETS ?? 100_000);
const JOBS = Number(process.env.BENCH_LINEAGE_JOBS ?? 50_000);
const INPUTS_PER_JOB = 15;
const OUTPUTS_PER_JOB = 5; // 20 edges per job: 1,000,000 for 50,000 jobs
const COLUMN_EDGES_PER_OUTPUT = 2;
const LAYERS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const EVENTS = Number(process.env.BENCH_LINEAGE_EVENTS ?? 5000);
const CONCURRENCY = 32;

const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, events, concurrency } = workerData;
let next = 0;
Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < events.length) {
    const body = events[next++];
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 201) throw new Error('ingest: ' + res.status + ' ' + (await res.text()));
  }
})).then(() => parentPort.postMessage('done'), e => parentPort.postMessage(String(e)));
`;

/** Deterministic pseudo-random integers. */
function rng(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

const ds = (i: number) => `dataset:bench:db.schema.table_${i}`;
const job = (i: number) => `job:bench:pipeline.job_${i}`;

/**
 * A layered DAG like a real lakehouse: datasets in 20 layers; each job
 * reads 15 datasets of lower layers (mostly the one below) and writes 5 of
 * its own layer.
 */
async function loadGraph(knex: Knex) {
  const random = rng(42);
  const perLayer = Math.floor(DATASETS / LAYERS);
  const now = new Date().toISOString();
  // Two jobs may write the same column from the same source: one edge.
  const insert = async (table: string, rows: object[], size: number) => {
    for (let i = 0; i < rows.length; i += size)
      await knex(table)
        .insert(rows.slice(i, i + size))
        .onConflict()
        .ignore();
  };
  const nodes: object[] = [];
  for (let i = 0; i < DATASETS; i++)
    nodes.push({
      id: ds(i),
      kind: 'dataset',
      namespace: 'bench',
      name: `db.schema.table_${i}`,
      updated_at: now,
    });
  for (let j = 0; j < JOBS; j++)
    nodes.push({
      id: job(j),
      kind: 'job',
      namespace: 'bench',
      name: `pipeline.job_${j}`,
      updated_at: now,
    });
  await insert('lineage_nodes', nodes, 100);

  let edges: object[] = [];
  let columns: object[] = [];
  let edgeCount = 0;
  let columnCount = 0;
  const flush = async () => {
    await insert('lineage_edges', edges, 400);
    await insert('lineage_column_edges', columns, 100);
    edges = [];
    columns = [];
  };
  for (let j = 0; j < JOBS; j++) {
    const layer = 1 + (j % (LAYERS - 1));
    const inputs = new Set<number>();
    while (inputs.size < INPUTS_PER_JOB) {
      const from = random(10) < 8 ? layer - 1 : random(layer);
      inputs.add(from * perLayer + random(perLayer));
    }
    const outputs = new Set<number>();
    while (outputs.size < OUTPUTS_PER_JOB)
      outputs.add(layer * perLayer + random(perLayer));
    for (const i of inputs) edges.push({ source_id: ds(i), target_id: job(j) });
    for (const o of outputs) {
      edges.push({ source_id: job(j), target_id: ds(o) });
      const sources = [...inputs];
      for (let c = 0; c < COLUMN_EDGES_PER_OUTPUT; c++) {
        columns.push({
          source_id: ds(sources[c]),
          source_column: `col_${c}`,
          target_id: ds(o),
          target_column: `col_${j % 7}_${c}`,
          job_id: job(j),
          transformation_type: 'DIRECT',
          transformation_subtype: 'IDENTITY',
          masking: false,
        });
      }
    }
    edgeCount += inputs.size + outputs.size;
    columnCount += outputs.size * COLUMN_EDGES_PER_OUTPUT;
    if (edges.length >= 20_000) await flush();
  }
  await flush();
  return { edgeCount, columnCount, perLayer };
}

function runEvent(i: number) {
  const facet = {
    _producer: 'https://lakeport.dev/bench',
    _schemaURL:
      'https://openlineage.io/spec/facets/1-0-0/ColumnLineageDatasetFacet.json',
  };
  const inputs = [0, 1, 2, 3, 4].map(k => ({
    namespace: 'ingest',
    name: `src.table_${(i * 5 + k) % 20000}`,
  }));
  const columnLineage = {
    ...facet,
    fields: Object.fromEntries(
      [0, 1, 2, 3, 4].map(c => [
        `col_${c}`,
        {
          inputFields: [
            {
              ...inputs[c],
              field: `col_${c}`,
              transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
            },
          ],
        },
      ]),
    ),
  };
  return {
    eventType: 'COMPLETE',
    eventTime: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    producer: 'https://lakeport.dev/bench',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
    job: { namespace: 'ingest', name: `job_${i % 5000}` },
    inputs,
    outputs: [0, 1].map(k => ({
      namespace: 'ingest',
      name: `out.table_${(i * 2 + k) % 10000}`,
      facets: { columnLineage },
    })),
  };
}

async function main() {
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  log('# Lineage benchmark');
  log('');
  log(
    `${new Date().toISOString().slice(0, 10)}, ${
      os.cpus().length
    } cores, Node ${process.version}; ` +
      `${DATASETS} datasets, ${JOBS} jobs in ${LAYERS} layers, each job reading ${INPUTS_PER_JOB} and writing ${OUTPUTS_PER_JOB} datasets; ` +
      `${RUNS} sequential requests per query (rotating over 50 start nodes in the middle layers) after 10 warm-up requests; graph node limit 500 (the default), impact limit 10,000.`,
  );
  log('');
  const results = [
    '| engine | query | p50 ms | p95 ms | nodes returned (min / median / max) | truncated |',
    '|---|---|---|---|---|---|',
  ];
  const loads = [
    '| engine | load time | edges | column edges |',
    '|---|---|---|---|',
  ];
  const ingestion = [
    '| engine | events | concurrency | time | events/s |',
    '|---|---|---|---|---|',
  ];

  for (const engine of engines()) {
    if (engine.label === 'PostgreSQL') await resetPostgres();
    const knex = engine.knex();
    await knex.migrate.latest({ directory: migrations });
    const started = performance.now();
    const { edgeCount, columnCount, perLayer } = await loadGraph(knex);
    await knex.raw(
      engine.label === 'PostgreSQL' ? 'VACUUM ANALYZE' : 'ANALYZE',
    );
    const loadSeconds = ((performance.now() - started) / 1000).toFixed(0);
    loads.push(
      `| ${engine.label} | ${loadSeconds} s | ${edgeCount} | ${columnCount} |`,
    );
    console.error(loads[loads.length - 1]);

    const service = new LineageService({
      store: new LineageStore(knex),
      datasets: new DatasetStore(knex),
      permissions: allowAllPermissions,
      logger: quiet,
    });
    const { server, base } = serveForBench(
      createLineageRouter({
        service,
        httpAuth: { credentials: async () => ({}) } as any,
      }),
    );

    const starts = Array.from({ length: 50 }, (_, i) =>
      ds(10 * perLayer + ((i * 37) % perLayer)),
    );
    const queries: Array<[string, (node: string) => string]> = [];
    for (const depth of [1, 3, 10]) {
      for (const direction of ['upstream', 'downstream']) {
        queries.push([
          `graph depth ${depth} ${direction}`,
          node =>
            `/lineage/graph?node=${encodeURIComponent(
              node,
            )}&direction=${direction}&depth=${depth}`,
        ]);
      }
    }
    queries.push([
      'graph depth 3 both',
      node =>
        `/lineage/graph?node=${encodeURIComponent(
          node,
        )}&direction=both&depth=3`,
    ]);
    queries.push([
      'impact',
      node => `/lineage/impact?node=${encodeURIComponent(node)}`,
    ]);
    for (const [label, url] of queries) {
      let i = 0;
      const { p50, p95, body } = await measure(
        `${base}${url(starts[0])}`,
        RUNS,
        () => `${base}${url(starts[i++ % starts.length])}`,
      );
      void body;
      // Answer sizes over all start nodes (each fetched once more).
      const sizes: number[] = [];
      let cut = 0;
      for (const node of starts) {
        const answer = await (await fetch(`${base}${url(node)}`)).json();
        sizes.push((answer.nodes ?? answer.items).length);
        if (answer.truncated) cut++;
      }
      sizes.sort((a, b) => a - b);
      results.push(
        `| ${engine.label} | ${label} | ${p50.toFixed(1)} | ${p95.toFixed(
          1,
        )} | ${sizes[0]} / ${sizes[sizes.length >> 1]} / ${
          sizes[sizes.length - 1]
        } | ${cut} of ${starts.length} |`,
      );
      console.error(results[results.length - 1]);
    }

    // Ingestion: distinct RunEvents (5 inputs, 2 outputs, column lineage),
    // posted by a load generator on its own thread (the server keeps its
    // event loop to itself, as with remote producers).
    const ingestStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(LOAD_GENERATOR, {
        eval: true,
        workerData: {
          url: `${base}/lineage/api/v1/lineage`,
          events: Array.from({ length: EVENTS }, (_, i) =>
            JSON.stringify(runEvent(i)),
          ),
          concurrency: CONCURRENCY,
        },
      });
      worker.on('message', m =>
        m === 'done' ? resolve() : reject(new Error(m)),
      );
      worker.on('error', reject);
    });
    const seconds = (performance.now() - ingestStarted) / 1000;
    ingestion.push(
      `| ${engine.label} | ${EVENTS} | ${CONCURRENCY} | ${seconds.toFixed(
        1,
      )} s | ${(EVENTS / seconds).toFixed(0)} |`,
    );
    console.error(ingestion[ingestion.length - 1]);
    server.close();
    await knex.destroy();
  }
  log('## Synthetic graph');
  log('');
  loads.forEach(log);
  log('');
  log('## Graph and impact through HTTP');
  log('');
  results.forEach(log);
  log('');
  log(
    '## Ingestion of RunEvents (5 inputs, 2 outputs, column lineage) through HTTP',
  );
  log('');
  ingestion.forEach(log);
  const out = process.env.BENCH_LINEAGE_OUTPUT;
  if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

main().catch(e => {
  console.error(String(e).slice(0, 2000));
  process.exit(1);
});
