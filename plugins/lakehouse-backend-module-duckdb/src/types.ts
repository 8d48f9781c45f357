import {
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBType,
} from '@duckdb/node-api';
import { EngineColumn } from '@lakeport/plugin-lakehouse-node';

/** Engine column from a DuckDB type, nested types with their children. */
export function toEngineColumn(name: string, type: DuckDBType): EngineColumn {
  const column: EngineColumn = { name, type: type.toString(), nullable: true };
  if (type instanceof DuckDBStructType) {
    column.children = type.entryNames.map((entryName, i) =>
      toEngineColumn(entryName, type.entryTypes[i]),
    );
  } else if (type instanceof DuckDBListType) {
    column.children = [toEngineColumn('element', type.valueType)];
  } else if (type instanceof DuckDBMapType) {
    column.children = [
      toEngineColumn('key', type.keyType),
      toEngineColumn('value', type.valueType),
    ];
  }
  return column;
}

const INTEGER_TYPES = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/**
 * JSON-safe row values: DuckDB's JSON conversion renders 64-bit integers as
 * strings; give them back as numbers when that loses nothing.
 */
export function jsonSafeRows(
  columns: Array<{ name: string; type: string }>,
  rows: Array<Record<string, unknown>>,
): Array<Record<string, unknown>> {
  const wide = columns.filter(c => INTEGER_TYPES.has(c.type)).map(c => c.name);
  if (wide.length === 0) return rows;
  for (const row of rows) {
    for (const name of wide) {
      const value = row[name];
      if (typeof value === 'string') {
        const n = Number(value);
        if (Number.isSafeInteger(n)) row[name] = n;
      }
    }
  }
  return rows;
}
