import { InputError } from '@backstage/errors';
import type { Severity } from '@driftwatch/plugin-drift-common';
import type { FindingOutcome } from '@driftwatch/plugin-drift-node';
import type { EventType, FindingStatus } from './types';

// The lifecycle rules of a finding, as pure functions: given the finding, what a scan saw and
// the time, they return the update, the events to record and what happened (the outcome that
// routing reacts to). The store applies them in the scan's transaction.

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** What the rules need of a stored, unresolved finding. */
export interface OpenFinding {
  status: Exclude<FindingStatus, 'resolved'>;
  severity: Severity;
  driftHash: string;
  suppressedUntil: Date | null;
}

/** What a scan saw of the same resource: still drifted, maybe differently. */
export interface ObservedDrift {
  severity: Severity;
  driftHash: string;
  categories: string[];
}

export interface LifecycleEvent {
  type: EventType;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface LifecycleOutcome {
  /** Columns to change beside the observation itself; empty when the status stays. */
  update: Record<string, unknown>;
  events: LifecycleEvent[];
  /** What routing is told; none when nothing it acts on happened. */
  outcome?: FindingOutcome;
}

/** What happened to which finding, as the store reports it to routing. */
export interface FindingChange {
  findingId: string;
  entityRef: string;
  outcome: FindingOutcome;
  tier: number;
  severity: Severity;
}

const HOUR_MS = 3_600_000;

const CLEARED_SUPPRESSION = { suppressed_by: null, suppressed_until: null, suppress_reason: null };

/** A drift seen for the first time, or again after it had resolved: an episode starts. */
export function openFinding(
  observed: ObservedDrift & { resourceStatus: string },
  slaHours: number,
  now: Date,
  previously: 'new' | 'resolved',
): LifecycleOutcome {
  const episode = {
    status: 'active',
    opened_at: now,
    sla_due_at: new Date(now.getTime() + slaHours * HOUR_MS),
    sla_breached: false,
  };
  if (previously === 'new') {
    return {
      update: { ...episode, first_detected_at: now },
      events: [
        {
          type: 'detected',
          note: null,
          details: {
            severity: observed.severity,
            categories: observed.categories,
            resourceStatus: observed.resourceStatus,
          },
        },
      ],
      outcome: 'opened',
    };
  }
  return {
    update: {
      ...episode,
      resolved_at: null,
      close_reason: null,
      acknowledged_by: null,
      acknowledged_at: null,
      acknowledge_note: null,
      ...CLEARED_SUPPRESSION,
    },
    events: [
      {
        type: 'reopened',
        note: 'Drift returned',
        details: { severity: observed.severity, categories: observed.categories },
      },
    ],
    outcome: 'opened',
  };
}

/** Live matches Git again, or the resource left the surface area. */
export function resolveFinding(
  finding: { openedAt: Date },
  now: Date,
  note: string | null,
  lastKnownGoodHash: string | null,
): LifecycleOutcome {
  return {
    update: { status: 'resolved', resolved_at: now, last_known_good_hash: lastKnownGoodHash },
    events: [
      {
        type: 'resolved',
        note,
        details: { openForSeconds: Math.round((now.getTime() - finding.openedAt.getTime()) / 1000) },
      },
    ],
    outcome: 'resolved',
  };
}

/** Why a finding closed without its drift being fixed. */
export type CloseReason = 'entity-removed' | 'entity-unlinked';

const CLOSE_NOTES: Record<CloseReason, string> = {
  'entity-removed': 'Entity removed from the catalog',
  'entity-unlinked': 'Entity no longer linked to desired state',
};

/**
 * The entity is gone, so its finding closes: resolved for routing (a page resolves), but with
 * a close reason, so trends and time-to-resolve count it apart from fixed drift.
 */
export function closeFinding(finding: { openedAt: Date }, now: Date, reason: CloseReason): LifecycleOutcome {
  return {
    update: { status: 'resolved', resolved_at: now, close_reason: reason },
    events: [
      {
        type: 'resolved',
        note: CLOSE_NOTES[reason],
        details: { reason, openForSeconds: Math.round((now.getTime() - finding.openedAt.getTime()) / 1000) },
      },
    ],
    outcome: 'resolved',
  };
}

/**
 * Past its SLA: marked breached, and escalated. Tier 3's SLA is for the owner's
 * acknowledgement; tiers 1 and 2 must be fixed, so an acknowledgement does not stop them.
 */
export function isPastSla(
  finding: { status: FindingStatus; tier: number; slaDueAt: Date | null; slaBreached: boolean },
  now: Date,
): boolean {
  if (finding.slaBreached || !finding.slaDueAt || finding.slaDueAt.getTime() >= now.getTime()) return false;
  return finding.status === 'active' || (finding.status === 'acknowledged' && finding.tier < 3);
}

export function breachFinding(finding: { tier: number }, escalateTo: number | undefined): LifecycleOutcome {
  return {
    update: { sla_breached: true },
    events: [
      {
        type: 'escalated',
        note: escalateTo === undefined ? 'SLA breached' : `SLA breached: routed as tier ${escalateTo}`,
        details: { tier: finding.tier, ...(escalateTo === undefined ? {} : { escalateTo }) },
      },
    ],
    outcome: 'escalated',
  };
}

/**
 * An open finding seen drifted again. A person's decision holds for the drift they looked at:
 * a changed drift makes an acknowledged finding active again; a changed drift, a higher
 * severity or an expired suppression ends a suppression, with a `reopened` event saying why.
 */
export function observeOpenFinding(
  finding: OpenFinding,
  observed: ObservedDrift,
  now: Date,
): LifecycleOutcome {
  const events: LifecycleEvent[] = [];
  const changed = finding.driftHash !== observed.driftHash;
  const rose = SEVERITY_RANK[observed.severity] > SEVERITY_RANK[finding.severity];
  if (changed) {
    events.push({
      type: 'changed',
      note: null,
      details: {
        severity: observed.severity,
        categories: observed.categories,
        previousSeverity: finding.severity,
      },
    });
  }

  let outcome: FindingOutcome | undefined;
  if (rose) outcome = 'severity-rose';
  else if (changed) outcome = 'changed';

  if (finding.status === 'acknowledged') {
    // The acknowledgement was for a different drift: it needs a new look. The `changed` event
    // says why.
    return { update: changed ? { status: 'active' } : {}, events, outcome };
  }
  if (finding.status !== 'suppressed') return { update: {}, events, outcome };

  let reason: { code: string; note: string } | undefined;
  if (finding.suppressedUntil && finding.suppressedUntil.getTime() <= now.getTime()) {
    reason = { code: 'suppression-expired', note: 'Suppression expired' };
  } else if (rose) {
    reason = {
      code: 'severity-rose',
      note: `Severity rose from ${finding.severity} to ${observed.severity} while suppressed`,
    };
  } else if (changed) {
    reason = { code: 'drift-changed', note: 'Drift changed while suppressed' };
  }
  // A suppression holds routing back too, until it ends.
  if (!reason) return { update: {}, events };
  events.push({
    type: 'reopened',
    note: reason.note,
    details: { reason: reason.code, severity: observed.severity, previousSeverity: finding.severity },
  });
  return { update: { status: 'active', ...CLEARED_SUPPRESSION }, events, outcome: outcome ?? 'opened' };
}

/** Checks a suppression's expiry: in the future, and no later than the configured limit. */
export function checkSuppressionUntil(until: Date, now: Date, maxSuppressionDays: number): void {
  if (until.getTime() <= now.getTime()) {
    throw new InputError('Invalid body: "until" must be in the future');
  }
  const latest = new Date(now.getTime() + maxSuppressionDays * 86_400_000);
  if (until.getTime() > latest.getTime()) {
    throw new InputError(
      `Invalid body: "until" must be at most ${maxSuppressionDays} days ahead ` +
        `(drift.lifecycle.maxSuppressionDays), i.e. no later than ${latest.toISOString()}`,
    );
  }
}
