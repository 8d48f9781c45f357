/** A consumer group of a stream and whether it keeps up (`GET /datasets/:id/stream`). @public */
export interface StreamConsumerView {
  group: string;
  state: string;
  members: number;
  lag: number;
  partitionLag: Array<{ partition: number; lag: number }>;
  /** Lag at or under the cluster's `maxLag` (lakeport.kafka.clusters[].maxLag). */
  keepingUp: boolean;
}

/** What the streaming cluster says of a topic dataset. @public */
export interface DatasetStreamView {
  datasetId: string;
  /** Stream source id, e.g. `kafka:local`. */
  sourceId: string;
  kind: string;
  partitions: number;
  replicationFactor?: number;
  /** -1: kept forever. */
  retentionMs?: number;
  messages: number;
  consumers: StreamConsumerView[];
  /** When these figures were first seen (they are written when they change). */
  observedAt: string;
  /** The cluster's last successful refresh: the figures are current as of then. */
  refreshedAt?: string;
  /** The last refresh of the cluster failed; the figures are from `observedAt`. */
  sourceError?: { message: string; at: string };
}

/** Namespaces of streaming clusters (OpenLineage naming: `kafka://host:port`). @public */
export function isStreamNamespace(namespace: string): boolean {
  return namespace.startsWith('kafka://');
}

/**
 * `POST /streams/topics`: a new topic with its ODCS contract
 * (`schema[0].physicalType: topic`, `physicalName` = `topic`).
 *
 * @public
 */
export interface CreateTopicRequest {
  /** Stream source name (`lakeport.kafka.clusters[].name`); optional when there is one. */
  cluster?: string;
  topic: string;
  /** Default 3. */
  partitions?: number;
  /** Default: the cluster's. */
  retentionHours?: number;
  /** Group or user entity ref: you or one of your groups. */
  owner: string;
  /** The project's catalog entity ref. */
  project?: string;
  /** The ODCS contract, as YAML. */
  contract: string;
}

/** @public */
export interface CreatedTopic {
  datasetId: string;
  sourceId: string;
  topic: string;
  partitions: number;
}
