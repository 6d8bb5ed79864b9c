import { InputError } from '@backstage/errors';
import { checkSuppressionUntil, observeOpenFinding, type OpenFinding } from './lifecycle';

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
