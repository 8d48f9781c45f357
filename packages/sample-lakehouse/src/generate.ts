import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  GenerationParams,
  WEB_EVENTS_STALE_DAYS,
  macros,
  sampleTables,
} from './tables';

import { SAMPLE_LINEAGE_FILE, sampleLineageEvents } from './lineage';

/** File at the root of a generated lakehouse describing what is in it. */

export const MANIFEST_FILE = '_lakeport_manifest.json';

/** @public */
export interface GenerateOptions {
  /** Folder to (re)create; it is replaced only once generation succeeded. */
  outDir: string;
  seed?: number;
  /** Last day of data, YYYY-MM-DD; defaults to today (UTC). */
  asOf?: string;
  scale?: number;
  onProgress?: (message: string) => void;
}

/** A quality defect deliberately seeded for later checks to find. */
export interface SeededDefect {
  table: string;
  column: string;
  kind:
    | 'null_in_required'
    | 'duplicate_key'
    | 'stale_partition'
    | 'out_of_range';
  description: string;
  /** Rows affected (for stale_partition: days behind the as-of date). */
  count: number;
}

export interface ManifestTable {
  name: string;
  description: string;
  /** Folder relative to the lakehouse root. */
  path: string;
  partitionBy?: string;
  rows: number;
  files: number;
  bytes: number;
}

/** @public */
export interface LakehouseManifest {
  generator: 'lakeport-sample-lakehouse';
  params: GenerationParams;
  tables: ManifestTable[];
  defects: SeededDefect[];
}

export const DEFAULT_SEED = 42;

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Folder of a table: `commerce.curated.orders` → `commerce/curated/orders`. */
export function tableFolder(name: string): string {
  return name.split('.').join('/');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(e =>
      e.isDirectory()
        ? listFiles(path.join(dir, e.name))
        : Promise.resolve([path.join(dir, e.name)]),
    ),
  );
  return nested.flat().sort();
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  const reader = await conn.runAndReadAll(sql);
  return Number(reader.getRows()[0][0]);
}

async function findDefects(
  conn: DuckDBConnection,
  p: GenerationParams,
): Promise<SeededDefect[]> {
  return [
    {
      table: 'customers.curated.customers',
      column: 'country_code',
      kind: 'null_in_required',
      description: 'country_code is required but empty for some customers',
      count: await scalar(
        conn,
        'SELECT count(*) FROM customers.curated.customers WHERE country_code IS NULL',
      ),
    },
    {
      table: 'commerce.curated.orders',
      column: 'order_id',
      kind: 'duplicate_key',
      description:
        'a replayed batch duplicated order keys (extra rows beyond one per order_id)',
      count: await scalar(
        conn,
        'SELECT count(*) - count(DISTINCT order_id) FROM commerce.curated.orders',
      ),
    },
    {
      table: 'customers.raw.web_events',
      column: 'event_date',
      kind: 'stale_partition',
      description: `ingestion stopped: the newest event_date partition is ${WEB_EVENTS_STALE_DAYS} days older than the as-of date`,
      count: await scalar(
        conn,
        `SELECT DATE '${p.asOf}' - max(event_date) FROM customers.raw.web_events`,
      ),
    },
    {
      table: 'risk.curated.transactions',
      column: 'amount_eur',
      kind: 'out_of_range',
      description:
        'amount_eur must be positive; a conversion bug wrote negative amounts',
      count: await scalar(
        conn,
        'SELECT count(*) FROM risk.curated.transactions WHERE amount_eur < 0',
      ),
    },
    {
      table: 'risk.curated.transactions',
      column: 'risk_score',
      kind: 'out_of_range',
      description: 'risk_score must lie in [0, 1]',
      count: await scalar(
        conn,
        'SELECT count(*) FROM risk.curated.transactions WHERE risk_score > 1 OR risk_score < 0',
      ),
    },
  ];
}

