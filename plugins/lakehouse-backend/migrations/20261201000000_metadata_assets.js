// @ts-check

/**
 * Assets of metadata sources (Feast: entities, feature views, feature
 * services; later MLflow models) and the state of each source's syncs.
 * - metadata_assets: one row per asset, keyed by asset id, with the
 *   source's change marker (`version`) so an unchanged asset costs no
 *   writes; `inputs` are the resolved inputs (asset or dataset ids with the
 *   field mapping); classification, domain, grade and owner are derived by
 *   the portal and rewritten only when they change;
 * - metadata_sources: last attempt, last success and last error (with its
 *   time) per source; a failed read leaves the assets as they were.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('metadata_assets', table => {
    table.string('id', 767).primary();
    table.string('source_id', 128).notNullable().index();
    table.string('kind', 32).notNullable();
    table.string('project', 255).notNullable();
    table.string('name', 512).notNullable();
    table.string('type', 64);
    table.text('description');
    table.string('owner_email', 255);
    table.string('owner', 255);
    table.text('tags').notNullable();
    table.text('fields').notNullable();
    table.text('inputs').notNullable();
    table.text('details').notNullable();
    // `|a|b|`: entity facet filters match `%|a|%`.
    table.text('entities').notNullable();
    table.boolean('online');
    table.string('version', 128).notNullable();
    table.string('classification', 32);
    table.string('domain', 128);
    table.string('system', 128);
    table.string('quality_grade', 4);
    table.integer('feature_count').notNullable();
    table.text('search_text').notNullable();
    table.string('first_seen_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.index(['kind', 'name'], 'metadata_assets_kind_name_idx');
  });
  await knex.schema.createTable('metadata_sources', table => {
    table.string('id', 128).primary();
    table.string('kind', 32).notNullable();
    table.string('last_attempt_at', 32);
    table.string('last_success_at', 32);
    table.text('error_message');
    table.string('error_at', 32);
    table.integer('asset_count').notNullable().defaultTo(0);
    table.integer('last_written');
    table.integer('last_duration_ms');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('metadata_sources');
  await knex.schema.dropTable('metadata_assets');
};
