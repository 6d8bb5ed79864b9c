import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  DriftAuditEvent,
  DriftTrendRow,
  EntityExternalStatus,
  IncidentLink,
  KubeObject,
  ResourceDiff,
  Severity,
  SurfaceArea,
  SurfaceFilter,
} from '@driftwatch/plugin-drift-common';
import type { ExternalStatus, ScannedResource, LocationError } from '@driftwatch/plugin-drift-node';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DriftFindingResource } from '../permissions/rules';
import { type ReadScope, visibleAmong, whereInScope } from './readScope';
import { type DataVersions, markDataChanged, ReadCache, readDataVersions, scopeKey } from './readCache';
import {
  queryReviewReport,
  queryStatistics,
  type AggregateSources,
  type ReviewReport,
  type StatisticsQuery,
} from './aggregates';
import {
  breachFinding,
  closeFinding,
  checkSuppressionUntil,
  isPastSla,
  observeOpenFinding,
  openFinding,
  resolveFinding,
  SEVERITY_RANK,
  type CloseReason,
  type FindingChange,
  type LifecycleOutcome,
} from './lifecycle';
import { enqueueIntents } from './outbox';
import { querySurface } from './surface';
import { failExpiredScans, insertScan, joinOrInsertScan, renewScanLease, type NewScan, type ScanLease } from './scanLeases';
import { queryExternalStatus, replaceExternalStatus } from './externalStatus';
import { storedObject } from './comparedObjects';
import { purgeBatch, type RetainedData } from './retention';
import { clearSourceFailure, readSourceBackoff, recordSourceFailure, type SourceBackoff } from './sourceBackoff';
import {
  queryGate,
  queryIncidents,
  queryIncidentsInWindow,
  queryRoutingSummary,
  type RoutingSources,
} from './routingQueries';
import type { RoutingPlanner } from '../routing/planner';
import {
  eventFromRow,
  findingFromRow,
  resourceFromRow,
  scanFromRow,
} from './rows';
import {
  SYSTEM_ACTOR,
  contextIn,
  type DriftEvent,
  type EntityContext,
  type EventType,
  type Finding,
  type FindingFilter,
  type FindingPage,
  type FindingSort,
  type MonitoredResource,
  type ResourcePage,
  type Scan,
  type ScanError,
  type ScanStatus,
} from './types';


const SORT_COLUMNS: Record<FindingSort, string> = {
  severity: 'severity_rank',
  firstDetected: 'first_detected_at',
  lastSeen: 'last_seen_at',
  slaDue: 'sla_due_at',
  score: 'score',
};

/** The results of one entity's comparison, for one provider. */
export interface EntityScanResult {
  scanId: string;
  provider: string;
  entity: EntityContext;
  resources: ScannedResource[];
  /** Live locations that could not be read: their resources become unknown. */
  errors: LocationError[];
  /** Kinds a location could not list: their stored resources become unknown, not resolved. */
  unreadKinds?: Array<{ location: string; kind: string }>;
  /** Set when the desired state itself could not be read: every resource becomes unknown. */
  sourceError?: string;
  now: Date;
}

/** A monitored resource's stored objects in one location. */
export interface StoredObjects {
  resourceKey: string;
  apiVersion: string | null;
  kind: string;
  namespace: string | null;
  name: string;
  environment: string;
  location: string;
  desired: KubeObject | null;
  live: KubeObject | null;
}

export interface EntityScanCounts {
  resources: number;
  opened: number;
  resolved: number;
}

/** What applying one entity's result did: counts for the scan, changes for routing. */
export interface EntityScanOutcome extends EntityScanCounts {
  changes: FindingChange[];
}

const DRIFT_STATUSES = new Set(['drifted', 'missing', 'extra']);

/** Rows per multi-row statement: well within SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 200;

/** The columns of a resource row that a scan writes; equal ones need no write. */
const COMPARED_RESOURCE_COLUMNS = [
  'api_version',
  'kind',
  'namespace',
  'name',
  'status',
  'error',
  'environment',
  'desired_object',
  'live_object',
] as const;

type StoredResourceRow = { id: number; location: string; resource_key: string; last_scanned_at: unknown } & Record<
  (typeof COMPARED_RESOURCE_COLUMNS)[number],
  string | null
>;

function isSameResource(stored: StoredResourceRow, row: Record<string, unknown>): boolean {
  return COMPARED_RESOURCE_COLUMNS.every(column => (stored[column] ?? null) === (row[column] ?? null));
}

/** What a scan writes to a drifted resource's finding, besides when it was last seen. */
function findingFields(
  diff: ResourceDiff,
  entity: EntityContext,
  source: ScannedResource['source'],
  environment: string | undefined,
) {
  const severity = (diff.severity ?? 'low') as Severity;
  return {
    kind: diff.kind,
    namespace: diff.namespace ?? null,
    name: diff.name,
    resource_status: diff.status,
    severity,
    severity_rank: SEVERITY_RANK[severity],
    score: diff.score,
    categories: JSON.stringify(categoriesOf(diff)),
    changes: JSON.stringify(diff.changes),
    drift_hash: driftHash(diff),
    tier: entity.tier,
    owner: entity.owner,
    system: entity.system,
    source: source ? JSON.stringify(source) : null,
    environment: environment ?? null,
  };
}

/**
 * Whether an open finding is the same drift seen again with nothing else to write: for an
 * active or acknowledged finding with the same fields, the lifecycle has no step and no event.
 */
function isSeenAgain(stored: Record<string, any>, fields: ReturnType<typeof findingFields>): boolean {
  if (stored.status !== 'active' && stored.status !== 'acknowledged') return false;
  return Object.entries(fields).every(([column, value]) =>
    typeof value === 'number' ? Number(stored[column]) === value : (stored[column] ?? null) === (value ?? null),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * An entity's findings of one provider, read once per scan result. Each is handed out once;
 * a second look at the same resource reads the database, which has the first one's writes.
 */
interface KnownFindings {
  rows: Map<string, any>;
  taken: Set<string>;
}

/**
 * A result's resources as drift_resources rows, by location and key; a resource listed twice
 * keeps its last row.
 */
function resourceRows(result: EntityScanResult, failedLocations: Map<string, string>): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const { location, environment, diff, error, objects } of result.resources) {
    rows.set(`${location}\u0000${diff.key}`, {
      entity_ref: result.entity.entityRef,
      provider: result.provider,
      location,
      resource_key: diff.key,
      api_version: diff.apiVersion ?? null,
      kind: diff.kind,
      namespace: diff.namespace ?? null,
      name: diff.name,
      status: diff.status,
      error: error ?? failedLocations.get(location) ?? null,
      environment: environment ?? null,
      desired_object: storedObject(diff.kind, objects?.desired),
      live_object: storedObject(diff.kind, objects?.live),
      last_scan_id: result.scanId,
      last_scanned_at: result.now,
    });
  }
  return rows;
}

/** An entity's drift_entities row. */
function entityRow(entity: EntityContext) {
  return {
    entity_ref: entity.entityRef,
    owner: entity.owner,
    system: entity.system,
    tier: entity.tier,
    environment: entity.environment ?? null,
  };
}

async function findingAt(
  tx: Knex.Transaction,
  where: Record<string, string>,
  known?: KnownFindings,
): Promise<any> {
  const key = `${where.location}\u0000${where.resource_key}`;
  if (!known || known.taken.has(key)) return tx('drift_findings').where(where).first();
  known.taken.add(key);
  return known.rows.get(key);
}

