import { InputError } from '@backstage/errors';
import type { Severity } from '@driftwatch/plugin-drift-common';
import type { EventType, FindingStatus } from './types';

// The lifecycle rules of a finding that is still open, as pure functions: given the finding,
// what a scan saw and the time, they return the update and the events to record. The store
// applies them in the scan's transaction.

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
}

const CLEARED_SUPPRESSION = { suppressed_by: null, suppressed_until: null, suppress_reason: null };

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

  if (finding.status === 'acknowledged') {
    // The acknowledgement was for a different drift: it needs a new look. The `changed` event
    // says why.
    return { update: changed ? { status: 'active' } : {}, events };
  }
  if (finding.status !== 'suppressed') return { update: {}, events };

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
  if (!reason) return { update: {}, events };
  events.push({
    type: 'reopened',
    note: reason.note,
    details: { reason: reason.code, severity: observed.severity, previousSeverity: finding.severity },
  });
  return { update: { status: 'active', ...CLEARED_SUPPRESSION }, events };
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
