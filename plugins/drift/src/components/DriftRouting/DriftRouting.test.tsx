import { screen, waitFor, within } from '@testing-library/react';
import type {
  DriftAuditEvent,
  RoutingPolicy,
} from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { createSignalApiFake } from '../../__testUtils__/signals';
import { DriftRouting } from './DriftRouting';

const policy: RoutingPolicy = {
  maxAttempts: 5,
  tiers: [
    {
      tier: 2,
      actions: [{ id: 'notify-owner', registered: true, dryRun: false }],
      slaHours: 72,
      minSeverity: 'medium',
      renotifyHours: 24,
      escalateTo: 1,
    },
    {
      tier: 1,
      actions: [
        { id: 'pagerduty', registered: true, dryRun: true },
        { id: 'github-pull-request', registered: false, dryRun: false },
      ],
      slaHours: 4,
      minSeverity: 'high',
      renotifyHours: null,
      escalateTo: null,
    },
  ],
};

const delivery = (
  id: number,
  details: Record<string, unknown>,
): DriftAuditEvent => ({
  id,
  findingId: `f-${id}`,
  entityRef: 'component:default/booking-api',
  type: 'routed',
  actor: 'driftwatch',
  at: '2026-11-22T10:00:00Z',
  note: String(details.summary),
  details: {
    outcome: 'opened',
    intentId: `i${id}`,
    attempt: 1,
    dryRun: false,
    tier: 1,
    ...details,
  },
  resourceKey: 'Deployment:booking:booking-api',
  owner: 'group:default/team-booking',
  severity: 'critical',
});

const events = [
  delivery(1, {
    action: 'pagerduty',
    status: 'delivered',
    dryRun: true,
    summary: 'Would trigger PagerDuty alert drift-f-1 (critical)',
  }),
  delivery(2, {
    action: 'github-pull-request',
    status: 'failed',
    summary: "No routing action 'github-pull-request' is installed",
    error: "No routing action 'github-pull-request' is installed",
  }),
];

function api(): Partial<DriftApi> & { listEvents: jest.Mock } {
  return {
    getRoutingPolicy: async () => policy,
    listEvents: jest.fn(async () => events),
  };
}

describe('DriftRouting', () => {
  it('shows the policy in force per tier, with dry-run and missing actions', async () => {
    await renderDrift(<DriftRouting />, { api: api() });
    const table = await screen.findByRole('table', { name: 'Routing policy' });
    const [, tier1, tier2] = within(table).getAllByRole('row');

    expect(within(tier1).getByText('Tier 1')).toBeInTheDocument();
    const cells = within(tier1).getAllByRole('cell');
    expect(cells[1]).toHaveTextContent('PagerDuty');
    expect(cells[1]).toHaveTextContent('dry run');
    expect(cells[1]).toHaveTextContent('GitHub hotfix PR');
    expect(cells[1]).toHaveTextContent('not installed');
    expect(cells[2]).toHaveTextContent('4 h');
    expect(cells[3]).toHaveTextContent('high');
    expect(cells[4]).toHaveTextContent('Never');
    expect(cells[5]).toHaveTextContent('No escalation');

    const tier2Cells = within(tier2).getAllByRole('cell');
    expect(tier2Cells[1]).toHaveTextContent('Notify owner');
    expect(tier2Cells[1]).not.toHaveTextContent('dry run');
    expect(tier2Cells[2]).toHaveTextContent('3 d');
    expect(tier2Cells[4]).toHaveTextContent('Every 1 d');
    expect(tier2Cells[5]).toHaveTextContent('Tier 1');
    expect(screen.getByText(/up to 5 attempts in all/)).toBeInTheDocument();
  });

  it('lists recent deliveries with entity, resource, action, status and dry run', async () => {
    const driftApi = api();
    await renderDrift(<DriftRouting />, { api: driftApi });
    expect(
      await screen.findByText(
        'Would trigger PagerDuty alert drift-f-1 (critical)',
      ),
    ).toBeInTheDocument();
    expect(driftApi.listEvents).toHaveBeenCalledWith({
      type: ['routed'],
      limit: 200,
    });

    const paged = screen.getByText('Paged (PagerDuty)').closest('tr')!;
    expect(within(paged).getByText('Delivered')).toBeInTheDocument();
    expect(within(paged).getAllByText('dry run').length).toBeGreaterThan(0);
    expect(
      within(paged).getByRole('link', { name: 'booking-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/booking-api/drift');
    expect(
      within(paged).getByRole('link', {
        name: 'Deployment:booking:booking-api',
      }),
    ).toHaveAttribute('href', '/drift/tracker?finding=f-1');

    const failed = screen.getByText('Open a hotfix PR: failed').closest('tr')!;
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(within(failed).getByText('GitHub hotfix PR')).toBeInTheDocument();
    expect(within(failed).getByRole('alert')).toHaveTextContent(
      "No routing action 'github-pull-request' is installed",
    );
  });

  it('says when nothing was routed, and refetches on the findings signal', async () => {
    const signals = createSignalApiFake();
    const driftApi = { ...api(), listEvents: jest.fn(async () => []) };
    await renderDrift(<DriftRouting />, {
      api: driftApi,
      signalApi: signals.api,
    });
    expect(
      await screen.findByText(/Nothing has been routed yet/),
    ).toBeVisible();
    signals.publish('driftwatch:findings', {
      entityRefs: ['component:default/a'],
    });
    await waitFor(() => expect(driftApi.listEvents).toHaveBeenCalledTimes(2));
  });

  it('shows the backend error of the policy', async () => {
    await renderDrift(<DriftRouting />, {
      api: {
        ...api(),
        getRoutingPolicy: async () => {
          throw new Error('policy unavailable');
        },
      },
    });
    expect(
      (await screen.findAllByText(/policy unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
