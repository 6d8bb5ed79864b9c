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

/**
 * A SQLite file keeps a write-ahead log instead of a rollback journal. A scan commits one
 * transaction per entity; with a rollback journal each copies every page it touches first and
 * syncs twice, which made the store most of a scan's time on SQLite. The log also lets the API
 * read while a scan writes. An in-memory database has no file to log beside; it answers
 * `memory` and is left so.
 */
async function useWriteAheadLog(client: Knex): Promise<void> {
  const dialect = String(client.client.config?.client ?? '');
  if (!dialect.includes('sqlite')) return;
  await client.raw('PRAGMA journal_mode = WAL');
}

/** Opens the plugin's database and brings its schema up to date, unless told not to. */
export async function connectDatabase(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  await useWriteAheadLog(client);
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
  await refreshPlannerStatistics(client, true);
  return client;
}

/**
 * SQLite plans from the statistics ANALYZE last wrote, and the migrations ran it when the
 * tables may have been empty: without fresh ones it reads a whole table to sort a page.
 * `optimize` analyzes only the tables that changed enough since (PostgreSQL's autovacuum does
 * the same on its own).
 */
export async function refreshPlannerStatistics(client: Knex, opening = false): Promise<void> {
  if (client.client.dialect !== 'sqlite3') return;
  await client.raw('pragma analysis_limit = 2000');
  await client.raw(opening ? 'pragma optimize = 0x10002' : 'pragma optimize');
}

/** Rolls every migration back; used by tests that check `down`. */
export async function rollbackAll(client: Knex): Promise<void> {
  await client.migrate.rollback(
    { directory: migrationsDir, tableName: 'drift_knex_migrations' },
    true,
  );
}
