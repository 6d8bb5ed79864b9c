/** Saves text as a file through the browser's download flow. */
export function saveTextFile(
  filename: string,
  content: string,
  contentType: string,
): void {
  const blob = new Blob([content], { type: contentType });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked on the next tick: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Spreadsheets evaluate cells starting with these; a leading quote keeps them text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}

/** RFC 4180 CSV with a header row. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows]
    .map(row => row.map(csvCell).join(','))
    .join('\n')}\n`;
}
