import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@driftwatch/plugin-drift-backend',
  'migrations',
);

/** Opens the plugin's database and brings its schema up to date, unless told not to. */
export async function connectDatabase(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({
      directory: migrationsDir,
      tableName: 'drift_knex_migrations',
    });
  }
  return client;
}

/** Rolls every migration back; used by tests that check `down`. */
export async function rollbackAll(client: Knex): Promise<void> {
  await client.migrate.rollback(
    { directory: migrationsDir, tableName: 'drift_knex_migrations' },
    true,
  );
}
