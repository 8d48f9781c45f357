import { createExtensionPoint } from '@backstage/backend-plugin-api';

/** A consumer group reading a topic, and how far behind it is. @public */
export interface StreamConsumerGroup {
  group: string;
  /** The group's state as the broker reports it, e.g. `Stable`, `Empty`. */
  state: string;
  members: number;
  /** Messages not yet consumed, summed over the topic's partitions. */
  lag: number;
  /** Lag per partition (partitions without a committed offset count from the start). */
  partitionLag: Array<{ partition: number; lag: number }>;
}

/** One topic of a streaming cluster. @public */
export interface StreamTopic {
  /** The topic's name, the dataset's OpenLineage name. */
  name: string;
  partitions: number;
  replicationFactor?: number;
  /** `retention.ms` (-1: kept forever). */
  retentionMs?: number;
  /** Messages retained now (end minus start offsets over the partitions). */
  messages: number;
  /**
   * Messages ever written: the end offsets summed over the partitions. It
   * only grows, so the core knows a new message arrived when it does (the
   * topic's freshness).
   */
  endOffsets?: number;
  /** Groups that committed offsets for this topic. */
  consumers: StreamConsumerGroup[];
}

/**
 * A streaming system whose topics are datasets (Kafka). It knows one
 * system's API and nothing of the database; the core merges the topics with
 * their data contracts and keeps them as datasets of `namespace`.
 *
 * `listTopics` returns every topic or throws: a cluster that is down or
 * answers garbage must throw rather than return less, so the core keeps
 * the last good state.
 *
 * @public
 */
export interface StreamSource {
  /** Unique id, `<kind>:<name>`, e.g. `kafka:local`. */
  readonly id: string;
  /** The system, e.g. `kafka`. */
  readonly kind: string;
  /** OpenLineage namespace of its topics, e.g. `kafka://127.0.0.1:9092`. */
  readonly namespace: string;
  listTopics(options: { signal?: AbortSignal }): Promise<StreamTopic[]>;
  /**
   * Creates a topic (the streaming template's "new topic"); resolves when
   * it exists. Throws when it exists already.
   */
  createTopic?(topic: {
    name: string;
    partitions: number;
    retentionMs?: number;
  }): Promise<void>;
}

/** @public */
export interface StreamSourceExtensionPoint {
  addSource(source: StreamSource): void;
}

/**
 * Lets modules add streaming clusters (e.g. lakehouse-backend-module-kafka).
 *
 * @public
 */
export const streamSourceExtensionPoint =
  createExtensionPoint<StreamSourceExtensionPoint>({
    id: 'lakehouse.stream-source',
  });
