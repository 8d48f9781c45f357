// @ts-check

/**
 * Lineage graph: nodes (datasets and jobs, keyed by asset id), table-level
 * edges (dataset → job → dataset), column-level edges, runs, the received
 * OpenLineage events (kept verbatim; their hash makes ingestion idempotent)
 * and audited classification overrides.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lineage_nodes', table => {
    table.string('id', 767).primary();
    table.string('kind', 16).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 512).notNullable();
    table.text('description');
    table.text('owners');
    table.text('fields');
    table.text('data_source');
    table.text('source_code');
    table.text('sql');
    // Per-job declaration that its outputs carry no classification.
    table.boolean('declassifies');
    table.string('updated_at', 32).notNullable();
  });

  // OpenLineage identities (name, symlink) resolved to a node id.
  await knex.schema.createTable('lineage_aliases', table => {
    table.string('alias', 767).primary();
    table.string('node_id', 767).notNullable();
  });

  await knex.schema.createTable('lineage_edges', table => {
    table.string('source_id', 767).notNullable();
    table.string('target_id', 767).notNullable();
    table.primary(['source_id', 'target_id']);
    table.index(['target_id', 'source_id'], 'lineage_edges_target_idx');
  });

  await knex.schema.createTable('lineage_column_edges', table => {
    table.string('source_id', 767).notNullable();
    table.string('source_column', 255).notNullable();
    table.string('target_id', 767).notNullable();
    table.string('target_column', 255).notNullable();
    table.string('job_id', 767);
    table.string('transformation_type', 32);
    table.string('transformation_subtype', 32);
    table.text('transformation_description');
    table.boolean('masking').notNullable().defaultTo(false);
    table.primary(['target_id', 'target_column', 'source_id', 'source_column']);
    table.index(
      ['source_id', 'source_column'],
      'lineage_column_edges_source_idx',
    );
  });

  await knex.schema.createTable('lineage_runs', table => {
    table.string('run_id', 64).primary();
    table.string('job_id', 767).notNullable().index();
    table.string('state', 16).notNullable();
    table.string('state_time', 40).notNullable();
    table.string('started_at', 40);
    table.string('ended_at', 40);
    table.text('error_message');
    table.string('parent_run_id', 64);
  });

  await knex.schema.createTable('lineage_events', table => {
    table.string('hash', 64).primary();
    table.string('event_type', 16).notNullable();
    table.string('event_time', 40).notNullable();
    table.string('run_id', 64).index();
    table.string('received_at', 32).notNullable();
    table.text('payload').notNullable();
  });

  await knex.schema.createTable('lineage_classification_overrides', table => {
    table.string('dataset_id', 767).notNullable();
    table.string('column_name', 255).notNullable();
    table.string('derived', 32).notNullable();
    table.string('declared', 32).notNullable();
    table.text('derived_from').notNullable();
    table.string('contract_file', 512);
    table.string('recorded_at', 32).notNullable();
    table.primary(['dataset_id', 'column_name', 'derived', 'declared']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'lineage_classification_overrides',
    'lineage_events',
    'lineage_runs',
    'lineage_column_edges',
    'lineage_edges',
    'lineage_aliases',
    'lineage_nodes',
  ]) {
    await knex.schema.dropTable(table);
  }
};
