import {
  StreamConsumerGroup,
  StreamSource,
  StreamTopic,
} from '@lakeport/plugin-lakehouse-node';
import {
  Admin,
  ConfigResourceTypes,
  Kafka,
  KafkaConfig,
  logLevel,
} from 'kafkajs';

/** Offsets per partition, as kafkajs returns them (strings). */
type PartitionOffsets = Array<{ partition: number; offset: string }>;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * One Kafka cluster through its admin API (kafkajs): every topic with its
 * partitions, replication, `retention.ms`, retained messages, and the
 * consumer groups that committed offsets on it with their lag. Any failure
 * throws (the core keeps the last good state); nothing is guessed.
 *
 * @public
 */
export class KafkaStreamSource implements StreamSource {
  readonly id: string;
  readonly kind = 'kafka';
  readonly namespace: string;
  private readonly kafka: Kafka;

  constructor(options: {
    name: string;
    brokers: string[];
    clientId?: string;
    sasl?: KafkaConfig['sasl'];
    ssl?: boolean;
    timeoutMs?: number;
  }) {
    if (!options.brokers.length)
      throw new Error(`Kafka cluster ${options.name}: no brokers`);
    this.id = `kafka:${options.name}`;
    // OpenLineage naming: kafka://{bootstrap server host}:{port}.
    this.namespace = `kafka://${options.brokers[0]}`;
    const timeout = options.timeoutMs ?? 30_000;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'lakeport',
      brokers: options.brokers,
      sasl: options.sasl,
      ssl: options.ssl,
      connectionTimeout: Math.min(timeout, 10_000),
      requestTimeout: timeout,
      // A refresh that cannot reach the cluster fails fast and is retried
      // on the next schedule, keeping the last good state meanwhile.
      retry: { retries: 2, initialRetryTime: 300 },
      logLevel: logLevel.NOTHING,
    });
  }

  async listTopics(): Promise<StreamTopic[]> {
    return this.withAdmin(async admin => {
      const names = (await admin.listTopics()).sort();
      if (!names.length) return [];
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const [retention, offsets, consumers] = await Promise.all([
        this.retention(admin, names),
        Promise.all(
          names.map(async t => [t, await admin.fetchTopicOffsets(t)] as const),
        ),
        this.consumerOffsets(admin),
      ]);
      const ends = new Map(offsets);
      return topics.map(t => {
        const partitions = ends.get(t.name) ?? [];
        const end = new Map(partitions.map(p => [p.partition, Number(p.high)]));
        const start = new Map(
          partitions.map(p => [p.partition, Number(p.low)]),
        );
        return {
          name: t.name,
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length,
          retentionMs: retention.get(t.name),
          messages: sum(partitions.map(p => Number(p.high) - Number(p.low))),
          endOffsets: sum(partitions.map(p => Number(p.high))),
          consumers: (consumers.get(t.name) ?? []).map(c =>
            lagOf(c, end, start),
          ),
        };
      });
    });
  }

  async createTopic(topic: {
    name: string;
    partitions: number;
    retentionMs?: number;
  }): Promise<void> {
    await this.withAdmin(async admin => {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: topic.name,
            numPartitions: topic.partitions,
            configEntries:
              topic.retentionMs === undefined
                ? []
                : [{ name: 'retention.ms', value: String(topic.retentionMs) }],
          },
        ],
      });
      if (!created) throw new Error(`Topic ${topic.name} exists already`);
    });
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private async retention(
    admin: Admin,
    topics: string[],
  ): Promise<Map<string, number>> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map(name => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['retention.ms'],
      })),
    });
    const out = new Map<string, number>();
    for (const r of resources) {
      const value = r.configEntries.find(e => e.configName === 'retention.ms');
      if (value?.configValue !== undefined && value.configValue !== null)
        out.set(r.resourceName, Number(value.configValue));
    }
    return out;
  }

  /** Committed offsets of every consumer group, by topic. */
  private async consumerOffsets(admin: Admin): Promise<
    Map<
      string,
      Array<{
        group: string;
        state: string;
        members: number;
        offsets: PartitionOffsets;
      }>
    >
  > {
    const { groups } = await admin.listGroups();
    const consumerGroups = groups.filter(
      g => g.protocolType === 'consumer' || g.protocolType === '',
    );
    const out = new Map<
      string,
      Array<{
        group: string;
        state: string;
        members: number;
        offsets: PartitionOffsets;
      }>
    >();
    if (!consumerGroups.length) return out;
    const described = await admin.describeGroups(
      consumerGroups.map(g => g.groupId),
    );
    const info = new Map(described.groups.map(g => [g.groupId, g]));
    for (const { groupId } of consumerGroups) {
      const committed = await admin.fetchOffsets({ groupId });
      for (const t of committed) {
        // Offsets of partitions the group never committed are -1.
        if (!t.partitions.some(p => Number(p.offset) >= 0)) continue;
        const list = out.get(t.topic) ?? [];
        list.push({
          group: groupId,
          state: info.get(groupId)?.state ?? 'Unknown',
          members: info.get(groupId)?.members.length ?? 0,
          offsets: t.partitions,
        });
        out.set(t.topic, list);
      }
    }
    return out;
  }
}

/**
 * Lag per partition: end offset minus the committed one; a partition the
 * group never committed lags by everything retained.
 */
function lagOf(
  c: {
    group: string;
    state: string;
    members: number;
    offsets: PartitionOffsets;
  },
  end: Map<number, number>,
  start: Map<number, number>,
): StreamConsumerGroup {
  const committed = new Map(
    c.offsets.map(o => [o.partition, Number(o.offset)]),
  );
  const partitionLag = [...end.keys()]
    .sort((a, b) => a - b)
    .map(partition => {
      const high = end.get(partition)!;
      const at = committed.get(partition) ?? -1;
      const from = at >= 0 ? at : start.get(partition) ?? 0;
      return { partition, lag: Math.max(0, high - from) };
    });
  return {
    group: c.group,
    state: c.state,
    members: c.members,
    lag: sum(partitionLag.map(p => p.lag)),
    partitionLag,
  };
}