/**
 * Builds the sample lakehouse: Parquet folders `<domain>/<layer>/<table>/`
 * (Hive-partitioned where a table has a partition column) plus a manifest.
 * Same seed, as-of date and scale give the same bytes: randomness is a hash of
 * (row, purpose, seed) and DuckDB runs on one thread in insertion order.
 *
 * @public
 */
export async function generateSampleLakehouse(
  options: GenerateOptions,
): Promise<LakehouseManifest> {
  const params: GenerationParams = {
    seed: options.seed ?? DEFAULT_SEED,
    asOf: options.asOf ?? todayUtc(),
    scale: options.scale ?? 1,
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(params.asOf)) {
    throw new Error(`asOf must be YYYY-MM-DD, got "${params.asOf}"`);
  }
  if (!Number.isInteger(params.seed) || params.seed < 0) {
    throw new Error(`seed must be a non-negative integer, got ${params.seed}`);
  }
  if (!(params.scale > 0 && params.scale <= 10)) {
    throw new Error(`scale must be in (0, 10], got ${params.scale}`);
  }
  const progress = options.onProgress ?? (() => {});
  const outDir = path.resolve(options.outDir);
  const workDir = `${outDir}.partial-${process.pid}`;
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(workDir, { recursive: true });

  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    preserve_insertion_order: 'true',
  });
  const conn = await instance.connect();
  try {
    for (const sql of macros(params)) await conn.run(sql);
    const tables = sampleTables(params);
    const schemas = new Set(
      tables.map(t => t.name.split('.').slice(0, 2).join('.')),
    );
    for (const domain of new Set([...schemas].map(s => s.split('.')[0]))) {
      await conn.run(`ATTACH ':memory:' AS ${domain}`);
    }
    for (const schema of schemas) await conn.run(`CREATE SCHEMA ${schema}`);

    const manifestTables: ManifestTable[] = [];
    for (const [index, table] of tables.entries()) {
      progress(`[${index + 1}/${tables.length}] ${table.name}`);
      await conn.run(`CREATE TABLE ${table.name} AS ${table.select}`);
      const folder = tableFolder(table.name);
      const target = path.join(workDir, folder);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const partition = table.partitionBy
        ? `, PARTITION_BY (${table.partitionBy})`
        : '';
      const destination = table.partitionBy
        ? target
        : path.join(target, 'data_0.parquet');
      if (!table.partitionBy) await fs.mkdir(target, { recursive: true });
      await conn.run(
        `COPY ${table.name} TO '${destination}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000${partition})`,
      );
      const files = await listFiles(target);
      const sizes = await Promise.all(files.map(f => fs.stat(f)));
      manifestTables.push({
        name: table.name,
        description: table.description,
        path: folder,
        partitionBy: table.partitionBy,
        rows: await scalar(conn, `SELECT count(*) FROM ${table.name}`),
        files: files.length,
        bytes: sizes.reduce((sum, s) => sum + s.size, 0),
      });
    }

    const manifest: LakehouseManifest = {
      generator: 'lakeport-sample-lakehouse',
      params,
      tables: manifestTables,
      defects: await findDefects(conn, params),
    };
    await fs.writeFile(
      path.join(workDir, MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    await writeSampleLineage(workDir, params.asOf);
    // Replace the old lakehouse only now, so a failed run leaves it intact.
    await fs.rm(outDir, { recursive: true, force: true });
    await fs.rename(workDir, outDir);
    return manifest;
  } catch (error) {
    await fs.rm(workDir, { recursive: true, force: true });
    throw error;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Writes the sample's OpenLineage events into the lakehouse folder. */
export async function writeSampleLineage(
  root: string,
  asOf: string,
): Promise<string> {
  const file = path.join(root, SAMPLE_LINEAGE_FILE);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Events name the final folder, not the work folder it is written in.
  const finalRoot = root.replace(/\.partial-\d+$/, '');
  const events = sampleLineageEvents({ root: finalRoot, asOf });
  await fs.writeFile(file, `${JSON.stringify(events, null, 1)}\n`);
  return file;
}

/** The manifest of an existing lakehouse, or undefined when there is none. */
export async function readManifest(
  dir: string,
): Promise<LakehouseManifest | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}
