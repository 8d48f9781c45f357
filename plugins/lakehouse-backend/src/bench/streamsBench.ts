/* eslint-disable no-console */
// yarn bench (BENCH_ONLY=streams): a real Kafka 4.4 broker (one KRaft node)
// generated with 2,000 topics × 2 partitions, 5 messages each, and 10
// consumer groups with committed offsets on 20 topics each. Times the kafka
// module's listing (topics, configs, offsets, groups, lag), a first stream
// sync and an unchanged re-sync into the store, and the topic page's stream
// view through HTTP, on SQLite and PostgreSQL. Writes
// docs/benchmarks/streams.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KafkaStreamSource } from '@lakeport/plugin-lakehouse-backend-module-kafka';
import { startKafkaBroker } from '@lakeport/test-utils';
import { Kafka, logLevel } from 'kafkajs';
import { DatasetStore } from '../assets/DatasetStore';
import { StreamStore } from '../streams/StreamStore';
import { StreamSync } from '../streams/StreamSync';
import { createStreamsRouter } from '../streams/streamsRouter';
import {
  allowAllPermissions,
  engines,
  measure,
  migrations,
  percentile,
  quiet,
  resetPostgres,
  serveForBench,
} from './benchUtils';

const TOPICS = Number(process.env.BENCH_TOPICS ?? 2_000);
const PARTITIONS = 2;
// Ten consumer groups, each a real consumer of 20 topics.
const GROUPS = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const topicName = (i: number) => `d${i % 20}.events_${i}`;

async function generateCluster(bootstrap: string) {
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  for (let i = 0; i < TOPICS; i += 200) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: Array.from({ length: Math.min(200, TOPICS - i) }, (_, k) => ({
        topic: topicName(i + k),
        numPartitions: PARTITIONS,
      })),
    });
  }
  // Leaders of thousands of new partitions take a while on one node.
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({
        topics: Array.from({ length: TOPICS }, (_, i) => topicName(i)),
      });
      if (topics.every(t => t.partitions.every(p => p.leader >= 0))) break;
    } catch {
      // not all known yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  console.error(`topics created (${since()})`);
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  for (let i = 0; i < TOPICS; i += 200) {
    await producer.sendBatch({
      topicMessages: Array.from(
        { length: Math.min(200, TOPICS - i) },
        (_, k) => ({
          topic: topicName(i + k),
          messages: Array.from({ length: 5 }, (__, m) => ({
            partition: m % PARTITIONS,
            value: JSON.stringify({ id: m }),
          })),
        }),
      ),
    });
  }
  await producer.disconnect();
  console.error(`messages sent (${since()})`);
  // Each group reads its 20 topics to the end as a real consumer would
  // (one group join each: committing through the admin API joins the group
  // once per call, far slower), then one more message per topic: lag 1.
  for (let g = 0; g < GROUPS; g++) {
    const topics = Array.from({ length: 20 }, (_, t) =>
      topicName((g * 20 + t) % TOPICS),
    );
    const consumer = kafka.consumer({ groupId: `pipeline_${g}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    let seen = 0;
    await new Promise<void>(resolve => {
      consumer.run({
        eachMessage: async () => {
          if (++seen === topics.length * 5) resolve();
        },
      });
    });
    await consumer.disconnect(); // commits what it read
  }
  const more = kafka.producer({ idempotent: true });
  await more.connect();
  await more.sendBatch({
    topicMessages: Array.from({ length: GROUPS * 20 }, (_, i) => ({
      topic: topicName(i % TOPICS),
      messages: [{ partition: 0, value: '{"id": 5}' }],
    })),
  });
  await more.disconnect();
  console.error(`offsets committed (${since()})`);
  await admin.disconnect();
}

async function main() {
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  const broker = await startKafkaBroker();
  try {
    console.error(`generating ${TOPICS} topics on ${broker.bootstrap}…`);
    await generateCluster(broker.bootstrap);
    const source = new KafkaStreamSource({
      name: 'bench',
      brokers: [broker.bootstrap],
      timeoutMs: 120_000,
    });
    const listings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const topics = await source.listTopics();
      listings.push(performance.now() - started);
      if (topics.length < TOPICS) throw new Error(`listed ${topics.length}`);
    }
    listings.sort((a, b) => a - b);

    log('# Streams benchmark');
    log('');
    log(
      `${new Date().toISOString().slice(0, 10)}, ${
        os.cpus().length
      } cores, Node ${
        process.version
      }; a real Kafka 4.4 broker (one KRaft node, same machine) with ${TOPICS} topics × ${PARTITIONS} partitions, 5 messages each, ${GROUPS} consumer groups with committed offsets on 20 topics each; ${RUNS} sequential requests of the stream view (a different topic each) after 10 warm-up requests.`,
    );
    log('');
    log(
      `Listing the cluster through the kafka module (kafkajs admin: topics, metadata, retention, end and start offsets of every topic, groups and their committed offsets, lag): median ${(
        percentile(listings, 50) / 1000
      ).toFixed(1)} s, slowest of 5 ${(listings[4] / 1000).toFixed(1)} s.`,
    );
    log('');
    const syncs = [
      '| engine | sync | topics | datasets written | time |',
      '|---|---|---|---|---|',
    ];
    const views = [
      '| engine | request | p50 ms | p95 ms |',
      '|---|---|---|---|',
    ];
    const contracts = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeport-bench-'));
    for (const engine of engines()) {
      if (engine.label === 'PostgreSQL') await resetPostgres();
      const knex = engine.knex();
      await knex.migrate.latest({ directory: migrations });
      const streams = new StreamStore(knex);
      const sync = new StreamSync({
        datasets: new DatasetStore(knex),
        streams,
        contractsDirectory: contracts,
        recordAttempt: async () => undefined,
        logger: quiet,
      });
      for (const label of ['first sync (all new)', 'unchanged re-sync']) {
        const started = performance.now();
        const result = await sync.syncOne(source);
        if (!result.ok) throw new Error(result.error);
        syncs.push(
          `| ${engine.label} | ${label} | ${result.topics} | ${
            result.datasetsWritten
          } | ${((performance.now() - started) / 1000).toFixed(1)} s |`,
        );
        console.error(syncs[syncs.length - 1]);
      }
      const { server, base } = serveForBench(
        createStreamsRouter({
          streams,
          // Only topic pages are measured: no topic creation, no scheduler.
          topics: {} as any,
          sourceState: async () => undefined,
          kindOf: () => 'kafka',
          maxLag: 100,
          scheduler: {} as any,
          permissions: allowAllPermissions,
          httpAuth: { credentials: async () => ({}) } as any,
        }),
      );
      let n = 0;
      const url = () =>
        `${base}/datasets/${encodeURIComponent(
          `dataset:${source.namespace}:${topicName(n++ % TOPICS)}`,
        )}/stream`;
      const { p50, p95 } = await measure(url(), RUNS, url);
      views.push(
        `| ${engine.label} | GET /datasets/{id}/stream | ${p50.toFixed(
          1,
        )} | ${p95.toFixed(1)} |`,
      );
      server.close();
      await knex.destroy();
    }
    log('## Sync into the store');
    log('');
    log(
      'The sync itself is the listing above plus the writes: an unchanged topic costs no dataset writes (its record hash is kept), figures are written only when they change.',
    );
    log('');
    syncs.forEach(log);
    log('');
    log('## The topic page’s stream view through HTTP');
    log('');
    views.forEach(log);
    const out = process.env.BENCH_STREAMS_OUTPUT;
    if (out) fs.writeFileSync(out, `${lines.join('\n')}\n`);
  } finally {
    await broker.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
