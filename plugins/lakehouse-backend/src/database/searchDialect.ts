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

/**
 * The one place where SQLite and PostgreSQL differ for dataset search.
 * `materializeMatches` evaluates the query once per request into the
 * connection-local temp table `lakehouse_matches(seq, rank)`, rank ascending
 * = most relevant (name > column names > description > column descriptions);
 * the page, count and facet queries then join it instead of each searching
 * again. A query matches when it has every word, the last as a prefix (for
 * search-as-you-type). Call it inside a transaction, which pins the connection.
 */
export interface SearchDialect {
  materializeMatches(tx: Knex.Transaction, words: string[]): Promise<void>;
  /**
   * The join that starts from the (smaller) matches: SQLite's planner would
   * otherwise scan all datasets and probe the matches, CROSS JOIN fixes the
   * order there; PostgreSQL plans it well with a plain JOIN.
   */
  readonly drivingJoin: 'CROSS JOIN' | 'JOIN';
}

export const MATCHES_TABLE = 'lakehouse_matches';

const sqliteDialect: SearchDialect = {
  drivingJoin: 'CROSS JOIN',
  async materializeMatches(tx, words) {
    const match = words
      .map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`)
      .join(' AND ');
    await tx.raw(`DROP TABLE IF EXISTS temp.${MATCHES_TABLE}`);
    // seq as INTEGER PRIMARY KEY: the joins look matches up by rowid.
    await tx.raw(
      `CREATE TEMP TABLE ${MATCHES_TABLE} (seq INTEGER PRIMARY KEY, rank REAL NOT NULL)`,
    );
    await tx.raw(
      `INSERT INTO temp.${MATCHES_TABLE} (seq, rank)
       SELECT rowid, bm25(lakehouse_datasets_fts, 10.0, 4.0, 2.0, 1.0)
       FROM lakehouse_datasets_fts WHERE lakehouse_datasets_fts MATCH ?`,
      [match],
    );
  },
};

const postgresDialect: SearchDialect = {
  drivingJoin: 'JOIN',
  async materializeMatches(tx, words) {
    const tsquery = words
      .map((w, i) => (i === words.length - 1 ? `${w}:*` : w))
      .join(' & ');
    await tx.raw(
      `CREATE TEMP TABLE ${MATCHES_TABLE} ON COMMIT DROP AS
       SELECT seq, -ts_rank(search_vector, q, 1) AS rank
       FROM lakehouse_datasets, to_tsquery('simple', ?) AS q
       WHERE search_vector @@ q`,
      [tsquery],
    );
    await tx.raw(`ANALYZE ${MATCHES_TABLE}`);
  },
};

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

export function searchDialectFor(knex: Knex): SearchDialect {
  return isPostgres(knex) ? postgresDialect : sqliteDialect;
}
