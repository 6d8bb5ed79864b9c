import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DriftFinding,
  ListFindingsRequest,
} from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { makeFinding } from '../../__testUtils__/fixtures';
import { linkedEntity, renderDrift } from '../../__testUtils__/renderDrift';
import { createSignalApiFake } from '../../__testUtils__/signals';
import { DriftTracker } from './DriftTracker';

const findings: DriftFinding[] = [
  makeFinding({
    id: 'a',
    entityRef: 'component:default/shop-cart',
    owner: 'group:default/team-commerce',
    severity: 'high',
  }),
  makeFinding({
    id: 'b',
    entityRef: 'component:default/matching-engine',
    resourceKey: 'Deployment:matching:matching-engine',
    owner: 'group:default/team-booking',
    severity: 'critical',
    tier: 1,
    categories: ['ResourceChange', 'SecurityChange'],
    slaBreached: true,
    slaDueAt: '2026-11-20T00:00:00Z',
  }),
  makeFinding({
    id: 'c',
    entityRef: 'component:default/user-profile',
    resourceKey: 'NetworkPolicy:users:user-profile',
    resourceStatus: 'missing',
    categories: [],
    owner: 'group:default/team-platform',
    status: 'acknowledged',
  }),
];

/** Filters like the backend does, pages by two. */
function api(): Partial<DriftApi> & {
  listFindings: jest.Mock;
  acknowledgeFinding: jest.Mock;
} {
  return {
    listFindings: jest.fn(async (request: ListFindingsRequest = {}) => {
      const matching = findings.filter(
        f =>
          (!request.owner?.length || request.owner.includes(f.owner!)) &&
          (!request.status?.length || request.status.includes(f.status)),
      );
      const start = request.cursor ? Number(request.cursor) : 0;
      const end = start + 2;
      return {
        items: matching.slice(start, end),
        totalCount: matching.length,
        nextCursor: end < matching.length ? String(end) : undefined,
      };
    }),
    acknowledgeFinding: jest.fn(async (id: string) => ({
      ...findings.find(f => f.id === id)!,
      status: 'acknowledged' as const,
    })),
  };
}

const entities = [
  linkedEntity('shop-cart', 'team-commerce', 'commerce'),
  linkedEntity('matching-engine', 'team-booking', 'booking'),
  linkedEntity('user-profile', 'team-platform', 'platform'),
];

const findCount = () =>
  screen.findByRole('heading', { level: 2, name: /findings?/ });

const rowOf = (text: string) =>
  screen.getByRole('link', { name: text }).closest('tr')!;

