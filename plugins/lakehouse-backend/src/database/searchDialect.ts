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
 * The one place where SQLite and PostgreSQL differ for dataset search. A
 * query matches when it has every word (the last as a prefix, for
 * search-as-you-type). `whereMatches` only filters (counts, facets);
 * `joinRanked` also joins `m(seq, rank)`, rank ascending = most relevant,
 * weighted name > column names > description > column descriptions.
 */
export interface SearchDialect {
  whereMatches(query: Knex.QueryBuilder, words: string[]): Knex.QueryBuilder;
  joinRanked(query: Knex.QueryBuilder, words: string[]): Knex.QueryBuilder;
}

const ftsMatch = (words: string[]) =>
  words
    .map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`)
    .join(' AND ');

const tsQuery = (words: string[]) =>
  words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');

const sqliteDialect = (knex: Knex): SearchDialect => ({
  whereMatches(query, words) {
    return query.whereRaw(
      'd.seq IN (SELECT rowid FROM lakehouse_datasets_fts WHERE lakehouse_datasets_fts MATCH ?)',
      [ftsMatch(words)],
    );
  },
  joinRanked(query, words) {
    return query.join(
      knex.raw(
        `(SELECT rowid AS seq, bm25(lakehouse_datasets_fts, 10.0, 4.0, 2.0, 1.0) AS rank
          FROM lakehouse_datasets_fts WHERE lakehouse_datasets_fts MATCH ?) AS m`,
        [ftsMatch(words)],
      ),
      'm.seq',
      'd.seq',
    );
  },
});

const postgresDialect = (knex: Knex): SearchDialect => ({
  whereMatches(query, words) {
    return query.whereRaw("d.search_vector @@ to_tsquery('simple', ?)", [
      tsQuery(words),
    ]);
  },
  joinRanked(query, words) {
    return query.join(
      knex.raw(
        `(SELECT seq, -ts_rank(search_vector, q, 1) AS rank
          FROM lakehouse_datasets, to_tsquery('simple', ?) AS q
          WHERE search_vector @@ q) AS m`,
        [tsQuery(words)],
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
