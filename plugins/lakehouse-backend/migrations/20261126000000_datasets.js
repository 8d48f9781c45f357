// @ts-check

/**
 * Datasets of the lakehouse with their columns, tags and schema history, and
 * the full-text index dataset search runs on (FTS5 on SQLite, a generated
 * tsvector with a GIN index on PostgreSQL).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_datasets', table => {
    table.increments('seq').primary();
    table.string('id', 512).notNullable().unique();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 255).notNullable();
    table.text('description');
    table.string('domain', 255).index();
    table.string('layer', 64).index();
    table.string('system', 255);
    table.string('owner', 255).index();
    table.text('tags').notNullable().defaultTo('[]');
    table.string('classification', 32).index();
    table.integer('column_count').notNullable().defaultTo(0);
    table.bigInteger('row_count');
    table.bigInteger('size_bytes');
    table.integer('file_count');
    table.text('partition_columns').notNullable().defaultTo('[]');
    table.integer('partition_count');
    table.string('latest_partition', 255);
    table.string('last_modified', 32);
    table.text('location');
    table.string('status', 16).notNullable().defaultTo('active').index();
    table.string('removed_at', 32);
    table.text('contract');
    table.text('contract_problems').notNullable().defaultTo('[]');
    table.float('freshness_sla_hours');
    table.string('freshness_element', 255);
    table.string('first_seen_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    // Normalised text the search index is built from.
    table.text('search_name').notNullable().defaultTo('');
    table.text('search_columns').notNullable().defaultTo('');
    table.text('search_description').notNullable().defaultTo('');
    table.text('search_column_descriptions').notNullable().defaultTo('');
    table.index(['status', 'name']);
    // Covers the grouped facet scan (see DatasetStore.countAndFacets).
    table.index(
      ['status', 'domain', 'owner', 'classification', 'layer'],
      'lakehouse_datasets_facets_idx',
    );
    // The same columns looked up by seq, for the rows a search matched.
    table.index(
      ['seq', 'status', 'domain', 'owner', 'classification', 'layer'],
      'lakehouse_datasets_seq_facets_idx',
    );
  });

  await knex.schema.createTable('lakehouse_dataset_columns', table => {
    table
      .integer('dataset_seq')
      .notNullable()
      .references('seq')
      .inTable('lakehouse_datasets')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('name', 255).notNullable();
    table.text('type').notNullable();
    table.boolean('nullable').notNullable().defaultTo(true);
    table.text('description');
    table.string('classification', 32);
    table.text('children');
    table.string('drift', 32);
    table.primary(['dataset_seq', 'name']);
  });

  await knex.schema.createTable('lakehouse_dataset_tags', table => {
    table
      .integer('dataset_seq')
      .notNullable()
      .references('seq')
      .inTable('lakehouse_datasets')
      .onDelete('CASCADE');
    table.string('tag', 255).notNullable();
    table.primary(['dataset_seq', 'tag']);
    table.index(['tag', 'dataset_seq']);
  });

  await knex.schema.createTable('lakehouse_schema_versions', table => {
    table
      .integer('dataset_seq')
      .notNullable()
      .references('seq')
      .inTable('lakehouse_datasets')
      .onDelete('CASCADE');
    table.integer('version').notNullable();
    table.string('detected_at', 32).notNullable();
    table.text('columns').notNullable();
    table.text('added').notNullable();
    table.text('removed').notNullable();
    table.text('retyped').notNullable();
    table.primary(['dataset_seq', 'version']);
  });

  await knex.schema.createTable('lakehouse_sync_runs', table => {
    table.increments('id').primary();
    table.string('started_at', 32).notNullable();
    table.string('finished_at', 32).notNullable();
    table.text('summary').notNullable();
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      ALTER TABLE lakehouse_datasets ADD COLUMN search_vector tsvector
      GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_name), 'A') ||
        setweight(to_tsvector('simple'::regconfig, search_columns), 'B') ||
        setweight(to_tsvector('simple'::regconfig, search_description), 'C') ||
        setweight(to_tsvector('simple'::regconfig, search_column_descriptions), 'D')
      ) STORED`);
    await knex.raw(
      'CREATE INDEX lakehouse_datasets_search_idx ON lakehouse_datasets USING GIN (search_vector)',
    );
  } else {
    await knex.raw(`
      CREATE VIRTUAL TABLE lakehouse_datasets_fts USING fts5(
        search_name, search_columns, search_description, search_column_descriptions,
        content='lakehouse_datasets', content_rowid='seq'
      )`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_datasets_fts_insert AFTER INSERT ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_datasets_fts(rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES (new.seq, new.search_name, new.search_columns, new.search_description, new.search_column_descriptions);
      END`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_datasets_fts_delete AFTER DELETE ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_datasets_fts(lakehouse_datasets_fts, rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES ('delete', old.seq, old.search_name, old.search_columns, old.search_description, old.search_column_descriptions);
      END`);
    await knex.raw(`
      CREATE TRIGGER lakehouse_datasets_fts_update AFTER UPDATE ON lakehouse_datasets BEGIN
        INSERT INTO lakehouse_datasets_fts(lakehouse_datasets_fts, rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES ('delete', old.seq, old.search_name, old.search_columns, old.search_description, old.search_column_descriptions);
        INSERT INTO lakehouse_datasets_fts(rowid, search_name, search_columns, search_description, search_column_descriptions)
        VALUES (new.seq, new.search_name, new.search_columns, new.search_description, new.search_column_descriptions);
      END`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS lakehouse_datasets_fts_insert');
    await knex.raw('DROP TRIGGER IF EXISTS lakehouse_datasets_fts_delete');
    await knex.raw('DROP TRIGGER IF EXISTS lakehouse_datasets_fts_update');
    await knex.raw('DROP TABLE IF EXISTS lakehouse_datasets_fts');
  }
  await knex.schema.dropTable('lakehouse_sync_runs');
  await knex.schema.dropTable('lakehouse_schema_versions');
  await knex.schema.dropTable('lakehouse_dataset_tags');
  await knex.schema.dropTable('lakehouse_dataset_columns');
  await knex.schema.dropTable('lakehouse_datasets');
};
