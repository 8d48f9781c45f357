import { Kafka, logLevel } from 'kafkajs';

/** A sample topic and how its JSON messages are made (message `i` of `count`). */
export interface SampleTopic {
  name: string;
  partitions: number;
  retentionMs: number;
  count: number;
  message: (i: number) => Record<string, unknown>;
  /** A consumer group that read this many messages of each partition (shows lag). */
  consumer?: { group: string; readPerPartition: number };
}

const BASE = Date.UTC(2026, 10, 30, 8, 0, 0);
const iso = (i: number, stepSeconds: number) =>
  new Date(BASE + i * stepSeconds * 1000).toISOString();

/**
 * The sample streams: checkout events (contract with PII: the buyer's
 * email), card authorizations (contract), and a clickstream topic without
 * a contract. Deterministic: the same messages every time.
 */
export const SAMPLE_TOPICS: SampleTopic[] = [
  {
    name: 'commerce.checkout_events',
    partitions: 3,
    retentionMs: 7 * 24 * 3_600_000,
    count: 600,
    message: i => ({
      event_id: `chk-${100000 + i}`,
      order_id: 500000 + Math.floor(i / 2),
      customer_id: 1000 + ((i * 37) % 900),
      email: `customer${1000 + ((i * 37) % 900)}@example.com`,
      event_type: i % 2 ? 'paid' : 'created',
      amount: Math.round((((i * 7919) % 20000) / 100 + 5) * 100) / 100,
      currency: 'EUR',
      event_ts: iso(i, 6),
    }),
    consumer: { group: 'checkout-dashboard', readPerPartition: 150 },
  },
  {
    name: 'risk.card_authorizations',
    partitions: 2,
    retentionMs: 3 * 24 * 3_600_000,
    count: 400,
    message: i => ({
      authorization_id: `auth-${200000 + i}`,
      card_token: `tok_${((i * 104729) % 1_000_000).toString(36)}`,
      merchant_id: 3000 + ((i * 13) % 250),
      amount: Math.round((((i * 6151) % 50000) / 100 + 1) * 100) / 100,
      approved: i % 17 !== 0,
      authorized_at: iso(i, 9),
    }),
    consumer: { group: 'fraud-scoring', readPerPartition: 190 },
  },
  {
    name: 'customers.clickstream',
    partitions: 1,
    retentionMs: 24 * 3_600_000,
    count: 200,
    message: i => ({
      session_id: `s-${i % 40}`,
      page: ['/', '/search', '/product', '/cart'][i % 4],
      at: iso(i, 3),
    }),
  },
];

/**
 * Creates the sample topics on a broker where they are missing and fills
 * each new topic with its messages (never twice: an existing topic is left
 * as it is), then lets the sample consumer groups read part of them.
 */
export async function seedSampleTopics(
  bootstrap: string,
  topics: SampleTopic[] = SAMPLE_TOPICS,
): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'lakeport-sample',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const created: string[] = [];
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter(t => !existing.has(t.name));
    if (!missing.length) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(t => ({
        topic: t.name,
        numPartitions: t.partitions,
        configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
      })),
    });
    // Idempotent: a send retried under load is not written twice.
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (const t of missing) {
      await producer.send({
        topic: t.name,
        messages: Array.from({ length: t.count }, (_, i) => ({
          partition: i % t.partitions,
          value: JSON.stringify(t.message(i)),
        })),
      });
      created.push(t.name);
    }
    await producer.disconnect();
    for (const t of missing) {
      if (!t.consumer) continue;
      await admin.setOffsets({
        groupId: t.consumer.group,
        topic: t.name,
        partitions: Array.from({ length: t.partitions }, (_, partition) => ({
          partition,
          offset: String(t.consumer!.readPerPartition),
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
  return created;
}
