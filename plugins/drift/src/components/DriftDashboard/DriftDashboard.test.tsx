import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DriftStatistics,
  MonitoredResource,
  RoutingSummary,
  SurfaceArea,
  SurfaceFilter,
  SurfaceGroup,
} from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { linkedEntity, renderDrift } from '../../__testUtils__/renderDrift';
import { createSignalApiFake } from '../../__testUtils__/signals';
import { DriftDashboard } from './DriftDashboard';

const totals: DriftStatistics['totals'] = {
  active: 3,
  acknowledged: 1,
  suppressed: 0,
  unresolved: 4,
  detectedInRange: 6,
  resolvedInRange: 2,
  breached: 1,
  mttrHours: 52.5,
  bySeverity: { critical: 1, high: 2, medium: 1 },
  byTier: { '1': 2, '2': 2 },
  byCategory: { SecurityChange: 1, VersionChange: 1, Scaling: 2 },
};

function statistics(groupBy: string): DriftStatistics {
  return {
    from: '2026-10-25T00:00:00Z',
    to: '2026-11-24T00:00:00Z',
    groupBy: groupBy as DriftStatistics['groupBy'],
    totals,
    coverage: {
      monitored: 10,
      inSync: 6,
      byStatus: { 'in-sync': 6, drifted: 4 },
      inSyncRatio: 0.6,
    },
    groups:
      groupBy === 'day'
        ? [
            {
              key: '2026-11-22',
              detected: 2,
              resolved: 0,
              active: 3,
              bySeverity: { high: 2 },
            },
            {
              key: '2026-11-23',
              detected: 1,
              resolved: 1,
              active: 4,
              bySeverity: { critical: 1 },
            },
          ]
        : [
            {
              key: 'group:default/team-booking',
              detected: 3,
              resolved: 1,
              active: 2,
              breached: 1,
            },
            {
              key: 'group:default/team-commerce',
              detected: 3,
              resolved: 1,
              active: 2,
              breached: 0,
            },
            {
              key: 'group:default/team-platform',
              detected: 0,
              resolved: 0,
              active: 0,
              breached: 0,
            },
          ],
  };
}

type Resource = Pick<MonitoredResource, 'provider' | 'kind' | 'status'> & {
  system: string | null;
  environment?: string;
  location?: string;
};

const resource = (
  system: string,
  kind: string,
  status: MonitoredResource['status'],
): Resource => ({
  provider: 'kubernetes',
  kind,
  status,
  system: `system:default/${system}`,
});

/** What the backend counts for `all` in `filter`'s environments and clusters. */
function surfaceOf(all: Resource[], filter: SurfaceFilter = {}): SurfaceArea {
  const resources = all.filter(
    r =>
      (!filter.environment?.length ||
        filter.environment.includes(r.environment ?? '')) &&
      (!filter.location?.length || filter.location.includes(r.location ?? '')),
  );
  const group = (keyOf: (r: Resource) => string | null) => {
    const groups = new Map<string | null, SurfaceGroup>();
    for (const r of resources) {
      const g = groups.get(keyOf(r)) ?? {
        key: keyOf(r),
        total: 0,
        byStatus: {},
      };
      g.total++;
      g.byStatus[r.status] = (g.byStatus[r.status] ?? 0) + 1;
      groups.set(g.key, g);
    }
    return [...groups.values()];
  };
  return {
    monitored: resources.length,
    byStatus: group(() => 'all')[0]?.byStatus ?? {},
    provider: group(r => r.provider),
    kind: group(r => r.kind),
    system: group(r => r.system),
    environment: group(r => r.environment ?? null),
    location: group(r => r.location ?? 'default').map(g => ({
      ...g,
      provider: 'kubernetes',
    })),
  };
}

const bookingResources = [
  resource('booking', 'Deployment', 'drifted'),
  resource('booking', 'Service', 'in-sync'),
];
const commerceResources = [resource('commerce', 'Deployment', 'in-sync')];

