import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DriftEvent } from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { createSignalApiFake } from '../../__testUtils__/signals';
import { EntityDriftContent } from './EntityDriftContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop-cart', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-commerce', lifecycle: 'production' },
});

const linked = entity({ 'driftwatch.io/source': 'file:../gitops/shop-cart' });

const acknowledged: DriftEvent = {
  id: 2,
  findingId: 'f-1',
  entityRef: 'component:default/shop-cart',
  type: 'acknowledged',
  actor: 'user:default/guest',
  at: '2026-11-24T11:00:00Z',
  note: 'rolling forward in 1.15.0',
  details: null,
};

function api(overrides: Partial<DriftApi> = {}): Partial<DriftApi> {
  const open = makeFinding();
  const resolved = makeFinding({
    id: 'f-2',
    resourceKey: 'Role:shop:shop-cart',
    status: 'resolved',
    resolvedAt: '2026-11-19T10:00:00Z',
    categories: ['SecurityChange'],
  });
  return {
    getHealth: async () => ({
      status: 'ok',
      database: 'ok',
      demo: true,
      lastScan: null,
    }),
    getEntitySummary: jest.fn(async () => ({
      entityRef: 'component:default/shop-cart',
      resources: { total: 5, byStatus: { 'in-sync': 4, drifted: 1 } },
      openFindings: 1,
      worstSeverity: 'high' as const,
      lastScannedAt: '2026-11-24T10:00:00Z',
      externalStatus: [],
    })),
    listResources: jest.fn(async () => [
      {
        entityRef: 'component:default/shop-cart',
        provider: 'kubernetes',
        location: 'file:../gitops/shop-cart',
        resourceKey: 'Deployment:shop:shop-cart',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'shop-cart',
        status: 'drifted' as const,
        lastScannedAt: '2026-11-24T10:00:00Z',
        error: null,
        environment: null,
      },
    ]),
    listFindings: jest.fn(async () => ({
      items: [open, resolved],
      totalCount: 2,
    })),
    getFinding: jest.fn(async (id: string) => ({
      finding: id === 'f-1' ? open : resolved,
      events: id === 'f-1' ? [acknowledged] : [],
      incidents: [],
    })),
    ...overrides,
  };
}

describe('EntityDriftContent', () => {
  it('shows the status, the drifted resource side by side with Git, and its history', async () => {
    const driftApi = api();
    await renderDrift(
      <EntityProvider entity={linked}>
        <EntityDriftContent />
      </EntityProvider>,
      { api: driftApi },
    );

    expect(await screen.findByText('1 open finding')).toBeInTheDocument();
    expect(
      screen.getByText('5 monitored resources: 4 in sync, 1 drifted'),
    ).toBeInTheDocument();
    expect(screen.getByText('Demo data')).toBeInTheDocument();
    expect(driftApi.listFindings).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: ['component:default/shop-cart'] }),
    );

    const open = screen.getByRole('region', { name: 'Open drift' });
    const changes = within(open).getByRole('table', {
      name: 'Field changes of Deployment:shop:shop-cart',
    });
    expect(within(changes).getByText('shop/cart:1.14.2')).toBeInTheDocument();
    expect(
      within(changes).getByText('shop/cart:1.15.0-rc1'),
    ).toBeInTheDocument();
    expect(within(changes).getByText('kubectl-set')).toBeInTheDocument();

    const history = await within(open).findByRole('table', {
      name: 'History of Deployment:shop:shop-cart',
    });
    expect(
      within(history).getByText('rolling forward in 1.15.0'),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('table', { name: 'Monitored resources' }),
    ).toHaveTextContent('Deployment shop/shop-cart');
    expect(
      screen.getByRole('button', { name: 'Scan now' }),
    ).toBeInTheDocument();
  });

  it('keeps resolved drift folded until asked', async () => {
    await renderDrift(
      <EntityProvider entity={linked}>
        <EntityDriftContent />
      </EntityProvider>,
      { api: api() },
    );
    const resolved = await screen.findByRole('region', {
      name: 'Resolved drift',
    });
    const toggle = within(resolved).getByRole('button', {
      name: /Role:shop:shop-cart/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(
      await within(resolved).findByRole('table', {
        name: 'History of Role:shop:shop-cart',
      }),
    ).toBeInTheDocument();
  });

  it('tells why a resource was not read, such as one outside the entity scope', async () => {
    const reason =
      "outside the entity's scope: namespace kube-system (the entity's namespace is shop)";
    await renderDrift(
      <EntityProvider entity={linked}>
        <EntityDriftContent />
      </EntityProvider>,
      {
        api: api({
          listResources: async () => [
            {
              entityRef: 'component:default/shop-cart',
              provider: 'kubernetes',
              location: 'demo',
              resourceKey: 'ConfigMap:kube-system:coredns',
              apiVersion: 'v1',
              kind: 'ConfigMap',
              namespace: 'kube-system',
              name: 'coredns',
              status: 'unknown' as const,
              lastScannedAt: '2026-11-24T10:00:00Z',
              error: reason,
              environment: null,
            },
          ],
        }),
      },
    );

    const resources = await screen.findByRole('table', {
      name: 'Monitored resources',
    });
    expect(
      within(resources).getByText(`Not read: ${reason}`),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderDrift(
      <EntityProvider entity={linked}>
        <EntityDriftContent />
      </EntityProvider>,
      {
        api: api({
          getEntitySummary: async () => {
            throw new Error('drift backend unreachable');
          },
        }),
      },
    );
    expect(
      (await screen.findAllByText(/drift backend unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('explains the missing annotation otherwise', async () => {
    await renderDrift(
      <EntityProvider entity={entity({})}>
        <EntityDriftContent />
      </EntityProvider>,
    );
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/driftwatch\.io\/source/).length,
    ).toBeGreaterThan(0);
  });

  it('refetches when the backend signals a change of this entity, not of others', async () => {
    const signals = createSignalApiFake();
    const driftApi = api();
    await renderDrift(
      <EntityProvider entity={linked}>
        <EntityDriftContent />
      </EntityProvider>,
      { api: driftApi, signalApi: signals.api },
    );
    expect(await screen.findByText('1 open finding')).toBeInTheDocument();
    expect(driftApi.listFindings).toHaveBeenCalledTimes(1);

    signals.publish('driftwatch:findings', {
      entityRefs: ['component:default/other-service'],
    });
    // A refetch would have started inside publish (its effects run in act).
    expect(driftApi.listFindings).toHaveBeenCalledTimes(1);
    signals.publish('driftwatch:findings', {
      entityRefs: ['component:default/shop-cart'],
    });
    await waitFor(() => expect(driftApi.listFindings).toHaveBeenCalledTimes(2));
    expect(driftApi.getEntitySummary).toHaveBeenCalledTimes(2);
  });
});
