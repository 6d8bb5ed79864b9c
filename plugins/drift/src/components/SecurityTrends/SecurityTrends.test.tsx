import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DriftAuditEvent,
  DriftStatistics,
} from '@driftwatch/plugin-drift-common';
import type { DriftApi } from '../../api';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { auditCsv } from './AuditLog';
import { SecurityTrends } from './SecurityTrends';

const audit: DriftAuditEvent[] = [
  {
    id: 7,
    findingId: 'f-9',
    entityRef: 'component:default/matching-engine',
    type: 'suppressed',
    actor: 'user:default/ada',
    at: '2026-11-23T09:00:00Z',
    note: 'hostNetwork needed until the CNI upgrade, "phase 2"',
    details: { until: '2026-12-01T00:00:00.000Z' },
    resourceKey: 'Deployment:matching:matching-engine',
    owner: 'group:default/team-booking',
    severity: 'critical',
  },
];

const severe = {
  totals: { detectedInRange: 3 },
  groups: [
    {
      key: '2026-11-22',
      detected: 1,
      resolved: 0,
      active: 1,
      bySeverity: { critical: 1 },
    },
    {
      key: '2026-11-23',
      detected: 2,
      resolved: 0,
      active: 3,
      bySeverity: { high: 2 },
    },
  ],
} as unknown as DriftStatistics;

function api(): Partial<DriftApi> {
  return {
    getTrends: jest.fn(async () => ({
      from: '2026-08-26T00:00:00Z',
      to: '2026-11-24T00:00:00Z',
      items: [
        {
          day: '2026-11-22',
          category: 'SecurityChange',
          severity: 'critical' as const,
          detected: 1,
          resolved: 0,
        },
        {
          day: '2026-11-23',
          category: 'SecretChange',
          severity: 'high' as const,
          detected: 1,
          resolved: 0,
        },
      ],
    })),
    getStatistics: jest.fn(async () => severe),
    listFindings: jest.fn(async () => ({
      items: [
        makeFinding({
          id: 'f-9',
          entityRef: 'component:default/matching-engine',
          resourceKey: 'Deployment:matching:matching-engine',
          categories: ['ResourceChange', 'SecurityChange'],
          severity: 'critical',
          status: 'suppressed',
        }),
      ],
      totalCount: 1,
    })),
    listEvents: jest.fn(async () => audit),
  };
}

describe('SecurityTrends', () => {
  it('shows security drift over time, what is open and who decided what', async () => {
    const driftApi = api();
    await renderDrift(<SecurityTrends />, { api: driftApi });

    const open = await screen.findByRole('region', {
      name: 'Open security drift',
    });
    expect(within(open).getByText('1')).toBeInTheDocument();
    expect(driftApi.getTrends).toHaveBeenCalledWith(
      expect.objectContaining({ category: ['SecurityChange', 'SecretChange'] }),
    );
    expect(driftApi.listEvents).toHaveBeenCalledWith(
      expect.objectContaining({
        type: ['acknowledged', 'suppressed', 'reopened'],
        actor: 'human',
      }),
    );
    expect(
      screen.getByRole('img', {
        name: 'Security-relevant drift detected per day over 2 days: 1 SecurityChange, 1 SecretChange.',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'High and critical drift detected per day over 2 days: 2 high, 1 critical.',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Open security drift' }),
    ).toHaveTextContent('ResourceChange, SecurityChange');

    const decision = screen.getByText(/hostNetwork needed/).closest('tr')!;
    expect(
      within(decision).getByText(/^Suppressed until /),
    ).toBeInTheDocument();
    expect(
      within(decision).getByRole('link', { name: /ada/ }),
    ).toBeInTheDocument();
    expect(
      within(decision).getByRole('link', { name: 'matching-engine' }),
    ).toBeInTheDocument();
  });

  it('exports the audit log as CSV', async () => {
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:audit';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});

    await renderDrift(<SecurityTrends />, { api: api() });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export audit log as CSV' }),
    );

    await waitFor(() => expect(click).toHaveBeenCalled());
    const csv = await blobs[0].text();
    expect(csv.split('\n')).toEqual([
      'at,actor,decision,entity,resource,owner,severity,note,suppressedUntil,findingId',
      '2026-11-23T09:00:00Z,user:default/ada,suppressed,component:default/matching-engine,Deployment:matching:matching-engine,group:default/team-booking,critical,"hostNetwork needed until the CNI upgrade, ""phase 2""",2026-12-01T00:00:00.000Z,f-9',
      '',
    ]);
    click.mockRestore();
  });

  it('keeps notes a spreadsheet would run as formulas as text', () => {
    const [, row] = auditCsv([
      { ...audit[0], note: '\t=HYPERLINK("https://evil.example")' },
    ]).split('\n');
    expect(row).toContain(`"'\t=HYPERLINK(""https://evil.example"")"`);
  });

  it('says when nobody decided anything', async () => {
    await renderDrift(<SecurityTrends />, {
      api: { ...api(), listEvents: async () => [] },
    });
    expect(
      await screen.findByText(
        'Nobody acknowledged, suppressed or reopened drift in this window.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Export audit log as CSV' }),
    ).toBeDisabled();
  });

  it('shows the backend error', async () => {
    await renderDrift(<SecurityTrends />, {
      api: {
        ...api(),
        listEvents: async () => {
          throw new Error('audit log unavailable');
        },
      },
    });
    expect(
      (await screen.findAllByText(/audit log unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
