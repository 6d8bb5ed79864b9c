import { TestDatabases, type TestDatabaseId } from '@backstage/backend-test-utils';

const ids: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

/**
 * SQLite always, PostgreSQL 15 when a server is given. TestDatabases silently skips an engine it
 * cannot reach, so scripts/test.sh sets DRIFT_TEST_REQUIRE_POSTGRES to turn that into a failure.
 */
export function createTestDatabases(): TestDatabases {
  if (
    process.env.DRIFT_TEST_REQUIRE_POSTGRES &&
    !process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  ) {
    throw new Error(
      'DRIFT_TEST_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not',
    );
  }
  return TestDatabases.create({ ids });
}
