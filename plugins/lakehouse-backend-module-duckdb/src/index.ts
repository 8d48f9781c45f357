/**
 * Embedded lakehouse engine: DuckDB over local Parquet folders.
 *
 * @packageDocumentation
 */
export { lakehouseModuleDuckdb as default } from './module';
export { DuckDBEngine } from './DuckDBEngine';
