import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  EngineQueryError,
  EngineQueryOptions,
  EngineQueryResult,
  EngineTableDescription,
  EngineTableRef,
  LakehouseEngine,
} from '@lakeport/plugin-lakehouse-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { jsonSafeRows, toEngineColumn } from './types';

// DuckDB's statement type of a plain SELECT.
const SELECT_STATEMENT = 1;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface TableFiles {
  files: string[];
  sizeBytes: number;
  lastModified?: Date;
  partitionDirs: string[];
}

async function listParquet(dir: string): Promise<TableFiles> {
  const result: TableFiles = { files: [], sizeBytes: 0, partitionDirs: [] };
  const walk = async (current: string, partition: string[]) => {
    const entries = await fs.readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name.includes('=')) {
        await walk(full, [...partition, entry.name]);
      } else if (entry.isFile() && entry.name.endsWith('.parquet')) {
        const stat = await fs.stat(full);
        result.files.push(full);
        result.sizeBytes += stat.size;
        if (!result.lastModified || stat.mtime > result.lastModified) {
          result.lastModified = stat.mtime;
        }
        if (partition.length > 0)
          result.partitionDirs.push(partition.join('/'));
      }
    }
  };
  await walk(dir, []);
  result.partitionDirs = [...new Set(result.partitionDirs)].sort();
  return result;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * The embedded engine: DuckDB over `<root>/<domain>/<layer>/<table>/` Parquet
 * folders, each exposed as the view `<domain>.<layer>.<table>`. File access is
 * limited to the root and locked; queries must be single SELECTs, run on
 * DuckDB's own threads (the event loop only waits) and are interrupted at
 * their timeout.
 */
export class DuckDBEngine implements LakehouseEngine {
  private readonly views = new Set<string>();

  private constructor(
    readonly namespace: string,
    private readonly root: string,
    private readonly instance: DuckDBInstance,
  ) {}

