import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import type { EntityDriftSummary } from '@driftwatch/plugin-drift-common';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { EntityDriftCard } from './EntityDriftCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'driftwatch.io/source': 'file:../gitops/payments-api' },
  },
  spec: { type: 'service', owner: 'team-commerce', lifecycle: 'production' },
};

const summary = (
  overrides: Partial<EntityDriftSummary>,
): EntityDriftSummary => ({
  entityRef: 'component:default/payments-api',
  resources: { total: 6, byStatus: { 'in-sync': 6 } },
  openFindings: 0,
  worstSeverity: null,
  lastScannedAt: '2026-11-24T10:00:00Z',
  externalStatus: [],
  ...overrides,
});

function renderCard(value: EntityDriftSummary) {
  return renderDrift(
    <EntityProvider entity={entity}>
      <EntityDriftCard />
    </EntityProvider>,
    { api: { getEntitySummary: async () => value } },
  );
}

describe('EntityDriftCard', () => {
  it('says when everything matches Git', async () => {
    await renderCard(summary({}));
    expect(await screen.findByText('In sync')).toBeInTheDocument();
    expect(
      screen.getByText('0 of 6 resources differ from Git (6 in sync)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View drift details/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api/drift');
  });

  it("shows Argo CD's status, and warns when it says Synced while Driftwatch finds drift", async () => {
    await renderCard(
      summary({
        resources: { total: 6, byStatus: { 'in-sync': 5, drifted: 1 } },
        openFindings: 1,
        worstSeverity: 'medium',
        externalStatus: [
          {
            source: 'argocd',
            app: 'payments-prod',
            sync: 'Synced',
            health: 'Healthy',
            revision: '4f1c2a9e0b7d3c5a6e8f9a0b1c2d3e4f5a6b7c8d',
            at: '2026-11-24T10:00:00Z',
          },
        ],
      }),
    );
    expect(
      await screen.findByText(
        /^Argo CD \(payments-prod\): Synced \/ Healthy at 4f1c2a9/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Argo CD reports payments-prod as Synced, but Driftwatch finds drift',
      ),
    ).toBeInTheDocument();
  });

  it('gives no warning while Argo CD and Driftwatch agree', async () => {
    await renderCard(
      summary({
        externalStatus: [
          {
            source: 'argocd',
            app: 'payments-prod',
            sync: 'Synced',
            health: 'Healthy',
            at: '2026-11-24T10:00:00Z',
          },
        ],
      }),
    );
    expect(
      await screen.findByText(/^Argo CD \(payments-prod\): Synced \/ Healthy/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('counts drift and names the worst severity', async () => {
    await renderCard(
      summary({
        resources: { total: 6, byStatus: { 'in-sync': 4, drifted: 2 } },
        openFindings: 2,
        worstSeverity: 'high',
      }),
    );
    expect(await screen.findByText('Drifted')).toBeInTheDocument();
    expect(
      screen.getByText(
        '2 of 6 resources differ from Git (4 in sync, 2 drifted)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('2 open findings, worst')).toBeInTheDocument();
    expect(screen.getByText('high')).toBeInTheDocument();
  });

  it('explains entities that are not linked', async () => {
    await renderDrift(
      <EntityProvider
        entity={{ ...entity, metadata: { name: 'x', annotations: {} } }}
      >
        <EntityDriftCard />
      </EntityProvider>,
    );
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
  });
});
