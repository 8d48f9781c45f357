import { LoggerService } from '@backstage/backend-plugin-api';
import { datasetAssetId, SyncRun } from '@lakeport/plugin-lakehouse-common';
import { LakehouseEngine } from '@lakeport/plugin-lakehouse-node';
import { DatasetRecord, DatasetStore } from '../assets/DatasetStore';
import { DataContract, loadContracts } from '../contracts/odcs';
import { buildDatasetRecord } from './buildDatasetRecord';

const BATCH = 200;

/**
 * Engine tables become dataset assets: described by the engine, merged with
 * their contracts, written in batches (each batch one transaction); tables
 * that disappeared are marked removed.
 */
export class LakehouseSync {
  constructor(
    private readonly options: {
      engine: LakehouseEngine;
      store: DatasetStore;
      contractsDirectory: string;
      /** Contracts of planned projects (used where the directory has none). */
      plannedContracts?: () => Promise<
        Array<{ file: string; content: string }>
      >;
      logger: LoggerService;
      /** Called with the contract of every synced dataset (quality checks). */
      onContracts?: (
        contracts: Map<string, DataContract | undefined>,
      ) => Promise<void>;
    },
  ) {}

  async run(): Promise<SyncRun> {
    const { engine, store, contractsDirectory, logger } = this.options;
    const startedAt = new Date().toISOString();
    const contracts = await loadContracts(
      contractsDirectory,
      (await this.options.plannedContracts?.()) ?? [],
    );
    for (const problem of contracts.problems) {
      logger.warn(
        `Invalid data contract ${problem.file} at ${problem.field}: ${problem.message}`,
      );
    }
    const tables = await engine.listTables();
    const summary: SyncRun = {
      startedAt,
      finishedAt: startedAt,
      tables: tables.length,
      added: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      schemaChanges: 0,
      contractProblems: contracts.problems.map(({ file, field, message }) => ({
        file,
        field,
        message,
      })),
    };
    for (const contract of contracts.byTable.values()) {
      summary.contractProblems.push(...contract.quality.problems);
    }
    const ids: string[] = [];
    const contractsById = new Map<string, DataContract | undefined>();
    let batch: DatasetRecord[] = [];
    const flush = async () => {
      const results = await store.upsert(batch);
      for (const r of results) {
        if (r.created) summary.added++;
        else if (r.unchanged) summary.unchanged!++;
        else summary.updated++;
        if (r.schemaChanged) summary.schemaChanges++;
      }
      batch = [];
    };
    for (const ref of tables) {
      try {
        const table = await engine.describeTable(ref.name);
        if (!table) continue;
        const problems = contracts.problems
          .filter(p => p.table === ref.name)
          .map(({ file, field, message }) => ({ file, field, message }));
        const record = buildDatasetRecord(
          table,
          contracts.byTable.get(ref.name),
          problems,
        );
        ids.push(record.id);
        contractsById.set(record.id, contracts.byTable.get(ref.name));
        batch.push(record);
        if (batch.length >= BATCH) await flush();
      } catch (error) {
        // One unreadable table must not stop the others; it stays as it was.
        logger.error(`Could not sync table ${ref.name}: ${error}`);
        ids.push(datasetAssetId(ref.namespace, ref.name));
      }
    }
    if (batch.length) await flush();
    summary.removed = (
      await store.markMissingRemoved(engine.namespace, ids)
    ).length;
    await this.options.onContracts?.(contractsById);
    summary.finishedAt = new Date().toISOString();
    await store.recordSyncRun(summary);
    logger.info(
      `Lakehouse sync: ${summary.tables} tables, ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed, ${summary.schemaChanges} schema changes, ${summary.contractProblems.length} contract problems`,
    );
    return summary;
  }
}
