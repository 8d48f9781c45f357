import {
  hasKafka,
  KAFKA_START_TIMEOUT_MS,
  KafkaBroker,
  startKafkaBroker,
} from '@lakeport/test-utils';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaStreamSource } from './KafkaStreamSource';

/** Producing, consuming and reading the admin API of a local broker. */
const KAFKA_CLIENT_TIMEOUT_MS = 60_000;

describe('KafkaStreamSource against a real Kafka broker', () => {
  let broker: KafkaBroker | undefined;
  let kafka: Kafka;

  beforeAll(async () => {
    if (!(await hasKafka())) return;
    broker = await startKafkaBroker();
    kafka = new Kafka({
      clientId: 'test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
  }, KAFKA_START_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await broker?.stop();
  }, 30_000);

  it(
    'lists topics with partitions, retention, retained messages and each consumer group lag',
    async () => {
      if (!broker) return;
      const source = new KafkaStreamSource({
        name: 'test',
        brokers: [broker.bootstrap],
      });
      expect(source.namespace).toBe(`kafka://${broker.bootstrap}`);
      await source.createTopic({
        name: 'commerce.order_events',
        partitions: 2,
        retentionMs: 86_400_000,
      });
      await expect(
        source.createTopic({ name: 'commerce.order_events', partitions: 1 }),
      ).rejects.toThrow(/exists already/);

      // Idempotent: a send retried under load is not written twice.
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      await producer.send({
        topic: 'commerce.order_events',
        messages: Array.from({ length: 10 }, (_, i) => ({
          partition: i % 2,
          value: JSON.stringify({ order_id: i }),
        })),
      });
      await producer.disconnect();

      // A consumer group that reads 6 of the 10 messages and commits.
      const consumer = kafka.consumer({ groupId: 'orders-pipeline' });
      await consumer.connect();
      await consumer.subscribe({
        topic: 'commerce.order_events',
        fromBeginning: true,
      });
      let seen = 0;
      await new Promise<void>(resolve => {
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (Number(message.offset) < 3) {
              seen++;
              await consumer.commitOffsets([
                {
                  topic: 'commerce.order_events',
                  partition,
                  offset: String(Number(message.offset) + 1),
                },
              ]);
            }
            if (seen === 6) resolve();
          },
        });
      });
      await consumer.disconnect();

      const topics = await source.listTopics();
      const orders = topics.find(t => t.name === 'commerce.order_events');
      expect(orders).toEqual({
        name: 'commerce.order_events',
        partitions: 2,
        replicationFactor: 1,
        retentionMs: 86_400_000,
        messages: 10,
        // Nothing deleted yet: every message written is retained.
        endOffsets: 10,
        consumers: [
          {
            group: 'orders-pipeline',
            state: 'Empty',
            members: 0,
            lag: 4,
            partitionLag: [
              { partition: 0, lag: 2 },
              { partition: 1, lag: 2 },
            ],
          },
        ],
      });
    },
    KAFKA_CLIENT_TIMEOUT_MS,
  );

  it(
    'throws when the cluster cannot be reached, rather than listing nothing',
    async () => {
      if (!broker) return;
      const source = new KafkaStreamSource({
        name: 'down',
        brokers: ['127.0.0.1:1'],
        timeoutMs: 2_000,
      });
      await expect(source.listTopics()).rejects.toThrow();
    },
    KAFKA_CLIENT_TIMEOUT_MS,
  );
});
