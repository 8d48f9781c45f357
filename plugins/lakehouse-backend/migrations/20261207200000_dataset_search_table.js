// @ts-check

/**
 * A narrow copy of what listing and search read (status, name, the facet
 * and sort columns and, on PostgreSQL, the text vector), so a broad match
 * reads small rows instead of the wide dataset rows with their contracts.
 * The database keeps it: triggers on lakehouse_datasets copy every insert
 * and update, and a delete cascades. The wide table loses its facet
 * indexes and, on PostgreSQL, its vector: nothing reads them any more.
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

const VECTOR = (row = 'NEW') => `
  setweight(to_tsvector('simple'::regconfig, ${row}.search_name), 'A') ||
  setweight(to_tsvector('simple'::regconfig, ${row}.search_columns), 'B') ||
  setweight(to_tsvector('simple'::regconfig, ${row}.search_description), 'C') ||
  setweight(to_tsvector('simple'::regconfig, ${row}.search_column_descriptions), 'D')`;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const pg = knex.client.config.client === 'pg';
  await knex.schema.createTable(
    'lakehouse_dataset_search',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table
        .integer('seq')
        .primary()
        .references('seq')
        .inTable('lakehouse_datasets')
        .onDelete('CASCADE');
      table.string('status', 16).notNullable();
      table.string('name', 255).notNullable();
      table.string('domain', 255);
      table.string('owner', 255);
      table.string('classification', 32);
      table.string('layer', 64);
      table.string('quality_grade', 1);
      table.bigInteger('row_count');
      table.bigInteger('size_bytes');
      table.string('last_modified', 32);
      table.float('quality_score');
      if (pg) table.specificType('search_vector', 'tsvector');
      table.index(['status', 'name'], 'lakehouse_dataset_search_name_idx');
      // Covers the facet counts of a list without a query.
      table.index(
        [
          'status',
          'domain',
          'owner',
          'classification',
          'layer',
          'quality_grade',
        ],
        'lakehouse_dataset_search_facets_idx',
      );
      table.index(['owner'], 'lakehouse_dataset_search_owner_idx');
      table.index(['classification'], 'lakehouse_dataset_search_class_idx');
    },
  );
  const columns = COPIED.join(', ');
  const values = COPIED.map(c => `NEW.${c}`).join(', ');
  if (pg) {
    await knex.raw(`
      INSERT INTO lakehouse_dataset_search (seq, ${columns}, search_vector)
      SELECT seq, ${columns}, search_vector FROM lakehouse_datasets`);
    await knex.raw(
      'CREATE INDEX lakehouse_dataset_search_vector_idx ON lakehouse_dataset_search USING GIN (search_vector)',
    );
    await knex.raw(`
      CREATE FUNCTION lakehouse_dataset_search_copy() RETURNS trigger AS $$
      BEGIN
        INSERT INTO lakehouse_dataset_search (seq, ${columns}, search_vector)
        VALUES (NEW.seq, ${values}, ${VECTOR()})
        ON CONFLICT (seq) DO UPDATE SET
          ${COPIED.map(c => `${c} = EXCLUDED.${c}`).join(', ')},
          search_vector = EXCLUDED.search_vector;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_dataset_search_copy
      AFTER INSERT OR UPDATE ON lakehouse_datasets
      FOR EACH ROW EXECUTE FUNCTION lakehouse_dataset_search_copy()`);
    await knex.raw('DROP INDEX lakehouse_datasets_search_idx');
    await knex.raw('ALTER TABLE lakehouse_datasets DROP COLUMN search_vector');
  } else {
    await knex.raw(`
      INSERT INTO lakehouse_dataset_search (seq, ${columns})
      SELECT seq, ${columns} FROM lakehouse_datasets`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_dataset_search_insert AFTER INSERT ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_dataset_search (seq, ${columns}) VALUES (NEW.seq, ${values});
      END`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_dataset_search_update AFTER UPDATE ON lakehouse_datasets BEGIN
        UPDATE lakehouse_dataset_search SET ${COPIED.map(
          c => `${c} = NEW.${c}`,
        ).join(', ')} WHERE seq = NEW.seq;
      END`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_dataset_search_delete AFTER DELETE ON lakehouse_datasets BEGIN
        DELETE FROM lakehouse_dataset_search WHERE seq = OLD.seq;
      END`);
    // The text index changes only when the text does (not on a quality score).
    await knex.raw('DROP TRIGGER lakehouse_datasets_fts_update');
    await knex.raw(`
      CREATE TRIGGER lakehouse_datasets_fts_update
      AFTER UPDATE OF search_name, search_columns, search_description, search_column_descriptions
      ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_datasets_fts(lakehouse_datasets_fts, rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES ('delete', old.seq, old.search_name, old.search_columns, old.search_description, old.search_column_descriptions);
        INSERT INTO lakehouse_datasets_fts(rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES (new.seq, new.search_name, new.search_columns, new.search_description, new.search_column_descriptions);
      END`);
  }
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.dropIndex([], 'lakehouse_datasets_facets_idx');
    table.dropIndex([], 'lakehouse_datasets_seq_facets_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const pg = knex.client.config.client === 'pg';
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.index(
      ['status', 'domain', 'owner', 'classification', 'layer', 'quality_grade'],
      'lakehouse_datasets_facets_idx',
    );
    table.index(
      [
        'seq',
        'status',
        'domain',
        'owner',
        'classification',
        'layer',
        'quality_grade',
      ],
      'lakehouse_datasets_seq_facets_idx',
    );
  });
  if (pg) {
    await knex.raw(
      'DROP TRIGGER lakehouse_dataset_search_copy ON lakehouse_datasets',
    );
    await knex.raw('DROP FUNCTION lakehouse_dataset_search_copy');
    await knex.raw(`
      ALTER TABLE lakehouse_datasets ADD COLUMN search_vector tsvector
      GENERATED ALWAYS AS (${VECTOR('lakehouse_datasets')}) STORED`);
    await knex.raw(
      'CREATE INDEX lakehouse_datasets_search_idx ON lakehouse_datasets USING GIN (search_vector)',
    );
  } else {
    for (const t of ['insert', 'update', 'delete'])
      await knex.raw(`DROP TRIGGER lakehouse_dataset_search_${t}`);
    await knex.raw('DROP TRIGGER lakehouse_datasets_fts_update');
    await knex.raw(`
      CREATE TRIGGER lakehouse_datasets_fts_update AFTER UPDATE ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_datasets_fts(lakehouse_datasets_fts, rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES ('delete', old.seq, old.search_name, old.search_columns, old.search_description, old.search_column_descriptions);
        INSERT INTO lakehouse_datasets_fts(rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES (new.seq, new.search_name, new.search_columns, new.search_description, new.search_column_descriptions);
      END`);
  }
  await knex.schema.dropTable('lakehouse_dataset_search');
};
