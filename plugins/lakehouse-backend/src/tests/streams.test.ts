import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import kafkaModule from '@lakeport/plugin-lakehouse-backend-module-kafka';
import {
  hasKafka,
  KAFKA_START_TIMEOUT_MS,
  KafkaBroker,
  lakeportTestDatabaseIds,
  startKafkaBroker,
} from '@lakeport/test-utils';
import { Kafka, logLevel } from 'kafkajs';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  asUser,
  sampleLakehouseForTest,
  waitFor,
} from '../__testUtils__/lakehouseTests';

/**
 * Kafka topics as datasets, read from a real Kafka 4.4 broker through the
 * kafka module: contract, owner, classification, partitions, retention,
 * consumer lag; the last good state kept when the broker is down.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const enc = encodeURIComponent;
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
};
const TOPIC = 'commerce.checkout_events';
const STREAM_CONTRACT = `
apiVersion: v3.1.0
kind: DataContract
id: urn:datacontract:lakeport:stream:${TOPIC}
version: 1.0.0
status: active
domain: commerce
description:
  purpose: Checkout events from the shop, one JSON message per event.
schema:
  - name: checkout_events
    physicalName: ${TOPIC}
    physicalType: topic
    businessName: Checkout events
    properties:
      - name: order_id
        logicalType: integer
        classification: internal
        required: true
      - name: email
        logicalType: string
        classification: pii
      - name: amount
        logicalType: number
        classification: confidential
slaProperties:
  - property: latency
    value: 15
    unit: m
customProperties:
  - property: owner
    value: group:default/commerce-data
`;
const SETUP_TIMEOUT_MS = KAFKA_START_TIMEOUT_MS + 3 * 60_000;
const STEP_TIMEOUT_MS = 2 * 60_000;

describe.each(databases.eachSupportedId())(
  'Kafka topics as datasets on %s',
  databaseId => {
    let broker: KafkaBroker | undefined;
    let kafka: Kafka;
    let knex: Knex;
    let server: any;
    let tmp: string;
    let topicId: string;
    let plainId: string;
    const sent: NotificationSendOptions[] = [];
    const get = (url: string, user = 'ana') =>
      request(server).get(url).set(asUser(user));

    const source = async () =>
      (await get('/api/lakehouse/metadata-sources')).body.items.find(
        (s: any) => s.id === 'kafka:test',
      );
    /** Refreshes the cluster now (as an admin) and waits for its outcome. */
    async function syncKafka() {
      const before = (await source())?.lastAttemptAt;
      const res = await request(server)
        .post('/api/lakehouse/streams/sync')
        .set(asUser('marcus'));
      expect(res.status).toBe(202);
      return waitFor(
        async () => {
          const s = await source();
          return s && s.lastAttemptAt !== before ? s : undefined;
        },
        'a Kafka sync',
        STEP_TIMEOUT_MS,
      );
    }

    beforeAll(async () => {
      if (!(await hasKafka())) return;
      broker = await startKafkaBroker();
      kafka = new Kafka({
        clientId: 'test',
        brokers: [broker.bootstrap],
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: TOPIC,
            numPartitions: 2,
            configEntries: [{ name: 'retention.ms', value: '604800000' }],
          },
          { topic: 'scratch', numPartitions: 1 },
        ],
      });
      await admin.disconnect();
      // Idempotent: a send retried under load is not written twice.
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      await producer.send({
        topic: TOPIC,
        messages: Array.from({ length: 8 }, (_, i) => ({
          partition: i % 2,
          value: JSON.stringify({
            order_id: i,
            email: `c${i}@example.com`,
            amount: i * 10,
          }),
        })),
      });
      await producer.disconnect();

      let root: string;
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-kafka-'));
      // Only this test's topic contract (the sample has one of the same name).
      const contracts = path.join(tmp, 'contracts');
      await fs.mkdir(path.join(contracts, 'streams'), { recursive: true });
      await fs.writeFile(
        path.join(contracts, 'streams/checkout_events.odcs.yaml'),
        STREAM_CONTRACT,
      );
      knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: contracts,
        ownership: OWNERSHIP,
        sent,
        modules: [kafkaModule],
        lakeport: {
          kafka: { clusters: [{ name: 'test', brokers: [broker.bootstrap] }] },
          streams: { syncIntervalSeconds: 3600, maxLag: 3 },
        },
      }));
      topicId = `dataset:kafka://${broker.bootstrap}:${TOPIC}`;
      plainId = `dataset:kafka://${broker.bootstrap}:scratch`;
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await broker?.stop();
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    }, 60_000);

    it(
      'shows a topic as a dataset with its contract, and the cluster figures on its stream view',
      async () => {
        if (!broker) return;
        const state = await syncKafka();
        expect(state).toMatchObject({ kind: 'kafka', assets: 2 });
        expect(state.error).toBeUndefined();

        const dataset = (await get(`/api/lakehouse/datasets/${enc(topicId)}`))
          .body;
        expect(dataset).toMatchObject({
          namespace: `kafka://${broker.bootstrap}`,
          name: TOPIC,
          title: 'Checkout events',
          domain: 'commerce',
          layer: 'stream',
          owner: 'group:default/commerce-data',
          classification: 'pii',
          entityRef: 'resource:default/topic-commerce-checkout-events',
        });
        expect(
          dataset.columns.map((c: any) => [c.name, c.classification]),
        ).toEqual([
          ['order_id', 'internal'],
          ['email', 'pii'],
          ['amount', 'confidential'],
        ]);
        // When its messages were written is not known at first sight.
        expect(dataset.freshness).toEqual({
          slaHours: 0.25,
          measuredOn: 'newest message',
          status: 'unknown',
        });
        // A topic without a contract is listed with what Kafka knows.
        expect(
          (await get(`/api/lakehouse/datasets/${enc(plainId)}`)).body,
        ).toMatchObject({ name: 'scratch', layer: 'stream' });
        expect(
          (
            await get(
              `/api/lakehouse/datasets?layer=stream&q=checkout&pageSize=10`,
            )
          ).body.items.map((d: any) => d.id),
        ).toEqual([topicId]);

        const stream = await get(
          `/api/lakehouse/datasets/${enc(topicId)}/stream`,
        );
        expect(stream.status).toBe(200);
        expect(stream.body).toMatchObject({
          datasetId: topicId,
          sourceId: 'kafka:test',
          kind: 'kafka',
          partitions: 2,
          replicationFactor: 1,
          retentionMs: 604800000,
          messages: 8,
          consumers: [],
        });
        // No lineage mentions the topic yet: its classifications are its contract's.
        const classes = await get(
          `/api/lakehouse/lineage/classifications?node=${enc(topicId)}`,
        );
        expect(classes.status).toBe(200);
        expect(
          classes.body.columns.find((c: any) => c.column === 'email'),
        ).toMatchObject({ declared: 'pii' });
        // Previews read lakehouse tables; a topic is refused, clearly.
        const preview = await get(
          `/api/lakehouse/datasets/${enc(topicId)}/preview`,
        );
        expect(preview.status).toBe(400);
        expect(preview.body.error.message).toMatch(/previews read tables only/);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'shows each consumer group lag and whether it keeps up; an unchanged cluster costs no dataset writes',
      async () => {
        if (!broker) return;
        // A pipeline that reads 3 messages of partition 0 and commits.
        const consumer = kafka.consumer({ groupId: 'checkout-pipeline' });
        await consumer.connect();
        await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
        await new Promise<void>(resolve => {
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (partition === 0 && Number(message.offset) === 2) {
                await consumer.commitOffsets([
                  { topic: TOPIC, partition, offset: '3' },
                ]);
                resolve();
              }
            },
          });
        });
        await consumer.disconnect();

        const state = await syncKafka();
        expect(state.lastWritten).toBe(0);
        const stream = (
          await get(`/api/lakehouse/datasets/${enc(topicId)}/stream`)
        ).body;
        // Partition 0: 4 messages, 3 read; partition 1: none committed.
        expect(stream.consumers).toEqual([
          {
            group: 'checkout-pipeline',
            state: 'Empty',
            members: 0,
            lag: 5,
            partitionLag: [
              { partition: 0, lag: 1 },
              { partition: 1, lag: 4 },
            ],
            keepingUp: false,
          },
        ]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "measures a topic's freshness on its newest message: fresh after a message arrives, stale once the SLA has passed without one",
      async () => {
        if (!broker) return;
        const producer = kafka.producer({ idempotent: true });
        await producer.connect();
        await producer.send({
          topic: TOPIC,
          messages: [
            {
              partition: 1,
              value: JSON.stringify({ order_id: 99, amount: 1 }),
            },
          ],
        });
        await producer.disconnect();
        const state = await syncKafka();
        expect(state.lastWritten).toBe(1);
        const fresh = (await get(`/api/lakehouse/datasets/${enc(topicId)}`))
          .body.freshness;
        expect(fresh).toMatchObject({
          measuredOn: 'newest message',
          latestAt: state.lastSuccessAt,
          status: 'fresh',
        });
        // No message since: the next refresh writes nothing and keeps the time.
        expect((await syncKafka()).lastWritten).toBe(0);
        // An SLA passed without a message: stale (the refresh time moved back 20 min).
        await knex('lakehouse_datasets')
          .where({ id: topicId })
          .update({
            last_modified: new Date(Date.now() - 20 * 60_000).toISOString(),
          });
        expect(
          (await get(`/api/lakehouse/datasets/${enc(topicId)}`)).body.freshness
            .status,
        ).toBe('stale');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'refuses callers without a token and names unknown streams',
      async () => {
        if (!broker) return;
        expect(
          (
            await request(server).get(
              `/api/lakehouse/datasets/${enc(topicId)}/stream`,
            )
          ).status,
        ).toBe(401);
        const unknown = await get(
          `/api/lakehouse/datasets/${enc(
            'dataset:lakeport:commerce.curated.orders',
          )}/stream`,
        );
        expect(unknown.status).toBe(404);
        expect(
          (
            await request(server)
              .post('/api/lakehouse/streams/sync')
              .set(asUser('ana'))
          ).status,
        ).toBe(403);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'creates a topic with its contract for its owner: checked first, then the topic, a dataset at once; nothing written when refused',
      async () => {
        if (!broker) return;
        const returns = 'commerce.return_events';
        const contract = STREAM_CONTRACT.replaceAll(TOPIC, returns)
          .replace('name: checkout_events', 'name: return_events')
          .replace('group:default/commerce-data', 'group:default/data-science');
        const create = (body: object, user = 'ana') =>
          request(server)
            .post('/api/lakehouse/streams/topics')
            .set(asUser(user))
            .send(body);
        const body = {
          topic: returns,
          partitions: 2,
          retentionHours: 48,
          owner: 'group:default/data-science',
          project: 'component:default/returns-stream',
          contract,
        };
        const rows = () => knex('lakehouse_topic_contracts').count('* as n');
        // Refused before anything is written.
        expect(
          (
            await request(server)
              .post('/api/lakehouse/streams/topics')
              .send(body)
          ).status,
        ).toBe(401);
        const notMine = await create({
          ...body,
          owner: 'group:default/risk-data',
          contract: contract.replace(
            'group:default/data-science',
            'group:default/risk-data',
          ),
        });
        expect(notMine.status).toBe(403);
        expect(notMine.body.error.message).toMatch(/you or one of your groups/);
        const other = await create({ ...body, topic: 'commerce.other' });
        expect(other.status).toBe(400);
        expect(other.body.error.message).toMatch(
          /describes commerce.return_events, not the topic commerce.other/,
        );
        const table = await create({
          ...body,
          contract: contract.replace(
            'physicalType: topic',
            'physicalType: table',
          ),
        });
        expect(table.status).toBe(400);
        expect((await create({ ...body, partitions: 0 })).status).toBe(400);
        expect(
          (await create({ ...body, topic: TOPIC, contract: STREAM_CONTRACT }))
            .body.error?.message,
        ).toMatch(/owned by group:default\/commerce-data/);
        expect(Number((await rows())[0].n)).toBe(0);

        const created = await create(body);
        expect(created.status).toBe(201);
        const id = `dataset:kafka://${broker.bootstrap}:${returns}`;
        expect(created.body).toEqual({
          datasetId: id,
          sourceId: 'kafka:test',
          topic: returns,
          partitions: 2,
        });
        const admin = kafka.admin();
        await admin.connect();
        const [meta] = (await admin.fetchTopicMetadata({ topics: [returns] }))
          .topics;
        const [config] = (
          await admin.describeConfigs({
            includeSynonyms: false,
            resources: [
              { type: 2, name: returns, configNames: ['retention.ms'] },
            ],
          })
        ).resources;
        await admin.disconnect();
        expect(meta.partitions).toHaveLength(2);
        expect(config.configEntries[0].configValue).toBe(
          String(48 * 3_600_000),
        );
        const dataset = (await get(`/api/lakehouse/datasets/${enc(id)}`)).body;
        expect(dataset).toMatchObject({
          status: 'active',
          layer: 'stream',
          owner: 'group:default/data-science',
          classification: 'pii',
        });
        expect(
          dataset.columns.find((c: any) => c.name === 'email').classification,
        ).toBe('pii');
        // Its contract stays with it on the next refreshes.
        await syncKafka();
        expect(
          (await get(`/api/lakehouse/datasets/${enc(id)}`)).body.owner,
        ).toBe('group:default/data-science');

        const again = await create(body);
        expect(again.status).toBe(409);
        expect(Number((await rows())[0].n)).toBe(1);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'marks a deleted topic removed, and keeps the topics and their figures while the broker is down',
      async () => {
        if (!broker) return;
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics: ['scratch'] });
        await admin.disconnect();
        // Left: the checkout topic and the one created above.
        expect((await syncKafka()).assets).toBe(2);
        expect(
          (await get(`/api/lakehouse/datasets/${enc(plainId)}`)).body.status,
        ).toBe('removed');

        await broker.stop();
        const failed = await syncKafka();
        expect(failed.error?.message).toBeTruthy();
        const dataset = await get(`/api/lakehouse/datasets/${enc(topicId)}`);
        expect(dataset.body).toMatchObject({
          status: 'active',
          classification: 'pii',
        });
        const stream = (
          await get(`/api/lakehouse/datasets/${enc(topicId)}/stream`)
        ).body;
        // 8, and 1 from the freshness test.
        expect(stream.messages).toBe(9);
        expect(stream.sourceError.message).toBe(failed.error.message);
        // A topic cannot be created while the cluster is down: nothing kept.
        const down = await request(server)
          .post('/api/lakehouse/streams/topics')
          .set(asUser('ana'))
          .send({
            topic: 'commerce.down_events',
            owner: 'group:default/data-science',
            contract: STREAM_CONTRACT.replaceAll(TOPIC, 'commerce.down_events')
              .replace('name: checkout_events', 'name: down_events')
              .replace(
                'group:default/commerce-data',
                'group:default/data-science',
              ),
          });
        expect(down.status).toBe(503);
        expect(
          await knex('lakehouse_topic_contracts')
            .where({ topic: 'commerce.down_events' })
            .first(),
        ).toBeUndefined();
      },
      STEP_TIMEOUT_MS,
    );
  },
);
