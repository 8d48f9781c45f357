import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import path from 'node:path';
import request from 'supertest';

// Every database test runs on SQLite and on the PostgreSQL the test command
// starts (BACKSTAGE_TEST_DATABASE_POSTGRES<ver>_CONNECTION_STRING).
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });

const catalogInfo = path.resolve(__dirname, '../../../catalog-info');

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error('timed out waiting for the catalog');
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('sample org in the catalog', () => {
  it.each(databases.eachSupportedId())(
    'loads users, groups, domains and systems with their relations on %s',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [{ allow: ['Group', 'User', 'Domain', 'System'] }],
                locations: ['org.yaml', 'domains.yaml'].map(file => ({
                  type: 'file',
                  target: path.join(catalogInfo, file),
                })),
              },
            },
          }),
        ],
      });
      const get = (url: string) =>
        request(server)
          .get(url)
          .set('Authorization', mockCredentials.user.header());

      const sofia = await waitFor(async () => {
        const res = await get(
          '/api/catalog/entities/by-name/user/default/sofia',
        );
        const stitched = res.body?.relations?.length > 0;
        return res.status === 200 && stitched ? res.body : undefined;
      });
      expect(sofia.spec.profile.email).toBe('sofia.rossi@lakeport.example');
      expect(sofia.relations).toContainEqual(
        expect.objectContaining({
          type: 'memberOf',
          targetRef: 'group:default/data-governance',
        }),
      );

      const counts = await waitFor(async () => {
        const res = await get('/api/catalog/entity-facets?facet=kind');
        const byKind = Object.fromEntries(
          res.body.facets.kind.map((f: any) => [f.value, f.count]),
        );
        return byKind.User === 9 && byKind.System === 4 ? byKind : undefined;
      });
      expect(counts).toEqual({
        User: 9,
        Group: 8,
        Domain: 4,
        System: 4,
        Location: 2,
      });

      const risk = await get(
        '/api/catalog/entities/by-name/domain/default/risk',
      );
      expect(risk.body.spec.owner).toBe('group:default/risk-data');
    },
    90_000,
  );
});
