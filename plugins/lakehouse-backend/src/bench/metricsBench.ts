/* eslint-disable no-console */
// yarn bench (BENCH_ONLY=metrics): the data-health metrics with
// BENCH_METRICS_DATASETS (100,000) datasets in the store, on SQLite and
// PostgreSQL. Half have a freshness SLA, a third quality results (a tenth
// of those failing). Measures the background read of the database and a
// scrape (collect + Prometheus text, what /metrics answers) with the
// default series cap; writes docs/benchmarks/metrics.md.
import {
  PrometheusExporter,
  PrometheusSerializer,
} from '@opentelemetry/exporter-prometheus';
import { metrics as otel } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import { DatasetStore } from '../assets/DatasetStore';
import { readDataHealth } from '../observability/dataHealth';
import { wireDataHealthMetrics } from '../observability/wireDataHealthMetrics';
import {
  engines,
  migrations,
  percentile,
  quiet,
  resetPostgres,
} from './benchUtils';
import { syntheticRecord } from './syntheticLakehouse';

const DATASETS = Number(process.env.BENCH_METRICS_DATASETS ?? 100_000);
const CAP = 1000;
const SCRAPES = Number(process.env.BENCH_RUNS ?? 50);
const OUTPUT = process.env.BENCH_METRICS_OUTPUT ?? 'docs/benchmarks/metrics.md';

async function main() {
  const rows: string[] = [];
  for (const engine of engines()) {
    if (engine.label === 'PostgreSQL') await resetPostgres();
    const knex = engine.knex();
    await knex.migrate.latest({ directory: migrations });
    const store = new DatasetStore(knex);
    const now = Date.now();
    for (let i = 0; i < DATASETS; i += 1000) {
      const batch = Array.from(
        { length: Math.min(1000, DATASETS - i) },
        (_, k) => {
          const n = i + k;
          return {
            ...syntheticRecord(n),
            freshnessSlaHours: n % 2 === 0 ? 24 : undefined,
            lastModified: new Date(now - (n % 48) * 3_600_000).toISOString(),
          };
        },
      );
      await store.upsert(batch);
      const checked = batch.filter((_, k) => (i + k) % 3 === 0);
      if (checked.length)
        await knex('quality_health').insert(
          checked.map((d, k) => ({
            dataset_id: d.id,
            health: k % 10 === 0 ? 'failing' : 'passing',
            health_since: new Date(now).toISOString(),
            score: 60 + (k % 40),
            grade: 'B',
            failed_checks: k % 10 === 0 ? 2 : 0,
            failed_error_checks: k % 10 === 0 ? 1 : 0,
          })),
        );
    }
    const reads: number[] = [];
    for (let r = 0; r < 5; r++) {
      const started = performance.now();
      await readDataHealth(knex, { cap: CAP, stewardGroups: [] });
      reads.push(performance.now() - started);
    }

    // The gauges as the plugin registers them, on a fresh SDK.
    otel.disable();
    const exporter = new PrometheusExporter({ preventServerStart: true });
    otel.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
    const meter = otel.getMeter('bench');
    const health = wireDataHealthMetrics({
      db: knex,
      metrics: meter as any,
      config: new ConfigReader({}),
      logger: quiet,
      stewardGroups: [],
    });
    const serializer = new PrometheusSerializer();
    const scrape = async () => {
      const { resourceMetrics } = await exporter.collect();
      return serializer.serialize(resourceMetrics);
    };
    await scrape(); // starts the first read
    while (!health.snapshot()) await new Promise(r => setTimeout(r, 50));
    const times: number[] = [];
    let text = '';
    for (let s = 0; s < SCRAPES; s++) {
      const started = performance.now();
      text = await scrape();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    reads.sort((a, b) => a - b);
    const series = text.split('\n').filter(l => l && !l.startsWith('#')).length;
    const snapshot = health.snapshot()!;
    rows.push(
      `| ${engine.label} | ${DATASETS.toLocaleString('en')} | ${(
        snapshot.datasets.length + snapshot.omitted
      ).toLocaleString('en')} | ${series.toLocaleString(
        'en',
      )} | ${snapshot.omitted.toLocaleString('en')} | ${percentile(
        times,
        50,
      ).toFixed(1)} ms | ${percentile(times, 95).toFixed(1)} ms | ${(
        text.length / 1024
      ).toFixed(0)} KiB | ${(percentile(reads, 50) / 1000).toFixed(2)} s |`,
    );
    console.error(rows[rows.length - 1]);
    await knex.destroy();
  }
  const doc = `# Metrics benchmark

\`BENCH_ONLY=metrics scripts/bench\` (\`src/bench/metricsBench.ts\`): the
data-health gauges with ${DATASETS.toLocaleString('en')} datasets in the store
(half with a freshness SLA, a third with quality results, a tenth of those
failing) and the default series cap (${CAP}). A scrape is what \`/metrics\`
does: collect and serialize to Prometheus text (${SCRAPES} in a row; it never
queries the database). The database read runs in the background at most
once per \`dataHealthIntervalSeconds\`. Goal: scrape ≤ 1 s, series within the cap.

| database | datasets | monitored | series | without own series | scrape p50 | scrape p95 | text | background read p50 |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Measured ${new Date().toISOString().slice(0, 10)} on the 2-core machine.
Series: the per-dataset gauges for the ${CAP} least healthy datasets, the
per-domain and per-owner aggregates and the access gauges (portal metrics
such as request durations come on top, bounded by routes and sources).
`;
  fs.writeFileSync(OUTPUT, doc);
  console.error(`wrote ${OUTPUT}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
