// @ts-check

/**
 * Topics created through the portal (`POST /streams/topics`, the streaming
 * template's "new topic") with the ODCS contract they were created with.
 * Used like planned contracts: the stream sync applies them, and a file of
 * the contracts directory for the same topic wins.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_topic_contracts', table => {
    table.string('dataset_id', 767).primary();
    table.string('source_id', 128).notNullable();
    table.string('topic', 255).notNullable();
    table.string('owner', 255).notNullable();
    table.string('project', 255);
    table.text('contract').notNullable();
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lakehouse_topic_contracts');
};
