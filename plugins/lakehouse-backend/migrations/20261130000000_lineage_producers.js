// @ts-check

/**
 * Stock producers and explicit classification breakers:
 * - lineage_events.problems: facets received but not interpreted (kept
 *   verbatim in payload), as a JSON list of { path, facet, message };
 * - lineage_nodes.parent_id: the parent job of a job (OpenLineage `parent`
 *   run facet), e.g. a Spark action's job under its application;
 * - lineage_classification_confirmations: a steward's confirmation that a
 *   column is not sensitive (with reason; revocable; audited).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('lineage_events', table => {
    table.text('problems');
  });
  await knex.schema.alterTable('lineage_nodes', table => {
    table.string('parent_id', 767);
    table.index(['parent_id'], 'lineage_nodes_parent_idx');
  });
  await knex.schema.createTable(
    'lineage_classification_confirmations',
    table => {
      table.string('id', 36).primary();
      table.string('dataset_id', 767).notNullable();
      table.string('column_name', 255).notNullable();
      // What lineage derived when the steward confirmed (for the record).
      table.string('derived', 32);
      table.text('reason').notNullable();
      table.string('confirmed_by', 255).notNullable();
      table.string('confirmed_at', 32).notNullable();
      table.string('revoked_by', 255);
      table.string('revoked_at', 32);
      table.text('revoke_reason');
      table.index(['dataset_id', 'column_name'], 'lineage_confirmations_idx');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('lineage_classification_confirmations');
  await knex.schema.alterTable('lineage_nodes', table => {
    table.dropIndex(['parent_id'], 'lineage_nodes_parent_idx');
    table.dropColumn('parent_id');
  });
  await knex.schema.alterTable('lineage_events', table => {
    table.dropColumn('problems');
  });
};
