// @ts-check

/**
 * A topic's freshness: the end offsets (summed over partitions) at the last
 * refresh, and the refresh that first saw them grow (when the newest
 * message arrived, to within one refresh interval).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lakehouse_streams', table => {
    table.bigInteger('end_offsets');
    table.string('last_message_at', 32);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lakehouse_streams', table => {
    table.dropColumn('end_offsets');
    table.dropColumn('last_message_at');
  });
};
