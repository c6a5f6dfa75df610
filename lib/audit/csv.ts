import 'server-only';

/**
 * CSV per RFC 4180 (CRLF records, a cell with a quote, comma, CR or LF is quoted and its quotes
 * doubled), with spreadsheet formula injection neutralized: a text cell that begins with = + - @,
 * a tab or a CR gets a leading single quote, so Excel, LibreOffice and Sheets show it as text
 * instead of running it (OWASP "CSV Injection"). Numbers are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
