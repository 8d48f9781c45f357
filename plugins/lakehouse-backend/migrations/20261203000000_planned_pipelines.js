// @ts-check

/**
 * Pipelines a template planned (`lakehouse:dataset:plan`): the job, its
 * inputs and its output, shown as planned in the lineage graph until the
 * first run reports them; the output's contract is used by the lakehouse
 * sync once the table exists (a contract in the contracts directory wins).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_planned_pipelines', table => {
    table.string('job_id', 512).primary();
    table.string('output_id', 512).notNullable().index();
    table.text('inputs').notNullable();
    table.string('owner', 255).notNullable();
    table.string('project', 255);
    table.text('contract');
    table.string('planned_by', 255).notNullable();
    table.string('planned_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lakehouse_planned_pipelines');
};
