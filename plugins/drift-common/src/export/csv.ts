/**
 * A CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (a leading `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading `'`, so that it stays text; numbers are
 * never formulas and stay as they are.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value !== 'number' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV with a header row, one line per row. @public */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header, ...rows].map(row => row.map(csvCell).join(',')).join('\n')}\n`;
}
