/** A table the engine can read, named `<schema path>.<table>`. @public */
export interface EngineTableRef {
  /** OpenLineage namespace of the engine, e.g. `lakeport` or `trino://host:8080`. */
  namespace: string;
  /** Dotted name, e.g. `commerce.curated.orders`. */
  name: string;
}

/** @public */
export interface EngineColumn {
  name: string;
  /** Engine type as SQL, e.g. `BIGINT`, `STRUCT(a INTEGER, b VARCHAR)`. */
  type: string;
  nullable: boolean;
  /** Members of STRUCT types, the element of LIST types, key/value of MAP. */
  children?: EngineColumn[];
}

/** @public */
export interface EnginePartitions {
  columns: string[];
  count: number;
  /** Partition values of the newest partition, e.g. `order_date=2026-11-26`. */
  latest?: string;
}

/** @public */
export interface EngineTableDescription extends EngineTableRef {
  columns: EngineColumn[];
  rowCount?: number;
  sizeBytes?: number;
  fileCount?: number;
  partitions?: EnginePartitions;
  lastModified?: Date;
  /** Where the data lives, e.g. `file:///data/lakehouse/commerce/curated/orders`. */
  location?: string;
}

/** @public */
export interface EngineQueryOptions {
  /** At most this many rows are returned. */
  limit: number;
  /** The query is cancelled after this many milliseconds. */
  timeoutMs: number;
  /** Cancels the query (e.g. the client went away). */
  signal?: AbortSignal;
}

/**
 * Columns to mask at the source, per table: the query reads the table with
 * these columns replaced by `value` (NULLs stay NULL), so nothing computed
 * from them — expressions, filters, joins, aggregates — sees the original.
 *
 * @public
 */
export interface EngineMask {
  columns: Record<string, string[]>;
  value: string;
}

/** @public */
export interface EngineQueryResult {
  columns: Array<{ name: string; type: string }>;
  /** Rows as objects, values converted to JSON-safe types. */
  rows: Array<Record<string, unknown>>;
  /** More rows existed than the limit. */
  truncated: boolean;
}

/** Thrown when a query breaks a rule of the engine (not read-only, timed out). @public */
export class EngineQueryError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_read_only' | 'timeout' | 'invalid' | 'cancelled',
  ) {
    super(message);
    this.name = 'EngineQueryError';
  }
}

/**
 * What Lakeport needs from a lakehouse engine (DuckDB embedded; Trino and
 * others at scale). Implementations must not block the event loop for long
 * and must cancel a query at its timeout.
 *
 * @public
 */
export interface LakehouseEngine {
  /** OpenLineage namespace of every table of this engine. */
  readonly namespace: string;
  listNamespaces(): Promise<string[]>;
  listTables(): Promise<EngineTableRef[]>;
  describeTable(name: string): Promise<EngineTableDescription | undefined>;
  sampleRows(
    name: string,
    options: EngineQueryOptions,
  ): Promise<EngineQueryResult>;
  /** Runs one read-only SELECT; anything else is refused. */
  query(
    sql: string,
    options: EngineQueryOptions & { mask?: EngineMask },
  ): Promise<EngineQueryResult>;
  /**
   * The tables a user's query reads (`<schema path>.<table>` names), after
   * checking it is one SELECT that reads only tables of the engine (no
   * table functions, no files): what a query API authorizes and masks.
   * Engines without it do not serve user queries.
   */
  tablesOf?(sql: string): Promise<string[]>;
  /** Quotes a table name for use in SQL of this engine. */
  quoteTable(name: string): string;
  /**
   * SQL dialect for the few functions ANSI SQL lacks (regular expressions);
   * quality checks are compiled for it. Defaults to `duckdb`.
   */
  readonly sqlDialect?: 'duckdb' | 'trino';
}
