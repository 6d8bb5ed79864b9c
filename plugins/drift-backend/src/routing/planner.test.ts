import { ConfigReader } from '@backstage/config';
import type { FindingOutcome } from '@driftwatch/plugin-drift-node';
import type { FindingChange } from '../store/lifecycle';
import { nextAttemptAt, readRoutingConfig } from './config';
import { RoutingPlanner } from './planner';

const OUTCOMES: Record<string, readonly FindingOutcome[]> = {
  pagerduty: ['opened', 'severity-rose', 'escalated', 'acknowledged', 'resolved', 'changed'],
  'github-pull-request': ['opened', 'changed', 'severity-rose', 'escalated', 'resolved'],
  'notify-owner': ['opened', 'severity-rose', 'escalated', 'renotify'],
};

const change = (outcome: FindingOutcome, tier: number, severity: FindingChange['severity'] = 'high'): FindingChange => ({
  findingId: 'f1',
  entityRef: 'component:default/booking-api',
  outcome,
  tier,
  severity,
});

function planner(routing?: object) {
  const config = readRoutingConfig(new ConfigReader({ drift: { routing } }));
  return new RoutingPlanner(config, id => OUTCOMES[id]);
}

describe('RoutingPlanner with the default policy', () => {
  const plan = (c: FindingChange, withState: string[] = []) => planner().plan(c, withState);

  it('pages and opens a pull request for tier 1, notifies for tier 2, and waits for tier 3', () => {
    expect(plan(change('opened', 1))).toEqual([
      { action: 'pagerduty', tier: 1 },
      { action: 'github-pull-request', tier: 1 },
    ]);
    expect(plan(change('opened', 2))).toEqual([{ action: 'notify-owner', tier: 2 }]);
    expect(plan(change('opened', 3))).toEqual([]);
  });

  it('escalates one tier past the SLA, and tier 1 nowhere', () => {
    expect(plan(change('escalated', 3))).toEqual([{ action: 'notify-owner', tier: 2 }]);
    expect(plan(change('escalated', 2))).toEqual([
      { action: 'pagerduty', tier: 1 },
      { action: 'github-pull-request', tier: 1 },
    ]);
    expect(plan(change('escalated', 1))).toEqual([]);
  });

  it('closes what an escalation opened: a resolve reaches actions holding state, whatever the tier', () => {
    expect(plan(change('resolved', 2))).toEqual([]);
    expect(plan(change('resolved', 2), ['pagerduty'])).toEqual([{ action: 'pagerduty', tier: 2 }]);
    expect(plan(change('acknowledged', 3), ['pagerduty', 'notify-owner'])).toEqual([
      { action: 'pagerduty', tier: 3 },
    ]);
  });

  it('re-notifies through the actions that handle it only', () => {
    expect(plan(change('renotify', 1))).toEqual([]);
    expect(plan(change('renotify', 2))).toEqual([{ action: 'notify-owner', tier: 2 }]);
  });

  it('plans nothing for actions no module installed', () => {
    const config = readRoutingConfig(new ConfigReader({}));
    const onlyNotify = new RoutingPlanner(config, id => (id === 'notify-owner' ? OUTCOMES[id] : undefined));
    expect(onlyNotify.plan(change('opened', 1), [])).toEqual([]);
  });

  it('re-notifies tier 2 daily by default and never tier 1 or 3', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(planner().renotifyDueAt(2, now)).toEqual(new Date('2026-12-02T00:00:00Z'));
    expect(planner().renotifyDueAt(1, now)).toBeNull();
    expect(planner().renotifyDueAt(3, now)).toBeNull();
  });
});

describe('drift.routing', () => {
  it('routes below the lowest paging severity nowhere', () => {
    const p = planner({ tiers: [{ tier: 1, minSeverity: 'high' }] });
    expect(p.plan(change('opened', 1, 'medium'), [])).toEqual([]);
    expect(p.plan(change('opened', 1, 'critical'), [])).toHaveLength(2);
    // Closing is not gated by severity: what was opened is closed.
    expect(p.plan(change('resolved', 1, 'low'), ['pagerduty'])).toEqual([
      { action: 'pagerduty', tier: 1 },
      { action: 'github-pull-request', tier: 1 },
    ]);
  });

  it('takes actions, re-notify cadence and escalation target per tier', () => {
    const p = planner({
      tiers: [{ tier: 3, actions: ['notify-owner'], renotify: { hours: 12 }, escalateTo: 1 }],
    });
    expect(p.plan(change('opened', 3), [])).toEqual([{ action: 'notify-owner', tier: 3 }]);
    expect(p.plan(change('escalated', 3), [])).toEqual([
      { action: 'pagerduty', tier: 1 },
      { action: 'github-pull-request', tier: 1 },
    ]);
    expect(p.renotifyDueAt(3, new Date(0))).toEqual(new Date(12 * 3_600_000));
    expect(planner({ tiers: [{ tier: 2, renotify: false }] }).renotifyDueAt(2, new Date(0))).toBeNull();
  });

  it('refuses what it cannot follow, naming the key', () => {
    expect(() => planner({ tiers: [{ tier: 4 }] })).toThrow(/drift\.routing\.tiers: tier must be 1, 2 or 3, got 4/);
    expect(() => planner({ tiers: [{ tier: 2, minSeverity: 'urgent' }] })).toThrow(/minSeverity must be one of low, medium, high, critical/);
    expect(() => planner({ tiers: [{ tier: 1, escalateTo: 2 }] })).toThrow(/escalateTo must be a higher tier/);
    expect(() => planner({ maxAttempts: 0 })).toThrow(/drift\.routing\.maxAttempts must be a positive integer/);
  });
});

describe('nextAttemptAt', () => {
  const backoff = { backoffMs: 1000, maxBackoffMs: 8000 };
  const now = new Date(0);

  it('doubles the delay per attempt, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map(n => nextAttemptAt(backoff, n, now).getTime())).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('waits at least as long as the peer asked', () => {
    expect(nextAttemptAt(backoff, 1, now, 30).getTime()).toBe(30_000);
    expect(nextAttemptAt(backoff, 4, now, 1).getTime()).toBe(8000);
  });
});
