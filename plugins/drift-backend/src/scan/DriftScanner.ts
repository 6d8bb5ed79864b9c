import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DRIFT_LINK_ANNOTATIONS } from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  DesiredStateSource,
  LiveStateTarget,
  ProviderCallOptions,
  TargetRequest,
  TargetResult,
} from '@driftwatch/plugin-drift-node';
import { ScanWorkCounts } from '@driftwatch/plugin-drift-node';
import { entityContext } from '../catalog/entityContext';
import type { DriftStore, EntityScanOutcome, EntityScanResult } from '../store/DriftStore';
import type { ScanError, ScanStatus, ScanTrigger } from '../store/types';
import type { DriftConfig } from './config';
import { ScanAbortedError, withDeadline } from './deadline';
import type { DriftMetrics } from './metrics';
import type { FindingChange } from '../store/lifecycle';
import { backoffOf, type SourceBackoff } from '../store/sourceBackoff';

function describeBackoff(backoff: SourceBackoff): string {
  const times = backoff.failures === 1 ? 'once' : `${backoff.failures} times in a row`;
  return `failed ${times}; next attempt after ${backoff.nextAttemptAt.toISOString()}`;
}

export interface ScanOptions {
  trigger: ScanTrigger;
  entityRef?: string;
  requestedBy?: string;
  /** Compare against state as it was then, and record it at that time (demo replay). */
  asOf?: Date;
  /** Only entities whose tier interval has passed (scheduled scans). */
  onlyDue?: boolean;
  /**
   * Stops the scan between batches, and its reads at once (the scheduler's, at its timeout or
   * shutdown). A batch whose reads were cut short is not applied: an aborted read says nothing
   * about the live state, so it never resolves a finding nor turns a resource unknown.
   */
  signal?: AbortSignal;
}

/** How long a catalog call may take before the scan gives up on it. */
const CATALOG_TIMEOUT_MS = 120_000;

/** A batch's desired state, read ahead of its comparison. */
interface BatchDesired {
  desiredByEntity: Map<string, { entity: Entity; desired: DesiredState[] }>;
  /** Entities a source failed for, with the reason: they are compared as unknown. */
  sourceFailures: Map<string, string>;
  errors: ScanError[];
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new ScanAbortedError('Scan aborted');
}

/**
 * Runs scans: picks entities from the catalog, reads desired state from the sources, has the
 * targets compare it with live state in batches, and stores each entity's result.
 */
export class DriftScanner {
  private readonly running = new Set<Promise<unknown>>();
  /** Ids of the triggered scans queued or running here, by what they cover. */
  private readonly inFlight = new Map<string, Promise<string>>();
  /** This replica, as the owner of the scans it runs. */
  private readonly leaseOwner = `${hostname()}:${process.pid}:${randomUUID()}`;

  constructor(
    private readonly deps: {
      store: DriftStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      config: DriftConfig;
      /** Key of the Secret value fingerprints. */
      secretHashKey: string;
      sources: () => DesiredStateSource[];
      targets: () => LiveStateTarget[];
      metrics?: DriftMetrics;
      /** Told after an entity's result changed findings (opened, changed, resolved, ...). */
      onFindingsChanged?: (changes: FindingChange[]) => void;
    },
  ) {}

  /**
   * Queues a scan and runs it in the background; resolves with the scan id at once. A request
   * for what a triggered scan still queued or running covers (the whole catalog, or the same
   * entity), on this replica or another, gets that scan's id rather than a second scan:
   * repeated requests cannot pile up background work.
   */
  trigger(options: ScanOptions): Promise<string> {
    const coverage = options.entityRef ? `entity:${options.entityRef.toLocaleLowerCase('en-US')}` : 'catalog';
    const current = this.inFlight.get(coverage);
    if (current) return current;
    const queued = this.deps.store.joinOrCreateScan({ ...options, now: options.asOf, coverage, lease: this.lease() });
    const scanId = queued.then(q => q.id);
    this.inFlight.set(coverage, scanId);
    const run = queued
      .then(q => (q.created ? this.run(q.id, options) : undefined))
      .catch(error => this.deps.logger.error('Drift scan failed', error))
      .finally(() => {
        this.inFlight.delete(coverage);
        this.running.delete(run);
      });
    this.running.add(run);
    return scanId;
  }

  /** Queues and runs a scan to the end. */
  async scan(options: ScanOptions): Promise<string> {
    const scanId = await this.deps.store.createScan({ ...options, now: options.asOf, lease: this.lease() });
    await this.run(scanId, options);
    return scanId;
  }

