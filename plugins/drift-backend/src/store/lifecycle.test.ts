import { InputError } from '@backstage/errors';
import {
  breachFinding,
  checkSuppressionUntil,
  isPastSla,
  observeOpenFinding,
  openFinding,
  resolveFinding,
  type OpenFinding,
} from './lifecycle';

const now = new Date('2026-11-10T00:00:00Z');
const suppressed: OpenFinding = {
  status: 'suppressed',
  severity: 'medium',
  driftHash: 'h1',
  suppressedUntil: new Date('2026-12-01T00:00:00Z'),
};
const cleared = { status: 'active', suppressed_by: null, suppressed_until: null, suppress_reason: null };

describe('observeOpenFinding', () => {
  it('keeps a suppression while the same drift is seen', () => {
    expect(observeOpenFinding(suppressed, { severity: 'medium', driftHash: 'h1', categories: [] }, now)).toEqual({
      update: {},
      events: [],
    });
  });

  it('ends a suppression when the drift changes, saying why', () => {
    const outcome = observeOpenFinding(
      suppressed,
      { severity: 'medium', driftHash: 'h2', categories: ['VersionChange'] },
      now,
    );
    expect(outcome.update).toEqual(cleared);
    expect(outcome.events).toEqual([
      expect.objectContaining({ type: 'changed' }),
      {
        type: 'reopened',
        note: 'Drift changed while suppressed',
        details: { reason: 'drift-changed', severity: 'medium', previousSeverity: 'medium' },
      },
    ]);
  });

  it('ends a suppression when the severity rises, even for the same changes', () => {
    // The same changes rated higher, e.g. after the configured severities changed.
    const outcome = observeOpenFinding(suppressed, { severity: 'critical', driftHash: 'h1', categories: [] }, now);
    expect(outcome.update).toEqual(cleared);
    expect(outcome.events).toEqual([
      {
        type: 'reopened',
        note: 'Severity rose from medium to critical while suppressed',
        details: { reason: 'severity-rose', severity: 'critical', previousSeverity: 'medium' },
      },
    ]);
  });

  it('keeps a suppression when the severity falls with the same changes', () => {
    expect(observeOpenFinding(suppressed, { severity: 'low', driftHash: 'h1', categories: [] }, now).update).toEqual(
      {},
    );
  });

  it('ends an expired suppression', () => {
    const outcome = observeOpenFinding(
      suppressed,
      { severity: 'medium', driftHash: 'h1', categories: [] },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(outcome.update).toEqual(cleared);
    expect(outcome.events.map(e => e.note)).toEqual(['Suppression expired']);
  });

  it('makes an acknowledged finding active when its drift changes', () => {
    const acknowledged: OpenFinding = { ...suppressed, status: 'acknowledged', suppressedUntil: null };
    const same = observeOpenFinding(acknowledged, { severity: 'medium', driftHash: 'h1', categories: [] }, now);
    expect(same).toEqual({ update: {}, events: [] });
    const changed = observeOpenFinding(acknowledged, { severity: 'high', driftHash: 'h2', categories: [] }, now);
    expect(changed.update).toEqual({ status: 'active' });
    expect(changed.events.map(e => e.type)).toEqual(['changed']);
  });
});

describe('what routing is told', () => {
  const active: OpenFinding = { status: 'active', severity: 'medium', driftHash: 'h1', suppressedUntil: null };
  const observe = (finding: OpenFinding, severity: 'low' | 'medium' | 'high', driftHash: string) =>
    observeOpenFinding(finding, { severity, driftHash, categories: [] }, now).outcome;

  it('says opened for a first detection and for drift that returned, with a fresh SLA', () => {
    const observed = { severity: 'high' as const, driftHash: 'h', categories: ['VersionChange'], resourceStatus: 'drifted' };
    const first = openFinding(observed, 4, now, 'new');
    expect(first.outcome).toBe('opened');
    expect(first.update).toMatchObject({
      status: 'active',
      first_detected_at: now,
      sla_due_at: new Date('2026-11-10T04:00:00Z'),
      sla_breached: false,
    });
    expect(first.events.map(e => e.type)).toEqual(['detected']);
    const again = openFinding(observed, 4, now, 'resolved');
    expect(again.outcome).toBe('opened');
    expect(again.update).not.toHaveProperty('first_detected_at');
    expect(again.update).toMatchObject({ resolved_at: null, acknowledged_by: null, suppressed_by: null });
    expect(again.events.map(e => [e.type, e.note])).toEqual([['reopened', 'Drift returned']]);
  });

  it('says changed or severity-rose for an open finding, and nothing for the same drift', () => {
    expect(observe(active, 'medium', 'h1')).toBeUndefined();
    expect(observe(active, 'medium', 'h2')).toBe('changed');
    expect(observe(active, 'low', 'h2')).toBe('changed');
    expect(observe(active, 'high', 'h2')).toBe('severity-rose');
  });

  it('keeps a suppression quiet, and says opened when the suppression ends', () => {
    expect(observe(suppressed, 'medium', 'h1')).toBeUndefined();
    expect(observe(suppressed, 'medium', 'h2')).toBe('changed');
    expect(observe(suppressed, 'high', 'h1')).toBe('severity-rose');
    const expired = observeOpenFinding(
      suppressed,
      { severity: 'medium', driftHash: 'h1', categories: [] },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(expired.outcome).toBe('opened');
  });

  it('says resolved with how long the episode lasted', () => {
    const outcome = resolveFinding({ openedAt: new Date('2026-11-09T23:00:00Z') }, now, null, 'good');
    expect(outcome).toEqual({
      update: { status: 'resolved', resolved_at: now, last_known_good_hash: 'good' },
      events: [{ type: 'resolved', note: null, details: { openForSeconds: 3600 } }],
      outcome: 'resolved',
    });
  });

  it('breaches tiers 1 and 2 until fixed, and tier 3 until acknowledged', () => {
    const due = new Date('2026-11-09T00:00:00Z');
    const finding = (status: OpenFinding['status'], tier: number) => ({ status, tier, slaDueAt: due, slaBreached: false });
    expect(isPastSla(finding('active', 3), now)).toBe(true);
    expect(isPastSla(finding('acknowledged', 3), now)).toBe(false);
    expect(isPastSla(finding('acknowledged', 1), now)).toBe(true);
    expect(isPastSla(finding('suppressed', 1), now)).toBe(false);
    expect(isPastSla({ ...finding('active', 1), slaBreached: true }, now)).toBe(false);
    expect(isPastSla({ ...finding('active', 1), slaDueAt: new Date('2026-11-11T00:00:00Z') }, now)).toBe(false);
    expect(breachFinding({ tier: 3 }, 2)).toEqual({
      update: { sla_breached: true },
      events: [{ type: 'escalated', note: 'SLA breached: routed as tier 2', details: { tier: 3, escalateTo: 2 } }],
      outcome: 'escalated',
    });
  });
});

describe('checkSuppressionUntil', () => {
  it('accepts up to the limit, and names the limit beyond it', () => {
    expect(() => checkSuppressionUntil(new Date('2027-02-08T00:00:00Z'), now, 90)).not.toThrow();
    expect(() => checkSuppressionUntil(new Date('2027-02-08T00:00:01Z'), now, 90)).toThrow(
      new InputError(
        'Invalid body: "until" must be at most 90 days ahead (drift.lifecycle.maxSuppressionDays), ' +
          'i.e. no later than 2027-02-08T00:00:00.000Z',
      ),
    );
    expect(() => checkSuppressionUntil(now, now, 90)).toThrow('"until" must be in the future');
  });
});
