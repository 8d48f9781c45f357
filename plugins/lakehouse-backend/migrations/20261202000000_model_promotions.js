// @ts-check

/**
 * Governed promotion of model aliases (MLflow `champion` → version 8).
 * - model_promotions: one request to point an alias at a version, with its
 *   gates as evaluated when asked, the decisions, and the attempts to set
 *   the alias in the registry (leased by one replica at a time);
 * - model_alias_states: per model and governed alias, the version Lakeport
 *   set or accepted, and an ungoverned change seen in the registry;
 * - model_promotion_audit: every transition and every ungoverned change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('model_promotions', table => {
    table.string('id', 36).primary();
    table.string('model_id', 767).notNullable();
    table.string('alias', 255).notNullable();
    table.string('version', 64).notNullable();
    table.string('from_version', 64);
    table.string('kind', 16).notNullable();
    table.text('reason').notNullable();
    table.string('status', 32).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 32).notNullable();
    table.text('gates').notNullable();
    table.string('decided_by', 255);
    table.string('decided_at', 32);
    table.text('comment');
    table.text('override_reason');
    table.string('steward_by', 255);
    table.string('steward_at', 32);
    table.string('promoted_at', 32);
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.string('claimed_until', 32);
    table.index(['model_id', 'requested_at'], 'model_promotions_model_idx');
    table.index(['status'], 'model_promotions_status_idx');
  });
  await knex.schema.createTable('model_alias_states', table => {
    table.string('model_id', 767).notNullable();
    table.string('alias', 255).notNullable();
    table.string('version', 64);
    table.string('via', 16).notNullable();
    table.string('promotion_id', 36);
    table.string('set_by', 255).notNullable();
    table.string('set_at', 32).notNullable();
    table.string('ungoverned_version', 64);
    table.boolean('ungoverned').notNullable().defaultTo(false);
    table.string('ungoverned_seen_at', 32);
    table.primary(['model_id', 'alias']);
  });
  await knex.schema.createTable('model_promotion_audit', table => {
    table.increments('id');
    table.string('model_id', 767).notNullable();
    table.string('promotion_id', 36);
    table.string('alias', 255);
    table.string('version', 64);
    table.string('action', 64).notNullable();
    table.string('actor', 255).notNullable();
    table.string('at', 32).notNullable();
    table.text('detail');
    table.index(['model_id'], 'model_promotion_audit_model_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('model_promotion_audit');
  await knex.schema.dropTable('model_alias_states');
  await knex.schema.dropTable('model_promotions');
};
