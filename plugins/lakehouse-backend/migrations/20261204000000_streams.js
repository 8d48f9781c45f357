// @ts-check

/**
 * Streaming topics are datasets (lakehouse_datasets, namespace
 * `kafka://host:port`); what only the cluster knows of them lives here:
 * partitions, retention, retained messages and the consumer groups with
 * their lag, as of the last successful refresh of the cluster. A refresh
 * that fails leaves these rows as they were.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_streams', table => {
    table.string('dataset_id', 767).primary();
    table.string('source_id', 128).notNullable().index();
    table.integer('partitions').notNullable();
    table.integer('replication_factor');
    table.bigInteger('retention_ms');
    table.bigInteger('messages').notNullable();
    table.text('consumers').notNullable();
    table.string('observed_at', 32).notNullable();
    // Hash of the dataset record last written for the topic: an unchanged
    // topic and contract cost no dataset writes.
    table.string('record_hash', 64).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lakehouse_streams');
};
