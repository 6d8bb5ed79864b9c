import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DriftScan } from '@driftwatch/plugin-drift-common';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { ScanNowButton } from './ScanNowButton';

const scan = (overrides: Partial<DriftScan>): DriftScan => ({
  id: 's1',
  trigger: 'manual',
  entityRef: 'component:default/shop-cart',
  requestedBy: 'user:default/guest',
  status: 'queued',
  queuedAt: '2026-11-24T10:00:00Z',
  startedAt: null,
  finishedAt: null,
  entitiesTotal: 0,
  entitiesDone: 0,
  resourcesScanned: 0,
  findingsOpened: 0,
  findingsResolved: 0,
  errors: [],
  ...overrides,
});

describe('ScanNowButton', () => {
  it('starts a scan of the entity and follows it to the end', async () => {
    const progress = [
      scan({ status: 'queued' }),
      scan({ status: 'running', entitiesTotal: 1, entitiesDone: 0 }),
      scan({
        status: 'succeeded',
        entitiesTotal: 1,
        entitiesDone: 1,
        resourcesScanned: 5,
        findingsOpened: 1,
        findingsResolved: 0,
      }),
    ];
    const api = {
      createScan: jest.fn(async () => ({ id: 's1' })),
      getScan: jest.fn(async () => progress.shift()!),
    };
    const onFinished = jest.fn();
    await renderDrift(
      <ScanNowButton
        entityRef="component:default/shop-cart"
        onFinished={onFinished}
        pollIntervalMs={5}
      />,
      { api },
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Scan now' }),
    );
    expect(api.createScan).toHaveBeenCalledWith({
      entityRef: 'component:default/shop-cart',
    });
    expect(
      await screen.findByRole('progressbar', { name: 'Scan progress' }),
    ).toBeInTheDocument();

    await waitFor(() => expect(onFinished).toHaveBeenCalled());
    expect(screen.getByRole('status')).toHaveTextContent(
      'Scan succeeded: 5 resources compared, 1 new finding, 0 resolved',
    );
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Scan now' })).toBeEnabled();
  });

  it('is not offered to users who may not start scans', async () => {
    await renderDrift(
      <ScanNowButton
        entityRef="component:default/shop-cart"
        onFinished={jest.fn()}
      />,
      { authorize: AuthorizeResult.DENY },
    );
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(
      screen.queryByRole('button', { name: 'Scan now' }),
    ).not.toBeInTheDocument();
  });
});
