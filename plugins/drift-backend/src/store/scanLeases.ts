import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { toIso } from './rows';
import type { ScanTrigger } from './types';

// Scans are shared by the replicas of one database. The replica running a scan holds a lease on
// it and renews it while it works; a scan whose lease ran out belongs to a replica that died (or
// stalled) and is failed by whichever replica notices first. Start-up alone proves nothing: the
// other replicas may be mid-scan.

/** Who runs a scan, and until when the others leave it alone. */
export interface ScanLease {
  owner: string;
  until: Date;
}

export interface NewScan {
  trigger: ScanTrigger;
  entityRef?: string;
  requestedBy?: string;
  /** When it was queued; the wall clock unless replaying history. */
  now?: Date;
  lease: ScanLease;
}

const ABANDONED = [
  { entityRef: '', location: '', message: 'Scan abandoned: the replica running it stopped renewing its lease' },
];

function scanRow(id: string, scan: NewScan, activeCoverage: string | null) {
  return {
    id,
    trigger: scan.trigger,
    entity_ref: scan.entityRef ?? null,
    requested_by: scan.requestedBy ?? null,
    status: 'queued',
    queued_at: scan.now ?? new Date(),
    lease_owner: scan.lease.owner,
    lease_until: scan.lease.until,
    active_coverage: activeCoverage,
  };
}

export async function insertScan(db: Knex, scan: NewScan): Promise<string> {
  const id = randomUUID();
  await db('drift_scans').insert(scanRow(id, scan, null));
  return id;
}

/**
 * The queued or running scan of `coverage`, on any replica, or a new one. The unique
 * `active_coverage` decides between two replicas inserting at once; a holder whose lease ran out
 * is failed first, so a dead replica's scan does not block the coverage for ever.
 */
export async function joinOrInsertScan(
  db: Knex,
  scan: NewScan & { coverage: string },
  now = new Date(),
): Promise<{ id: string; created: boolean }> {
  const id = randomUUID();
  for (let attempt = 0; attempt < 3; attempt++) {
    await db('drift_scans').insert(scanRow(id, scan, scan.coverage)).onConflict('active_coverage').ignore();
    const holder = await db('drift_scans').where({ active_coverage: scan.coverage }).first();
    if (!holder) continue; // it ended between the two statements
    if (holder.id === id) return { id, created: true };
    if (isLive(holder.lease_until, now)) return { id: holder.id, created: false };
    await failExpiredScans(db, now);
  }
  throw new Error(`Cannot queue a scan of ${scan.coverage}: another replica keeps taking it`);
}

/** Extends the lease of a scan still queued or running under `owner`; false once it is lost. */
export async function renewScanLease(db: Knex, id: string, lease: ScanLease): Promise<boolean> {
  const updated = await db('drift_scans')
    .where({ id, lease_owner: lease.owner })
    .whereIn('status', ['queued', 'running'])
    .update({ lease_until: lease.until });
  return updated === 1;
}

/** Fails the queued and running scans whose lease ran out (or that never had one). */
export async function failExpiredScans(db: Knex, now = new Date()): Promise<number> {
  return db('drift_scans')
    .whereIn('status', ['queued', 'running'])
    .where(q => q.whereNull('lease_until').orWhere('lease_until', '<', now))
    .update({ status: 'failed', finished_at: now, active_coverage: null, errors: JSON.stringify(ABANDONED) });
}

function isLive(leaseUntil: unknown, now: Date): boolean {
  if (leaseUntil === null || leaseUntil === undefined) return false;
  return Date.parse(toIso(leaseUntil)) >= now.getTime();
}
