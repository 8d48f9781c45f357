import type { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_VARIABLE =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * The engines every database test runs on: SQLite, plus each PostgreSQL the
 * environment points at (the test command starts one and sets
 * BACKSTAGE_TEST_DATABASE_POSTGRES<ver>_CONNECTION_STRING). Use it as
 * `TestDatabases.create({ ids: lakeportTestDatabaseIds() })`.
 *
 * With LAKEPORT_REQUIRE_POSTGRES set (the test command sets it) a missing
 * PostgreSQL is an error, so database tests can never pass on SQLite alone.
 */
export function lakeportTestDatabaseIds(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabaseId[] {
  const postgres = Object.keys(env)
    .map(key => POSTGRES_VARIABLE.exec(key)?.[1])
    .filter(
      (version): version is string =>
        !!version &&
        !!env[`BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING`],
    )
    .map(version => `POSTGRES_${version}` as TestDatabaseId);
  if (postgres.length === 0 && env.LAKEPORT_REQUIRE_POSTGRES) {
    throw new Error(
      'LAKEPORT_REQUIRE_POSTGRES is set but no BACKSTAGE_TEST_DATABASE_POSTGRES<ver>_CONNECTION_STRING is: run the tests through scripts/test',
    );
  }
  return ['SQLITE_3', ...postgres];
}
