import { render, screen, within } from '@testing-library/react';
import { KpiCard } from './KpiCard';

describe('KpiCard', () => {
  it('is a region named after its figure', () => {
    render(
      <KpiCard title="SLA breaches" value={3}>
        past their SLA
      </KpiCard>,
    );
    const region = screen.getByRole('region', { name: 'SLA breaches' });
    expect(within(region).getByText('3')).toBeInTheDocument();
    expect(within(region).getByText('past their SLA')).toBeInTheDocument();
  });
});
