import { Knex } from 'knex';
import { isPostgres } from './searchDialect';

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_BINDINGS = 60_000;

/**
 * Runs writes that touch different rows as few statements as possible: on
 * PostgreSQL one statement of data-modifying CTEs (one round trip instead of
 * one per write, which is what an ingest batch mostly waited on); on SQLite,
 * which has no network and no writing CTEs, one after the other. Call inside
 * a transaction when they must all happen or none.
 */
export async function runWrites(
  db: Knex,
  writes: Knex.QueryBuilder[],
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
