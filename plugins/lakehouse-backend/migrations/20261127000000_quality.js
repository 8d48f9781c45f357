// @ts-check

// IF EXISTS: databases created by early builds lack these indexes.
/** @param {import('knex').Knex} knex */
async function dropFacetIndexes(knex) {
  for (const name of [
    'lakehouse_datasets_facets_idx',
    'lakehouse_datasets_seq_facets_idx',
  ]) {
    await knex.raw('DROP INDEX IF EXISTS ??', [name]);
  }
}

/**
 * Quality: check definitions from contracts (replaced at each sync), one
 * schedule per contract, runs (a queue any replica may claim), results per
 * check and run (the history), each dataset's health, acknowledgements.
 * The grade is also kept on `lakehouse_datasets`, so lists filter and sort by it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('quality_checks', table => {
    table.string('dataset_id', 767).notNullable();
    table.string('check_id', 255).notNullable();
    table.integer('position').notNullable();
    table.text('definition').notNullable();
    table.primary(['dataset_id', 'check_id']);
  });

  await knex.schema.createTable('quality_schedules', table => {
    table.string('dataset_id', 767).primary();
    table.string('cron', 128).notNullable();
    table.string('next_run_at', 32).notNullable();
    table.index(['next_run_at'], 'quality_schedules_due_idx');
  });

  await knex.schema.createTable('quality_runs', table => {
    table.string('id', 36).primary();
    table.string('dataset_id', 767).notNullable();
    table.string('status', 16).notNullable();
    table.float('progress').notNullable().defaultTo(0);
    table.string('trigger', 16).notNullable();
    table.string('source', 32).notNullable();
    // Imports replace the previous results of the same suite only.
    table.string('suite', 255).notNullable();
    table.string('requested_by', 255);
    table.string('created_at', 32).notNullable();
    table.string('started_at', 32);
    table.string('finished_at', 32);
    table.string('heartbeat_at', 32);
    table.text('error');
    table.float('score');
    table.string('grade', 1);
    table.bigInteger('row_count');
    table.text('dimensions');
    table.index(['dataset_id', 'created_at'], 'quality_runs_dataset_idx');
    table.index(['status', 'created_at'], 'quality_runs_status_idx');
  });

  await knex.schema.createTable('quality_results', table => {
    table.string('run_id', 36).notNullable();
    table.string('check_id', 255).notNullable();
    table.string('dataset_id', 767).notNullable();
    table.string('name', 512).notNullable();
    table.string('dimension', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('status', 16).notNullable();
    table.text('observed');
    table.text('expectation');
    table.bigInteger('failing_rows');
    table.text('message');
    table.text('defined_in');
    // Offending rows of the dataset's latest run only (older ones are cleared).
    table.text('sample');
    table.float('points_lost').notNullable().defaultTo(0);
    table.string('created_at', 32).notNullable();
    table.primary(['run_id', 'check_id']);
    table.index(
      ['dataset_id', 'check_id', 'created_at'],
      'quality_results_history_idx',
    );
  });

  await knex.schema.createTable('quality_health', table => {
    table.string('dataset_id', 767).primary();
    table.string('health', 16).notNullable();
    table.string('health_since', 32).notNullable();
    table.float('score');
    table.string('grade', 1);
    table.integer('failed_checks').notNullable().defaultTo(0);
    table.string('last_run_id', 36);
    table.string('last_run_at', 32);
  });

  await knex.schema.createTable('quality_acknowledgements', table => {
    table.string('id', 36).primary();
    table.string('dataset_id', 767).notNullable();
    table.string('check_id', 255).notNullable();
    table.string('run_id', 36);
    table.string('actor', 255).notNullable();
    table.text('comment').notNullable();
    table.string('created_at', 32).notNullable();
    table.index(['dataset_id', 'check_id'], 'quality_ack_check_idx');
  });

  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.string('quality_grade', 1);
    table.float('quality_score');
  });
  // The grade is a facet: the covering facet indexes gain it.
  await dropFacetIndexes(knex);
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.index(
      ['status', 'domain', 'owner', 'classification', 'layer', 'quality_grade'],
      'lakehouse_datasets_facets_idx',
    );
    table.index(
      [
        'seq',
        'status',
        'domain',
        'owner',
        'classification',
        'layer',
        'quality_grade',
      ],
      'lakehouse_datasets_seq_facets_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await dropFacetIndexes(knex);
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.index(
      ['status', 'domain', 'owner', 'classification', 'layer'],
      'lakehouse_datasets_facets_idx',
    );
    table.index(
      ['seq', 'status', 'domain', 'owner', 'classification', 'layer'],
      'lakehouse_datasets_seq_facets_idx',
    );
  });
  await knex.schema.alterTable('lakehouse_datasets', table => {
    table.dropColumn('quality_grade');
    table.dropColumn('quality_score');
  });
  for (const name of [
    'quality_acknowledgements',
    'quality_health',
    'quality_results',
    'quality_runs',
    'quality_schedules',
    'quality_checks',
  ]) {
    await knex.schema.dropTable(name);
  }
};
