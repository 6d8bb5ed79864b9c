import type { Severity } from '@driftwatch/plugin-drift-common';
import type {
  FindingOutcome,
  RoutedFinding,
} from '@driftwatch/plugin-drift-node';
import type {
  EventAction,
  EventBody,
  PagerDutySeverity,
  TriggerPayload,
} from './types';

/** Changes listed in an alert; the rest are counted. Keeps events far below PagerDuty's 512 KB. */
export const MAX_LISTED_CHANGES = 20;
/** PagerDuty truncates summaries at 1024 characters; we do it ourselves to end with "…". */
const MAX_SUMMARY = 1024;
/** Bounds every other string so that the size of an event does not depend on the finding. */
const MAX_STRING = 512;

const SEVERITIES: Record<Severity, PagerDutySeverity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/**
 * One alert per finding: PagerDuty folds every event with this key into the same alert, so a
 * redelivered trigger never pages twice and acknowledge and resolve reach the right alert.
 */
export function dedupKeyOf(finding: RoutedFinding): string {
  return `driftwatch-${finding.id}`;
}

export function pagerDutySeverity(severity: Severity): PagerDutySeverity {
  return SEVERITIES[severity];
}

function cap(value: string, max = MAX_STRING): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function resourceName(finding: RoutedFinding): string {
  return finding.namespace
    ? `${finding.namespace}/${finding.name}`
    : finding.name;
}

function where(finding: RoutedFinding): string {
  return finding.provider === 'kubernetes'
    ? `in cluster ${finding.location}`
    : `in ${finding.location}`;
}

/** "Drift on Deployment shop/cart in cluster prod (tier 1, high)". */
export function alertSummary(finding: RoutedFinding): string {
  const what = {
    drifted: 'Drift on',
    missing: 'Missing',
    extra: 'Extra',
  }[finding.resourceStatus];
  const details = [`tier ${finding.tier}`, finding.severity];
  if (finding.slaBreached) details.push('SLA breached');
  return cap(
    `${what} ${finding.kind} ${resourceName(finding)} ${where(
      finding,
    )} (${details.join(', ')})`,
    MAX_SUMMARY,
  );
}

/**
 * The alert's details. Changes are described by field, category, severity and who changed
 * them, never by value: Git and live values may be Secret fingerprints or carry data the
 * owner would not want in a pager, and the finding's page shows them to those allowed.
 */
function customDetails(
  finding: RoutedFinding,
  outcome: FindingOutcome,
): Record<string, unknown> {
  const changes = finding.changes.slice(0, MAX_LISTED_CHANGES).map(change => ({
    field: cap(change.field),
    op: change.op,
    category: change.category,
    severity: change.severity,
    ...(change.manager ? { manager: cap(change.manager) } : {}),
    ...(change.time ? { time: cap(change.time) } : {}),
  }));
  const omitted = finding.changes.length - changes.length;
  return {
    outcome,
    entity: cap(finding.entityRef),
    owner: finding.owner ? cap(finding.owner) : null,
    system: finding.system ? cap(finding.system) : null,
    tier: finding.tier,
    severity: finding.severity,
    status: finding.status,
    resource: cap(finding.resourceKey),
    resource_status: finding.resourceStatus,
    provider: cap(finding.provider),
    location: cap(finding.location),
    categories: finding.categories.map(category => cap(category)),
    first_detected: finding.firstDetectedAt,
    last_seen: finding.lastSeenAt,
    sla_due: finding.slaDueAt,
    sla_breached: finding.slaBreached,
    ...(finding.acknowledgedBy
      ? { acknowledged_by: cap(finding.acknowledgedBy) }
      : {}),
    ...(finding.source
      ? {
          declared_in: cap(
            finding.source.file
              ? `${finding.source.location} (${finding.source.file})`
              : finding.source.location,
          ),
        }
      : {}),
    changes,
    ...(omitted > 0 ? { more_changes: `and ${omitted} more` } : {}),
  };
}

function triggerPayload(
  finding: RoutedFinding,
  outcome: FindingOutcome,
): TriggerPayload {
  return {
    summary: alertSummary(finding),
    source: cap(finding.location),
    severity: pagerDutySeverity(finding.severity),
    component: cap(finding.resourceKey),
    group: cap(finding.entityRef),
    class:
      finding.categories.length > 0
        ? cap(finding.categories.join(', '))
        : finding.resourceStatus,
    custom_details: customDetails(finding, outcome),
  };
}

/** The event for an action on a finding's alert, without the routing key. */
export function eventBody(
  action: EventAction,
  finding: RoutedFinding,
  outcome: FindingOutcome,
): EventBody {
  const dedupKey = dedupKeyOf(finding);
  if (action !== 'trigger') {
    return { event_action: action, dedup_key: dedupKey };
  }
  return {
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: triggerPayload(finding, outcome),
    links: [{ href: finding.url, text: 'Drift finding in Backstage' }],
    client: 'Driftwatch',
    client_url: finding.url,
  };
}
