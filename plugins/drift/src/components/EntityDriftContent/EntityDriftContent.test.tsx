import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { EntityDriftContent } from './EntityDriftContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'booking-api', annotations },
  spec: { type: 'service', owner: 'team-booking', lifecycle: 'production' },
});

describe('EntityDriftContent', () => {
  it('lists the sources an annotated entity is linked to', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={entity({
          'driftwatch.io/source': 'file:../gitops/booking-api',
          'driftwatch.io/tier': '1',
        })}
      >
        <EntityDriftContent />
      </EntityProvider>,
    );
    expect(screen.getByText('file:../gitops/booking-api')).toBeInTheDocument();
    expect(screen.getByText('1')).toBeInTheDocument();
  });

  it('explains the missing annotation otherwise', async () => {
    await renderInTestApp(
      <EntityProvider entity={entity({})}>
        <EntityDriftContent />
      </EntityProvider>,
    );
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(screen.getAllByText(/driftwatch\.io\/source/).length).toBeGreaterThan(0);
  });
});
