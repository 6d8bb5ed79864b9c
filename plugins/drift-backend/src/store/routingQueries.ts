import type { GateResult, IncidentLink, ReviewIncident, RoutingSummary } from '@driftwatch/plugin-drift-common';
import type { Knex } from 'knex';
import { incidentFromRow } from './outbox';
import { toIso } from './rows';

// Reads of routing's results: the merge gate, the dashboard's routing outcomes, incidents.
// Every query starts from the caller's scoped tables, as the other read routes do.

export interface RoutingSources {
  db: Knex;
  /** `table` limited to the caller's scope through its `column` of entity refs (and to `only`'s). */
  scoped(table: string, column?: string, only?: readonly string[]): Knex.QueryBuilder;
}

/**
 * Fails while a tier-1 finding of the entity is unreconciled past its SLA. A suppression is an
 * SRE's decision to accept the drift for a while, so it does not block; an acknowledgement
 * only says someone is on it, so it does.
 */
export async function queryGate(sources: RoutingSources, entityRef: string, now: Date): Promise<GateResult> {
  const rows = await sources
    .scoped('drift_findings', 'entity_ref', [entityRef])
    .where({ tier: 1 })
    .whereIn('status', ['active', 'acknowledged'])
    .whereNotNull('sla_due_at')
    .where('sla_due_at', '<', now)
    .orderBy('sla_due_at')
    .select('id', 'resource_key', 'location', 'severity', 'sla_due_at', 'status');
  return {
    entityRef,
    result: rows.length ? 'fail' : 'pass',
    reasons: rows.map((row: any) => ({
      findingId: row.id,
      resourceKey: row.resource_key,
      location: row.location,
      severity: row.severity,
      slaDueAt: toIso(row.sla_due_at),
      message:
        `Tier-1 drift on ${row.resource_key} in ${row.location} is ${row.status} and past its SLA ` +
        `(due ${toIso(row.sla_due_at)})`,
    })),
    checkedAt: now.toISOString(),
  };
}

/** `details` of routed events is JSON written by the worker, keys in a fixed order. */
const detail = (key: string, value: string) => `%"${key}":${JSON.stringify(value)}%`;

export async function queryRoutingSummary(
  sources: RoutingSources,
  from: Date,
  to: Date,
): Promise<RoutingSummary> {
  // One pass over the window's routed events: each figure is a condition on the same rows.
  const like = (key: string, values: string[]) => ({
    sql: `(${values.map(() => 'details like ?').join(' or ')})`,
    bindings: values.map(value => detail(key, value)),
  });
  const delivered = (action: string, outcomes: string[]) => {
    const byOutcome = like('outcome', outcomes);
    return {
      sql: `details like ? and ${byOutcome.sql} and details like ?`,
      bindings: [detail('action', action), ...byOutcome.bindings, detail('status', 'delivered')],
    };
  };
  const distinctFindings = (alias: string, condition: { sql: string; bindings: string[] }) =>
    sources.db.raw(`count(distinct case when ${condition.sql} then finding_id end) as ??`, [...condition.bindings, alias]);
  const [routedCounts] = await sources
    .scoped('drift_events')
    .where('type', 'routed')
    .whereBetween('at', [from, to])
    .select(
      distinctFindings('paged', delivered('pagerduty', ['opened', 'severity-rose', 'escalated'])),
      distinctFindings('opened', delivered('github-pull-request', ['opened', 'severity-rose', 'escalated', 'changed'])),
      distinctFindings('merged', {
        sql: "details like ? and note like '% merged'",
        bindings: [detail('action', 'github-pull-request')],
      }),
      distinctFindings('notified', delivered('notify-owner', ['opened', 'severity-rose', 'escalated', 'renotify'])),
      sources.db.raw('sum(case when details like ? then 1 else 0 end) as ??', [detail('status', 'failed'), 'failed']),
    );
  const paged = Number(routedCounts?.paged ?? 0);
  const opened = Number(routedCounts?.opened ?? 0);
  const merged = Number(routedCounts?.merged ?? 0);
  const notified = Number(routedCounts?.notified ?? 0);
  const failed = Number(routedCounts?.failed ?? 0);
  const [acks] = await sources
    .scoped('drift_findings')
    .whereBetween('acknowledged_at', [from, to])
    .select(
      sources.db.raw('count(*) as ??', ['acknowledged']),
      sources.db.raw('sum(case when sla_due_at is null or acknowledged_at <= sla_due_at then 1 else 0 end) as ??', [
        'within',
      ]),
    );
  const [{ count: escalated }] = await sources
    .scoped('drift_events')
    .where('type', 'escalated')
    .whereBetween('at', [from, to])
    .count({ count: '*' });
  const [{ count: pending }] = await sources
    .scoped('drift_routing_outbox')
    .where('status', 'pending')
    .count({ count: '*' });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    paged,
    pullRequestsOpened: opened,
    pullRequestsMerged: merged,
    notified,
    acknowledged: Number(acks?.acknowledged ?? 0),
    acknowledgedWithinSla: Number(acks?.within ?? 0),
    escalated: Number(escalated),
    failedDeliveries: failed,
    pending: Number(pending),
  };
}

export async function queryIncidents(sources: RoutingSources, findingId: string): Promise<IncidentLink[]> {
  const rows = await sources.db('drift_incident_links').where({ finding_id: findingId }).orderBy('id');
  return rows.map(incidentFromRow);
}

/** Findings linked to incidents in a window (by link time), for the review. */
export async function queryIncidentsInWindow(
  sources: RoutingSources,
  from: Date,
  to: Date,
): Promise<ReviewIncident[]> {
  const rows = await sources
    .scoped('drift_findings as f', 'f.entity_ref')
    .join('drift_incident_links as i', 'i.finding_id', 'f.id')
    .whereBetween('i.linked_at', [from, to])
    .orderBy('i.linked_at', 'desc')
    .select('i.*', 'f.entity_ref', 'f.resource_key', 'f.severity', 'f.status');
  return rows.map((row: any) => ({
    ...incidentFromRow(row),
    entityRef: row.entity_ref,
    resourceKey: row.resource_key,
    severity: row.severity,
    status: row.status,
  }));
}
