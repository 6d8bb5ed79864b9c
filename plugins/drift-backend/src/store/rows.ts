import type { DriftEvent, Finding, MonitoredResource, Scan } from './types';

/** Timestamps come back as Date (PostgreSQL), epoch milliseconds or strings (SQLite). */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    const asNumber = Number(value);
    return new Date(Number.isFinite(asNumber) && /^\d+$/.test(value) ? asNumber : value).toISOString();
  }
  throw new Error(`Unexpected timestamp value ${String(value)}`);
}

export const toIsoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : toIso(value);

const parseJson = <T>(value: unknown, fallback: T): T =>
  typeof value === 'string' && value ? (JSON.parse(value) as T) : fallback;

export function findingFromRow(row: any): Finding {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    provider: row.provider,
    location: row.location,
    resourceKey: row.resource_key,
    kind: row.kind,
    namespace: row.namespace ?? null,
    name: row.name,
    resourceStatus: row.resource_status,
    status: row.status,
    severity: row.severity,
    score: Number(row.score),
    categories: parseJson(row.categories, []),
    changes: parseJson(row.changes, []),
    tier: Number(row.tier),
    owner: row.owner ?? null,
    system: row.system ?? null,
    firstDetectedAt: toIso(row.first_detected_at),
    openedAt: toIso(row.opened_at),
    lastSeenAt: toIso(row.last_seen_at),
    resolvedAt: toIsoOrNull(row.resolved_at),
    slaDueAt: toIsoOrNull(row.sla_due_at),
    slaBreached: Boolean(row.sla_breached),
    acknowledgedBy: row.acknowledged_by ?? null,
    acknowledgedAt: toIsoOrNull(row.acknowledged_at),
    acknowledgeNote: row.acknowledge_note ?? null,
    suppressedBy: row.suppressed_by ?? null,
    suppressedUntil: toIsoOrNull(row.suppressed_until),
    suppressReason: row.suppress_reason ?? null,
    closeReason: row.close_reason ?? null,
    environment: row.environment ?? null,
  };
}

export function eventFromRow(row: any): DriftEvent {
  return {
    id: Number(row.id),
    findingId: row.finding_id ?? null,
    entityRef: row.entity_ref,
    type: row.type,
    actor: row.actor,
    at: toIso(row.at),
    note: row.note ?? null,
    details: parseJson(row.details, null),
  };
}

export function resourceFromRow(row: any): MonitoredResource {
  return {
    entityRef: row.entity_ref,
    provider: row.provider,
    location: row.location,
    resourceKey: row.resource_key,
    apiVersion: row.api_version ?? null,
    kind: row.kind,
    namespace: row.namespace ?? null,
    name: row.name,
    status: row.status,
    lastScannedAt: toIso(row.last_scanned_at),
    error: row.error ?? null,
    environment: row.environment ?? null,
  };
}

export function scanFromRow(row: any): Scan {
  return {
    id: row.id,
    trigger: row.trigger,
    entityRef: row.entity_ref ?? null,
    requestedBy: row.requested_by ?? null,
    status: row.status,
    queuedAt: toIso(row.queued_at),
    startedAt: toIsoOrNull(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    entitiesTotal: Number(row.entities_total),
    entitiesDone: Number(row.entities_done),
    resourcesScanned: Number(row.resources_scanned),
    findingsOpened: Number(row.findings_opened),
    findingsResolved: Number(row.findings_resolved),
    errors: parseJson(row.errors, []),
  };
}
