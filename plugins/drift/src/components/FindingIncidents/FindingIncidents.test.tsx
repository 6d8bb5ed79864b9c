import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IncidentLink } from '@driftwatch/plugin-drift-common';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { FindingIncidents } from './FindingIncidents';

const finding = makeFinding({
  id: 'f-9',
  resourceKey: 'Deployment:booking:api',
});
const linked: IncidentLink = {
  findingId: 'f-9',
  url: 'https://acme.pagerduty.com/incidents/Q1',
  title: 'Booking API errors',
  linkedBy: 'driftwatch',
  linkedAt: '2026-11-22T10:00:00Z',
};

function renderIncidents(
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  linkIncident = jest.fn(async () => linked),
) {
  const onLinked = jest.fn();
  const rendered = renderDrift(
    <FindingIncidents
      finding={finding}
      incidents={[linked]}
      onLinked={onLinked}
    />,
    { api: { linkIncident }, authorize },
  );
  return { linkIncident, onLinked, rendered };
}

describe('FindingIncidents', () => {
  it('links the incidents a finding is linked to', async () => {
    await renderIncidents(AuthorizeResult.ALLOW).rendered;
    expect(
      screen.getByRole('link', { name: /^Booking API errors/ }),
    ).toHaveAttribute('href', 'https://acme.pagerduty.com/incidents/Q1');
    expect(screen.getByText(/Driftwatch \(scanner\)/)).toBeInTheDocument();
  });

  it('posts the URL and title of a new link, then reloads', async () => {
    const { linkIncident, onLinked, rendered } = renderIncidents(
      AuthorizeResult.ALLOW,
    );
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: 'Link incident' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Link incident' });
    const link = within(dialog).getByRole('button', { name: 'Link' });
    const url = within(dialog).getByRole('textbox', { name: /Incident URL/ });

    await userEvent.type(url, 'ftp://files.example/incident');
    expect(link).toBeDisabled();
    expect(
      within(dialog).getByText('An http:// or https:// address'),
    ).toBeInTheDocument();

    await userEvent.clear(url);
    await userEvent.type(url, 'https://acme.pagerduty.com/incidents/Q2');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Title' }),
      'Checkout outage',
    );
    await userEvent.click(link);

    await waitFor(() => expect(onLinked).toHaveBeenCalled());
    expect(linkIncident).toHaveBeenCalledWith('f-9', {
      url: 'https://acme.pagerduty.com/incidents/Q2',
      title: 'Checkout outage',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the dialog open with the backend error', async () => {
    const { onLinked, rendered } = renderIncidents(
      AuthorizeResult.ALLOW,
      jest.fn(async () => {
        throw new Error('Finding f-9 is already linked to that URL');
      }),
    );
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: 'Link incident' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Link incident' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Incident URL/ }),
      'https://acme.pagerduty.com/incidents/Q1',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Link' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Not linked: Finding f-9 is already linked to that URL',
    );
    expect(onLinked).not.toHaveBeenCalled();
  });

  it('offers no link action to those who may not acknowledge the finding', async () => {
    await renderIncidents(AuthorizeResult.DENY).rendered;
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Link incident' }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByRole('link', { name: /^Booking API errors/ }),
    ).toBeVisible();
  });
});
