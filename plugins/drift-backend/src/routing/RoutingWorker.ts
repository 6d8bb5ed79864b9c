import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { RoutedEventDetails } from '@driftwatch/plugin-drift-common';
import {
  ActionDeliveryError,
  type ActionResult,
  type DriftAction,
  type RoutedFinding,
} from '@driftwatch/plugin-drift-node';
import { durationToMilliseconds } from '@backstage/types';
import type { Knex } from 'knex';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DriftStore } from '../store/DriftStore';
import { RoutingOutbox, saveActionState, type OutboxIntent } from '../store/outbox';
import { findingFromRow } from '../store/rows';
import { SYSTEM_ACTOR, type Finding } from '../store/types';
import { nextAttemptAt, type RoutingConfig } from './config';
import type { RoutingPlanner } from './planner';

const LEASE_MS = 5 * 60_000;
const DELIVERY_TIMEOUT_MS = 60_000;
const BATCH = 25;
/** Worker-owned key in an action's state: the last refresh summary, recorded once. */
const LAST_REFRESH = 'driftwatch:lastRefreshSummary';

export interface RoutingWorkerDeps {
  store: DriftStore;
  planner: RoutingPlanner;
  config: RoutingConfig;
  actions: () => Map<string, DriftAction>;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Scans one entity now (a fix merged: confirm it). */
  rescan?: (entityRef: string) => Promise<unknown>;
  /** Told after deliveries changed what a finding shows. */
  onRouted?: (entityRefs: string[]) => void;
}

/**
 * Delivers the outbox: flags SLA breaches and due re-notifications (each writes intents), then
 * claims due intents and runs their actions, recording every attempt as a `routed` event, and
 * lets actions look at what they left outside (a PR merged). Deliveries are at least once;
 * actions key their calls by finding, so a crash between a call and its record repeats the
 * call without a second page or PR.
 */
