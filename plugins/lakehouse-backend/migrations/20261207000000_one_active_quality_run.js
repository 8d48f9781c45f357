// @ts-check

/**
 * At most one queued or running run of a dataset's own checks, enforced by
 * the database: two replicas queueing a run at the same moment (a schedule,
 * a lineage COMPLETE, a user) get one run, the second insert answers with
 * the first. Older duplicates, if any, are failed so the index can exist.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const active = await knex('quality_runs')
    .where({ source: 'lakeport' })
    .whereIn('status', ['queued', 'running'])
    .orderBy('created_at')
    .select('id', 'dataset_id');
  const seen = new Set();
  const extra = [];
  for (const run of active) {
    if (seen.has(run.dataset_id)) extra.push(run.id);
    seen.add(run.dataset_id);
  }
  for (let i = 0; i < extra.length; i += 500) {
    await knex('quality_runs')
      .whereIn('id', extra.slice(i, i + 500))
      .update({
        status: 'failed',
        error:
          'A second run of the same checks was queued at the same time; the first one ran.',
        finished_at: new Date().toISOString(),
      });
  }
  await knex.raw(
    `CREATE UNIQUE INDEX quality_runs_one_active ON quality_runs (dataset_id)
     WHERE source = 'lakeport' AND status IN ('queued', 'running')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX quality_runs_one_active');
};
