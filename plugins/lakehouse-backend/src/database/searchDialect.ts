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
   * The narrow rows lists read (`lakehouse_dataset_search` columns as `d`)
   * restricted to the matches; when `ranked`, also the `rank` column
   * (ascending = most relevant).
   */
  datasets(db: Knex, ranked: boolean): Knex.QueryBuilder;
  /** The column that orders a ranked query. */
  readonly rank: string;
}

/**
 * The one place where SQLite and PostgreSQL differ for dataset search. A
 * query matches when it has every word, the last as a prefix (for
 * search-as-you-type); relevance weighs name > column names > description >
 * column descriptions.
 *
 * SQLite evaluates the query once per request into a temp table inside a
 * transaction (which pins the connection). When the counts are read too
 * and no facet filter narrows them, every query reads every match, so the
 * matches' narrow rows are copied there once; otherwise the keys and ranks
 * are, and each query joins them. PostgreSQL runs the queries in parallel
 * on the pool, each matching through the GIN index in the same pass over
 * the table, and computes the rank for the page query only.
 */
export interface SearchDialect {
  withSearch<T>(
    db: Knex,
    words: string[],
    options: SearchOptions,
    work: (db: Knex, search: PreparedSearch) => Promise<T>,
  ): Promise<T>;
}

export interface SearchOptions {
  /** Total and facet counts will be read from the matches too. */
  counting: boolean;
  /** Facet filters narrow the datasets (their index may lead the join). */
  facetFiltered: boolean;
}

const sqliteDialect: SearchDialect = {
  withSearch(db, words, options, work) {
    const match = words
      .map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`)
      .join(' AND ');
    const rank = 'bm25(lakehouse_datasets_fts, 10.0, 4.0, 2.0, 1.0)';
    return db.transaction(async tx => {
      await tx.raw('DROP TABLE IF EXISTS temp.lakehouse_matches');
      // With facet filters, their index narrows the page and tag queries
      // through the join; a copy of every match would lose that.
      if (options.counting && !options.facetFiltered) {
        // CROSS JOIN: from the text index's matches to their narrow rows.
        await tx.raw(
          `CREATE TEMP TABLE lakehouse_matches AS
           SELECT d.*, ${rank} AS rank
           FROM lakehouse_datasets_fts AS f
           CROSS JOIN lakehouse_dataset_search AS d ON d.seq = f.rowid
           WHERE lakehouse_datasets_fts MATCH ?`,
          [match],
        );
        return work(tx, {
          datasets: q => q.from(q.raw('temp.lakehouse_matches AS d')),
          rank: 'd.rank',
        });
      }
      // seq as INTEGER PRIMARY KEY: the join looks matches up by rowid.
      await tx.raw(
        'CREATE TEMP TABLE lakehouse_matches (seq INTEGER PRIMARY KEY, rank REAL NOT NULL)',
      );
      await tx.raw(
        `INSERT INTO temp.lakehouse_matches (seq, rank)
         SELECT rowid, ${rank} FROM lakehouse_datasets_fts
         WHERE lakehouse_datasets_fts MATCH ?`,
        [match],
      );
      // Without facet filters SQLite's planner would scan every dataset and
      // probe the matches; CROSS JOIN makes it start from the matches.
      const join = options.facetFiltered ? 'JOIN' : 'CROSS JOIN';
      return work(tx, {
        datasets: q =>
          q.from(
            q.raw(
              `temp.lakehouse_matches AS m ${join} lakehouse_dataset_search AS d ON d.seq = m.seq`,
            ),
          ),
        rank: 'm.rank',
      });
    });
  },
};

const postgresDialect: SearchDialect = {
  withSearch(db, words, _options, work) {
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
      rank: 'm.rank',
    });
  },
};

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

export function searchDialectFor(knex: Knex): SearchDialect {
  return isPostgres(knex) ? postgresDialect : sqliteDialect;
}
