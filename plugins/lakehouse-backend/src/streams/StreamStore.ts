import { Knex } from 'knex';
import { StreamConsumerGroup } from '@lakeport/plugin-lakehouse-node';
import { chunks } from '../database/chunks';
import { num, parseJson } from '../database/rowValues';

/** What the cluster said of one topic at its last successful refresh. */
export interface StreamFigures {
  datasetId: string;
  sourceId: string;
  partitions: number;
  replicationFactor?: number;
  retentionMs?: number;
  messages: number;
  consumers: StreamConsumerGroup[];
  observedAt: string;
  /** Hash of the dataset record last written for the topic. */
  recordHash: string;
  /** End offsets summed over the partitions (grows with each message). */
  endOffsets?: number;
  /** The refresh that first saw the end offsets grow: the newest message is at most this old plus one refresh interval. */
  lastMessageAt?: string;
}

function toRow(f: StreamFigures) {
  return {
    dataset_id: f.datasetId,
    source_id: f.sourceId,
    partitions: f.partitions,
    replication_factor: f.replicationFactor ?? null,
    retention_ms: f.retentionMs ?? null,
    messages: f.messages,
    consumers: JSON.stringify(f.consumers),
    observed_at: f.observedAt,
    record_hash: f.recordHash,
    end_offsets: f.endOffsets ?? null,
    last_message_at: f.lastMessageAt ?? null,
  };
}

function fromRow(r: any): StreamFigures {
  return {
    datasetId: r.dataset_id,
    sourceId: r.source_id,
    partitions: Number(r.partitions),
    replicationFactor: num(r.replication_factor),
    retentionMs: num(r.retention_ms),
    messages: Number(r.messages),
    consumers: parseJson(r.consumers, []),
    observedAt: r.observed_at,
    recordHash: r.record_hash,
    endOffsets: num(r.end_offsets),
    lastMessageAt: r.last_message_at ?? undefined,
  };
}

/** The `lakehouse_streams` table: per-topic figures of streaming clusters. */
export class StreamStore {
  constructor(private readonly db: Knex) {}

  async bySource(sourceId: string): Promise<Map<string, StreamFigures>> {
    const rows = await this.db('lakehouse_streams').where({
      source_id: sourceId,
    });
    return new Map(rows.map(r => [r.dataset_id, fromRow(r)]));
  }

  async get(datasetId: string): Promise<StreamFigures | undefined> {
    const row = await this.db('lakehouse_streams')
      .where({ dataset_id: datasetId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Writes changed figures and drops topics that are gone, in one transaction. */
  async write(changed: StreamFigures[], removed: string[]): Promise<void> {
    if (!changed.length && !removed.length) return;
    await this.db.transaction(async tx => {
      for (const part of chunks(removed, 500))
        await tx('lakehouse_streams').whereIn('dataset_id', part).delete();
      for (const part of chunks(changed, 50))
        await tx('lakehouse_streams')
          .insert(part.map(toRow))
          .onConflict('dataset_id')
          .merge();
    });
  }
}
