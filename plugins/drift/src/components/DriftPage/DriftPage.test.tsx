import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import type { DriftHealth } from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { DriftPage } from './DriftPage';

const health = (overrides: Partial<DriftHealth> = {}): DriftHealth => ({
  status: 'ok',
  database: 'ok',
  demo: false,
  lastScan: {
    id: 's1',
    status: 'succeeded',
    finishedAt: new Date(Date.now() - 3_600_000).toISOString(),
    trigger: 'schedule',
  },
  ...overrides,
});

function renderPage(path: string, api: Partial<DriftApi>) {
  return renderDrift(
    <Routes>
      <Route path="/drift/*" element={<DriftPage />} />
    </Routes>,
    { api, routeEntries: [path] },
  );
}

const emptyApi = (overrides: Partial<DriftApi> = {}): Partial<DriftApi> => ({
  getHealth: async () => health(),
  listFindings: async () => ({ items: [], totalCount: 0 }),
  getStatistics: () => new Promise(() => {}),
  getRoutingSummary: () => new Promise(() => {}),
  listResources: async () => [],
  getSurface: async () => ({
    monitored: 0,
    byStatus: {},
    provider: [],
    kind: [],
    system: [],
    environment: [],
    location: [],
  }),
  getReviewReport: () => new Promise(() => {}),
  ...overrides,
});

describe('DriftPage', () => {
  it('opens on the dashboard with the last scan in the header', async () => {
    await renderPage('/drift', emptyApi());
    expect(
      screen.getByRole('heading', { name: 'Drift', level: 1 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('succeeded, 1 hour ago'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Dashboard', selected: true }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Dashboard' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });

  it('has a tab per page, each at its own URL', async () => {
    await renderPage(
      '/drift/tracker',
      emptyApi({
        getHealth: async () => health({ demo: true, lastScan: null }),
      }),
    );
    expect(
      screen.getByRole('tab', { name: 'Tracker', selected: true }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Drift Tracker' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Security trends' }),
    ).toHaveAttribute('href', '/drift/security');
    expect(screen.getByRole('tab', { name: 'Routing' })).toHaveAttribute(
      'href',
      '/drift/routing',
    );
    expect(
      screen.getByRole('tab', { name: 'Bi-weekly review' }),
    ).toHaveAttribute('href', '/drift/review');
    expect(await screen.findByText('no scan has run yet')).toBeInTheDocument();
    expect(screen.getByText('Demo data')).toBeInTheDocument();
  });

  it('shows no last scan when the backend keeps the details to readers', async () => {
    await renderPage(
      '/drift',
      emptyApi({ getHealth: async () => ({ status: 'ok' }) }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Dashboard' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Last scan')).not.toBeInTheDocument();
    expect(screen.queryByText('no scan has run yet')).not.toBeInTheDocument();
  });

  it('says when the backend cannot be reached', async () => {
    await renderPage(
      '/drift/review',
      emptyApi({
        getHealth: async () => {
          throw new Error('drift backend unreachable');
        },
      }),
    );
    expect(await screen.findByText('backend unreachable')).toBeInTheDocument();
  });
});
