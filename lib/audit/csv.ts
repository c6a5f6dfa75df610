import 'server-only';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV per RFC 4180 (CRLF records, a cell with a quote, comma, CR or LF is quoted and its quotes
 * doubled), with spreadsheet formula injection neutralized (OWASP "CSV Injection") by
 * `guardFormulas`. Numbers are written as they are.
 */

/** What makes a spreadsheet read a cell as a formula (or DDE): its first character. */
const TRIGGER = '[=+\\-@\\t\\r]';
/**
 * Where a spreadsheet may start a cell inside our text: after the separators the common locales
 * split on (comma, semicolon, tab, pipe) and after a line break, because a program that splits on
 * another separator than ours does not see our quotes as quotes. Spaces and quotes may come between.
 */
const TEXT_START = new RegExp(`^([ "]*)(?=${TRIGGER})`);
const INNER_CELL_STARTS = new RegExp(`([,;\\t|\\r\\n])([ "]*)(?=${TRIGGER})`, 'g');

/**
 * Text made safe to open in a spreadsheet whatever it splits on: a single quote before every
 * formula character that could begin a cell (`=1+1` -> `'=1+1`, `x;=1+1;` -> `x;'=1+1;`). Kept
 * separate from the CSV writing so any writer (csv-stringify included) can apply it per cell.
 */
export function guardFormulas(text: string): string {
  return text.replace(TEXT_START, "$1'").replace(INNER_CELL_STARTS, "$1$2'");
}

/** One cell's text before quoting: the formula guard, applied by csv-stringify to every cell. */
export function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return guardFormulas(typeof value === 'string' ? value : JSON.stringify(value));
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
