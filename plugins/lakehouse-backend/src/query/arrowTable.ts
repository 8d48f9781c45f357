import {
  Bool,
  DataType,
  Float64,
  Int64,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { EngineQueryResult } from '@lakeport/plugin-lakehouse-node';

const INTEGER =
  /^(BIGINT|INTEGER|INT|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|HUGEINT|UHUGEINT)\b/;
const FLOAT = /^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC)\b/;

/**
 * The engine's column type as Arrow sees it: integers, floats and booleans
 * typed; everything else (dates, timestamps, masked values, nested types)
 * as text, as the JSON answer has them.
 */
function arrowType(engineType: string): DataType {
  const t = engineType.toUpperCase();
  if (INTEGER.test(t)) return new Int64();
  if (FLOAT.test(t)) return new Float64();
  if (t === 'BOOLEAN') return new Bool();
  return new Utf8();
}

function convert(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof Int64) return BigInt(value as string | number);
  if (type instanceof Float64) return Number(value);
  if (type instanceof Bool) return Boolean(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A query result as an Arrow table typed by the engine's columns (empty results keep their schema). */
export function toArrowTable(result: EngineQueryResult): Table {
  return new Table(
    Object.fromEntries(
      result.columns.map(c => {
        const type = arrowType(c.type);
        return [
          c.name,
          vectorFromArray(
            result.rows.map(r => convert(r[c.name], type)),
            type,
          ),
        ];
      }),
    ),
  );
}
