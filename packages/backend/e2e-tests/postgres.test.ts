import { expect, test } from '@playwright/test';
import { Client } from 'pg';
import { portalDatabaseUrl } from '@lakeport/test-utils';

// The test command starts the whole backend on PostgreSQL (scripts/start
// --postgres) and sets LAKEPORT_E2E_POSTGRES_URL to that server.
const catalogDatabase = portalDatabaseUrl('catalog');
const backend = process.env.LAKEPORT_BACKEND_URL ?? 'http://localhost:7007';

test('the backend runs on PostgreSQL and serves the sample org from the catalog', async ({
  request,
}) => {
  test.skip(
    !catalogDatabase,
    'the backend under test was not started on PostgreSQL',
  );

  const refresh = await request.get(
    `${backend}/api/auth/lakeport-dev/refresh`,
    {
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        'x-lakeport-dev-user': 'user:default/marcus',
      },
    },
  );
  expect(refresh.status()).toBe(200);
  const token = (await refresh.json()).backstageIdentity.token;

  const users = await request.get(
    `${backend}/api/catalog/entities/by-query?filter=kind=user&limit=100`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(users.status()).toBe(200);
  const names = (await users.json()).items
    .map((e: any) => e.metadata.name)
    .sort();
  expect(names).toEqual(
    [
      'ana',
      'ben',
      'chloe',
      'dev',
      'marcus',
      'omar',
      'priya',
      'sofia',
      'yuki',
    ].sort(),
  );

  // What the API served is what PostgreSQL holds.
  const client = new Client({
    connectionString: catalogDatabase,
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM final_entities f JOIN refresh_state r ON r.entity_id = f.entity_id WHERE r.entity_ref LIKE 'user:default/%'",
    );
    expect(rows[0].n).toBe(names.length);
  } finally {
    await client.end();
  }

  const anonymous = await request.get(`${backend}/api/catalog/entities`);
  expect(anonymous.status()).toBe(401);
});