  static async create(options: {
    root: string;
    namespace: string;
  }): Promise<DuckDBEngine> {
    const root = path.resolve(options.root);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run(
        `SET allowed_directories = ['${root.replace(/'/g, "''")}/']`,
      );
      await conn.run('SET enable_external_access = false');
      await conn.run('SET autoinstall_known_extensions = false');
      await conn.run('SET lock_configuration = true');
    } finally {
      conn.closeSync();
    }
    return new DuckDBEngine(options.namespace, root, instance);
  }

  close() {
    this.instance.closeSync();
  }

  private tableDir(name: string): string {
    const parts = name.split('.');
    if (parts.length !== 3 || !parts.every(p => IDENTIFIER.test(p))) {
      throw new EngineQueryError(
        `Invalid table name "${name}": expected <domain>.<layer>.<table>`,
        'invalid',
      );
    }
    return path.join(this.root, ...parts);
  }

  quoteTable(name: string): string {
    return name.split('.').map(quote).join('.');
  }

  async listNamespaces(): Promise<string[]> {
    const tables = await this.listTables();
    return [
      ...new Set(tables.map(t => t.name.split('.').slice(0, 2).join('.'))),
    ];
  }

  async listTables(): Promise<EngineTableRef[]> {
    const names: string[] = [];
    const dirs = async (dir: string) =>
      (await fs.readdir(dir, { withFileTypes: true }).catch(() => []))
        .filter(e => e.isDirectory() && IDENTIFIER.test(e.name))
        .map(e => e.name)
        .sort();
    for (const domain of await dirs(this.root)) {
      for (const layer of await dirs(path.join(this.root, domain))) {
        for (const table of await dirs(path.join(this.root, domain, layer))) {
          const name = `${domain}.${layer}.${table}`;
          // Keeps every table queryable by name, new ones included.
          if (await this.ensureView(name)) names.push(name);
        }
      }
    }
    return names.map(name => ({ namespace: this.namespace, name }));
  }

  private async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>) {
    const conn = await this.instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /** (Re)creates the view of a table; undefined when the table has no files. */
  private async ensureView(name: string): Promise<TableFiles | undefined> {
    const dir = this.tableDir(name);
    const files = await listParquet(dir).catch(() => undefined);
    if (!files || files.files.length === 0) return undefined;
    const [domain, layer] = name.split('.');
    const glob = `${dir}/**/*.parquet`.replace(/'/g, "''");
    await this.withConnection(async conn => {
      if (!this.views.has(name)) {
        await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${quote(domain)}`);
        await conn.run(
          `CREATE SCHEMA IF NOT EXISTS ${quote(domain)}.${quote(layer)}`,
        );
      }
      await conn.run(
        `CREATE OR REPLACE VIEW ${this.quoteTable(
          name,
        )} AS SELECT * FROM read_parquet('${glob}', hive_partitioning = true, union_by_name = true)`,
      );
    });
    this.views.add(name);
    return files;
  }

  async describeTable(
    name: string,
  ): Promise<EngineTableDescription | undefined> {
    const files = await this.ensureView(name);
    if (!files) return undefined;
    return this.withConnection(async conn => {
      const shape = await conn.runAndReadAll(
        `SELECT * FROM ${this.quoteTable(name)} LIMIT 0`,
      );
      const types = shape.columnTypes();
      const columns = shape
        .columnNames()
        .map((column, i) => toEngineColumn(column, types[i]));
      const fileList = files.files
        .map(f => `'${f.replace(/'/g, "''")}'`)
        .join(', ');
      const counted = await conn.runAndReadAll(
        `SELECT sum(num_rows)::BIGINT FROM parquet_file_metadata([${fileList}])`,
      );
      const partitionColumns = files.partitionDirs.length
        ? files.partitionDirs[0].split('/').map(p => p.split('=')[0])
        : [];
      return {
        namespace: this.namespace,
        name,
        columns,
        rowCount: Number(counted.getRows()[0][0] ?? 0),
        sizeBytes: files.sizeBytes,
        fileCount: files.files.length,
        lastModified: files.lastModified,
        partitions: partitionColumns.length
          ? {
              columns: partitionColumns,
              count: files.partitionDirs.length,
              latest: files.partitionDirs[files.partitionDirs.length - 1],
            }
          : undefined,
        location: `file://${this.tableDir(name)}`,
      };
    });
  }

  async sampleRows(
    name: string,
    options: EngineQueryOptions,
  ): Promise<EngineQueryResult> {
    if (!this.views.has(name) && !(await this.ensureView(name))) {
      throw new EngineQueryError(`Table ${name} does not exist`, 'invalid');
    }
    return this.run(`SELECT * FROM ${this.quoteTable(name)}`, options);
  }

  async query(
    sql: string,
    options: EngineQueryOptions,
  ): Promise<EngineQueryResult> {
    if (this.views.size === 0) await this.listTables();
    await this.withConnection(async conn => {
      let statements;
      try {
        statements = await conn.extractStatements(sql);
      } catch (e) {
        throw new EngineQueryError(
          `Invalid SQL: ${(e as Error).message}`,
          'invalid',
        );
      }
      if (statements.count !== 1) {
        throw new EngineQueryError(
          `Exactly one statement is allowed, got ${statements.count}`,
          'not_read_only',
        );
      }
      let type: number;
      try {
        type = (await statements.prepare(0)).statementType;
      } catch (e) {
        throw new EngineQueryError((e as Error).message, 'invalid');
      }
      if (type !== SELECT_STATEMENT) {
        throw new EngineQueryError(
          'Only SELECT queries are allowed',
          'not_read_only',
        );
      }
    });
    return this.run(sql, options);
  }

  /** Runs a SELECT with a row limit, interrupting it at the timeout. */
  private async run(
    sql: string,
    { limit, timeoutMs }: EngineQueryOptions,
  ): Promise<EngineQueryResult> {
    const rowLimit = Math.max(0, Math.floor(limit));
    return this.withConnection(async conn => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        conn.interrupt();
      }, timeoutMs);
      try {
        const reader = await conn.runAndReadAll(
          `SELECT * FROM (${sql.replace(/;\s*$/, '')}) AS q LIMIT ${
            rowLimit + 1
          }`,
        );
        const types = reader.columnTypes();
        const columns = reader
          .columnNames()
          .map((name, i) => ({ name, type: types[i].toString() }));
        const rows = jsonSafeRows(
          columns,
          reader.getRowObjectsJson() as Array<Record<string, unknown>>,
        );
        return {
          columns,
          rows: rows.slice(0, rowLimit),
          truncated: rows.length > rowLimit,
        };
      } catch (e) {
        if (timedOut) {
          throw new EngineQueryError(
            `Query cancelled after ${timeoutMs} ms`,
            'timeout',
          );
        }
        throw new EngineQueryError((e as Error).message, 'invalid');
      } finally {
        clearTimeout(timer);
      }
    });
  }
}
