import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeFinding } from '../../__testUtils__/fixtures';
import { renderDrift } from '../../__testUtils__/renderDrift';
import { FindingActions } from './FindingActions';

function renderActions(
  finding = makeFinding(),
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const api = {
    acknowledgeFinding: jest.fn(async () => ({
      ...finding,
      status: 'acknowledged' as const,
    })),
    suppressFinding: jest.fn(async () => ({
      ...finding,
      status: 'suppressed' as const,
    })),
    reopenFinding: jest.fn(async () => ({
      ...finding,
      status: 'active' as const,
    })),
  };
  const onChanged = jest.fn();
  const rendered = renderDrift(
    <FindingActions finding={finding} onChanged={onChanged} />,
    {
      api,
      authorize,
    },
  );
  return { api, onChanged, rendered };
}

describe('FindingActions', () => {
  it('acknowledges an active finding with a note', async () => {
    const { api, onChanged, rendered } = renderActions();
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Acknowledge Deployment:shop:shop-cart',
      }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge drift' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Note' }),
      'rolling forward',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api.acknowledgeFinding).toHaveBeenCalledWith('f-1', {
      note: 'rolling forward',
    });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('suppresses only with a reason, until a future day', async () => {
    const { api, rendered } = renderActions();
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Suppress Deployment:shop:shop-cart',
      }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Suppress drift' });
    const submit = within(dialog).getByRole('button', { name: 'Suppress' });
    expect(submit).toBeDisabled();
    expect(
      (within(dialog).getByLabelText(/Suppressed until/) as HTMLInputElement)
        .value,
    ).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'canary week',
    );
    await userEvent.click(submit);

    await waitFor(() => expect(api.suppressFinding).toHaveBeenCalled());
    expect(api.suppressFinding).toHaveBeenCalledWith('f-1', {
      reason: 'canary week',
      until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('offers reopen for a suppressed finding', async () => {
    const { rendered } = renderActions(makeFinding({ status: 'suppressed' }));
    await rendered;
    expect(
      await screen.findByRole('button', {
        name: 'Reopen Deployment:shop:shop-cart',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Acknowledge/ }),
    ).not.toBeInTheDocument();
  });

  it('shows no buttons the user may not use', async () => {
    const { rendered } = renderActions(makeFinding(), AuthorizeResult.DENY);
    await rendered;
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(
      screen.queryByRole('button', { name: /Acknowledge|Suppress|Reopen/ }),
    ).not.toBeInTheDocument();
  });

  it('keeps the dialog open with the backend error', async () => {
    const { api, rendered } = renderActions();
    api.acknowledgeFinding.mockRejectedValue(
      new Error('Finding f-1 is resolved'),
    );
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: /Acknowledge/ }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Deployment:shop:shop-cart: Finding f-1 is resolved',
    );
  });
});
