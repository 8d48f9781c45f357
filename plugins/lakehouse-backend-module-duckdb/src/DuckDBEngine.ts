import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  EngineMask,
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

/** Visits every object of a parsed statement (DuckDB's JSON AST). */
function walkAst(node: unknown, visit: (node: Record<string, any>) => void) {
  if (Array.isArray(node)) node.forEach(n => walkAst(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, any>);
    Object.values(node).forEach(v => walkAst(v, visit));
  }
}

const tableName = (node: Record<string, any>) =>
  [node.catalog_name, node.schema_name, node.table_name]
    .filter(Boolean)
    .join('.');

/** DuckDB's parse of a statement as JSON (`error` set when it cannot). */
async function serializeSql(
  conn: DuckDBConnection,
  sql: string,
): Promise<Record<string, any>> {
  const reader = await conn.runAndReadAll(
    'SELECT json_serialize_sql($1::VARCHAR) AS ast',
    [sql],
  );
  return JSON.parse(String(reader.getRowObjectsJson()[0].ast));
}

async function checkSingleSelect(conn: DuckDBConnection, sql: string) {
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
    // A write that fails to bind (DELETE on a view) is still a write.
    const ast = await serializeSql(conn, sql);
    if (/only SELECT/i.test(ast.error_message ?? ''))
      throw new EngineQueryError(
        'Only SELECT queries are allowed',
        'not_read_only',
      );
    throw new EngineQueryError((e as Error).message, 'invalid');
  }
  if (type !== SELECT_STATEMENT) {
    throw new EngineQueryError(
      'Only SELECT queries are allowed',
      'not_read_only',
    );
  }
}

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
    // Only <domain>.<layer>.<table>: a shorter name is a folder of tables.
    const parts = name.split('.');
    if (parts.length !== 3 || !parts.every(p => IDENTIFIER.test(p)))
      return undefined;
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
    options: EngineQueryOptions & { mask?: EngineMask },
  ): Promise<EngineQueryResult> {
    if (this.views.size === 0) await this.listTables();
    await this.ensureViewsOf(sql);
    await this.withConnection(conn => checkSingleSelect(conn, sql));
    const masked = Object.entries(options.mask?.columns ?? {}).filter(
      ([, columns]) => columns.length,
    );
    if (!masked.length) return this.run(sql, options);
    // Mask at the source: each masked table is read through a temporary
    // view of this connection with those columns replaced.
    const { ast } = await this.parse(sql);
    const views = new Map<string, string>();
    const prepare: string[] = [];
    for (const [i, [table, columns]] of masked.entries()) {
      const view = `lakeport_masked_${i}`;
      const existing = new Set(
        (await this.describeTable(table))?.columns.map(c => c.name) ?? [],
      );
      const replace = columns
        .filter(c => existing.has(c))
        .map(
          c =>
            `CASE WHEN ${quote(
              c,
            )} IS NULL THEN NULL ELSE '${options.mask!.value.replace(
              /'/g,
              "''",
            )}' END AS ${quote(c)}`,
        );
      prepare.push(
        `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * ${
          replace.length ? `REPLACE (${replace.join(', ')})` : ''
        } FROM ${this.quoteTable(table)}`,
      );
      views.set(table, view);
    }
    walkAst(ast, node => {
      if (node.type !== 'BASE_TABLE') return;
      const view = views.get(tableName(node));
      if (!view) return;
      // The original name stays usable as a qualifier.
      if (!node.alias) node.alias = node.table_name;
      node.catalog_name = 'temp';
      node.schema_name = 'main';
      node.table_name = view;
    });
    const rewritten = await this.withConnection(async conn => {
      const reader = await conn.runAndReadAll(
        'SELECT json_deserialize_sql($1::JSON) AS sql',
        // "No location" is 2^64-1, which JSON.parse rounded: put it back.
        [
          JSON.stringify(ast).replace(
            /"query_location":18446744073709552000\b/g,
            '"query_location":18446744073709551615',
          ),
        ],
      );
      return String(reader.getRowObjectsJson()[0].sql);
    });
    return this.run(rewritten, options, prepare);
  }

  /**
   * The lakehouse tables a user's SELECT reads. Refuses table functions
   * (they would read files around the views and their masking) and names
   * that are neither a table of the lakehouse nor a CTE of the query.
   */
  async tablesOf(sql: string): Promise<string[]> {
    if (this.views.size === 0) await this.listTables();
    // Our rules first (they name the problem), then DuckDB's binder.
    const { tables } = await this.parse(sql);
    await this.withConnection(conn => checkSingleSelect(conn, sql));
    return tables;
  }

  private async parse(
    sql: string,
  ): Promise<{ ast: Record<string, any>; tables: string[] }> {
    const ast = await this.withConnection(conn => serializeSql(conn, sql));
    if (ast.error && /only SELECT/i.test(ast.error_message ?? ''))
      throw new EngineQueryError(
        'Only SELECT queries are allowed',
        'not_read_only',
      );
    if (ast.error)
      throw new EngineQueryError(
        `Invalid SQL: ${ast.error_message ?? 'cannot parse'}`,
        'invalid',
      );
    if (ast.statements?.length !== 1)
      throw new EngineQueryError(
        `Exactly one statement is allowed, got ${ast.statements?.length}`,
        'not_read_only',
      );
    const ctes = new Set<string>();
    walkAst(ast, node => {
      for (const entry of node.cte_map?.map ?? []) ctes.add(entry.key);
    });
    const tables = new Set<string>();
    walkAst(ast, node => {
      if (node.type === 'TABLE_FUNCTION')
        throw new EngineQueryError(
          `Table functions are not allowed (${
            node.function?.function_name ?? 'a table function'
          }): read datasets by name, <domain>.<layer>.<table>`,
          'invalid',
        );
      if (node.type !== 'BASE_TABLE') return;
      if (!node.catalog_name && !node.schema_name && ctes.has(node.table_name))
        return;
      tables.add(tableName(node));
    });
    for (const name of tables)
      if (!this.views.has(name) && !(await this.ensureView(name)))
        throw new EngineQueryError(
          `Unknown table "${name}": name datasets as <domain>.<layer>.<table>`,
          'invalid',
        );
    return { ast, tables: [...tables].sort() };
  }

  /**
   * Views of the tables a query names that this process has not seen yet:
   * another replica may have synced them (views live in each process's
   * DuckDB). Unparseable SQL is left for DuckDB to report.
   */
  private async ensureViewsOf(sql: string) {
    const ast = await this.withConnection(conn => serializeSql(conn, sql));
    if (ast.error) return;
    const names = new Set<string>();
    walkAst(ast, node => {
      if (node.type === 'BASE_TABLE' && node.catalog_name && node.schema_name)
        names.add(tableName(node));
    });
    for (const name of names)
      if (!this.views.has(name)) await this.ensureView(name);
  }

  /**
   * Runs a SELECT with a row limit (after `prepare`, on the same
   * connection), interrupting it at the timeout or when the signal aborts.
   */
  private async run(
    sql: string,
    { limit, timeoutMs, signal }: EngineQueryOptions,
    prepare: string[] = [],
  ): Promise<EngineQueryResult> {
    const rowLimit = Math.max(0, Math.floor(limit));
    return this.withConnection(async conn => {
      let timedOut = false;
      let cancelled = false;
      const timer = setTimeout(() => {
        timedOut = true;
        conn.interrupt();
      }, timeoutMs);
      const cancel = () => {
        cancelled = true;
        conn.interrupt();
      };
      signal?.addEventListener('abort', cancel);
      try {
        if (signal?.aborted) cancel();
        for (const statement of prepare) await conn.run(statement);
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
        if (cancelled)
          throw new EngineQueryError('Query cancelled', 'cancelled');
        throw new EngineQueryError((e as Error).message, 'invalid');
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      }
    });
  }
}
