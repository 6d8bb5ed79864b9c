import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { type DriftApi, driftApiRef } from '../../api';
import { DemoDataLabel } from './DemoDataLabel';

const renderWith = (demo: boolean | undefined) => {
  const getHealth = jest.fn(async () => ({
    status: 'ok',
    database: 'ok',
    demo,
    lastScan: null,
  }));
  return {
    getHealth,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[[driftApiRef, { getHealth } as Partial<DriftApi>]]}
      >
        <DemoDataLabel />
      </TestApiProvider>,
    ),
  };
};

describe('DemoDataLabel', () => {
  it('labels demo data', async () => {
    await renderWith(true).rendered;
    expect(await screen.findByText('Demo data')).toBeInTheDocument();
  });

  it('stays out of the way for real data', async () => {
    const { getHealth, rendered } = renderWith(false);
    await rendered;
    await waitFor(() => expect(getHealth).toHaveBeenCalled());
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });
});
