import { finding } from '../__testUtils__/fixtures';
import { alertSummary, eventBody } from './eventBody';

describe('alertSummary', () => {
  it('names what happened to the resource, and where', () => {
    expect(
      alertSummary(
        finding({
          resourceStatus: 'missing',
          kind: 'NetworkPolicy',
          name: 'deny-all',
          severity: 'high',
        }),
      ),
    ).toBe(
      'Missing NetworkPolicy shop/deny-all in cluster prod (tier 1, high)',
    );
    expect(
      alertSummary(
        finding({
          resourceStatus: 'extra',
          kind: 'ClusterRole',
          namespace: null,
          name: 'debug',
          severity: 'medium',
          tier: 2,
        }),
      ),
    ).toBe('Extra ClusterRole debug in cluster prod (tier 2, medium)');
    expect(
      alertSummary(
        finding({
          provider: 'terraform',
          location: 'plans/booking-database.plan.json',
          kind: 'aws_db_instance',
          namespace: null,
          name: 'booking',
        }),
      ),
    ).toBe(
      'Drift on aws_db_instance booking in plans/booking-database.plan.json (tier 1, high)',
    );
  });

  it('stays within the 1024 characters PagerDuty keeps', () => {
    const summary = alertSummary(finding({ name: 'x'.repeat(5000) }));

    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('eventBody', () => {
  it('bounds the size of a trigger whatever the finding holds', () => {
    const huge = 'y'.repeat(100_000);
    const body = eventBody(
      'trigger',
      finding({
        location: huge,
        entityRef: huge,
        changes: Array.from({ length: 5000 }, () => ({
          path: `/${huge}`,
          field: huge,
          op: 'added' as const,
          category: 'LabelChange' as const,
          severity: 'low' as const,
          desired: null,
          live: huge,
          manager: huge,
        })),
      }),
      'opened',
    );

    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(64 * 1024);
    expect(body.payload?.custom_details.more_changes).toBe('and 4980 more');
  });

  it('sends acknowledge and resolve with the dedup key alone', () => {
    expect(eventBody('resolve', finding(), 'resolved')).toEqual({
      event_action: 'resolve',
      dedup_key: 'driftwatch-7f9c2d1e-0b7a-4c55-9a51-3b2f6d1c8e40',
    });
  });
});