describe('DriftTracker', () => {
  it('lists open findings page by page with owner, tier, severity, status and SLA', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, { api: driftApi, entities });

    expect(await findCount()).toHaveTextContent('3 findings');
    expect(driftApi.listFindings).toHaveBeenCalledWith(
      expect.objectContaining({
        status: ['active', 'acknowledged', 'suppressed'],
        sort: 'severity',
        order: 'desc',
        limit: 50,
        cursor: undefined,
      }),
    );
    const matching = rowOf('matching-engine');
    expect(
      within(matching).getByRole('link', { name: /team-booking/ }),
    ).toHaveAttribute('href', '/catalog/default/group/team-booking');
    expect(within(matching).getByText('critical')).toBeInTheDocument();
    expect(
      within(matching).getByText('ResourceChange, SecurityChange'),
    ).toBeInTheDocument();
    expect(within(matching).getByText(/Breached/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'matching-engine' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/matching-engine/drift',
    );
  });

  it('filters by owner and keeps the filter in the URL', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, { api: driftApi, entities });
    await findCount();
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      'team-booking',
    );

    await waitFor(() =>
      expect(
        screen.getByRole('heading', { level: 2, name: /findings?/ }),
      ).toHaveTextContent('1 finding'),
    );
    expect(driftApi.listFindings).toHaveBeenLastCalledWith(
      expect.objectContaining({ owner: ['group:default/team-booking'] }),
    );
    expect(
      screen.queryByRole('link', { name: 'shop-cart' }),
    ).not.toBeInTheDocument();
  });

  it('reads filters from a shared link', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, {
      api: driftApi,
      entities,
      routeEntries: [
        '/?owner=group:default/team-commerce&status=any&sort=slaDue&order=asc',
      ],
    });
    await findCount();
    expect(driftApi.listFindings).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: ['group:default/team-commerce'],
        status: [],
        sort: 'slaDue',
        order: 'asc',
      }),
    );
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveDisplayValue(
      'Any status',
    );
  });

  it('shows what the signed-in user owns', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, {
      api: driftApi,
      entities,
      ownershipEntityRefs: [
        'user:default/guest',
        'group:default/team-platform',
      ],
    });
    await findCount();
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Owned by me' }),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('heading', { level: 2, name: /findings?/ }),
      ).toHaveTextContent('1 finding owned by you'),
    );
    expect(driftApi.listFindings).toHaveBeenLastCalledWith(
      expect.objectContaining({
        owner: ['user:default/guest', 'group:default/team-platform'],
      }),
    );
    expect(screen.getByRole('combobox', { name: 'Owner' })).toBeDisabled();
  });

  it('sorts on the server', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, { api: driftApi, entities });
    await findCount();
    await userEvent.click(screen.getByRole('button', { name: 'SLA due' }));
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'slaDue', order: 'desc' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'SLA due' }));
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'slaDue', order: 'asc' }),
      ),
    );
    expect(
      screen.getByRole('columnheader', { name: 'SLA due' }),
    ).toHaveAttribute('aria-sort', 'ascending');
  });

  it('pages with the cursor', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, {
      api: driftApi,
      entities,
      routeEntries: ['/'],
    });
    await findCount();
    // Two per page in this fake backend; the table asks for 50 but gets a cursor after two.
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ cursor: '2' }),
      ),
    );
    expect(
      await screen.findByRole('link', { name: 'user-profile' }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ cursor: undefined }),
      ),
    );
  });

  it('acknowledges selected findings at once', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, { api: driftApi, entities });
    await findCount();
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Select all active findings on this page',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Acknowledge 2 selected' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge drift' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Note' }),
      'known, fixing',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );

    await waitFor(() =>
      expect(driftApi.acknowledgeFinding).toHaveBeenCalledTimes(2),
    );
    expect(driftApi.acknowledgeFinding).toHaveBeenCalledWith('a', {
      note: 'known, fixing',
    });
    expect(driftApi.acknowledgeFinding).toHaveBeenCalledWith('b', {
      note: 'known, fixing',
    });
  });

  it('shows the backend error', async () => {
    await renderDrift(<DriftTracker />, {
      api: {
        listFindings: async () => {
          throw new Error('findings unavailable');
        },
      },
    });
    expect(
      (await screen.findAllByText(/findings unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});

describe('DriftTracker finding details', () => {
  const details = (id: string) => ({
    finding: findings.find(f => f.id === id)!,
    events: [
      {
        id: 7,
        findingId: id,
        entityRef: 'component:default/matching-engine',
        type: 'routed' as const,
        actor: 'driftwatch',
        at: '2026-11-22T10:00:00Z',
        note: 'Opened PR #31',
        details: {
          action: 'github-pull-request',
          outcome: 'opened',
          intentId: 'i7',
          attempt: 1,
          status: 'delivered',
          dryRun: false,
          summary: 'Opened PR #31',
          externalUrl: 'https://github.com/acme/gitops/pull/31',
          tier: 1,
        },
      },
    ],
    incidents: [],
  });

  it('opens the finding a routing link names in ?finding=', async () => {
    const driftApi = {
      ...api(),
      getFinding: jest.fn(async (id: string) => details(id)),
    };
    await renderDrift(<DriftTracker />, {
      api: driftApi,
      entities,
      routeEntries: ['/?finding=b'],
    });
    const dialog = await screen.findByRole('dialog', {
      name: 'Deployment:matching:matching-engine',
    });
    expect(driftApi.getFinding).toHaveBeenCalledWith('b');
    expect(
      await within(dialog).findByRole('link', { name: /^PR #31 opened/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/gitops/pull/31');
    expect(
      within(dialog).getByText('Not linked to any incident.'),
    ).toBeVisible();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('opens a finding from its row', async () => {
    const driftApi = {
      ...api(),
      getFinding: jest.fn(async (id: string) => details(id)),
    };
    await renderDrift(<DriftTracker />, { api: driftApi, entities });
    await findCount();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Details of Deployment:shop:shop-cart of component:default/shop-cart',
      }),
    );
    expect(
      await screen.findByRole('dialog', { name: 'Deployment:shop:shop-cart' }),
    ).toBeInTheDocument();
    expect(driftApi.getFinding).toHaveBeenCalledWith('a');
  });

  it('says so when the linked finding does not exist', async () => {
    await renderDrift(<DriftTracker />, {
      api: {
        ...api(),
        getFinding: async () => {
          throw new Error("No finding with id 'gone'");
        },
      },
      entities,
      routeEntries: ['/?finding=gone'],
    });
    const dialog = await screen.findByRole('dialog', { name: 'Finding gone' });
    expect(
      (await within(dialog).findAllByText(/No finding with id 'gone'/)).length,
    ).toBeGreaterThan(0);
  });

  it('refetches the findings and the open finding when the backend signals a change', async () => {
    const signals = createSignalApiFake();
    const driftApi = {
      ...api(),
      getFinding: jest.fn(async (id: string) => details(id)),
    };
    await renderDrift(<DriftTracker />, {
      api: driftApi,
      entities,
      signalApi: signals.api,
      routeEntries: ['/?finding=b'],
    });
    await screen.findByRole('dialog');
    await waitFor(() => expect(driftApi.listFindings).toHaveBeenCalled());
    await waitFor(() => expect(driftApi.getFinding).toHaveBeenCalledTimes(1));
    const listed = driftApi.listFindings.mock.calls.length;

    signals.publish('driftwatch:findings', {
      entityRefs: ['component:default/matching-engine'],
    });
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenCalledTimes(listed + 1),
    );
    await waitFor(() => expect(driftApi.getFinding).toHaveBeenCalledTimes(2));
  });
});
