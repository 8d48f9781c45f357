// @ts-check

/**
 * One row per query of the query API (`POST /query`): who, what SQL, which
 * datasets, which columns were masked, how it ended. Refused queries are
 * recorded too.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_query_audit', table => {
    table.increments('id');
    table.string('actor', 255).notNullable();
    table.string('at', 32).notNullable();
    table.text('sql').notNullable();
    table.text('datasets').notNullable();
    table.text('masked').notNullable();
    table.string('status', 16).notNullable();
    table.integer('rows');
    table.integer('duration_ms');
    table.text('error');
    table.index(['actor', 'at'], 'lakehouse_query_audit_actor_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lakehouse_query_audit');
};