  /** Waits for background scans, e.g. before shutdown or in tests. */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private lease() {
    return { owner: this.leaseOwner, until: new Date(Date.now() + this.deps.config.scanLeaseMs) };
  }

  /**
   * Renews the scan's lease while it runs; `lost()` turns true once another replica failed it
   * for an expired lease (this process stalled), and the scan stops writing.
   */
  private keepLease(scanId: string) {
    const { store, logger, config } = this.deps;
    let lost = false;
    const timer = setInterval(() => {
      store
        .renewScanLease(scanId, this.lease())
        .then(held => {
          if (!held) lost = true;
        })
        .catch(error => logger.warn(`Drift scan ${scanId}: cannot renew its lease: ${error}`));
    }, config.scanLeaseMs / 3);
    timer.unref?.();
    return { lost: () => lost, stop: () => clearInterval(timer) };
  }

  private async linkedEntities(entityRef?: string, signal?: AbortSignal): Promise<Entity[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    if (entityRef) {
      const entity = await withDeadline(
        `Reading ${entityRef} from the catalog`,
        this.deps.catalog.getEntityByRef(entityRef, { credentials }),
        CATALOG_TIMEOUT_MS,
        signal,
      );
      return entity ? [entity] : [];
    }
    const { items } = await withDeadline(
      'Listing the linked entities from the catalog',
      this.deps.catalog.getEntities(
        {
          filter: DRIFT_LINK_ANNOTATIONS.map(annotation => ({
            [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
          })),
        },
        { credentials },
      ),
      CATALOG_TIMEOUT_MS,
      signal,
    );
    return items;
  }

  private async run(scanId: string, options: ScanOptions): Promise<void> {
    const { store, logger, config } = this.deps;
    const started = Date.now();
    const now = () => options.asOf ?? new Date();
    const errors: ScanError[] = [];
    let status: ScanStatus = 'succeeded';
    const lease = this.keepLease(scanId);
    const work = new ScanWorkCounts();
    let reading: Promise<BatchDesired> | undefined;
    try {
      throwIfAborted(options.signal);
      let entities = await this.linkedEntities(options.entityRef, options.signal);
      await this.closeRemovedEntities(entities, options.entityRef, now(), options.signal);
      if (options.onlyDue) {
        const lastScanned = await store.lastScannedAt();
        const at = now().getTime();
        entities = entities.filter(entity => {
          const last = lastScanned.get(stringifyEntityRef(entity));
          const { tier } = entityContext(entity, config);
          return !last || at - last.getTime() >= config.tiers[tier].scanIntervalMs;
        });
      }
      await store.startScan(scanId, entities.length, now());

      const aborted = (done: number) =>
        new ScanAbortedError(`Scan aborted after ${done} of ${entities.length} entities; the others keep their last results`);
      // The next batch's desired state is read while this batch's live state is read, compared
      // and stored: Git parsing then overlaps the wait for cluster LISTs and database writes.
      const callOptions = this.callOptions(options, work);
      const read = (i: number) => {
        const ahead = this.readBatchDesired(entities.slice(i, i + config.batchSize), options, callOptions);
        ahead.catch(() => {}); // awaited in its turn, or below when the scan ends first
        return ahead;
      };
      reading = entities.length ? read(0) : undefined;
      for (let i = 0; reading; i += config.batchSize) {
        if (lease.lost()) throw new Error('Scan abandoned: its lease expired and another replica failed it');
        if (options.signal?.aborted) throw aborted(i);
        try {
          const desired = await reading;
          reading = i + config.batchSize < entities.length ? read(i + config.batchSize) : undefined;
          errors.push(...(await this.scanBatch(scanId, desired, options, callOptions)));
        } catch (error) {
          throw error instanceof ScanAbortedError ? aborted(i) : error;
        }
      }
      if (errors.length) status = 'partial';
      logger.info(
        `Drift scan ${scanId} (${options.trigger}) ${status}: ${entities.length} entities, ${errors.length} errors; ${work.format()}`,
      );
    } catch (error) {
      status = 'failed';
      if (error instanceof ScanAbortedError) {
        errors.push({ entityRef: options.entityRef ?? '', location: '', message: error.message });
        logger.warn(`Drift scan ${scanId} (${options.trigger}): ${error.message}`);
      } else {
        errors.push({ entityRef: options.entityRef ?? '', location: '', message: String(error) });
        logger.error(`Drift scan ${scanId} failed`, error as Error);
      }
    } finally {
      // A read ahead of a batch that will not be compared ends before the scan does.
      await reading?.catch(() => undefined);
      lease.stop();
      await store.finishScan(scanId, status, errors, now(), this.leaseOwner);
      this.deps.metrics?.recordScan(status, Date.now() - started);
      this.deps.metrics?.recordWork(work);
    }
  }

  /**
   * Closes the findings of entities Driftwatch knows that the catalog no longer lists with drift
   * links. Each is confirmed by reference first: a listing is never the proof of a deletion.
   */
  private async closeRemovedEntities(
    linked: Entity[],
    entityRef: string | undefined,
    now: Date,
    signal?: AbortSignal,
  ): Promise<void> {
    const { store, catalog, auth, logger } = this.deps;
    const listed = new Set(linked.map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US')));
    const known = entityRef ? [entityRef] : await store.monitoredEntityRefs();
    const gone = known.filter(ref => !listed.has(ref.toLocaleLowerCase('en-US')));
    if (!gone.length) return;
    if (!entityRef && linked.length === 0) {
      // An empty catalog is far likelier still ingesting than emptied.
      logger.warn(`Drift: the catalog lists no linked entities; ${gone.length} known entities are kept`);
      return;
    }
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await withDeadline(
      'Confirming entities that left the catalog',
      catalog.getEntitiesByRefs({ entityRefs: gone }, { credentials }),
      CATALOG_TIMEOUT_MS,
      signal,
    );
    for (const [i, ref] of gone.entries()) {
      const entity = items[i];
      if (entity && DRIFT_LINK_ANNOTATIONS.some(a => entity.metadata.annotations?.[a])) continue;
      const changes = await store.closeEntity(ref, entity ? 'entity-unlinked' : 'entity-removed', now);
      logger.info(`Drift: ${ref} ${entity ? 'lost its drift links' : 'left the catalog'}; closed ${changes.length} findings`);
      if (changes.length) this.deps.onFindingsChanged?.(changes);
    }
  }

  /**
   * Reads an entity's desired state from one source, unless it is backing off after failures in
   * a row. A person scanning the one entity retries at once.
   */
  private async readSource(
    source: DesiredStateSource,
    entity: Entity,
    backoff: SourceBackoff | undefined,
    options: ScanOptions,
    callOptions: ProviderCallOptions,
  ): Promise<{ desired: DesiredState[] } | { error: string }> {
    const { store } = this.deps;
    const entityRef = stringifyEntityRef(entity);
    const wallClock = new Date();
    const retryNow = options.trigger === 'manual' && Boolean(options.entityRef);
    if (backoff && backoff.nextAttemptAt > wallClock && !retryNow) {
      return { error: `${backoff.lastError} (${describeBackoff(backoff)})` };
    }
    try {
      const desired = await source.readDesired(entity, callOptions);
      if (backoff) await store.clearSourceFailure(entityRef, source.id);
      return { desired };
    } catch (e) {
      // A read cut short by the abort is no failure of the source: no back-off.
      throwIfAborted(options.signal);
      const error = e instanceof Error ? e.message : String(e);
      const next = await store.recordSourceFailure({ entityRef, source: source.id, error, now: wallClock });
      return { error: `${error} (${describeBackoff(next)})` };
    }
  }

  private callOptions(options: ScanOptions, work: ScanWorkCounts): ProviderCallOptions {
    const { logger, config } = this.deps;
    return {
      logger,
      asOf: options.asOf,
      diffOptions: { ...config.engine, secretHashKey: this.deps.secretHashKey },
      work,
      signal: options.signal,
    };
  }

  /**
   * 1. Desired state, per entity of a batch. One failed source makes the whole entity unknown:
   *    comparing a partial desired state would report the unread objects as extra or resolve them.
   */
  private async readBatchDesired(
    entities: Entity[],
    options: ScanOptions,
    callOptions: ProviderCallOptions,
  ): Promise<BatchDesired> {
    const { store } = this.deps;
    const errors: ScanError[] = [];
    const desiredByEntity = new Map<string, { entity: Entity; desired: DesiredState[] }>();
    const sourceFailures = new Map<string, string>();
    const backoff = await store.sourceBackoff(entities.map(e => stringifyEntityRef(e)));
    for (const entity of entities) {
      const entityRef = stringifyEntityRef(entity);
      const desired: DesiredState[] = [];
      for (const source of this.deps.sources().filter(s => s.appliesTo(entity))) {
        const read = await this.readSource(source, entity, backoffOf(backoff, entityRef, source.id), options, callOptions);
        if ('desired' in read) {
          desired.push(...read.desired);
        } else {
          sourceFailures.set(entityRef, read.error);
          errors.push({ entityRef, location: source.id, message: read.error });
        }
      }
      desiredByEntity.set(entityRef, { entity, desired });
    }
    return { desiredByEntity, sourceFailures, errors };
  }

  /** 2. Live state, comparison and storage of a batch whose desired state was read. */
  private async scanBatch(
    scanId: string,
    batch: BatchDesired,
    options: ScanOptions,
    callOptions: ProviderCallOptions,
  ): Promise<ScanError[]> {
    const { store, logger, config } = this.deps;
    const { desiredByEntity, sourceFailures } = batch;
    const errors: ScanError[] = [...batch.errors];
    const now = () => options.asOf ?? new Date();
    throwIfAborted(options.signal);
    const statuses = [...desiredByEntity].map(([entityRef, { desired }]) => ({
      entityRef,
      statuses: desired.flatMap(d => d.externalStatus ?? []),
    }));
    try {
      await store.recordExternalStatuses(statuses, now());
    } catch (error) {
      const message = `Cannot store the deployment status: ${error instanceof Error ? error.message : String(error)}`;
      for (const { entityRef } of statuses) errors.push({ entityRef, location: 'external-status', message });
    }

    // One call per target for the whole batch.
    const processed = new Map<string, { resources: number; opened: number; resolved: number }>();
    const add = (entityRef: string, c: { resources: number; opened: number; resolved: number }) => {
      const sum = processed.get(entityRef) ?? { resources: 0, opened: 0, resolved: 0 };
      processed.set(entityRef, {
        resources: sum.resources + c.resources,
        opened: sum.opened + c.opened,
        resolved: sum.resolved + c.resolved,
      });
    };

    // One entity's result that cannot be stored fails that entity only: the others are kept.
    const apply = async (results: EntityScanResult[]) => {
      let outcomes: Array<EntityScanOutcome | Error>;
      try {
        outcomes = await store.applyEntityResults(results);
      } catch (error) {
        outcomes = results.map(() => (error instanceof Error ? error : new Error(String(error))));
      }
      outcomes.forEach((outcome, i) => {
        const { entity, provider } = results[i];
        if (outcome instanceof Error) {
          const message = `Cannot store the result: ${outcome.message}`;
          logger.warn(`Drift scan ${scanId}: ${entity.entityRef} (${provider}): ${message}`);
          errors.push({ entityRef: entity.entityRef, location: provider, message });
          return;
        }
        add(entity.entityRef, outcome);
        if (outcome.changes.length) this.deps.onFindingsChanged?.(outcome.changes);
      });
    };

    await apply(
      [...sourceFailures].flatMap(([entityRef, message]) =>
        this.deps.targets().map(target => ({
          scanId,
          provider: target.targetKind,
          entity: entityContext(desiredByEntity.get(entityRef)!.entity, config),
          resources: [],
          errors: [],
          sourceError: message,
          now: now(),
        })),
      ),
    );

    for (const target of this.deps.targets()) {
      const requests: TargetRequest[] = [];
      for (const [entityRef, { entity, desired }] of desiredByEntity) {
        if (sourceFailures.has(entityRef)) continue;
        const mine = desired.filter(d => d.targetKind === target.targetKind);
        if (mine.length) requests.push({ entity, entityRef, desired: mine });
      }
      if (!requests.length) continue;

      let results: TargetResult[];
      try {
        results = await target.compare(requests, callOptions);
        throwIfAborted(options.signal);
      } catch (error) {
        // Reads the abort cut short fail as outages would: they must not be stored as such.
        throwIfAborted(options.signal);
        const message = error instanceof Error ? error.message : String(error);
        logger.warn(`Drift target ${target.id} failed: ${message}`);
        results = requests.map(r => ({
          entityRef: r.entityRef,
          resources: [],
          errors: [{ location: '*', message }],
        }));
      }
      const byRef = new Map(requests.map(r => [r.entityRef, r]));
      const toApply: EntityScanResult[] = [];
      for (const result of results) {
        const request = byRef.get(result.entityRef);
        if (!request) continue;
        const wholeTargetFailed = result.errors.some(e => e.location === '*');
        for (const e of result.errors) {
          errors.push({ entityRef: result.entityRef, location: e.location, message: e.message });
        }
        toApply.push({
          scanId,
          provider: target.targetKind,
          entity: entityContext(request.entity, config),
          resources: result.resources,
          errors: result.errors,
          unreadKinds: result.unreadKinds,
          sourceError: wholeTargetFailed ? result.errors[0].message : undefined,
          now: now(),
        });
      }
      await apply(toApply);
    }

    const done = { resources: 0, opened: 0, resolved: 0 };
    for (const counts of processed.values()) {
      done.resources += counts.resources;
      done.opened += counts.opened;
      done.resolved += counts.resolved;
    }
    await store.recordScanProgress(scanId, done, desiredByEntity.size);
    return errors;
  }
}

