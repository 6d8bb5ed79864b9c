import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FilterSelect } from './FilterSelect';

const options = [
  { label: 'Critical', value: ['critical'] },
  { label: 'High or critical', value: ['high', 'critical'] },
];

describe('FilterSelect', () => {
  it('offers the choices under its label and reports the values of the chosen one', async () => {
    const onChange = jest.fn();
    render(
      <FilterSelect
        label="Severity"
        anyLabel="Any severity"
        options={options}
        value={[]}
        onChange={onChange}
      />,
    );
    const select = screen.getByRole('combobox', { name: 'Severity' });
    expect(
      screen.getByRole('option', { name: 'Any severity' }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(select, 'High or critical');
    expect(onChange).toHaveBeenCalledWith(['high', 'critical']);
  });

  it('shows a combination from a shared link that no choice offers', () => {
    render(
      <FilterSelect
        label="Severity"
        anyLabel="Any severity"
        options={options}
        value={['low', 'medium']}
        onChange={jest.fn()}
      />,
    );
    expect(
      screen.getByRole('combobox', { name: 'Severity' }),
    ).toHaveDisplayValue('low, medium');
  });
});