export class RoutingWorker {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly outbox: RoutingOutbox;
  private round: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: RoutingWorkerDeps) {
    this.outbox = new RoutingOutbox(deps.store.database);
  }

  /** Runs a round now, or right after the one in progress. */
  async runOnce(now?: () => Date): Promise<void> {
    if (this.stopped) return undefined;
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = (async () => {
      try {
        do {
          this.again = false;
          await this.deliverRound(now ?? (() => new Date()));
        } while (this.again);
      } finally {
        this.round = undefined;
      }
    })();
    return this.round;
  }

  /** Starts a round in the background, e.g. after a scan wrote intents. */
  kick(): void {
    this.runOnce().catch(error => this.deps.logger.error('Drift routing round failed', error));
  }

  private async deliverRound(now: () => Date): Promise<void> {
    const { store, planner } = this.deps;
    await store.markBreaches(now());
    await this.outbox.renotifyDue(planner, now(), 500);
    const touched = new Set<string>();
    for (;;) {
      const at = now();
      const intents = await this.outbox.claimDue(this.owner, at, new Date(at.getTime() + LEASE_MS), BATCH);
      if (intents.length === 0) break;
      for (const intent of intents) {
        await this.deliver(intent, now);
        touched.add(intent.entityRef);
      }
    }
    for (const ref of await this.refreshAll(now)) touched.add(ref);
    if (touched.size) this.deps.onRouted?.([...touched]);
    await this.wakeForRetry(now());
  }

  /** A retry due before the next scheduled round gets a round of its own at its time. */
  private async wakeForRetry(now: Date): Promise<void> {
    const next = await this.outbox.nextAttemptAt();
    if (!next) return;
    const delay = Math.max(0, next.getTime() - now.getTime());
    if (delay > durationToMilliseconds(this.deps.config.frequency)) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(), delay + 10);
    this.retryTimer.unref?.();
  }

  /** On shutdown: no new rounds, and the one in progress finishes before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.round?.catch(() => undefined);
  }

  private async deliver(intent: OutboxIntent, now: () => Date): Promise<void> {
    const { logger } = this.deps;
    const action = this.deps.actions().get(intent.action);
    const attempt = intent.attempts + 1;
    const base = {
      action: intent.action,
      outcome: intent.outcome,
      intentId: intent.intentId,
      attempt,
      tier: intent.tier,
      dryRun: action?.isDryRun() ?? false,
    };
    const loaded = await this.routedFinding(intent.findingId, intent.tier);
    if (!action || !loaded) {
      const error = !action
        ? `No routing action '${intent.action}' is installed`
        : `Finding ${intent.findingId} no longer exists`;
      await this.finish(intent, { status: 'failed', error }, now(), {
        ...base,
        status: 'failed',
        summary: error,
        error,
      });
      return;
    }

    const stored = await this.outbox.getState(intent.findingId, intent.action);
    let result: ActionResult;
    try {
      result = await action.deliver(
        {
          intentId: intent.intentId,
          outcome: intent.outcome,
          finding: loaded.routed,
          entity: await this.entity(intent.entityRef),
          attempt,
          state: withoutWorkerKeys(stored),
        },
        { logger, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = !(error instanceof ActionDeliveryError) || error.retryable;
      const givingUp = !retryable || attempt >= this.deps.config.maxAttempts;
      logger.warn(
        `Drift routing: ${intent.action} for finding ${intent.findingId} (${intent.outcome}), attempt ${attempt}: ${message}`,
      );
      await this.finish(
        intent,
        givingUp
          ? { status: 'failed', error: message }
          : {
              status: 'pending',
              error: message,
              nextAttemptAt: nextAttemptAt(
                this.deps.config,
                attempt,
                now(),
                error instanceof ActionDeliveryError ? error.retryAfterSeconds : undefined,
              ),
            },
        now(),
        {
          ...base,
          status: givingUp ? 'failed' : 'retrying',
          summary: givingUp
            ? `Delivery failed${retryable ? ` after ${attempt} attempts` : ''}: ${message}`
            : `Attempt ${attempt} failed, will retry: ${message}`,
          error: message,
        },
      );
      return;
    }

    await this.finish(
      intent,
      { status: result.status },
      now(),
      {
        ...base,
        status: result.status,
        dryRun: result.dryRun ?? base.dryRun,
        summary: result.summary,
        ...(result.request === undefined ? {} : { request: result.request }),
        ...(result.externalUrl ? { externalUrl: result.externalUrl } : {}),
      },
      async tx => {
        if (result.state) {
          await saveActionState(tx, intent.findingId, intent.action, { ...keptWorkerKeys(stored), ...result.state }, now());
        }
        if (result.incident) await this.linkIncident(tx, loaded.finding, result.incident, now());
      },
    );
  }

  private async finish(
    intent: OutboxIntent,
    outcome: Parameters<RoutingOutbox['finish']>[2],
    now: Date,
    details: RoutedEventDetails,
    alsoRecord?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<void> {
    const recorded = await this.outbox.finish(intent, this.owner, outcome, now, async tx => {
      await tx('drift_events').insert({
        finding_id: intent.findingId,
        entity_ref: intent.entityRef,
        type: 'routed',
        actor: SYSTEM_ACTOR,
        at: now,
        note: details.summary,
        details: JSON.stringify(details),
      });
      await alsoRecord?.(tx);
    });
    if (!recorded) {
      this.deps.logger.warn(
        `Drift routing: intent ${intent.intentId} was taken over by another worker; its result is not recorded twice`,
      );
    }
  }

  private async linkIncident(
    tx: Knex.Transaction,
    finding: Finding,
    incident: { url: string; title?: string },
    now: Date,
  ): Promise<void> {
    const exists = await tx('drift_incident_links').where({ finding_id: finding.id, url: incident.url }).first();
    if (exists) return;
    await tx('drift_incident_links').insert({
      finding_id: finding.id,
      url: incident.url,
      title: incident.title ?? null,
      linked_by: SYSTEM_ACTOR,
      linked_at: now,
    });
    await tx('drift_events').insert({
      finding_id: finding.id,
      entity_ref: finding.entityRef,
      type: 'incident-linked',
      actor: SYSTEM_ACTOR,
      at: now,
      note: incident.title ?? incident.url,
      details: JSON.stringify({ url: incident.url }),
    });
  }

  /** Lets each action look at what it left outside, for the open findings it holds state on. */
  private async refreshAll(now: () => Date): Promise<string[]> {
    const touched: string[] = [];
    for (const action of this.deps.actions().values()) {
      if (!action.refresh || action.isDryRun()) continue;
      for (const { findingId, state } of await this.outbox.statesOfOpenFindings(action.id, 200)) {
        const loaded = await this.routedFinding(findingId);
        if (!loaded) continue;
        let refreshed;
        try {
          refreshed = await action.refresh(loaded.routed, withoutWorkerKeys(state)!, {
            logger: this.deps.logger,
            signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          });
        } catch (error) {
          this.deps.logger.warn(`Drift routing: ${action.id} could not refresh finding ${findingId}: ${error}`);
          continue;
        }
        if (!refreshed) continue;
        const summary = refreshed.summary;
        const isNew = summary !== undefined && summary !== state[LAST_REFRESH];
        await this.deps.store.database.transaction(async tx => {
          await saveActionState(
            tx,
            findingId,
            action.id,
            { ...refreshed.state, ...(summary !== undefined ? { [LAST_REFRESH]: summary } : keptWorkerKeys(state)) },
            now(),
          );
          if (!isNew) return;
          const details: RoutedEventDetails = {
            action: action.id,
            outcome: 'refresh',
            intentId: '',
            attempt: 0,
            status: 'delivered',
            dryRun: false,
            summary: summary!,
            tier: loaded.finding.tier,
            ...(refreshed.externalUrl ? { externalUrl: refreshed.externalUrl } : {}),
          };
          await tx('drift_events').insert({
            finding_id: findingId,
            entity_ref: loaded.finding.entityRef,
            type: 'routed',
            actor: SYSTEM_ACTOR,
            at: now(),
            note: summary,
            details: JSON.stringify(details),
          });
        });
        if (isNew) touched.push(loaded.finding.entityRef);
        if (refreshed.rescan && isNew && this.deps.rescan) {
          await this.deps.rescan(loaded.finding.entityRef).catch(error =>
            this.deps.logger.warn(`Drift routing: rescan of ${loaded.finding.entityRef} failed: ${error}`),
          );
        }
      }
    }
    return touched;
  }

  private async routedFinding(
    findingId: string,
    tier?: number,
  ): Promise<{ finding: Finding; routed: RoutedFinding } | undefined> {
    const row = await this.deps.store.database('drift_findings').where({ id: findingId }).first();
    if (!row) return undefined;
    // The row itself: a delivery needs neither the finding's history nor its incidents.
    const finding = findingFromRow(row);
    const base = this.deps.config.appBaseUrl.replace(/\/+$/, '');
    return {
      finding,
      routed: {
        id: finding.id,
        entityRef: finding.entityRef,
        provider: finding.provider,
        location: finding.location,
        resourceKey: finding.resourceKey,
        kind: finding.kind,
        namespace: finding.namespace,
        name: finding.name,
        resourceStatus: finding.resourceStatus,
        status: finding.status,
        severity: finding.severity,
        categories: finding.categories,
        changes: finding.changes,
        tier: tier ?? finding.tier,
        owner: finding.owner,
        system: finding.system,
        firstDetectedAt: finding.firstDetectedAt,
        lastSeenAt: finding.lastSeenAt,
        slaDueAt: finding.slaDueAt,
        slaBreached: finding.slaBreached,
        acknowledgedBy: finding.acknowledgedBy,
        ...(row.source ? { source: JSON.parse(row.source) } : {}),
        url: `${base}/drift/tracker?finding=${encodeURIComponent(finding.id)}`,
      },
    };
  }

  private async entity(entityRef: string): Promise<Entity | undefined> {
    try {
      const credentials = await this.deps.auth.getOwnServiceCredentials();
      return await this.deps.catalog.getEntityByRef(entityRef, { credentials });
    } catch (error) {
      this.deps.logger.warn(`Drift routing: cannot read ${entityRef} from the catalog: ${error}`);
      return undefined;
    }
  }
}

function withoutWorkerKeys(state: Record<string, unknown> | undefined) {
  if (!state) return undefined;
  const { [LAST_REFRESH]: _, ...rest } = state;
  return rest;
}

function keptWorkerKeys(state: Record<string, unknown> | undefined) {
  return state && LAST_REFRESH in state ? { [LAST_REFRESH]: state[LAST_REFRESH] } : {};
}
