// @ts-check

/**
 * A counter of writes to what lists count (the narrow dataset rows and the
 * tags), moved by triggers in the writing transaction. A replica keeps the
 * facet counts of a search only while the counter it read them at is the
 * current one, so a write on any replica is seen by every replica's next
 * list.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lakehouse_search_generation', table => {
    table.integer('id').primary();
    table.bigInteger('n').notNullable();
  });
  await knex('lakehouse_search_generation').insert({ id: 1, n: 0 });
  const tables = ['lakehouse_dataset_search', 'lakehouse_dataset_tags'];
  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE FUNCTION lakehouse_search_generation_bump() RETURNS trigger AS $$
      BEGIN
        UPDATE lakehouse_search_generation SET n = n + 1 WHERE id = 1;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    for (const table of tables)
      await knex.raw(`
        CREATE TRIGGER ${table}_generation
        AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION lakehouse_search_generation_bump()`);
  } else {
    // SQLite has row triggers only: one cheap update per written row.
    for (const table of tables)
      for (const event of ['INSERT', 'UPDATE', 'DELETE'])
        await knex.raw(`
          CREATE TRIGGER ${table}_generation_${event.toLowerCase()}
          AFTER ${event} ON ${table} BEGIN
            UPDATE lakehouse_search_generation SET n = n + 1 WHERE id = 1;
          END`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const tables = ['lakehouse_dataset_search', 'lakehouse_dataset_tags'];
  if (knex.client.config.client === 'pg') {
    for (const table of tables)
      await knex.raw(`DROP TRIGGER ${table}_generation ON ${table}`);
    await knex.raw('DROP FUNCTION lakehouse_search_generation_bump');
  } else {
    for (const table of tables)
      for (const event of ['insert', 'update', 'delete'])
        await knex.raw(`DROP TRIGGER ${table}_generation_${event}`);
  }
  await knex.schema.dropTable('lakehouse_search_generation');
};
