// @ts-check

/**
 * Access: requests (with their review step), grants (what a provisioner
 * granted, until when) and the audit trail of every transition.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_requests', table => {
    table.string('id', 36).primary();
    table.string('dataset_id', 767).notNullable();
    table.string('requester', 255).notNullable();
    table.string('principal', 255).notNullable();
    // JSON list of columns; null = the whole dataset.
    table.text('columns');
    table.string('classification', 16);
    table.text('purpose').notNullable();
    table.text('justification').notNullable();
    table.integer('duration_days').notNullable();
    table.string('status', 24).notNullable();
    table.string('step', 16);
    table.string('steps', 64).notNullable();
    table.string('grant_id', 36);
    table.string('extends_grant_id', 36);
    table.text('error');
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.index(['dataset_id', 'status'], 'access_requests_dataset_idx');
    table.index(['requester'], 'access_requests_requester_idx');
    table.index(['status', 'step'], 'access_requests_review_idx');
  });

  await knex.schema.createTable('access_grants', table => {
    table.string('id', 36).primary();
    table.string('dataset_id', 767).notNullable();
    table.string('principal', 255).notNullable();
    table.text('columns');
    table.string('status', 24).notNullable();
    table.string('request_id', 36).notNullable();
    table.string('requester', 255).notNullable();
    table.text('approved_by').notNullable();
    table.string('provisioner', 64).notNullable();
    table.integer('duration_days').notNullable();
    table.string('activated_at', 32);
    table.string('expires_at', 32);
    table.string('revoked_at', 32);
    table.string('revoked_by', 255);
    table.string('reminded_at', 32);
    // Lease of the worker provisioning it (any replica may).
    table.string('claimed_until', 32);
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('error');
    table.index(['dataset_id', 'status'], 'access_grants_dataset_idx');
    table.index(['status', 'expires_at'], 'access_grants_expiry_idx');
    table.index(['principal', 'status'], 'access_grants_principal_idx');
  });

  await knex.schema.createTable('access_audit', table => {
    table.increments('seq');
    table.string('request_id', 36).notNullable();
    table.string('grant_id', 36);
    table.string('dataset_id', 767).notNullable();
    table.string('at', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('from_status', 24);
    table.string('to_status', 24);
    table.text('comment');
    table.index(['request_id'], 'access_audit_request_idx');
    table.index(['dataset_id', 'at'], 'access_audit_dataset_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_audit');
  await knex.schema.dropTable('access_grants');
  await knex.schema.dropTable('access_requests');
};
