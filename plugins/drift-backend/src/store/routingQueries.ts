import type { GateResult, IncidentLink, RoutingSummary } from '@driftwatch/plugin-drift-common';
import type { Knex } from 'knex';
import { incidentFromRow } from './outbox';
import { toIso } from './rows';

// Reads of routing's results: the merge gate, the dashboard's routing outcomes, incidents.
// Every query starts from the caller's scoped tables, as the other read routes do.

export interface RoutingSources {
  db: Knex;
  /** `table` limited to the caller's scope through its `column` of entity refs. */
  scoped(table: string, column?: string): Knex.QueryBuilder;
}

/**
 * Fails while a tier-1 finding of the entity is unreconciled past its SLA. A suppression is an
 * SRE's decision to accept the drift for a while, so it does not block; an acknowledgement
 * only says someone is on it, so it does.
 */
export async function queryGate(sources: RoutingSources, entityRef: string, now: Date): Promise<GateResult> {
  const rows = await sources
    .scoped('drift_findings')
    .where({ entity_ref: entityRef, tier: 1 })
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
  const routed = () =>
    sources.scoped('drift_events').where('type', 'routed').whereBetween('at', [from, to]);
  const distinctFindings = async (query: Knex.QueryBuilder) => {
    const [{ count }] = await query.countDistinct({ count: 'finding_id' });
    return Number(count);
  };
  const delivered = (action: string, outcomes: string[]) =>
    routed()
      .where('details', 'like', detail('action', action))
      .where(q => {
        for (const outcome of outcomes) q.orWhere('details', 'like', detail('outcome', outcome));
      })
      .where(q => q.where('details', 'like', detail('status', 'delivered')));

  const [paged, opened, merged, notified, failed] = await Promise.all([
    distinctFindings(delivered('pagerduty', ['opened', 'severity-rose', 'escalated'])),
    distinctFindings(delivered('github-pull-request', ['opened', 'severity-rose', 'escalated', 'changed'])),
    distinctFindings(routed().where('details', 'like', detail('action', 'github-pull-request')).where('note', 'like', '% merged')),
    distinctFindings(delivered('notify-owner', ['opened', 'severity-rose', 'escalated', 'renotify'])),
    routed()
      .where('details', 'like', detail('status', 'failed'))
      .count({ count: '*' })
      .then(([r]) => Number(r.count)),
  ]);
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
): Promise<Array<IncidentLink & { entityRef: string; resourceKey: string; severity: string; status: string }>> {
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
