import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { type DriftApi, driftApiRef } from '../../api';
import { DriftPage } from './DriftPage';

function renderWith(api: Partial<DriftApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[driftApiRef, api]]}>
      <DriftPage />
    </TestApiProvider>,
  );
}

describe('DriftPage', () => {
  it('shows the last scan reported by the backend', async () => {
    await renderWith({
      getHealth: async () => ({
        status: 'ok',
        database: 'ok',
        lastScan: { id: 's1', status: 'partial', finishedAt: '2026-11-24T03:00:00Z' },
      }),
    });
    expect(await screen.findByText('partial (2026-11-24T03:00:00Z)')).toBeInTheDocument();
  });

  it('says so when no scan has run', async () => {
    await renderWith({
      getHealth: async () => ({ status: 'ok', database: 'ok', lastScan: null }),
    });
    expect(await screen.findByText('no scan has run yet')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderWith({
      getHealth: async () => {
        throw new Error('drift backend unreachable');
      },
    });
    expect(
      (await screen.findAllByText(/drift backend unreachable/)).length,
    ).toBeGreaterThan(0);
  });
});