const routing: RoutingSummary = {
  from: '2026-10-25T00:00:00Z',
  to: '2026-11-24T00:00:00Z',
  paged: 3,
  pullRequestsOpened: 4,
  pullRequestsMerged: 2,
  notified: 7,
  acknowledgedWithinSla: 5,
  acknowledged: 6,
  escalated: 1,
  failedDeliveries: 2,
  pending: 1,
};

function api(): Partial<DriftApi> {
  return {
    getRoutingSummary: jest.fn(async () => routing),
    getStatistics: jest.fn(async request =>
      statistics(request?.groupBy ?? 'day'),
    ),
    getSurface: jest.fn(async (filter?: SurfaceFilter) =>
      surfaceOf(
        filter?.system?.includes('system:default/booking')
          ? bookingResources
          : [...bookingResources, ...commerceResources],
      ),
    ),
    listFindings: jest.fn(),
    listResources: jest.fn(),
  };
}

const entities = [
  linkedEntity('booking-api', 'team-booking', 'booking'),
  linkedEntity('shop-cart', 'team-commerce', 'commerce'),
];

describe('DriftDashboard', () => {
  it('shows the key figures, the frequency chart and the owners', async () => {
    const driftApi = api();
    await renderDrift(<DriftDashboard />, { api: driftApi, entities });

    const unresolved = await screen.findByRole('region', {
      name: 'Unresolved drift',
    });
    expect(within(unresolved).getByText('4')).toBeInTheDocument();
    expect(
      within(unresolved).getByText('3 active · 1 acknowledged · 0 suppressed'),
    ).toBeInTheDocument();
    expect(
      within(unresolved).getByText(
        'By tier: tier 1: 2 · tier 2: 2 · tier 3: 0',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'SLA breaches' })).getByText(
        '1',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'Mean time to resolve' }),
      ).getByText('2 d 4 h'),
    ).toBeInTheDocument();
    const coverage = screen.getByRole('region', { name: 'Coverage' });
    expect(within(coverage).getByText('66.7%')).toBeInTheDocument();
    expect(
      within(coverage).getByText('2 of 3 monitored resources in sync'),
    ).toBeInTheDocument();

    expect(
      await screen.findByRole('img', {
        name: /Drift detected per day from 22 Nov to 23 Nov.*3 detected \(1 critical, 2 high, 0 medium, 0 low\)/,
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: 'Monitored resources by provider: kubernetes 3 (1 not in sync).',
      }),
    ).toBeInTheDocument();

    const owners = screen.getByRole('table', { name: 'Drift per owner' });
    const booking = within(owners)
      .getByRole('link', { name: /^team-booking/ })
      .closest('tr')!;
    expect(
      within(booking)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      expect.stringContaining('team-booking'),
      '2',
      '1',
      '3',
      '1',
      'Open in tracker',
    ]);
    expect(
      within(booking).getByRole('link', { name: /^team-booking/ }),
    ).toHaveAttribute('href', '/catalog/default/group/team-booking');
    expect(
      within(booking).getByRole('link', {
        name: 'Open in tracker: findings of team-booking',
      }),
    ).toHaveAttribute(
      'href',
      '/drift/tracker?owner=group%3Adefault%2Fteam-booking',
    );
    expect(within(owners).queryByText(/team-platform/)).not.toBeInTheDocument();
    // Aggregates only: nothing pages through findings or resources.
    expect(driftApi.listFindings).not.toHaveBeenCalled();
    expect(driftApi.listResources).not.toHaveBeenCalled();
  });

  it('asks for the surface area once the figures are in, so they do not queue behind it', async () => {
    let answerStatistics = () => {};
    const statisticsAnswered = new Promise<void>(resolve => {
      answerStatistics = resolve;
    });
    const driftApi = api();
    driftApi.getStatistics = jest.fn(async request => {
      await statisticsAnswered;
      return statistics(request?.groupBy ?? 'day');
    });
    await renderDrift(<DriftDashboard />, { api: driftApi, entities });

    await waitFor(() =>
      expect(driftApi.getStatistics).toHaveBeenCalledTimes(2),
    );
    expect(driftApi.getSurface).not.toHaveBeenCalled();
    answerStatistics();
    expect(
      await screen.findByRole('region', { name: 'Unresolved drift' }),
    ).toBeInTheDocument();
    // The dashboard's own, and the filter choices'.
    await waitFor(() => expect(driftApi.getSurface).toHaveBeenCalledTimes(2));
    expect(
      await within(screen.getByRole('region', { name: 'Coverage' })).findByText(
        '66.7%',
      ),
    ).toBeInTheDocument();
  });

  it('groups the surface area by system and by category', async () => {
    await renderDrift(<DriftDashboard />, { api: api(), entities });
    await userEvent.click(await screen.findByRole('tab', { name: 'System' }));
    expect(
      screen.getByRole('img', {
        name: 'Monitored resources by system: booking 2 (1 not in sync), commerce 1 (0 not in sync).',
      }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Category' }));
    expect(
      screen.getByRole('img', {
        name: 'Unresolved drift by category: Scaling 2, SecurityChange 1, VersionChange 1.',
      }),
    ).toBeInTheDocument();
  });

  it('filters by owner, tier and system from the URL', async () => {
    const driftApi = api();
    await renderDrift(<DriftDashboard />, {
      api: driftApi,
      entities,
      routeEntries: [
        '/?range=7d&owner=group:default/team-booking&tier=1&system=system:default/booking',
      ],
    });
    await screen.findByRole('region', { name: 'Unresolved drift' });
    expect(driftApi.getStatistics).toHaveBeenCalledWith(
      expect.objectContaining({
        groupBy: 'day',
        owner: ['group:default/team-booking'],
        tier: [1],
        entityRef: ['component:default/booking-api'],
      }),
    );
    expect(screen.getByRole('combobox', { name: 'Owner' })).toHaveDisplayValue(
      'team-booking',
    );
    expect(
      screen.getByRole('combobox', { name: 'Time range' }),
    ).toHaveDisplayValue('Last 7 days');
    // The surface area is filtered by the entities' owner, tier and system in the backend.
    expect(driftApi.getSurface).toHaveBeenCalledWith({
      owner: ['group:default/team-booking'],
      tier: [1],
      system: ['system:default/booking'],
      environment: [],
      location: [],
    });
    expect(
      within(screen.getByRole('region', { name: 'Coverage' })).getByText(
        '1 of 2 monitored resources in sync',
      ),
    ).toBeInTheDocument();
  });

  it('filters by environment and cluster, in the statistics and the surface area', async () => {
    const driftApi = api();
    const places = [
      ['drifted', 'production', 'prod'],
      ['in-sync', 'production', 'prod'],
      ['in-sync', 'staging', 'stage'],
    ] as const;
    const resources = places.map(([status, environment, location]) => ({
      ...resource('commerce', 'Deployment', status),
      environment,
      location,
    }));
    driftApi.getSurface = jest.fn(async (filter?: SurfaceFilter) =>
      surfaceOf(resources, filter),
    );
    await renderDrift(<DriftDashboard />, {
      api: driftApi,
      entities,
      routeEntries: ['/?environment=staging'],
    });
    await screen.findByRole('region', { name: 'Unresolved drift' });
    expect(driftApi.getStatistics).toHaveBeenCalledWith(
      expect.objectContaining({
        groupBy: 'owner',
        environment: ['staging'],
        location: [],
      }),
    );
    expect(driftApi.getSurface).toHaveBeenCalledWith(
      expect.objectContaining({ environment: ['staging'], location: [] }),
    );
    expect(
      within(screen.getByRole('region', { name: 'Coverage' })).getByText(
        '1 of 1 monitored resources in sync',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('combobox', { name: 'Environment' }),
    ).toHaveDisplayValue('staging');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Cluster' }),
      'prod',
    );
    await waitFor(() =>
      expect(driftApi.getStatistics).toHaveBeenLastCalledWith(
        expect.objectContaining({
          environment: ['staging'],
          location: ['prod'],
        }),
      ),
    );
  });

  it('applies a chosen owner', async () => {
    const driftApi = api();
    await renderDrift(<DriftDashboard />, { api: driftApi, entities });
    await screen.findByRole('region', { name: 'Unresolved drift' });
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      'team-commerce',
    );
    await waitFor(() =>
      expect(driftApi.getStatistics).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: ['group:default/team-commerce'] }),
      ),
    );
  });

  it('shows the backend error', async () => {
    await renderDrift(<DriftDashboard />, {
      api: {
        ...api(),
        getStatistics: async () => {
          throw new Error('statistics unavailable');
        },
      },
    });
    expect(
      (await screen.findAllByText(/statistics unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  describe('Routing card', () => {
    const card = () => screen.findByRole('table', { name: 'Routing outcomes' });
    const valueOf = (table: HTMLElement, label: string) =>
      within(table)
        .getAllByRole('row')
        .find(row => row.firstElementChild?.textContent === label)
        ?.lastElementChild?.textContent;

    it('counts pages, pull requests, notifications, acknowledgements and failures of the window', async () => {
      const driftApi = api();
      await renderDrift(<DriftDashboard />, { api: driftApi, entities });
      const table = await card();
      expect(valueOf(table, 'Paged (PagerDuty)')).toBe('3');
      expect(valueOf(table, 'Hotfix PRs opened')).toBe('4');
      expect(valueOf(table, 'Hotfix PRs merged')).toBe('2');
      expect(valueOf(table, 'Owners notified')).toBe('7');
      expect(valueOf(table, 'Acknowledged within SLA')).toBe('5 of 6');
      expect(valueOf(table, 'Escalated past SLA')).toBe('1');
      expect(valueOf(table, 'Failed deliveries')).toBe('2');
      expect(valueOf(table, 'Pending deliveries')).toBe('1');
      const [window] = (driftApi.getRoutingSummary as jest.Mock).mock.calls[0];
      expect(Object.keys(window).sort()).toEqual(['from', 'to']);
      expect(
        Date.parse(window.to) - Date.parse(window.from),
      ).toBeGreaterThanOrEqual(29 * 24 * 3_600_000);
    });

    it('says when nothing was routed', async () => {
      const quiet = Object.fromEntries(
        Object.entries(routing).map(([k, v]) => [
          k,
          typeof v === 'number' ? 0 : v,
        ]),
      ) as unknown as RoutingSummary;
      await renderDrift(<DriftDashboard />, {
        api: { ...api(), getRoutingSummary: async () => quiet },
        entities,
      });
      expect(
        await screen.findByText(/Nothing was routed in last 30 days/),
      ).toBeInTheDocument();
    });

    it('shows its own error and keeps the rest of the dashboard', async () => {
      await renderDrift(<DriftDashboard />, {
        api: {
          ...api(),
          getRoutingSummary: async () => {
            throw new Error('routing summary unavailable');
          },
        },
        entities,
      });
      expect(
        (await screen.findAllByText(/routing summary unavailable/)).length,
      ).toBeGreaterThan(0);
      expect(
        screen.getByRole('region', { name: 'Unresolved drift' }),
      ).toBeInTheDocument();
    });
  });

  it('refetches its figures when the backend signals that findings changed', async () => {
    const signals = createSignalApiFake();
    const driftApi = api();
    await renderDrift(<DriftDashboard />, {
      api: driftApi,
      entities,
      signalApi: signals.api,
    });
    await screen.findByRole('table', { name: 'Routing outcomes' });
    const statisticsCalls = (driftApi.getStatistics as jest.Mock).mock.calls
      .length;
    expect(driftApi.getRoutingSummary).toHaveBeenCalledTimes(1);

    signals.publish('driftwatch:findings', {
      entityRefs: ['component:default/booking-api'],
    });
    await waitFor(() =>
      expect(driftApi.getStatistics).toHaveBeenCalledTimes(statisticsCalls + 2),
    );
    await waitFor(() =>
      expect(driftApi.getRoutingSummary).toHaveBeenCalledTimes(2),
    );
    // The figures stay on screen while they are fetched again.
    expect(
      screen.getByRole('region', { name: 'Unresolved drift' }),
    ).toBeInTheDocument();
  });
});