/** Fingerprint of what differs, so a scan can tell "still the same drift" from "drift changed". */
function driftHash(diff: ResourceDiff): string {
  const essence = diff.changes.map(c => [c.path, c.op, c.desired, c.live]);
  return createHash('sha256')
    .update(JSON.stringify([diff.status, essence]))
    .digest('hex')
    .slice(0, 32);
}

function categoriesOf(diff: ResourceDiff): string[] {
  const categories = new Set<string>(diff.changes.map(c => c.category));
  return [...categories].sort();
}

/**
 * A cursor carries the last row's sort value and id, and the total counted for the first page:
 * counting every matching row again for each later page is the costliest part of a page.
 */
function encodeCursor(value: unknown, id: string, totalCount: number): string {
  return Buffer.from(JSON.stringify([value, id, totalCount])).toString('base64url');
}

function decodeCursor(cursor: string): [unknown, string, number] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 3 &&
      typeof decoded[1] === 'string' &&
      Number.isSafeInteger(decoded[2]) &&
      decoded[2] >= 0
    ) {
      return decoded as [unknown, string, number];
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError(`Invalid cursor '${cursor}'`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** As `toISOString` writes them; `Date.parse` alone accepts trailing garbage. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * The sort value a findings cursor carries, checked against its column: a forged cursor is a
 * 400, never a value the database has to reject.
 */
function cursorBound(column: string, value: unknown, id: string, cursor: string): unknown {
  const isTime = column.endsWith('_at');
  let valid: boolean;
  if (value === null) valid = column === 'sla_due_at';
  else if (isTime) valid = typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
  else valid = typeof value === 'number' && Number.isFinite(value);
  if (!valid || !UUID.test(id)) throw new InputError(`Invalid cursor '${cursor}'`);
  return isTime && value !== null ? new Date(value as string) : value;
}

interface FindingPageQuery {
  filter: FindingFilter;
  sort: FindingSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

interface ResourcePageQuery {
  entityRef?: string;
  status?: string[];
  limit: number;
  cursor?: string;
}

interface TrendsQuery {
  from: Date;
  to: Date;
  category?: string[];
  severity?: string[];
  owner?: string[];
  tier?: number[];
}

interface EventQuery {
  from: Date;
  to: Date;
  types?: EventType[];
  entityRef?: string[];
  actor?: 'human' | 'system';
  limit: number;
}

/**
 * Findings, monitored resources, scans and the audit log in Backstage's database.
 *
 * Each entity's scan result is applied in one transaction, and findings are unique per
 * (entity, provider, location, resource), so a crash mid-scan neither duplicates nor drops one.
 */
export class DriftStore {
  /** The data versions this scoped store's reads are answered at, read once. */
  private versions?: Promise<DataVersions>;
  private scopeCacheKey?: string;

  constructor(
    private readonly db: Knex,
    private readonly scope?: ReadScope,
    /** Plans the routing intents each finding change writes to the outbox, in its transaction. */
    private readonly planner?: RoutingPlanner,
    /** Answers of scoped reads, by data version, shared by the scoped stores made from this one. */
    private readonly cache: ReadCache = new ReadCache(),
  ) {}

  /**
   * The same store, reading only what `scope` allows; writes are unaffected. Made per request:
   * its reads are answered at the data version of its first read.
   */
  withScope(scope: ReadScope): DriftStore {
    return new DriftStore(this.db, scope, this.planner, this.cache);
  }

  /** A scoped read through the cache, keyed by what it is, its parameters and the scope. */
  private cached<T>(
    name: string,
    params: unknown,
    compute: () => Promise<T>,
    weigh?: (value: T) => number,
    about: keyof DataVersions = 'findings',
  ): Promise<T> {
    if (!this.scope) return compute();
    this.scopeCacheKey ??= scopeKey(this.scope);
    const key = `${name}\n${this.scopeCacheKey}\n${JSON.stringify(params)}`;
    this.versions ??= readDataVersions(this.db);
    return this.versions.then(versions => this.cache.get(key, versions[about], compute, weigh));
  }

  /** The database, for the routing worker's own tables. */
  get database(): Knex {
    return this.db;
  }

  /** `query` limited to the caller's scope, and to the entities `only` names when it names some. */
  private inScope<Q extends Knex.QueryBuilder>(query: Q, column = 'entity_ref', only?: readonly string[]): Q {
    if (this.scope) return whereInScope(this.db, query, this.scope, column, only);
    if (only) query.whereIn(column, only as string[]);
    return query;
  }

  // ---- settings -------------------------------------------------------------------------

  /** A random key for Secret fingerprints, created once and kept across restarts. */
  async getSecretHashKey(): Promise<string> {
    const existing = await this.db('drift_settings').where({ key: 'secret-hash-key' }).first();
    if (existing) return existing.value;
    const value = randomBytes(32).toString('hex');
    await this.db('drift_settings')
      .insert({ key: 'secret-hash-key', value })
      .onConflict('key')
      .ignore();
    const stored = await this.db('drift_settings').where({ key: 'secret-hash-key' }).first();
    return stored.value;
  }

  // ---- scans ----------------------------------------------------------------------------

  /** A scan of its own, leased to the replica that runs it. */
  async createScan(scan: NewScan): Promise<string> {
    return insertScan(this.db, scan);
  }

  /**
   * The queued or running scan that covers `coverage` (the catalog, one entity), whichever
   * replica runs it, or a new one leased to the caller.
   */
  async joinOrCreateScan(scan: NewScan & { coverage: string }): Promise<{ id: string; created: boolean }> {
    return joinOrInsertScan(this.db, scan);
  }

  /** False once the scan is no longer the caller's: it ended, or its lease ran out and it failed. */
  async renewScanLease(id: string, lease: ScanLease): Promise<boolean> {
    return renewScanLease(this.db, id, lease);
  }

  async startScan(id: string, entitiesTotal: number, now = new Date()): Promise<void> {
    await this.db('drift_scans')
      .where({ id })
      .update({ status: 'running', started_at: now, entities_total: entitiesTotal });
  }

  /** Adds the counts of `entities` more entities done (a batch at a time). */
  async recordScanProgress(id: string, counts: EntityScanCounts, entities = 1): Promise<void> {
    await this.db('drift_scans')
      .where({ id })
      .update({
        entities_done: this.db.raw('entities_done + ?', [entities]),
        resources_scanned: this.db.raw('resources_scanned + ?', [counts.resources]),
        findings_opened: this.db.raw('findings_opened + ?', [counts.opened]),
        findings_resolved: this.db.raw('findings_resolved + ?', [counts.resolved]),
      });
  }

  /** Ends a scan the caller still holds; one failed for an expired lease stays failed. */
  async finishScan(
    id: string,
    status: ScanStatus,
    errors: ScanError[],
    now = new Date(),
    leaseOwner?: string,
  ): Promise<void> {
    const query = this.db('drift_scans').where({ id }).whereIn('status', ['queued', 'running']);
    if (leaseOwner) query.where({ lease_owner: leaseOwner });
    await query.update({ status, finished_at: now, errors: JSON.stringify(errors), active_coverage: null });
  }

  async getScan(id: string): Promise<Scan> {
    const row = await this.db('drift_scans').where({ id }).first();
    if (!row) throw new NotFoundError(`No scan with id '${id}'`);
    const scan = scanFromRow(row);
    if (!this.scope) return scan;
    // A scan of an entity out of scope does not exist for the caller; nor do others' errors.
    const refs = new Set([scan.entityRef ?? '', ...scan.errors.map(e => e.entityRef)]);
    refs.delete('');
    const visible = await this.entityRefsInScope([...refs]);
    if (scan.entityRef && !visible.has(scan.entityRef)) throw new NotFoundError(`No scan with id '${id}'`);
    return { ...scan, errors: scan.errors.filter(e => !e.entityRef || visible.has(e.entityRef)) };
  }

  private async entityRefsInScope(refs: string[]): Promise<Set<string>> {
    if (!this.scope) return new Set(refs);
    if (!this.scope.conditions) return new Set(visibleAmong(this.scope, refs));
    const rows = await this.inScope(this.db('drift_entities'), 'entity_ref', refs).select('entity_ref');
    return new Set(rows.map(r => r.entity_ref as string));
  }

  async latestScan(): Promise<Scan | undefined> {
    const row = await this.db('drift_scans').orderBy('queued_at', 'desc').first();
    return row ? scanFromRow(row) : undefined;
  }

  /** Forgets a scan that found nothing to do (a demo replay round that came too early). */
  async deleteScan(id: string): Promise<void> {
    await this.db('drift_scans').where({ id }).delete();
  }

  /** Scans whose replica stopped renewing their lease: it died, and they will never finish. */
  async failExpiredScans(now = new Date()): Promise<number> {
    return failExpiredScans(this.db, now);
  }

  /** When each entity was last scanned, for per-tier scheduling. */
  async lastScannedAt(): Promise<Map<string, Date>> {
    const rows: Array<{ entity_ref: string; at: unknown }> = await this.db('drift_resources')
      .select('entity_ref')
      .max({ at: 'last_scanned_at' })
      .groupBy('entity_ref');
    return new Map(rows.map(r => [r.entity_ref, new Date(toDate(r.at))]));
  }

  // ---- applying scan results --------------------------------------------------------------

  async applyEntityResult(result: EntityScanResult): Promise<EntityScanOutcome> {
    return this.db.transaction(async tx => {
      const { entity, provider, now, scanId } = result;
      const changes: FindingChange[] = [];
      const outcome = (): EntityScanOutcome => ({
        resources: result.sourceError === undefined ? result.resources.length : 0,
        opened: changes.filter(c => c.outcome === 'opened').length,
        resolved: changes.filter(c => c.outcome === 'resolved').length,
        changes,
      });
      // The upsert holds the entity's row until commit, so replicas applying the same entity at
      // once take turns, and each reads what the other wrote. A result older than one already
      // applied is dropped: its events would come after newer ones.
      await this.recordEntity(tx, entity);
      const existingResources: StoredResourceRow[] = await tx('drift_resources')
        .where({ entity_ref: entity.entityRef, provider })
        .select('id', 'location', 'resource_key', 'last_scanned_at', ...COMPARED_RESOURCE_COLUMNS);
      if (existingResources.some(row => toDate(row.last_scanned_at) > now.getTime())) {
        return { resources: 0, opened: 0, resolved: 0, changes };
      }

      if (result.sourceError !== undefined) {
        // Desired state unreadable: nothing can be concluded about any resource.
        await tx('drift_resources')
          .where({ entity_ref: entity.entityRef, provider })
          .update({ status: 'unknown', error: result.sourceError, last_scan_id: scanId, last_scanned_at: now });
        return outcome();
      }

      const failedLocations = new Map(result.errors.map(e => [e.location, e.message]));
      const unreadKinds = new Set((result.unreadKinds ?? []).map(u => `${u.location}\u0000${u.kind}`));
      const existingByKey = new Map(existingResources.map(row => [`${row.location}\u0000${row.resource_key}`, row]));
      const rows = resourceRows(result, failedLocations);
      // Read once for the whole result; a finding is re-read only when a resource repeats.
      const findings: KnownFindings = {
        rows: new Map(
          (await tx('drift_findings').where({ entity_ref: entity.entityRef, provider })).map(row => [
            `${row.location}\u0000${row.resource_key}`,
            row,
          ]),
        ),
        taken: new Set(),
      };

      // Resources as they were last time are only marked scanned, all at once; the others are
      // written in multi-row upserts.
      const unchanged: number[] = [];
      const changed: Array<Record<string, unknown>> = [];
      for (const [key, row] of rows) {
        const existing = existingByKey.get(key);
        if (existing && isSameResource(existing, row)) unchanged.push(existing.id);
        else changed.push(row);
      }
      for (const ids of chunks(unchanged, ROWS_PER_STATEMENT)) {
        await tx('drift_resources').whereIn('id', ids).update({ last_scan_id: scanId, last_scanned_at: now });
      }
      for (const batch of chunks(changed, ROWS_PER_STATEMENT)) {
        await tx('drift_resources')
          .insert(batch)
          .onConflict(['entity_ref', 'provider', 'location', 'resource_key'])
          .merge();
      }

      changes.push(...(await this.applyFindingStates(tx, result, failedLocations, findings)));

      const unknownByError = new Map<string, number[]>();
      for (const row of existingResources) {
        if (rows.has(`${row.location}\u0000${row.resource_key}`)) continue;
        const error =
          failedLocations.get(row.location) ??
          (unreadKinds.has(`${row.location}\u0000${row.kind}`)
            ? `Not allowed to list ${row.kind} in ${row.location}`
            : undefined);
        if (error !== undefined) {
          unknownByError.set(error, [...(unknownByError.get(error) ?? []), row.id]);
          continue;
        }
        // Neither declared nor live any more: the resource left the surface area.
        await tx('drift_resources').where({ id: row.id }).delete();
        const change = await this.resolveOpenFinding(
          tx,
          {
            where: { entity_ref: entity.entityRef, provider, location: row.location, resource_key: row.resource_key },
            now,
            note: 'No longer declared in Git nor present live',
            lastKnownGoodHash: null,
          },
          findings,
        );
        if (change) changes.push(change);
      }
      for (const [error, ids] of unknownByError) {
        for (const chunk of chunks(ids, ROWS_PER_STATEMENT)) {
          await tx('drift_resources')
            .whereIn('id', chunk)
            .update({ status: 'unknown', error, last_scan_id: scanId, last_scanned_at: now });
        }
      }
      return outcome();
    });
  }

  /**
   * Applies a batch of results. Those that would change nothing but when their resources were
   * last scanned and their drift last seen (same rows, the same drift on open findings, no
   * finding to open or resolve, same entity attributes) are marked in one statement per table; the others go through
   * {@link applyEntityResult}, one transaction each. An unchanged rescan then costs a few
   * queries per batch, not a transaction per entity. Each entry is the entity's outcome, or
   * why it could not be stored.
   */
  async applyEntityResults(results: EntityScanResult[]): Promise<Array<EntityScanOutcome | Error>> {
    const { unchanged, storedRefs } = await this.unchangedResults(results);
    const outcomes: Array<EntityScanOutcome | Error> = [];
    const marked = new Map<string, { scanId: string; now: Date; refs: string[]; findings: string[] }>();

    // Entities seen for the first time, each once in the batch, go in together.
    const firstRefs = new Map<string, number>();
    for (const [i, r] of results.entries()) {
      const ref = r.entity.entityRef;
      if (storedRefs.has(ref) || r.sourceError !== undefined || r.resources.length === 0) continue;
      firstRefs.set(ref, firstRefs.has(ref) ? -1 : i);
    }
    const firstIndexes = [...firstRefs.values()].filter(i => i >= 0);
    const firstOutcomes = new Map<number, EntityScanOutcome>();
    if (firstIndexes.length > 1) {
      const applied = await this.applyFirstResults(firstIndexes.map(i => results[i]));
      applied?.forEach((outcome, j) => firstOutcomes.set(firstIndexes[j], outcome));
    }

    for (const [i, result] of results.entries()) {
      const first = firstOutcomes.get(i);
      if (first) {
        outcomes.push(first);
        continue;
      }
      const seenAgain = unchanged.get(i);
      if (seenAgain) {
        const key = `${result.provider}\u0000${result.scanId}\u0000${result.now.getTime()}`;
        const group = marked.get(key) ?? { scanId: result.scanId, now: result.now, refs: [], findings: [] };
        group.refs.push(result.entity.entityRef);
        group.findings.push(...seenAgain);
        marked.set(key, group);
        outcomes.push({ resources: result.resources.length, opened: 0, resolved: 0, changes: [] });
        continue;
      }
      try {
        outcomes.push(await this.applyEntityResult(result));
      } catch (error) {
        outcomes.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    for (const [key, { scanId, now, refs, findings }] of marked) {
      const provider = key.slice(0, key.indexOf('\u0000'));
      for (const chunk of chunks(findings, ROWS_PER_STATEMENT)) {
        await this.db('drift_findings')
          .whereIn('id', chunk)
          .where('last_seen_at', '<', now)
          .whereIn('status', ['active', 'acknowledged'])
          .update({ last_seen_at: now });
      }
      for (const chunk of chunks(refs, ROWS_PER_STATEMENT)) {
        // A newer result applied meanwhile keeps its own time.
        await this.db('drift_resources')
          .whereIn('entity_ref', chunk)
          .where({ provider })
          .where('last_scanned_at', '<=', now)
          .update({ last_scan_id: scanId, last_scanned_at: now });
      }
    }
    return outcomes;
  }

  /**
   * The results, by index, that would change nothing beyond their resources' scan times (with
   * the open findings seen again), and the entities with anything stored.
   */
  private async unchangedResults(
    results: EntityScanResult[],
  ): Promise<{ unchanged: Map<number, string[]>; storedRefs: Set<string> }> {
    const unchanged = new Map<number, string[]>();
    const storedRefs = new Set<string>();
    const candidates = results.filter(r => r.sourceError === undefined && r.resources.length > 0);
    if (candidates.length === 0) return { unchanged, storedRefs };
    const refs = [...new Set(candidates.map(r => r.entity.entityRef))];
    const resources = new Map<string, StoredResourceRow[]>();
    const openFindings = new Map<string, Record<string, any>>();
    const entities = new Map<string, any>();
    for (const chunk of chunks(refs, ROWS_PER_STATEMENT)) {
      const rows = await this.db('drift_resources')
        .whereIn('entity_ref', chunk)
        .select('entity_ref', 'provider', 'id', 'location', 'resource_key', 'last_scanned_at', ...COMPARED_RESOURCE_COLUMNS);
      for (const row of rows) {
        const key = `${row.entity_ref}\u0000${row.provider}`;
        resources.set(key, [...(resources.get(key) ?? []), row]);
      }
      const findings = await this.db('drift_findings').whereIn('entity_ref', chunk).whereNot('status', 'resolved');
      for (const f of findings) openFindings.set(`${f.entity_ref}\u0000${f.provider}\u0000${f.location}\u0000${f.resource_key}`, f);
      for (const e of await this.db('drift_entities').whereIn('entity_ref', chunk)) entities.set(e.entity_ref, e);
    }
    for (const ref of entities.keys()) storedRefs.add(ref);
    for (const key of resources.keys()) storedRefs.add(key.slice(0, key.indexOf('\u0000')));
    for (const finding of openFindings.values()) storedRefs.add(finding.entity_ref);
    for (const [i, result] of results.entries()) {
      if (result.sourceError !== undefined || result.resources.length === 0) continue;
      const { entity, provider, now } = result;
      const stored = entities.get(entity.entityRef);
      if (
        !stored ||
        (stored.owner ?? null) !== (entity.owner ?? null) ||
        (stored.system ?? null) !== (entity.system ?? null) ||
        Number(stored.tier) !== entity.tier ||
        (stored.environment ?? null) !== (entity.environment ?? null)
      ) {
        continue;
      }
      const rows = resources.get(`${entity.entityRef}\u0000${provider}`) ?? [];
      if (rows.length !== result.resources.length || rows.some(r => toDate(r.last_scanned_at) > now.getTime())) continue;
      const byKey = new Map(rows.map(r => [`${r.location}\u0000${r.resource_key}`, r]));
      const failedLocations = new Map(result.errors.map(e => [e.location, e.message]));
      const seenAgain: string[] = [];
      const same = result.resources.every(({ location, environment, diff, error, objects, source }) => {
        const row = byKey.get(`${location}\u0000${diff.key}`);
        byKey.delete(`${location}\u0000${diff.key}`);
        if (!row) return false;
        const finding = openFindings.get(`${entity.entityRef}\u0000${provider}\u0000${location}\u0000${diff.key}`);
        if (diff.status !== 'unknown' && !failedLocations.has(location)) {
          if (DRIFT_STATUSES.has(diff.status)) {
            // The same drift seen again only moves its finding's last sighting.
            const fields = findingFields(diff, contextIn(entity, environment), source, environment);
            if (!finding || !isSeenAgain(finding, fields)) return false;
            seenAgain.push(finding.id);
          } else if (finding) {
            return false; // back in sync: the finding resolves
          }
        }
        return isSameResource(row, {
          api_version: diff.apiVersion ?? null,
          kind: diff.kind,
          namespace: diff.namespace ?? null,
          name: diff.name,
          status: diff.status,
          error: error ?? failedLocations.get(location) ?? null,
          environment: environment ?? null,
          desired_object: storedObject(diff.kind, objects?.desired),
          live_object: storedObject(diff.kind, objects?.live),
        });
      });
      if (same && byKey.size === 0) unchanged.set(i, seenAgain);
    }
    return { unchanged, storedRefs };
  }

  /** Entities with monitored resources or open findings: those a catalog scan should see again. */
  async monitoredEntityRefs(): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db('drift_resources')
      .select('entity_ref')
      .union(q => q.select('entity_ref').from('drift_findings').whereNot('status', 'resolved'));
    return rows.map(r => r.entity_ref);
  }

  /**
   * Forgets an entity that left the catalog, in one transaction: its open findings close with
   * `reason`, and its resources, deployment status and source back-off go. Its events and closed
   * findings stay for the audit log.
   */
  async closeEntity(entityRef: string, reason: CloseReason, now = new Date()): Promise<FindingChange[]> {
    return this.db.transaction(async tx => {
      await tx('drift_entities').where({ entity_ref: entityRef }).forUpdate().first();
      const open = await tx('drift_findings').where({ entity_ref: entityRef }).whereNot('status', 'resolved');
      const changes: FindingChange[] = [];
      for (const row of open) {
        const lifecycle = closeFinding({ openedAt: new Date(toDate(row.opened_at)) }, now, reason);
        await tx('drift_findings').where({ id: row.id }).update(lifecycle.update);
        const change = await this.record(tx, row.id, entityRef, SYSTEM_ACTOR, now, lifecycle, {
          findingId: row.id,
          entityRef,
          outcome: 'resolved',
          tier: Number(row.tier),
          severity: row.severity,
        });
        if (change) changes.push(change);
      }
      await tx('drift_resources').where({ entity_ref: entityRef }).delete();
      await tx('drift_external_status').where({ entity_ref: entityRef }).delete();
      await tx('drift_source_backoff').where({ entity_ref: entityRef }).delete();
      return changes;
    });
  }

  /** Keeps the entity attributes that permission conditions filter on current. */
  /** Opens, updates or resolves the findings of a result's readable resources. */
  protected async applyFindingStates(
    tx: Knex.Transaction,
    result: EntityScanResult,
    failedLocations: Map<string, string>,
    findings: KnownFindings,
  ): Promise<FindingChange[]> {
    const changes: FindingChange[] = [];
    for (const { location, environment, diff, source } of result.resources) {
      if (diff.status === 'unknown' || failedLocations.has(location)) continue;
      // A finding's tier is that of the environment it is in, never more urgent than the entity's.
      const inEnvironment = { ...result, entity: contextIn(result.entity, environment) };
      const change = await this.applyFindingState(tx, inEnvironment, location, diff, source, environment, findings);
      if (change) changes.push(change);
    }
    return changes;
  }

  /**
   * Results of entities seen for the first time (no entity row, resources or findings stored),
   * in one transaction: their entity rows and resources in multi-row inserts, then their
   * findings. A full scan of a new catalog then costs a few statements per batch instead of a
   * transaction per entity. Undefined when any of them turns out to be known after all (another
   * replica stored it meanwhile) or the transaction fails: the caller then applies them one by
   * one, and each entity's own error, if any, is its own.
   */
  private async applyFirstResults(results: EntityScanResult[]): Promise<EntityScanOutcome[] | undefined> {
    const refs = results.map(r => r.entity.entityRef);
    try {
      return await this.db.transaction(async tx => {
        // Plain inserts: an entity row written meanwhile is a unique violation, which ends the
        // transaction. Once written, the rows hold off any other writer of these entities.
        for (const chunk of chunks(results, ROWS_PER_STATEMENT)) {
          await tx('drift_entities').insert(chunk.map(({ entity }) => entityRow(entity)));
        }
        for (const chunk of chunks(refs, ROWS_PER_STATEMENT)) {
          const stored =
            (await tx('drift_resources').whereIn('entity_ref', chunk).first('id')) ??
            (await tx('drift_findings').whereIn('entity_ref', chunk).first('id'));
          if (stored) throw new Error('Known entity');
        }
        const rows = results.map(result => resourceRows(result, new Map(result.errors.map(e => [e.location, e.message]))));
        for (const batch of chunks(rows.flatMap(r => [...r.values()]), ROWS_PER_STATEMENT)) {
          await tx('drift_resources').insert(batch);
        }
        const outcomes: EntityScanOutcome[] = [];
        for (const result of results) {
          const failedLocations = new Map(result.errors.map(e => [e.location, e.message]));
          const changes = await this.applyFindingStates(tx, result, failedLocations, { rows: new Map(), taken: new Set() });
          outcomes.push({
            resources: result.resources.length,
            opened: changes.filter(c => c.outcome === 'opened').length,
            resolved: 0,
            changes,
          });
        }
        return outcomes;
      });
    } catch {
      return undefined;
    }
  }

  private async recordEntity(tx: Knex.Transaction, entity: EntityContext) {
    await tx('drift_entities').insert(entityRow(entity)).onConflict('entity_ref').merge();
  }

  private async applyFindingState(
    tx: Knex.Transaction,
    result: EntityScanResult,
    location: string,
    diff: ResourceDiff,
    source: ScannedResource['source'],
    environment: string | undefined,
    known?: KnownFindings,
  ): Promise<FindingChange | undefined> {
    const { entity, provider, now } = result;
    const where = { entity_ref: entity.entityRef, provider, location, resource_key: diff.key };
    const existing = await findingAt(tx, where, known);

    if (!DRIFT_STATUSES.has(diff.status)) {
      if (!existing || existing.status === 'resolved') return undefined;
      return this.resolveOpenFinding(tx, { where, now, note: null, lastKnownGoodHash: driftHash(diff) }, undefined, existing);
    }

    const severity = (diff.severity ?? 'low') as Severity;
    const hash = driftHash(diff);
    const observed = { severity, driftHash: hash, categories: categoriesOf(diff), resourceStatus: diff.status };
    const common = { ...findingFields(diff, entity, source, environment), last_seen_at: now };
    const change = (id: string, lifecycle: LifecycleOutcome): FindingChange | undefined =>
      lifecycle.outcome
        ? { findingId: id, entityRef: entity.entityRef, outcome: lifecycle.outcome, tier: entity.tier, severity }
        : undefined;

    if (!existing || existing.status === 'resolved') {
      const lifecycle = openFinding(observed, entity.slaHours, now, existing ? 'resolved' : 'new');
      const id: string = existing?.id ?? randomUUID();
      const renotify = { renotify_due_at: this.planner?.renotifyDueAt(entity.tier, now) ?? null };
      if (existing) {
        await tx('drift_findings').where({ id }).update({ ...common, ...lifecycle.update, ...renotify });
      } else {
        await tx('drift_findings').insert({ id, ...where, ...common, ...lifecycle.update, ...renotify });
      }
      await this.bumpRollup(tx, now, result, diff, 'detected');
      return this.record(tx, id, entity.entityRef, SYSTEM_ACTOR, now, lifecycle, change(id, lifecycle));
    }

    const lifecycle = observeOpenFinding(
      {
        status: existing.status,
        severity: existing.severity,
        driftHash: existing.drift_hash,
        suppressedUntil: existing.suppressed_until === null ? null : new Date(toDate(existing.suppressed_until)),
      },
      observed,
      now,
    );
    await tx('drift_findings').where({ id: existing.id }).update({ ...common, ...lifecycle.update });
    // A suppressed finding stays quiet until its suppression ends.
    const routed = (lifecycle.update.status ?? existing.status) === 'suppressed' ? undefined : change(existing.id, lifecycle);
    return this.record(tx, existing.id, entity.entityRef, SYSTEM_ACTOR, now, lifecycle, routed);
  }

  /** Records a lifecycle step's events and writes its routing intents, in the same transaction. */
  private async record(
    tx: Knex.Transaction,
    findingId: string,
    entityRef: string,
    actor: string,
    now: Date,
    lifecycle: LifecycleOutcome,
    change: FindingChange | undefined,
  ): Promise<FindingChange | undefined> {
    for (const event of lifecycle.events) {
      await this.appendEvent(tx, findingId, entityRef, event.type, actor, now, event.note, event.details);
    }
    if (change && this.planner) await enqueueIntents(tx, this.planner, change, now);
    return change;
  }

  private async resolveOpenFinding(
    tx: Knex.Transaction,
    options: { where: Record<string, string>; now: Date; note: string | null; lastKnownGoodHash: string | null },
    known?: KnownFindings,
    /** The finding as the caller just read it. */
    current?: any,
  ): Promise<FindingChange | undefined> {
    const existing = current ?? (await findingAt(tx, options.where, known));
    if (!existing || existing.status === 'resolved') return undefined;
    const lifecycle = resolveFinding(
      { openedAt: new Date(toDate(existing.opened_at)) },
      options.now,
      options.note,
      options.lastKnownGoodHash,
    );
    await tx('drift_findings').where({ id: existing.id }).update(lifecycle.update);
    for (const category of JSON.parse(existing.categories) as string[]) {
      await this.incrementRollup(tx, options.now, {
        entity_ref: existing.entity_ref,
        owner: existing.owner ?? '',
        tier: existing.tier,
        category,
        provider: existing.provider,
        severity: existing.severity,
      }, 'resolved');
    }
    return this.record(tx, existing.id, existing.entity_ref, SYSTEM_ACTOR, options.now, lifecycle, {
      findingId: existing.id,
      entityRef: existing.entity_ref,
      outcome: 'resolved',
      tier: Number(existing.tier),
      severity: existing.severity,
    });
  }

  private async bumpRollup(
    tx: Knex.Transaction,
    now: Date,
    result: EntityScanResult,
    diff: ResourceDiff,
    column: 'detected' | 'resolved',
  ) {
    const categories = categoriesOf(diff);
    // Missing and extra objects have no field changes; they count under their status.
    for (const category of categories.length ? categories : [diff.status]) {
      await this.incrementRollup(tx, now, {
        entity_ref: result.entity.entityRef,
        owner: result.entity.owner ?? '',
        tier: result.entity.tier,
        category,
        provider: result.provider,
        severity: diff.severity ?? 'low',
      }, column);
    }
  }

  private async incrementRollup(
    tx: Knex.Transaction,
    now: Date,
    key: { entity_ref: string; owner: string; tier: number; category: string; provider: string; severity: string },
    column: 'detected' | 'resolved',
  ) {
    const day = now.toISOString().slice(0, 10);
    await tx('drift_daily_rollups')
      .insert({ day, ...key, detected: column === 'detected' ? 1 : 0, resolved: column === 'resolved' ? 1 : 0 })
      .onConflict(['day', 'entity_ref', 'tier', 'category', 'provider', 'severity'])
      .merge({ [column]: tx.raw(`drift_daily_rollups.${column} + 1`) });
  }

  private async appendEvent(
    tx: Knex | Knex.Transaction,
    findingId: string | null,
    entityRef: string,
    type: EventType,
    actor: string,
    at: Date,
    note: string | null,
    details: Record<string, unknown> | null,
  ) {
    await tx('drift_events').insert({
      finding_id: findingId,
      entity_ref: entityRef,
      type,
      actor,
      at,
      note,
      details: details ? JSON.stringify(details) : null,
    });
  }

  /**
   * Marks unresolved findings past their SLA as breached and escalates them; returns the newly
   * breached ones. The conditional update lets one replica win each finding.
   */
  async markBreaches(now = new Date()): Promise<Finding[]> {
    const rows = await this.db('drift_findings')
      .where('sla_breached', false)
      .whereNotNull('sla_due_at')
      .where('sla_due_at', '<', now)
      .whereIn('status', ['active', 'acknowledged']);
    const breached: Finding[] = [];
    for (const row of rows) {
      const finding = findingFromRow(row);
      const due = { ...finding, slaDueAt: new Date(finding.slaDueAt!) };
      if (!isPastSla(due, now)) continue;
      const won = await this.db.transaction(async tx => {
        const lifecycle = breachFinding(finding, this.planner?.escalationOf(finding.tier));
        const updated = await tx('drift_findings')
          .where({ id: row.id, sla_breached: false })
          .update(lifecycle.update);
        if (updated !== 1) return false;
        await this.record(tx, row.id, row.entity_ref, SYSTEM_ACTOR, now, lifecycle, {
          findingId: row.id,
          entityRef: row.entity_ref,
          outcome: 'escalated',
          tier: finding.tier,
          severity: finding.severity,
        });
        return true;
      });
      if (won) breached.push({ ...finding, slaBreached: true });
    }
    return breached;
  }

  // ---- human decisions ----------------------------------------------------------------------

  async acknowledge(id: string, actor: string, note: string | undefined, now = new Date()): Promise<Finding> {
    return this.decide(id, actor, now, 'acknowledged', note ?? null, current => {
      if (current.status === 'resolved') throw new ConflictError(`Finding ${id} is resolved`);
      return {
        status: current.status === 'suppressed' ? 'suppressed' : 'acknowledged',
        acknowledged_by: actor,
        acknowledged_at: now,
        acknowledge_note: note ?? null,
        renotify_due_at: null,
      };
    }, null, 'acknowledged');
  }

  async suppress(
    id: string,
    actor: string,
    options: { until: Date; reason: string; maxSuppressionDays: number },
    now = new Date(),
  ): Promise<Finding> {
    checkSuppressionUntil(options.until, now, options.maxSuppressionDays);
    return this.decide(id, actor, now, 'suppressed', options.reason, current => {
      if (current.status === 'resolved') throw new ConflictError(`Finding ${id} is resolved`);
      return {
        status: 'suppressed',
        suppressed_by: actor,
        suppressed_until: options.until,
        suppress_reason: options.reason,
      };
    }, { until: options.until.toISOString() });
  }

  async reopen(id: string, actor: string, note: string | undefined, now = new Date()): Promise<Finding> {
    return this.decide(id, actor, now, 'reopened', note ?? null, current => {
      if (current.status === 'active') throw new ConflictError(`Finding ${id} is already active`);
      if (current.status === 'resolved') {
        throw new ConflictError(`Finding ${id} is resolved; it reopens when the drift returns`);
      }
      return {
        status: 'active',
        acknowledged_by: null,
        acknowledged_at: null,
        acknowledge_note: null,
        suppressed_by: null,
        suppressed_until: null,
        suppress_reason: null,
      };
    });
  }

  private async decide(
    id: string,
    actor: string,
    now: Date,
    type: EventType,
    note: string | null,
    change: (current: Finding) => Record<string, unknown>,
    details: Record<string, unknown> | null = null,
    outcome?: 'acknowledged',
  ): Promise<Finding> {
    return this.db.transaction(async tx => {
      const row = await tx('drift_findings').where({ id }).forUpdate().first();
      if (!row) throw new NotFoundError(`No finding with id '${id}'`);
      await tx('drift_findings').where({ id }).update(change(findingFromRow(row)));
      await this.record(
        tx,
        id,
        row.entity_ref,
        actor,
        now,
        { update: {}, events: [{ type, note, details }] },
        outcome && {
          findingId: id,
          entityRef: row.entity_ref,
          outcome,
          tier: Number(row.tier),
          severity: row.severity,
        },
      );
      return findingFromRow(await tx('drift_findings').where({ id }).first());
    });
  }

  // ---- queries ------------------------------------------------------------------------------

  async getFinding(id: string): Promise<{ finding: Finding; events: DriftEvent[]; incidents: IncidentLink[] }> {
    // Looked up by id first, then read again in the caller's scope of that one entity.
    const stored = await this.db('drift_findings').where({ id }).first('entity_ref');
    const row = stored && (await this.inScope(this.db('drift_findings').where({ id }), 'entity_ref', [stored.entity_ref]).first());
    if (!row) throw new NotFoundError(`No finding with id '${id}'`);
    const events = await this.db('drift_events').where({ finding_id: id }).orderBy('id', 'asc');
    return {
      finding: findingFromRow(row),
      events: events.map(eventFromRow),
      incidents: await queryIncidents(this.routingSources(), id),
    };
  }

  // ---- routing ------------------------------------------------------------------------------

  private routingSources(): RoutingSources {
    return { db: this.db, scoped: (table, column = 'entity_ref', only) => this.inScope(this.db(table), column, only) };
  }

  /** True when Driftwatch has scanned the entity and the caller may read it. */
  async knowsEntity(entityRef: string): Promise<boolean> {
    return (await this.entityRefsInScope([entityRef])).has(entityRef) &&
      Boolean(await this.db('drift_entities').where({ entity_ref: entityRef }).first());
  }

  /** The merge gate of one entity, in the caller's scope. */
  async gate(entityRef: string, now = new Date()) {
    return queryGate(this.routingSources(), entityRef, now);
  }

  async routingSummary(from: Date, to: Date) {
    return this.cached(
      'routing-summary',
      { from, to },
      () => queryRoutingSummary(this.routingSources(), from, to),
      undefined,
      'routing',
    );
  }

  async incidentsInWindow(from: Date, to: Date) {
    return queryIncidentsInWindow(this.routingSources(), from, to);
  }

  /** Links a finding to an incident, once per URL, as an audit event. */
  async linkIncident(
    id: string,
    link: { url: string; title?: string },
    actor: string,
    now = new Date(),
  ): Promise<IncidentLink> {
    return this.db.transaction(async tx => {
      const row = await tx('drift_findings').where({ id }).first();
      if (!row) throw new NotFoundError(`No finding with id '${id}'`);
      const existing = await tx('drift_incident_links').where({ finding_id: id, url: link.url }).first();
      if (existing) throw new ConflictError(`Finding ${id} is already linked to ${link.url}`);
      await tx('drift_incident_links').insert({
        finding_id: id,
        url: link.url,
        title: link.title ?? null,
        linked_by: actor,
        linked_at: now,
      });
      await this.appendEvent(tx, id, row.entity_ref, 'incident-linked', actor, now, link.title ?? link.url, {
        url: link.url,
      });
      return { findingId: id, url: link.url, title: link.title ?? null, linkedBy: actor, linkedAt: now.toISOString() };
    });
  }

  /**
   * Findings with their entity's attributes, in the order of `ids`, for permission rules: the
   * same attributes the database filter of the read routes looks at.
   */
  async getFindingResources(ids: string[]): Promise<Array<DriftFindingResource | undefined>> {
    if (ids.length === 0) return [];
    const rows = await this.db('drift_findings as f')
      .leftJoin('drift_entities as e', 'e.entity_ref', 'f.entity_ref')
      .whereIn('f.id', ids)
      .select('f.id', 'f.entity_ref', 'e.owner', 'e.system', 'e.tier', 'e.environment');
    const byId = new Map<string, DriftFindingResource>(
      rows.map(r => [
        r.id,
        {
          id: r.id,
          entityRef: r.entity_ref,
          owner: r.owner ?? null,
          system: r.system ?? null,
          tier: r.tier === null ? null : Number(r.tier),
          environment: r.environment ?? null,
        },
      ]),
    );
    return ids.map(id => byId.get(id));
  }

  private applyFilter(query: Knex.QueryBuilder, filter: FindingFilter): Knex.QueryBuilder {
    this.inScope(query, 'entity_ref', filter.entityRef?.length ? filter.entityRef : undefined);
    if (filter.status?.length) query.whereIn('status', filter.status);
    if (filter.severity?.length) query.whereIn('severity', filter.severity);
    if (filter.tier?.length) query.whereIn('tier', filter.tier);
    if (filter.owner?.length) query.whereIn('owner', filter.owner);
    if (filter.provider?.length) query.whereIn('provider', filter.provider);
    if (filter.environment?.length) query.whereIn('environment', filter.environment);
    if (filter.location?.length) query.whereIn('location', filter.location);
    if (filter.breached !== undefined) query.where('sla_breached', filter.breached);
    if (filter.category?.length) {
      query.where(q => {
        for (const category of filter.category!) q.orWhere('categories', 'like', `%"${category}"%`);
      });
    }
    return query;
  }

  async listFindings(options: FindingPageQuery): Promise<FindingPage> {
    return this.cached('findings', options, () => this.queryFindingPage(options), page => page.items.length);
  }

  private async queryFindingPage(options: FindingPageQuery): Promise<FindingPage> {
    const column = SORT_COLUMNS[options.sort];
    const op = options.order === 'asc' ? '>' : '<';
    const query = this.applyFilter(this.db('drift_findings'), options.filter);
    let count: number | undefined;
    if (options.cursor) {
      const [value, id, total] = decodeCursor(options.cursor);
      count = total;
      const bound = cursorBound(column, value, id, options.cursor);
      if (bound === null) {
        query.whereNull(column).where('id', op, id);
      } else {
        query.where(q =>
          q.where(column, op, bound as any).orWhere(q2 => q2.where(column, bound as any).where('id', op, id)),
        );
      }
    }
    const [rows, totalCount] = await Promise.all([
      query
        .orderBy([{ column, order: options.order }, { column: 'id', order: options.order }])
        .limit(options.limit + 1),
      count ??
        this.applyFilter(this.db('drift_findings'), options.filter)
          .count({ count: '*' })
          .then(([r]) => Number(r.count)),
    ]);
    const items = rows.slice(0, options.limit).map(findingFromRow);
    const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
    const lastValue = last?.[column];
    return {
      items,
      totalCount,
      nextCursor: last
        ? encodeCursor(
            column.endsWith('_at') && lastValue !== null ? new Date(toDate(lastValue)).toISOString() : lastValue,
            last.id,
            totalCount,
          )
        : undefined,
    };
  }

  /** Records what the tools that deploy an entity said about it in this scan. */
  async recordExternalStatus(entityRef: string, statuses: ExternalStatus[], now = new Date()): Promise<void> {
    await replaceExternalStatus(this.db, [{ entityRef, statuses }], now);
  }

  /** As {@link recordExternalStatus}, for a batch of entities in one transaction. */
  async recordExternalStatuses(
    entries: Array<{ entityRef: string; statuses: ExternalStatus[] }>,
    now = new Date(),
  ): Promise<void> {
    await replaceExternalStatus(this.db, entries, now);
  }

  /** What the tools that deploy an entity said about it at the last scan, in the caller's scope. */
  async externalStatus(entityRef: string): Promise<EntityExternalStatus[]> {
    return queryExternalStatus(this.inScope(this.db('drift_external_status'), 'entity_ref', [entityRef]));
  }

  async listResources(filter: { entityRef?: string; status?: string[] }): Promise<MonitoredResource[]> {
    const query = this.inScope(this.db('drift_resources'), 'entity_ref', filter.entityRef ? [filter.entityRef] : undefined);
    if (filter.status?.length) query.whereIn('status', filter.status);
    const rows = await query.orderBy(['entity_ref', 'provider', 'location', 'resource_key']);
    return rows.map(resourceFromRow);
  }

  /** Monitored resources, a page at a time, by entity (then as stored), with an opaque cursor. */
  async listResourcePage(options: ResourcePageQuery): Promise<ResourcePage> {
    return this.cached('resources', options, () => this.queryResourcePage(options), page => page.items.length);
  }

  private async queryResourcePage(options: ResourcePageQuery): Promise<ResourcePage> {
    const filtered = () => {
      const query = this.inScope(this.db('drift_resources'), 'entity_ref', options.entityRef ? [options.entityRef] : undefined);
      if (options.status?.length) query.whereIn('status', options.status);
      return query;
    };
    const query = filtered();
    let count: number | undefined;
    if (options.cursor) {
      const [entityRef, id, total] = decodeCursor(options.cursor);
      if (typeof entityRef !== 'string' || !/^\d+$/.test(id)) throw new InputError(`Invalid cursor '${options.cursor}'`);
      count = total;
      query.where(q =>
        q.where('entity_ref', '>', entityRef).orWhere(q2 => q2.where('entity_ref', entityRef).where('id', '>', Number(id))),
      );
    }
    const [rows, totalCount] = await Promise.all([
      query.orderBy(['entity_ref', 'id']).limit(options.limit + 1),
      count ??
        filtered()
          .count({ count: '*' })
          .then(([r]) => Number(r.count)),
    ]);
    const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
    return {
      items: rows.slice(0, options.limit).map(resourceFromRow),
      totalCount,
      nextCursor: last ? encodeCursor(last.entity_ref, String(last.id), totalCount) : undefined,
    };
  }

  /** An entity's resources with their stored objects, for comparing them across environments. */
  async comparedObjects(entityRef: string): Promise<StoredObjects[]> {
    const rows = await this.inScope(this.db('drift_resources'), 'entity_ref', [entityRef])
      .whereNotNull('environment')
      .orderBy(['resource_key', 'environment', 'location'])
      .select('resource_key', 'api_version', 'kind', 'namespace', 'name', 'environment', 'location', 'desired_object', 'live_object');
    return rows.map(row => ({
      resourceKey: row.resource_key,
      apiVersion: row.api_version ?? null,
      kind: row.kind,
      namespace: row.namespace ?? null,
      name: row.name,
      environment: row.environment,
      location: row.location,
      desired: row.desired_object ? JSON.parse(row.desired_object) : null,
      live: row.live_object ? JSON.parse(row.live_object) : null,
    }));
  }

  /** Counts, coverage and groups of a window, aggregated in the database. */
  async statistics(options: StatisticsQuery) {
    return queryStatistics(this.aggregateSources(), options);
  }

  /** The monitored resources counted by status, per provider, kind and system. */
  async surface(filter: SurfaceFilter): Promise<SurfaceArea> {
    return this.cached('surface', filter, () =>
      querySurface({ db: this.db, resources: () => this.inScope(this.db('drift_resources as r'), 'r.entity_ref') }, filter),
    );
  }

  /** The review of a window: new, resolved, still open and late findings, and who has them. */
  async reviewReport(from: Date, to: Date): Promise<ReviewReport> {
    const compute = async () => {
      const [report, incidents] = await Promise.all([
        queryReviewReport(this.aggregateSources(), from, to),
        this.incidentsInWindow(from, to),
      ]);
      return { ...report, incidents };
    };
    const listed = (r: ReviewReport) => r.newFindings.length + r.resolved.length + r.stillOpen.length + r.breaches.length;
    return this.cached('report', { from, to }, compute, listed);
  }

  private aggregateSources(): AggregateSources {
    return {
      db: this.db,
      findings: filter => this.applyFilter(this.db('drift_findings'), filter),
      resources: () => this.inScope(this.db('drift_resources')),
      memo: (part, params, compute) => this.cached(part, params, compute),
    };
  }

  /** Daily detected/resolved counts per category and severity, summed over entities. */
  async trends(options: TrendsQuery): Promise<DriftTrendRow[]> {
    return this.cached('trends', options, () => this.queryTrends(options), rows => rows.length / 10);
  }

  private async queryTrends(options: TrendsQuery): Promise<DriftTrendRow[]> {
    const query = this.inScope(this.db('drift_daily_rollups')).whereBetween('day', [
      options.from.toISOString().slice(0, 10),
      options.to.toISOString().slice(0, 10),
    ]);
    if (options.category?.length) query.whereIn('category', options.category);
    if (options.severity?.length) query.whereIn('severity', options.severity);
    if (options.owner?.length) query.whereIn('owner', options.owner);
    if (options.tier?.length) query.whereIn('tier', options.tier);
    const rows: Array<{ day: string; category: string; severity: Severity; detected: unknown; resolved: unknown }> =
      (await query
        .select('day', 'category', 'severity')
        .sum({ detected: 'detected', resolved: 'resolved' })
        .groupBy('day', 'category', 'severity')
        .orderBy(['day', 'category', 'severity'])) as any[];
    return rows.map(r => ({ ...r, detected: Number(r.detected), resolved: Number(r.resolved) }));
  }

  /** The audit log, newest first, with the resource each event is about. */
  async events(options: EventQuery): Promise<DriftAuditEvent[]> {
    return this.cached('events', options, () => this.queryEvents(options), events => events.length, 'routing');
  }

  private async queryEvents(options: EventQuery): Promise<DriftAuditEvent[]> {
    const newestFirst = (table: string) => [
      { column: `${table}.at`, order: 'desc' as const },
      { column: `${table}.id`, order: 'desc' as const },
    ];
    // The page of events is chosen before the join: joining every event of the window to its
    // finding first costs seconds at millions of events, the page's thousand lookups do not.
    const page = this.inScope(
      this.db('drift_events as e'),
      'e.entity_ref',
      options.entityRef?.length ? options.entityRef : undefined,
    ).whereBetween('e.at', [options.from, options.to]);
    if (options.types?.length) page.whereIn('e.type', options.types);
    if (options.actor === 'human') page.whereNot('e.actor', SYSTEM_ACTOR);
    if (options.actor === 'system') page.where('e.actor', SYSTEM_ACTOR);
    page.select('e.*').orderBy(newestFirst('e')).limit(options.limit);
    const rows = await this.db
      .from(page.as('page'))
      .leftJoin('drift_findings as f', 'f.id', 'page.finding_id')
      .select('page.*', 'f.resource_key', 'f.owner', 'f.severity')
      .orderBy(newestFirst('page'));
    return rows.map(row => ({
      ...eventFromRow(row),
      resourceKey: row.resource_key ?? null,
      owner: row.owner ?? null,
      severity: row.severity ?? null,
    }));
  }

  /** Deletes up to `limit` rows of `data` older than the cutoff, for retention. */
  async purgeBefore(data: RetainedData, cutoff: Date, limit: number): Promise<number> {
    const deleted = await purgeBatch(this.db, data, cutoff, limit);
    if (deleted > 0) await markDataChanged(this.db);
    return deleted;
  }

  // ---- source back-off ----------------------------------------------------------------------

  /** The sources failing for these entities, and when each is tried again. */
  async sourceBackoff(entityRefs: string[]): Promise<Map<string, SourceBackoff>> {
    return readSourceBackoff(this.db, entityRefs);
  }

  async recordSourceFailure(failure: { entityRef: string; source: string; error: string; now: Date }) {
    return recordSourceFailure(this.db, failure);
  }

  async clearSourceFailure(entityRef: string, source: string): Promise<void> {
    await clearSourceFailure(this.db, entityRef, source);
  }

  /** Deletes findings resolved before the cutoff; their events stay in the audit log. */
  async purgeResolvedBefore(cutoff: Date): Promise<number> {
    const deleted = await this.db('drift_findings').where('status', 'resolved').where('resolved_at', '<', cutoff).delete();
    if (deleted > 0) await markDataChanged(this.db);
    return deleted;
  }
}

function toDate(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : new Date(String(value)).getTime();
}
