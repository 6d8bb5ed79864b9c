import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@driftwatch/plugin-drift-backend',
  'migrations',
);

/** How long a replica waits for another one's migrations, polling every `LOCK_POLL_MS`. */
const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 500;

/** Opens the plugin's database and brings its schema up to date, unless told not to. */
export async function connectDatabase(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    // Replicas starting together: knex refuses, rather than waits, while another migrates.
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await client.migrate.latest({
          directory: migrationsDir,
          tableName: 'drift_knex_migrations',
        });
        break;
      } catch (error) {
        if ((error as Error).name !== 'MigrationLocked' || Date.now() > deadline) throw error;
        await new Promise(resolve => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
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
