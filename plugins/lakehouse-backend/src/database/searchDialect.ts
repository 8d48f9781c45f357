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
 * The one place where SQLite and PostgreSQL differ for dataset search: both
 * join a derived table `m(seq, rank)` of the datasets matching every word of
 * the query (the last word as a prefix, for search-as-you-type), `rank`
 * ascending = most relevant. Weights: name > column names > description >
 * column descriptions.
 */
export interface SearchDialect {
  joinMatches(query: Knex.QueryBuilder, words: string[]): Knex.QueryBuilder;
}

const sqliteDialect = (knex: Knex): SearchDialect => ({
  joinMatches(query, words) {
    const match = words
      .map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`)
      .join(' AND ');
    return query.join(
      knex.raw(
        `(SELECT rowid AS seq, bm25(lakehouse_datasets_fts, 10.0, 4.0, 2.0, 1.0) AS rank
          FROM lakehouse_datasets_fts WHERE lakehouse_datasets_fts MATCH ?) AS m`,
        [match],
      ),
      'm.seq',
      'd.seq',
    );
  },
});

const postgresDialect = (knex: Knex): SearchDialect => ({
  joinMatches(query, words) {
    const tsquery = words
      .map((w, i) => (i === words.length - 1 ? `${w}:*` : w))
      .join(' & ');
    return query.join(
      knex.raw(
        `(SELECT seq, -ts_rank(search_vector, q, 1) AS rank
          FROM lakehouse_datasets, to_tsquery('simple', ?) AS q
          WHERE search_vector @@ q) AS m`,
        [tsquery],
      ),
      'm.seq',
      'd.seq',
    );
  },
});

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

export function searchDialectFor(knex: Knex): SearchDialect {
  return isPostgres(knex) ? postgresDialect(knex) : sqliteDialect(knex);
}
