import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { resolveTimeRange } from '../../hooks/useTimeRange';
import { TimeRangePicker } from './TimeRangePicker';

const now = DateTime.fromISO('2026-11-24T12:00:00Z', { zone: 'utc' });

describe('resolveTimeRange', () => {
  it('resolves presets relative to now', () => {
    expect(resolveTimeRange({ range: '7d' }, '14d', now)).toMatchObject({
      from: '2026-11-17T12:00:00.000Z',
      to: '2026-11-24T12:00:00.000Z',
      label: 'Last 7 days',
      preset: '7d',
    });
  });

  it('takes custom UTC days, both included, and falls back to the default otherwise', () => {
    expect(
      resolveTimeRange({ from: '2026-11-01', to: '2026-11-14' }, '14d', now),
    ).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-14T23:59:59.999Z',
      fromDay: '2026-11-01',
    });
    expect(
      resolveTimeRange({ from: '2026-11-14', to: '2026-11-01' }, '14d', now)
        .preset,
    ).toBe('14d');
    expect(resolveTimeRange({ range: 'forever' }, '30d', now).label).toBe(
      'Last 30 days',
    );
  });
});

describe('TimeRangePicker', () => {
  it('switches presets and offers a custom range of days', async () => {
    const onPreset = jest.fn();
    const onCustom = jest.fn();
    render(
      <TimeRangePicker
        range={resolveTimeRange({}, '14d', now)}
        onPreset={onPreset}
        onCustom={onCustom}
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Time range' });
    await userEvent.selectOptions(select, 'Last 30 days');
    expect(onPreset).toHaveBeenCalledWith('30d');

    await userEvent.selectOptions(select, 'Custom range');
    expect(onCustom).toHaveBeenLastCalledWith('2026-11-10', '2026-11-24');
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-11-01' },
    });
    expect(onCustom).toHaveBeenLastCalledWith('2026-11-01', '2026-11-24');
  });
});
