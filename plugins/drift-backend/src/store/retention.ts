import type { Knex } from 'knex';

/** What retention deletes, and by which column's age. */
export type RetainedData = 'events' | 'scans' | 'rollups' | 'resolvedFindings';

const TABLES: Record<RetainedData, { table: string; filter: (q: Knex.QueryBuilder, cutoff: Date) => void }> = {
  events: { table: 'drift_events', filter: (q, cutoff) => q.where('at', '<', cutoff) },
  // Only ended scans: a queued or running one is some replica's work.
  scans: { table: 'drift_scans', filter: (q, cutoff) => q.whereNotNull('finished_at').where('finished_at', '<', cutoff) },
  rollups: { table: 'drift_daily_rollups', filter: (q, cutoff) => q.where('day', '<', cutoff.toISOString().slice(0, 10)) },
  resolvedFindings: {
    table: 'drift_findings',
    filter: (q, cutoff) => q.where('status', 'resolved').where('resolved_at', '<', cutoff),
  },
};

/** The engine's own row identity, for tables without a single-column key. */
function rowId(db: Knex): string {
  return db.client.dialect === 'postgresql' ? 'ctid' : 'rowid';
}

/**
 * Deletes at most `limit` rows of `data` older than `cutoff`; returns how many. Small batches
 * keep each statement's locks and the database's write-ahead log short.
 */
export async function purgeBatch(db: Knex, data: RetainedData, cutoff: Date, limit: number): Promise<number> {
  const { table, filter } = TABLES[data];
  const id = rowId(db);
  const batch = db(table).select(db.raw('??', [id])).limit(limit);
  filter(batch, cutoff);
  return db(table).whereIn(db.raw('??', [id]) as any, batch).delete();
}
