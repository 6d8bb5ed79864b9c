import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import type { ReadScope } from './readScope';

// Aggregates over hundreds of thousands of findings cost hundreds of milliseconds, and between
// two scans every reader of the dashboard asks the same questions. Answers are kept per data
// version: a value read from the database that changes with every write the answers depend on,
// so a cached answer is exactly what the query would return now, on whichever replica wrote.

/** The settings row that marks writes no event records (retention's deletes). */
const DATA_VERSION_KEY = 'data-version';

/** Versions of the data, for answers about findings and for answers about routing. */
export interface DataVersions {
  /** Changes to findings, resources and rollups. */
  findings: string;
  /** As `findings`, and every routing delivery. */
  routing: string;
}

/**
 * The data versions: the newest audit event (every change to a finding writes one, in its
 * transaction; a routing delivery's `routed` event changes only what routing answers), the
 * newest scan and its state (resources change within scans), and the settings mark of writes
 * without events.
 */
export async function readDataVersions(db: Knex): Promise<DataVersions> {
  const [row] = await db
    .select({
      event: db('drift_events').max('id'),
      // Walks the key from its end past the latest deliveries, a few rows.
      findingEvent: db('drift_events').select('id').whereNot('type', 'routed').orderBy('id', 'desc').limit(1),
      scan: db('drift_scans').select('id').orderBy('queued_at', 'desc').limit(1),
      scanStatus: db('drift_scans').select('status').orderBy('queued_at', 'desc').limit(1),
      mark: db('drift_settings').select('value').where({ key: DATA_VERSION_KEY }),
    })
    .from(db.raw('(select 1) as one'));
  const rest = `${row.scan ?? ''}:${row.scanStatus ?? ''}:${row.mark ?? ''}`;
  return { findings: `${row.findingEvent ?? 0}:${rest}`, routing: `${row.event ?? 0}:${rest}` };
}

/** Marks a write that no event records, so cached answers are computed again. */
export async function markDataChanged(db: Knex): Promise<void> {
  const value = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await db('drift_settings').insert({ key: DATA_VERSION_KEY, value }).onConflict('key').merge();
}

/** Hashes of the visible-entity lists, which the catalog visibility hands out once per reader and TTL. */
const refsHashes = new WeakMap<readonly string[], string>();

function refsHash(refs: readonly string[]): string {
  let hash = refsHashes.get(refs);
  if (hash === undefined) {
    const sha = createHash('sha256');
    for (const ref of [...refs].sort()) sha.update(ref).update('\n');
    hash = sha.digest('base64url');
    refsHashes.set(refs, hash);
  }
  return hash;
}

/** What makes two readers' answers equal: the entities they see and the policy's conditions. */
export function scopeKey(scope: ReadScope | undefined): string {
  if (!scope) return 'all';
  return `${refsHash(scope.visibleEntityRefs)}:${JSON.stringify(scope.conditions ?? null)}`;
}

interface Entry {
  version: string;
  value: Promise<unknown>;
  weight: number;
}

export interface ReadCacheOptions {
  /** The total weight kept; an answer weighs 1, plus one per finding it lists. */
  maxWeight?: number;
}

/**
 * Answers by key and data version, least recently used first out. Concurrent askers of one
 * key share one computation; a failed computation is not kept.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private weight = 0;
  private readonly maxWeight: number;

  constructor(options: ReadCacheOptions = {}) {
    this.maxWeight = options.maxWeight ?? 20_000;
  }

  get<T>(key: string, version: string, compute: () => Promise<T>, weigh: (value: T) => number = () => 1): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    if (hit) this.remove(key, hit);
    const value = compute();
    const entry: Entry = { version, value, weight: 1 };
    this.entries.set(key, entry);
    this.weight += entry.weight;
    value.then(
      result => {
        if (this.entries.get(key) !== entry) return;
        const weight = Math.max(1, weigh(result));
        this.weight += weight - entry.weight;
        entry.weight = weight;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.remove(key, entry);
      },
    );
    this.evict();
    return value;
  }

  /** How many answers are kept. */
  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, entry: Entry) {
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  private evict() {
    for (const [key, entry] of this.entries) {
      if (this.weight <= this.maxWeight || this.entries.size <= 1) break;
      this.remove(key, entry);
    }
  }
}
