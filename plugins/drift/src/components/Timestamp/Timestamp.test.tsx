import { render, screen } from '@testing-library/react';
import { DateTime } from 'luxon';
import { Timestamp } from './Timestamp';

describe('Timestamp', () => {
  const threeDaysAgo = DateTime.now().minus({ days: 3 }).toISO()!;

  it('shows relative time with the absolute one as its title', () => {
    render(<Timestamp value={threeDaysAgo} />);
    const time = screen.getByText('3 days ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('datetime', threeDaysAgo);
    expect(time.getAttribute('title')).toMatch(/\d{4}/);
  });

  it('shows both when asked', () => {
    render(<Timestamp value={threeDaysAgo} showAbsolute />);
    expect(screen.getByText(/^3 days ago \(.+\d{4}.+\)$/)).toBeInTheDocument();
  });

  it('shows a dash without a value', () => {
    render(<Timestamp value={null} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
