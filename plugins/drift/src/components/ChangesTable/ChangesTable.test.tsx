import { render, screen, within } from '@testing-library/react';
import type { Change } from '@driftwatch/plugin-drift-common';
import { ChangesTable } from './ChangesTable';

const changes: Change[] = [
  {
    path: '/spec/replicas',
    field: 'spec.replicas',
    op: 'changed',
    category: 'Scaling',
    severity: 'medium',
    desired: 3,
    live: 8,
    manager: 'kubectl-scale',
    time: '2026-11-15T10:00:00Z',
  },
  {
    path: '/data/password',
    field: 'data.password',
    op: 'changed',
    category: 'SecretChange',
    severity: 'high',
    desired: { redacted: true, sha256: 'aaaaaaaaaaaa' },
    live: { redacted: true, sha256: 'bbbbbbbbbbbb' },
  },
];

describe('ChangesTable', () => {
  it('shows Git and live side by side with who changed the field', () => {
    render(
      <ChangesTable
        changes={changes}
        resource="Deployment:payments:payments-api"
      />,
    );
    const table = screen.getByRole('table', {
      name: 'Field changes of Deployment:payments:payments-api',
    });
    const [, replicas, password] = within(table).getAllByRole('row');
    expect(
      within(replicas)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'spec.replicas',
      '3',
      '8',
      'Scaling',
      'medium',
      'kubectl-scale',
      expect.stringMatching(/ago|in /),
    ]);
    expect(
      within(password).getByText('secret value (fingerprint aaaaaaaaaaaa)'),
    ).toBeInTheDocument();
    expect(within(password).getByText('not recorded')).toBeInTheDocument();
  });

  it('explains objects without field changes', () => {
    render(
      <ChangesTable changes={[]} resource="Service:users:user-profile-debug" />,
    );
    expect(screen.getByText(/whole object differs/)).toBeInTheDocument();
  });
});
