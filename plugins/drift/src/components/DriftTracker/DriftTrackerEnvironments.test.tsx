import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ListFindingsRequest } from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { DriftTracker } from './DriftTracker';

const findings = [
  makeFinding({ id: 'p', location: 'demo', environment: 'production' }),
  makeFinding({
    id: 's',
    location: 'demo-staging',
    environment: 'staging',
    resourceKey: 'Deployment:shop:cart-staging',
  }),
];

const place = (location: string, environment: string) => ({
  key: location,
  provider: 'kubernetes',
  total: 1,
  byStatus: { drifted: 1 },
  environment,
});

function api(): Partial<DriftApi> & { listFindings: jest.Mock } {
  return {
    getSurface: async () => {
      const places = [
        place('demo', 'production'),
        place('demo-staging', 'staging'),
      ];
      return {
        monitored: 2,
        byStatus: { drifted: 2 },
        provider: [],
        kind: [],
        system: [],
        environment: places.map(p => ({ ...p, key: p.environment })),
        location: places,
      };
    },
    listFindings: jest.fn(async (request: ListFindingsRequest = {}) => {
      const items = findings.filter(
        f =>
          (!request.environment?.length ||
            request.environment.includes(f.environment!)) &&
          (!request.location?.length || request.location.includes(f.location)),
      );
      return { items, totalCount: items.length };
    }),
  };
}

describe('DriftTracker environments', () => {
  it('filters by environment and by cluster, and shows where each finding is', async () => {
    const driftApi = api();
    await renderDrift(<DriftTracker />, { api: driftApi });
    await screen.findByRole('heading', { level: 2, name: '2 findings' });
    const table = screen.getByRole('table', { name: 'Findings' });
    expect(
      within(table).getByText('demo-staging (staging)'),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: 'Environment' }),
      'staging',
    );
    await waitFor(() =>
      expect(
        screen.getByRole('heading', { level: 2, name: '1 finding' }),
      ).toBeInTheDocument(),
    );
    expect(driftApi.listFindings).toHaveBeenLastCalledWith(
      expect.objectContaining({ environment: ['staging'] }),
    );
    expect(
      within(screen.getByRole('table', { name: 'Findings' })).queryByText(
        'demo (production)',
      ),
    ).not.toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Environment' }),
      'All environments',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Cluster' }),
      'demo',
    );
    await waitFor(() =>
      expect(driftApi.listFindings).toHaveBeenLastCalledWith(
        expect.objectContaining({ environment: [], location: ['demo'] }),
      ),
    );
    expect(await screen.findByText('demo (production)')).toBeInTheDocument();
  });
});
