import type { Knex } from 'knex';
import { toIso } from './rows';

// A desired-state source that fails for an entity round after round (a deleted repository, a
// chart that no longer renders) is retried after a delay that doubles with each failure, so a
// broken entity does not cost a fetch every round nor flood the scan errors with retries.

const FIRST_DELAY_MS = 60_000;
const MAX_DELAY_MS = 3_600_000;

/** The wait after the `failures`-th failure in a row: 1 min, 2, 4, ... at most 1 hour. */
export function backoffDelayMs(failures: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1));
}

/** A source failing for an entity, and when it is tried again. */
export interface SourceBackoff {
  entityRef: string;
  source: string;
  failures: number;
  lastError: string;
  nextAttemptAt: Date;
}

const key = (entityRef: string, source: string) => `${entityRef}\u0000${source}`;

export async function readSourceBackoff(db: Knex, entityRefs: string[]): Promise<Map<string, SourceBackoff>> {
  const backoff = new Map<string, SourceBackoff>();
  if (!entityRefs.length) return backoff;
  const rows = await db('drift_source_backoff').whereIn('entity_ref', entityRefs);
  for (const row of rows) {
    backoff.set(key(row.entity_ref, row.source), {
      entityRef: row.entity_ref,
      source: row.source,
      failures: Number(row.failures),
      lastError: row.last_error,
      nextAttemptAt: new Date(toIso(row.next_attempt_at)),
    });
  }
  return backoff;
}

/** The back-off of a source for an entity, from what `readSourceBackoff` returned. */
export function backoffOf(
  backoff: Map<string, SourceBackoff>,
  entityRef: string,
  source: string,
): SourceBackoff | undefined {
  return backoff.get(key(entityRef, source));
}

/** Counts one more failure in a row and sets the next attempt; returns the new back-off. */
export async function recordSourceFailure(
  db: Knex,
  failure: { entityRef: string; source: string; error: string; now: Date },
): Promise<SourceBackoff> {
  return db.transaction(async tx => {
    const where = { entity_ref: failure.entityRef, source: failure.source };
    const previous = await tx('drift_source_backoff').where(where).forUpdate().first();
    const failures = (previous ? Number(previous.failures) : 0) + 1;
    const nextAttemptAt = new Date(failure.now.getTime() + backoffDelayMs(failures));
    const row = { failures, last_error: failure.error, failed_at: failure.now, next_attempt_at: nextAttemptAt };
    await tx('drift_source_backoff').insert({ ...where, ...row }).onConflict(['entity_ref', 'source']).merge(row);
    return { entityRef: failure.entityRef, source: failure.source, failures, lastError: failure.error, nextAttemptAt };
  });
}

export async function clearSourceFailure(db: Knex, entityRef: string, source: string): Promise<void> {
  await db('drift_source_backoff').where({ entity_ref: entityRef, source }).delete();
}
