// @ts-check

/**
 * Which worker (replica) holds a running quality run, and how many times it
 * was claimed: a run whose worker stops sending heartbeats goes back to the
 * queue for another replica (up to three claims), and only the holder may
 * write its results.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('quality_runs', table => {
    table.string('claimed_by', 36);
    table.integer('attempts').notNullable().defaultTo(0);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('quality_runs', table => {
    table.dropColumn('claimed_by');
    table.dropColumn('attempts');
  });
};
