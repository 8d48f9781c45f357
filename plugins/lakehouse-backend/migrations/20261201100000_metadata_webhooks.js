// @ts-check

/**
 * Webhook deliveries of metadata sources (MLflow model-registry webhooks),
 * kept by delivery id so a replayed or retried delivery is handled once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('metadata_webhook_deliveries', table => {
    table.string('source_id', 128).notNullable();
    table.string('delivery_id', 128).notNullable();
    table.string('event', 128).notNullable();
    table.string('received_at', 32).notNullable().index();
    table.primary(['source_id', 'delivery_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('metadata_webhook_deliveries');
};
