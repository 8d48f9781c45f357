import { Knex } from 'knex';
import { isPostgres } from './searchDialect';

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_BINDINGS = 60_000;

/** Rows to insert into a table, and what a conflict does (`ON CONFLICT …`, the same SQL on both databases). */
export interface RowsUpsert {
  table: string;
  /** At least one row; every row has the same keys: the columns written. */
  rows: Array<Record<string, string | boolean | null | undefined>>;
  /** Columns that are booleans (PostgreSQL reads the others as text). */
  booleans?: string[];
  onConflict: string;
}

/**
 * An insert of many rows. PostgreSQL gets the rows as one JSON parameter
 * (`json_to_recordset`): a fixed, short statement whose rows cost the
 * backend no placeholder text, parameter processing or protocol framing
 * per value, which is most of an ingest batch's work. SQLite, in process,
 * gets an ordinary VALUES list.
 */
export function upsertRows(db: Knex, upsert: RowsUpsert): Knex.Raw {
  const names = Object.keys(upsert.rows[0]);
  const list = names.join(', ');
  if (isPostgres(db)) {
    const types = names
      .map(c => `${c} ${upsert.booleans?.includes(c) ? 'boolean' : 'text'}`)
      .join(', ');
    return db.raw(
      `INSERT INTO ${upsert.table} (${list}) SELECT ${list} FROM json_to_recordset(?::json) AS x(${types}) ${upsert.onConflict}`,
      [JSON.stringify(upsert.rows)],
    );
  }
  const row = `(${names.map(() => '?').join(', ')})`;
  return db.raw(
    `INSERT INTO ${upsert.table} (${list}) VALUES ${upsert.rows
      .map(() => row)
      .join(', ')} ${upsert.onConflict}`,
    upsert.rows.flatMap(r => names.map(c => r[c] ?? null)),
  );
}

/**
 * Runs writes that touch different rows as few statements as possible: on
 * PostgreSQL one statement of data-modifying CTEs (one round trip instead of
 * one per write); on SQLite, which has no network and no writing CTEs, one
 * after the other. Call inside a transaction when they must all happen or
 * none.
 */
export async function runWrites(
  db: Knex,
  writes: Array<Knex.QueryBuilder | Knex.Raw>,
): Promise<void> {
  if (!isPostgres(db) || writes.length < 2) {
    for (const write of writes) await write;
    return;
  }
  let parts: string[] = [];
  let bindings: unknown[] = [];
  const flush = async () => {
    if (parts.length === 0) return;
    const ctes = parts.map((sql, i) => `w${i} AS (${sql})`).join(', ');
    await db.raw(`WITH ${ctes} SELECT 1`, bindings as Knex.RawBinding[]);
    parts = [];
    bindings = [];
  };
  for (const write of writes) {
    const { sql, bindings: own } = write.toSQL();
    if (bindings.length + own.length > MAX_BINDINGS) await flush();
    parts.push(sql);
    bindings.push(...own);
  }
  await flush();
}
