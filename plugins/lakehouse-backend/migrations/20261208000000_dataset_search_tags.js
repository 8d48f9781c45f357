// @ts-check

/**
 * The narrow search rows also carry the dataset's tags (the JSON list of the
 * wide row), so the tag counts of a search are read from the matches
 * themselves instead of one index probe into lakehouse_dataset_tags per
 * matching tag. The tag table stays: tag filters and lists without a query
 * read it. The copy triggers of the previous migration now copy tags too.
 */

const COPIED = [
  'status',
  'name',
  'domain',
  'owner',
  'classification',
  'layer',
  'quality_grade',
  'row_count',
  'size_bytes',
  'last_modified',
  'quality_score',
];

const VECTOR = `
  setweight(to_tsvector('simple'::regconfig, NEW.search_name), 'A') ||
  setweight(to_tsvector('simple'::regconfig, NEW.search_columns), 'B') ||
  setweight(to_tsvector('simple'::regconfig, NEW.search_description), 'C') ||
  setweight(to_tsvector('simple'::regconfig, NEW.search_column_descriptions), 'D')`;

/**
 * The copy triggers for these columns.
 * @param {import('knex').Knex} knex
 * @param {string[]} copied
 */
async function copyTriggers(knex, copied) {
  const columns = copied.join(', ');
  const values = copied.map(c => `NEW.${c}`).join(', ');
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION lakehouse_dataset_search_copy() RETURNS trigger AS $$
      BEGIN
        INSERT INTO lakehouse_dataset_search (seq, ${columns}, search_vector)
        VALUES (NEW.seq, ${values}, ${VECTOR})
        ON CONFLICT (seq) DO UPDATE SET
          ${copied.map(c => `${c} = EXCLUDED.${c}`).join(', ')},
          search_vector = EXCLUDED.search_vector;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    return;
  }
  await knex.raw('DROP TRIGGER lakehouse_dataset_search_insert');
  await knex.raw('DROP TRIGGER lakehouse_dataset_search_update');
  await knex.raw(`
    CREATE TRIGGER lakehouse_dataset_search_insert AFTER INSERT ON lakehouse_datasets BEGIN
      INSERT INTO lakehouse_dataset_search (seq, ${columns}) VALUES (NEW.seq, ${values});
    END`);
  await knex.raw(`
    CREATE TRIGGER lakehouse_dataset_search_update AFTER UPDATE ON lakehouse_datasets BEGIN
      UPDATE lakehouse_dataset_search SET ${copied
        .map(c => `${c} = NEW.${c}`)
        .join(', ')} WHERE seq = NEW.seq;
    END`);
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lakehouse_dataset_search', table => {
    table.text('tags');
  });
  if (knex.client.config.client === 'pg') {
    // Rewritten instead of updated: an UPDATE of every row leaves the table
    // (and its GIN index) twice its size until VACUUM FULL, and searches
    // were 2.5 times slower on 100,000 datasets.
    const columns = ['seq', ...COPIED, 'search_vector'];
    const list = columns.join(', ');
    await knex.transaction(async tx => {
      await tx.raw(`
        CREATE TEMP TABLE lakehouse_dataset_search_rows AS
        SELECT ${columns.map(c => `s.${c}`).join(', ')}, w.tags
        FROM lakehouse_dataset_search s
        JOIN lakehouse_datasets w ON w.seq = s.seq`);
      await tx.raw('TRUNCATE lakehouse_dataset_search');
      await tx.raw(`
        INSERT INTO lakehouse_dataset_search (${list}, tags)
        SELECT ${list}, tags FROM lakehouse_dataset_search_rows`);
      await tx.raw('DROP TABLE lakehouse_dataset_search_rows');
    });
  } else {
    await knex.raw(`
      UPDATE lakehouse_dataset_search SET tags = (
        SELECT w.tags FROM lakehouse_datasets w
        WHERE w.seq = lakehouse_dataset_search.seq)`);
  }
  await copyTriggers(knex, [...COPIED, 'tags']);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await copyTriggers(knex, COPIED);
  // Not knex's dropColumn: on SQLite it rebuilds the table, losing its triggers.
  await knex.raw('ALTER TABLE lakehouse_dataset_search DROP COLUMN tags');
};
