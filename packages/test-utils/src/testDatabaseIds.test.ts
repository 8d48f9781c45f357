import { lakeportTestDatabaseIds } from './testDatabaseIds';

describe('lakeportTestDatabaseIds', () => {
  it('adds every PostgreSQL the environment points at', () => {
    expect(
      lakeportTestDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: 'postgresql://a',
        BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING: 'postgresql://b',
        BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING: '',
      }),
    ).toEqual(['SQLITE_3', 'POSTGRES_15', 'POSTGRES_17']);
  });

  it('is SQLite only without PostgreSQL, unless PostgreSQL is required', () => {
    expect(lakeportTestDatabaseIds({})).toEqual(['SQLITE_3']);
    expect(() =>
      lakeportTestDatabaseIds({ LAKEPORT_REQUIRE_POSTGRES: '1' }),
    ).toThrow(/no BACKSTAGE_TEST_DATABASE_POSTGRES/);
  });
});
