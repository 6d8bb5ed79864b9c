import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type { DriftEvent } from '../../api';
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
