import 'server-only';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV per RFC 4180 (CRLF records, a cell with a quote, comma, CR or LF is quoted and its quotes
 * doubled), with spreadsheet formula injection neutralized: a text cell that begins with = + - @,
 * a tab or a CR gets a leading single quote, so Excel, LibreOffice and Sheets show it as text
 * instead of running it (OWASP "CSV Injection"). Numbers are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell's text before quoting: the formula guard, applied by csv-stringify to every cell. */
export function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return text;
}

const STRINGIFY_OPTIONS = {
  record_delimiter: 'windows',
  // csv-stringify quotes only the record delimiter itself (CRLF); a lone CR or LF must be quoted too.
  quoted_match: /[\r\n]/,
  cast: { string: csvText, number: csvText, bigint: csvText, boolean: csvText, object: csvText, date: csvText },
} as const;

/** Records as CSV text, each ending with CRLF. */
export function csvRows(rows: readonly (readonly unknown[])[]): string {
  return rows.length ? stringify(rows as unknown[][], STRINGIFY_OPTIONS) : '';
}

export function csvRow(cells: readonly unknown[]): string {
  return csvRows([cells]);
}

export function csvCell(value: unknown): string {
  return csvRow([value]).slice(0, -2);
}
