// @ts-check

/**
 * How many failed checks of a dataset's scorecard are of severity error
 * (what makes it failing), for the data-health metrics. Rows written before
 * stay null until the dataset's next run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('quality_health', table => {
    table.integer('failed_error_checks');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('quality_health', table => {
    table.dropColumn('failed_error_checks');
  });
};
