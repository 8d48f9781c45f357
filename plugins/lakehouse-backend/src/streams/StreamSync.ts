import { LoggerService } from '@backstage/backend-plugin-api';
import { datasetAssetId } from '@lakeport/plugin-lakehouse-common';
import { StreamSource, StreamTopic } from '@lakeport/plugin-lakehouse-node';
import { createHash } from 'node:crypto';
import { DatasetRecord, DatasetStore } from '../assets/DatasetStore';
import { DataContract, loadContracts } from '../contracts/odcs';
import { buildDatasetRecord } from '../sync/buildDatasetRecord';
import { SourceAttempt } from '../ml/MetadataAssetStore';
import { StreamFigures, StreamStore } from './StreamStore';

export interface StreamSyncResult {
  sourceId: string;
  ok: boolean;
  topics: number;
  /** Datasets written (new or changed) plus removed. */
  datasetsWritten: number;
  error?: string;
}

/** Kafka's own topics (`__consumer_offsets`, …) are not data. */
const isInternal = (topic: string) => topic.startsWith('__');

/**
 * A topic as a dataset of the cluster's namespace: columns, owner,
 * classification and freshness SLA from its contract (`physicalType:
 * topic`), layer `stream`. No contract: the topic is listed with what the
 * cluster knows and no owner. `lastMessageAt` is its last modification
 * (what its freshness is measured on).
 */
export function topicRecord(
  namespace: string,
  topic: StreamTopic,
  contract: DataContract | undefined,
  lastMessageAt?: string,
): DatasetRecord {
  const record = buildDatasetRecord(
    {
      namespace,
      name: topic.name,
      columns: (contract?.properties ?? []).map(p => ({
        name: p.name,
        type: p.logicalType ?? 'string',
        nullable: !p.required,
      })),
      location: `${namespace}/${topic.name}`,
    },
    contract,
    [],
  );
  return {
    ...record,
    domain:
      contract?.domain ??
      (topic.name.includes('.') ? topic.name.split('.')[0] : undefined),
    layer: 'stream',
    lastModified: lastMessageAt,
  };
}

const hashOf = (record: DatasetRecord) =>
  createHash('sha256').update(JSON.stringify(record)).digest('hex');

/** What makes figures differ (not when they were observed). */
const figureKey = (f: StreamFigures) =>
  JSON.stringify([
    f.endOffsets ?? null,
    f.partitions,
    f.replicationFactor ?? null,
    f.retentionMs ?? null,
    f.messages,
    f.consumers,
    f.recordHash,
  ]);

/**
 * Streaming clusters' topics become datasets. A topic whose record (topic
 * and contract) is unchanged costs no dataset writes; figures (messages,
 * lag) are written only when they change. A cluster that fails to answer
 * leaves its datasets and figures as they were and records the error.
 */
export class StreamSync {
  constructor(
    private readonly deps: {
      datasets: DatasetStore;
      streams: StreamStore;
      contractsDirectory: string;
      plannedContracts?: () => Promise<
        Array<{ file: string; content: string }>
      >;
      recordAttempt: (
        source: { id: string; kind: string },
        attempt: SourceAttempt,
      ) => Promise<void>;
      logger: LoggerService;
    },
  ) {}

  async run(sources: StreamSource[]): Promise<StreamSyncResult[]> {
    const results: StreamSyncResult[] = [];
    for (const source of sources) results.push(await this.syncOne(source));
    return results;
  }

  async syncOne(source: StreamSource): Promise<StreamSyncResult> {
    const started = Date.now();
    const at = new Date().toISOString();
    let topics: StreamTopic[];
    try {
      topics = (await source.listTopics({})).filter(t => !isInternal(t.name));
    } catch (e) {
      const message = (e as Error).message || String(e);
      this.deps.logger.warn(
        `Stream source ${source.id} failed, keeping its last good state: ${message}`,
      );
      await this.deps.recordAttempt(source, { ok: false, at, message });
      return {
        sourceId: source.id,
        ok: false,
        topics: 0,
        datasetsWritten: 0,
        error: message,
      };
    }
    const contracts = await loadContracts(
      this.deps.contractsDirectory,
      (await this.deps.plannedContracts?.()) ?? [],
    );
    const stored = await this.deps.streams.bySource(source.id);
    const records: DatasetRecord[] = [];
    const figures: StreamFigures[] = [];
    for (const topic of topics) {
      const id = datasetAssetId(source.namespace, topic.name);
      const before = stored.get(id);
      // A message arrived since the last refresh when the end offsets grew;
      // when the topic is first seen its newest message's time is unknown.
      const grew =
        topic.endOffsets !== undefined &&
        before?.endOffsets !== undefined &&
        topic.endOffsets > before.endOffsets;
      const lastMessageAt = grew ? at : before?.lastMessageAt;
      const record = topicRecord(
        source.namespace,
        topic,
        contracts.byTopic.get(topic.name),
        lastMessageAt,
      );
      const recordHash = hashOf(record);
      if (before?.recordHash !== recordHash) records.push(record);
      const next: StreamFigures = {
        datasetId: record.id,
        sourceId: source.id,
        partitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        retentionMs: topic.retentionMs,
        messages: topic.messages,
        consumers: topic.consumers,
        observedAt: at,
        recordHash,
        endOffsets: topic.endOffsets,
        lastMessageAt,
      };
      if (!before || figureKey(before) !== figureKey(next)) figures.push(next);
    }
    const present = topics.map(t => datasetAssetId(source.namespace, t.name));
    const presentSet = new Set(present);
    const gone = [...stored.keys()].filter(id => !presentSet.has(id));
    // Datasets first: a crash between the two writes leaves figures whose
    // hash is stale, so the next run writes the records again.
    await this.deps.datasets.upsert(records, at);
    const removed = await this.deps.datasets.markMissingRemoved(
      source.namespace,
      present,
      at,
    );
    await this.deps.streams.write(figures, gone);
    await this.deps.recordAttempt(source, {
      ok: true,
      at,
      assets: topics.length,
      written: records.length + removed.length,
      durationMs: Date.now() - started,
    });
    this.deps.logger.info(
      `Stream sync ${source.id}: ${topics.length} topics, ${records.length} datasets written, ${removed.length} removed, ${figures.length} figures changed`,
    );
    return {
      sourceId: source.id,
      ok: true,
      topics: topics.length,
      datasetsWritten: records.length + removed.length,
    };
  }
}
