import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { FindingOutcome } from '@driftwatch/plugin-drift-node';
import type { FindingChange } from './lifecycle';
import type { RoutingPlanner } from '../routing/planner';
import { toIso } from './rows';

/** An intent as the worker delivers it. */
export interface OutboxIntent {
  seq: number;
  intentId: string;
  findingId: string;
  entityRef: string;
  action: string;
  outcome: FindingOutcome;
  tier: number;
  attempts: number;
}

/**
 * Writes a finding change's routing intents, inside the transaction that made the change: the
 * change and its intents commit together or not at all.
 */
export async function enqueueIntents(
  tx: Knex.Transaction,
  planner: RoutingPlanner,
  change: FindingChange,
  now: Date,
): Promise<number> {
  const withState = await tx('drift_routing_state').where({ finding_id: change.findingId }).pluck('action');
  const planned = planner.plan(change, withState);
  if (planned.length === 0) return 0;
  await tx('drift_routing_outbox').insert(
    planned.map(intent => ({
      intent_id: randomUUID(),
      finding_id: change.findingId,
      entity_ref: change.entityRef,
      action: intent.action,
      outcome: change.outcome,
      tier: intent.tier,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })),
  );
  return planned.length;
}

/** The worker's side of the outbox: claiming, finishing and retrying intents, and action state. */
export class RoutingOutbox {
  constructor(private readonly db: Knex) {}

  /**
   * Claims up to `limit` due intents for `owner` until `leaseUntil`. Only the oldest pending
   * intent of each finding and action is due, so a resolve never overtakes its trigger. A claim
   * is a conditional update: of two workers, one gets each intent.
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxIntent[]> {
    const candidates = await this.db('drift_routing_outbox as o')
      .where('o.status', 'pending')
      .where('o.next_attempt_at', '<=', now)
      .where(q => q.whereNull('o.lease_until').orWhere('o.lease_until', '<', now))
      .whereNotExists(
        this.db('drift_routing_outbox as earlier')
          .whereRaw('earlier.finding_id = o.finding_id')
          .whereRaw('earlier.action = o.action')
          .where('earlier.status', 'pending')
          .whereRaw('earlier.id < o.id'),
      )
      .orderBy('o.id')
      .limit(limit)
      .select('o.*');
    const claimed: OutboxIntent[] = [];
    for (const row of candidates) {
      const won = await this.db('drift_routing_outbox')
        .where({ id: row.id, status: 'pending' })
        .where(q => q.whereNull('lease_until').orWhere('lease_until', '<', now))
        .update({ lease_owner: owner, lease_until: leaseUntil });
      if (won === 1) {
        claimed.push({
          seq: Number(row.id),
          intentId: row.intent_id,
          findingId: row.finding_id,
          entityRef: row.entity_ref,
          action: row.action,
          outcome: row.outcome,
          tier: Number(row.tier),
          attempts: Number(row.attempts),
        });
      }
    }
    return claimed;
  }

  /**
   * Finishes an attempt, in one transaction with whatever else it records (the event, the
   * action's state). Returns false when the lease was lost to another worker meanwhile.
   */
  async finish(
    intent: OutboxIntent,
    owner: string,
    result:
      | { status: 'delivered' | 'skipped' | 'failed'; error?: string }
      | { status: 'pending'; error: string; nextAttemptAt: Date },
    now: Date,
    alsoRecord: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const updated = await tx('drift_routing_outbox')
        .where({ id: intent.seq, lease_owner: owner, status: 'pending' })
        .update({
          status: result.status,
          attempts: intent.attempts + 1,
          last_error: result.error ?? null,
          lease_owner: null,
          lease_until: null,
          ...(result.status === 'pending'
            ? { next_attempt_at: result.nextAttemptAt }
            : { finished_at: now }),
        });
      if (updated !== 1) return false;
      await alsoRecord(tx);
      return true;
    });
  }

  async getState(findingId: string, action: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db('drift_routing_state').where({ finding_id: findingId, action }).first();
    return row ? JSON.parse(row.state) : undefined;
  }

  /** Open findings with state kept by `action`, for its refresh. */
  async statesOfOpenFindings(action: string, limit: number): Promise<Array<{ findingId: string; state: Record<string, unknown> }>> {
    const rows = await this.db('drift_routing_state as s')
      .join('drift_findings as f', 'f.id', 's.finding_id')
      .where('s.action', action)
      .whereNot('f.status', 'resolved')
      .orderBy('s.updated_at')
      .limit(limit)
      .select('s.finding_id', 's.state');
    return rows.map(r => ({ findingId: r.finding_id, state: JSON.parse(r.state) }));
  }

  /**
   * Routes unacknowledged findings again when their re-notify time comes. Moving the due time
   * forward is the claim: of two replicas, one writes each re-notification.
   */
  async renotifyDue(planner: RoutingPlanner, now: Date, limit: number): Promise<number> {
    const rows = await this.db('drift_findings')
      .where('status', 'active')
      .whereNotNull('renotify_due_at')
      .where('renotify_due_at', '<=', now)
      .orderBy('renotify_due_at')
      .limit(limit)
      .select('id', 'entity_ref', 'tier', 'severity', 'renotify_due_at');
    let count = 0;
    for (const row of rows) {
      count += await this.db.transaction(async tx => {
        const tier = Number(row.tier);
        const won = await tx('drift_findings')
          .where({ id: row.id, renotify_due_at: row.renotify_due_at })
          .update({ renotify_due_at: planner.renotifyDueAt(tier, now) });
        if (won !== 1) return 0;
        return enqueueIntents(
          tx,
          planner,
          { findingId: row.id, entityRef: row.entity_ref, outcome: 'renotify', tier, severity: row.severity },
          now,
        );
      });
    }
    return count;
  }

  /** When the earliest pending intent is next due, if any. */
  async nextAttemptAt(): Promise<Date | undefined> {
    const row = await this.db('drift_routing_outbox')
      .where('status', 'pending')
      .min({ at: 'next_attempt_at' })
      .first();
    return row?.at === null || row?.at === undefined ? undefined : new Date(toIso(row.at));
  }

  async pendingCount(): Promise<number> {
    const [{ count }] = await this.db('drift_routing_outbox').where('status', 'pending').count({ count: '*' });
    return Number(count);
  }
}

/** Saves what an action keeps for a finding, replacing what it kept before. */
export async function saveActionState(
  tx: Knex.Transaction,
  findingId: string,
  action: string,
  state: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await tx('drift_routing_state')
    .insert({ finding_id: findingId, action, state: JSON.stringify(state), updated_at: now })
    .onConflict(['finding_id', 'action'])
    .merge();
}

export function incidentFromRow(row: any) {
  return {
    findingId: row.finding_id as string,
    url: row.url as string,
    title: (row.title ?? null) as string | null,
    linkedBy: row.linked_by as string,
    linkedAt: toIso(row.linked_at),
  };
}
