// @ts-check

/**
 * A digest of what a sync last wrote for each dataset: a re-sync that finds
 * the same description skips the dataset (no writes). Empty for existing
 * rows, so the first sync after the upgrade writes each dataset once more.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.string('content_hash', 64);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.dropColumn('content_hash');
  });
};
