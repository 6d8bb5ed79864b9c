import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DriftEvent } from '@driftwatch/plugin-drift-common';
import { FindingHistory } from './FindingHistory';

const events: DriftEvent[] = [
  {
    id: 1,
    findingId: 'f1',
    entityRef: 'component:default/shop-cart',
    type: 'detected',
    actor: 'driftwatch',
    at: '2026-11-22T10:00:00Z',
    note: null,
    details: { severity: 'high' },
  },
  {
    id: 2,
    findingId: 'f1',
    entityRef: 'component:default/shop-cart',
    type: 'acknowledged',
    actor: 'user:default/ada',
    at: '2026-11-23T10:00:00Z',
    note: 'rolling forward in the next release',
    details: null,
  },
];

describe('FindingHistory', () => {
  it('lists what happened, who did it and why', async () => {
    await renderInTestApp(
      <FindingHistory events={events} resource="Deployment:shop:shop-cart" />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const table = screen.getByRole('table', {
      name: 'History of Deployment:shop:shop-cart',
    });
    const [, detected, acknowledged] = within(table).getAllByRole('row');
    expect(
      within(detected).getByText('Drift detected (high)'),
    ).toBeInTheDocument();
    expect(
      within(detected).getByText('Driftwatch (scanner)'),
    ).toBeInTheDocument();
    expect(within(acknowledged).getByText('Acknowledged')).toBeInTheDocument();
    expect(
      within(acknowledged).getByRole('link', { name: /ada/ }),
    ).toHaveAttribute('href', '/catalog/default/user/ada');
    expect(
      within(acknowledged).getByText('rolling forward in the next release'),
    ).toBeInTheDocument();
  });
});

const routed = (id: number, details: Record<string, unknown>): DriftEvent => ({
  id,
  findingId: 'f1',
  entityRef: 'component:default/booking-api',
  type: 'routed',
  actor: 'driftwatch',
  at: `2026-11-22T1${id}:00:00Z`,
  note: String(details.summary),
  details: {
    outcome: 'opened',
    intentId: `i${id}`,
    attempt: 1,
    dryRun: false,
    tier: 1,
    ...details,
  },
});

const routing: DriftEvent[] = [
  routed(1, {
    action: 'pagerduty',
    status: 'delivered',
    dryRun: true,
    summary: 'Would trigger PagerDuty alert drift-f1 (critical)',
    request: {
      routing_key: '(from the entity annotation)',
      event_action: 'trigger',
      dedup_key: 'drift-f1',
    },
  }),
  routed(2, {
    action: 'github-pull-request',
    status: 'delivered',
    summary: 'Opened PR #12',
    externalUrl: 'https://github.com/acme/gitops/pull/12',
  }),
  routed(3, {
    action: 'notify-owner',
    status: 'retrying',
    attempt: 2,
    summary: 'Attempt 2 failed, will retry: notifications unavailable',
    error: 'notifications unavailable',
    request: {
      recipients: { type: 'entity', entityRef: 'group:default/team-booking' },
    },
  }),
  {
    id: 4,
    findingId: 'f1',
    entityRef: 'component:default/booking-api',
    type: 'escalated',
    actor: 'driftwatch',
    at: '2026-11-22T14:00:00Z',
    note: 'SLA breached: routed as tier 1',
    details: { tier: 2, escalateTo: 1 },
  },
  routed(5, {
    action: 'pagerduty',
    outcome: 'escalated',
    status: 'failed',
    attempt: 5,
    summary: 'Delivery failed after 5 attempts: PagerDuty answered 500',
    error: 'PagerDuty answered 500',
  }),
  routed(6, {
    action: 'github-pull-request',
    outcome: 'refresh',
    status: 'delivered',
    summary: 'PR #12 merged',
    externalUrl: 'https://github.com/acme/gitops/pull/12',
  }),
];

describe('FindingHistory routing', () => {
  async function renderRouting() {
    await renderInTestApp(
      <FindingHistory events={routing} resource="Deployment:booking:api" />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const table = screen.getByRole('table', {
      name: 'History of Deployment:booking:api',
    });
    return within(table).getAllByRole('row').slice(1);
  }

  it('says what each delivery did, links pull requests with their state, and labels dry runs', async () => {
    const [paged, opened, notified, escalated, , merged] =
      await renderRouting();

    expect(within(paged).getByText('Paged (PagerDuty)')).toBeInTheDocument();
    expect(within(paged).getByText('dry run')).toBeInTheDocument();
    expect(within(opened).queryByText('dry run')).not.toBeInTheDocument();

    const link = within(opened).getByRole('link', { name: /^PR #12 opened/ });
    expect(link).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/pull/12',
    );
    // The row that opened the pull request says where it stands now.
    expect(within(opened).getByText('PR merged')).toBeInTheDocument();
    expect(
      within(merged).getByRole('link', { name: /^PR #12 merged/ }),
    ).toBeInTheDocument();

    expect(
      within(notified).getByText(
        'Notify group:default/team-booking: attempt 2 failed, retrying',
      ),
    ).toBeInTheDocument();
    expect(
      within(escalated).getByText('Escalated to tier 1'),
    ).toBeInTheDocument();
  });

  it('highlights failures and retries with their error', async () => {
    const [, , notified, , failed] = await renderRouting();
    expect(
      within(failed).getByText('Page (PagerDuty): failed'),
    ).toBeInTheDocument();
    const failure = within(failed).getByRole('alert');
    expect(failure).toHaveTextContent(
      'Delivery failed after 5 attempts: PagerDuty answered 500',
    );
    expect(within(notified).getByRole('alert')).toHaveTextContent(
      'notifications unavailable',
    );
  });

  it('shows the request that would have been sent on demand', async () => {
    const [paged, opened] = await renderRouting();
    expect(
      within(opened).queryByRole('button', { name: /request/ }),
    ).not.toBeInTheDocument();
    const toggle = within(paged).getByRole('button', {
      name: 'Show request (not sent)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(within(paged).getByText(/"dedup_key": "drift-f1"/)).toBeVisible();
  });
});
