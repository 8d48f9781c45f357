import { Knex } from 'knex';

/**
 * Words of free text as the search index sees them: lowercase letters and
 * digits, everything else a separator (so `customer_id` is `customer id` and
 * `commerce.curated.orders` is three words).
 */
export function searchWords(text: string | undefined): string[] {
  return (text ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function searchText(...parts: Array<string | undefined>): string {
  return parts.flatMap(searchWords).join(' ');
}

/** A search made ready for the queries of one request. */
export interface PreparedSearch {
  /**
   * `lakehouse_dataset_search AS d` (the narrow copy lists read)
   * restricted to the matches; when `ranked`, also
   * `m.rank` (ascending = most relevant). `join` is the join to use when the
   * matches come from a table of their own (see drivingJoin).
   */
  datasets(db: Knex, ranked: boolean, join: string): Knex.QueryBuilder;
}

/**
 * The one place where SQLite and PostgreSQL differ for dataset search. A
 * query matches when it has every word, the last as a prefix (for
 * search-as-you-type); relevance weighs name > column names > description >
 * column descriptions.
 *
 * SQLite evaluates the query once per request into a temp table inside a
 * transaction (which pins the connection), and the page, count and facet
 * queries join it. PostgreSQL runs the queries in parallel on the pool, each
 * matching through the GIN index in the same pass over the table, and
 * computes the rank for the page query only.
 */
export interface SearchDialect {
  withSearch<T>(
    db: Knex,
    words: string[],
    work: (db: Knex, search: PreparedSearch) => Promise<T>,
  ): Promise<T>;
  /**
   * Join that starts from the matches when nothing else narrows the
   * datasets: SQLite's planner would scan every dataset and probe the
   * matches, CROSS JOIN fixes the order; PostgreSQL plans it well itself.
   */
  readonly drivingJoin: 'CROSS JOIN' | 'JOIN';
}

const MATCHES_TABLE = 'temp.lakehouse_matches';

const sqliteDialect: SearchDialect = {
  drivingJoin: 'CROSS JOIN',
  withSearch(db, words, work) {
    const match = words
      .map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`)
      .join(' AND ');
    return db.transaction(async tx => {
      await tx.raw(`DROP TABLE IF EXISTS ${MATCHES_TABLE}`);
      // seq as INTEGER PRIMARY KEY: the joins look matches up by rowid.
      await tx.raw(
        `CREATE TEMP TABLE lakehouse_matches (seq INTEGER PRIMARY KEY, rank REAL NOT NULL)`,
      );
      await tx.raw(
        `INSERT INTO ${MATCHES_TABLE} (seq, rank)
         SELECT rowid, bm25(lakehouse_datasets_fts, 10.0, 4.0, 2.0, 1.0)
         FROM lakehouse_datasets_fts WHERE lakehouse_datasets_fts MATCH ?`,
        [match],
      );
      return work(tx, {
        datasets: (q, _ranked, join) =>
          q.from(
            q.raw(
              `${MATCHES_TABLE} AS m ${join} lakehouse_dataset_search AS d ON d.seq = m.seq`,
            ),
          ),
      });
    });
  },
};

const postgresDialect: SearchDialect = {
  drivingJoin: 'JOIN',
  withSearch(db, words, work) {
    const tsquery = words
      .map((w, i) => (i === words.length - 1 ? `${w}:*` : w))
      .join(' & ');
    // One pass over the table per query: the GIN index finds the matches
    // and the rank is computed beside each matching row of the page query.
    return work(db, {
      datasets: (q, ranked) => {
        const qb: Knex.QueryBuilder = ranked
          ? q.from(
              q.raw(
                `lakehouse_dataset_search AS d CROSS JOIN LATERAL
                 (SELECT -ts_rank(d.search_vector, to_tsquery('simple', ?), 1) AS rank) AS m`,
                [tsquery],
              ),
            )
          : q('lakehouse_dataset_search as d');
        return qb.whereRaw("d.search_vector @@ to_tsquery('simple', ?)", [
          tsquery,
        ]);
      },
    });
  },
};

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

export function searchDialectFor(knex: Knex): SearchDialect {
  return isPostgres(knex) ? postgresDialect : sqliteDialect;
}
