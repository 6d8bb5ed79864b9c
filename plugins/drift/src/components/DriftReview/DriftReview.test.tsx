import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReviewReport } from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { DriftReview } from './DriftReview';

const open = makeFinding({ id: 'o1', slaBreached: true });
const resolved = makeFinding({
  id: 'r1',
  entityRef: 'component:default/pricing-api',
  resourceKey: 'Deployment:pricing:pricing-api',
  status: 'resolved',
  resolvedAt: '2026-11-22T00:00:00Z',
  categories: ['ConfigMapChange'],
});

const report: ReviewReport = {
  from: '2026-11-10T00:00:00.000Z',
  to: '2026-11-24T00:00:00.000Z',
  newFindings: [open],
  resolved: [resolved],
  stillOpen: [open],
  breaches: [open],
  counts: { newFindings: 1, resolved: 1, stillOpen: 1, breaches: 1 },
  topOwners: [{ owner: 'group:default/team-commerce', open: 1, breached: 1 }],
  topCategories: [{ category: 'VersionChange', open: 1 }],
  incidents: [
    {
      findingId: 'o1',
      url: 'https://acme.pagerduty.com/incidents/Q1',
      title: 'INC-42 checkout latency',
      linkedBy: 'user:default/ada',
      linkedAt: '2026-11-20T00:00:00Z',
      entityRef: 'component:default/search-indexer',
      resourceKey: 'Deployment:search:search-indexer',
      severity: 'high',
      status: 'active',
    },
  ],
};

function api(): Partial<DriftApi> & {
  exportReviewReport: jest.Mock;
  getReviewReport: jest.Mock;
} {
  return {
    getReviewReport: jest.fn(async () => report),
    exportReviewReport: jest.fn(async ({ format }) => ({
      filename: `drift-review.${format === 'csv' ? 'csv' : 'md'}`,
      contentType: format === 'csv' ? 'text/csv' : 'text/markdown',
      content: format === 'csv' ? 'section,id\nnew,o1\n' : '# Drift review',
    })),
  };
}

describe('DriftReview', () => {
  it('reviews the last 14 days: new, resolved, still open, breaches, owners and categories', async () => {
    const driftApi = api();
    await renderDrift(<DriftReview />, { api: driftApi });

    for (const [name, count] of [
      ['New', '1'],
      ['Resolved', '1'],
      ['Still open', '1'],
      ['SLA breaches', '1'],
    ]) {
      expect(
        within(await screen.findByRole('region', { name })).getByText(count),
      ).toBeInTheDocument();
    }
    const [request] = driftApi.getReviewReport.mock.calls[0];
    expect(Date.parse(request.to) - Date.parse(request.from)).toBe(
      14 * 86_400_000,
    );

    expect(screen.getByText('Resolved (1)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'pricing-api' })).toHaveAttribute(
      'href',
      '/catalog/default/component/pricing-api/drift',
    );
    const ownerRow = screen
      .getAllByRole('link', { name: /^team-commerce/ })
      .map(link => link.closest('tr')!)
      .find(row => within(row).getAllByRole('cell').length === 3)!;
    expect(
      within(ownerRow)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([expect.stringContaining('team-commerce'), '1', '1']);
    const categoryRow = screen
      .getAllByText('VersionChange')
      .map(cell => cell.closest('tr')!)
      .find(row => within(row).getAllByRole('cell').length === 2)!;
    expect(
      within(categoryRow)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['VersionChange', '1']);
  });

  it('lists drift linked to incidents, with the incident', async () => {
    await renderDrift(<DriftReview />, { api: api() });
    const heading = await screen.findByRole('heading', {
      name: 'Drift linked to incidents',
    });
    const incidents = heading.closest('[class*="MuiPaper"]') as HTMLElement;
    // An external link says it opens a new window.
    expect(
      within(incidents).getByRole('link', { name: /^INC-42 checkout latency/ }),
    ).toHaveAttribute('href', 'https://acme.pagerduty.com/incidents/Q1');
    expect(
      within(incidents).getByText('Deployment:search:search-indexer'),
    ).toBeInTheDocument();
  });

  it('reviews a chosen window from the URL', async () => {
    const driftApi = api();
    await renderDrift(<DriftReview />, {
      api: driftApi,
      routeEntries: ['/?from=2026-11-01&to=2026-11-14'],
    });
    await screen.findByRole('region', { name: 'New' });
    expect(driftApi.getReviewReport).toHaveBeenCalledWith({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-14T23:59:59.999Z',
    });
  });

  it('exports CSV and Markdown for the window', async () => {
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((blob: Blob) => {
        blobs.push(blob);
        return 'blob:review';
      }),
      revokeObjectURL: jest.fn(),
    });
    const downloads: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        downloads.push(this.download);
      });
    const driftApi = api();
    await renderDrift(<DriftReview />, { api: driftApi });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Export Markdown' }),
    );
    await waitFor(() =>
      expect(downloads).toEqual(['drift-review.csv', 'drift-review.md']),
    );
    expect(await blobs[0].text()).toBe('section,id\nnew,o1\n');
    expect(driftApi.exportReviewReport).toHaveBeenCalledWith(
      expect.objectContaining({
        format: 'markdown',
        from: expect.any(String),
        to: expect.any(String),
      }),
    );
    click.mockRestore();
  });

  it('shows the backend error', async () => {
    await renderDrift(<DriftReview />, {
      api: {
        getReviewReport: async () => {
          throw new Error('report unavailable');
        },
      },
    });
    expect(
      (await screen.findAllByText(/report unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
