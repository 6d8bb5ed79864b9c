import type { EntityExternalStatus } from '@driftwatch/plugin-drift-common';
import type { ExternalStatus } from '@driftwatch/plugin-drift-node';
import type { Knex } from 'knex';


/**
 * Replaces what the tools said about entities with what this scan read, for many entities in
 * one transaction. A tool that could not be read this time leaves nothing behind: an old
 * "Synced" must not outlive the failure.
 */
export async function replaceExternalStatus(
  db: Knex,
  entries: Array<{ entityRef: string; statuses: ExternalStatus[] }>,
  now: Date,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.flatMap(({ entityRef, statuses }) =>
    statuses.map(status => ({
      entity_ref: entityRef,
      source: status.source,
      app: status.app,
      sync: status.sync ?? null,
      health: status.health ?? null,
      revision: status.revision ?? null,
      observed_at: now,
    })),
  );
  await db.transaction(async tx => {
    await tx('drift_external_status')
      .whereIn(
        'entity_ref',
        entries.map(e => e.entityRef),
      )
      .delete();
    // A batch of 50 entities with a few statuses each stays far below parameter limits.
    if (rows.length) await tx('drift_external_status').insert(rows);
  });
}

function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const n = Number(value);
  return new Date(Number.isFinite(n) ? n : String(value)).toISOString();
}

/** An entity's tool statuses, from a query already limited to the entity and what the caller may read. */
export async function queryExternalStatus(
  scoped: Knex.QueryBuilder,
): Promise<EntityExternalStatus[]> {
  const rows = await scoped.orderBy(['source', 'app']);
  return rows.map((row: Record<string, unknown>) => {
    const status: EntityExternalStatus = {
      source: String(row.source),
      app: String(row.app),
      at: isoTime(row.observed_at),
    };
    if (row.sync !== null) status.sync = String(row.sync);
    if (row.health !== null) status.health = String(row.health);
    if (row.revision !== null) status.revision = String(row.revision);
    return status;
  });
}
