import { CsvError, parse as parseCsvText } from 'csv-parse/browser/esm/sync';
import { z } from 'zod';
import type { AttributeRow } from '@/lib/shared/tokens/attributes';
import { capabilitiesSchema, durationSchema, mintTokenSchema, reasonSchema, roomArnSchema } from '@/lib/shared/tokens/schema';
import { DEFAULT_SESSION_MINUTES } from '@/lib/shared/tokens/limits';

/**
 * Bulk minting's shared half (browser and server): the request schema, userId templates, CSV
 * parsing and per-row validation with the one mint schema. No server imports.
 */

/** The issue asks for at least 10,000 rows; twice that keeps memory for held tokens small (~10 MB). */
export const BULK_MAX_ROWS = 20_000;
/** A CSV of BULK_MAX_ROWS rows with a few attributes each fits easily. */
export const BULK_CSV_MAX_CHARS = 8_000_000;
/** How many invalid rows are reported back (the count is always exact). */
const BULK_MAX_REPORTED_ERRORS = 200;

const TEMPLATE_PLACEHOLDER = /\{n(?::(\d{1,2}))?\}/g;

const bulkTemplateSourceSchema = z.object({
  kind: z.literal('template'),
  template: z
    .string()
    .min(1, 'Enter a userId template such as qa-{n}.')
    .refine((t) => new RegExp(TEMPLATE_PLACEHOLDER.source).test(t), 'The template needs {n} (or {n:4} for zero-padded numbers).'),
  start: z
    .number({ error: 'Start is a whole number.' })
    .int('Start is a whole number.')
    .min(0, 'Start is 0 or more.')
    .max(1_000_000_000, 'Start is at most 1,000,000,000.'),
  count: z
    .number({ error: 'Count is a whole number.' })
    .int('Count is a whole number.')
    .min(1, 'Mint at least 1 token.')
    .max(BULK_MAX_ROWS, `At most ${BULK_MAX_ROWS.toLocaleString('en-US')} rows per batch.`),
});

const bulkCsvSourceSchema = z.object({
  kind: z.literal('csv'),
  csv: z
    .string()
    .min(1, 'Paste or upload a CSV.')
    .max(BULK_CSV_MAX_CHARS, `A CSV is at most ${BULK_CSV_MAX_CHARS.toLocaleString('en-US')} characters.`),
});

export const bulkJobSchema = z.object({
  roomArn: roomArnSchema,
  capabilities: z._default(capabilitiesSchema, []),
  sessionDurationInMinutes: z._default(durationSchema, DEFAULT_SESSION_MINUTES),
  reason: z._default(z.optional(reasonSchema), ''),
  source: z.discriminatedUnion('kind', [bulkTemplateSourceSchema, bulkCsvSourceSchema]),
});

export type BulkJobRequest = z.output<typeof bulkJobSchema>;
export type BulkSource = BulkJobRequest['source'];

/** One row of a batch before validation: the userId and its attribute rows. */
export interface BulkRowInput {
  /** 1-based data row (the CSV's header is not counted). */
  row: number;
  /** 1-based line in the CSV where the row starts (template rows: same as row). */
  line: number;
  userId: string;
  attributes: AttributeRow[];
}

/** A problem at a place the user can find: a CSV line and column, or a template field. */
export interface BulkRowError {
  row: number | null;
  line: number | null;
  /** `userId`, an attribute column's name, `attributes` (the 1 KB total), or a form field. */
  field: string;
  message: string;
}

/** `qa-{n}` with start 1 and count 3: qa-1, qa-2, qa-3. `{n:4}` zero-pads to 4 digits. */
export function expandTemplate(template: string, start: number, count: number): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const n = start + i;
    out[i] = template.replace(TEMPLATE_PLACEHOLDER, (_, width?: string) => (width ? String(n).padStart(Number(width), '0') : String(n)));
  }
  return out;
}

export type CsvParseResult =
  { ok: true; header: string[]; records: { line: number; cells: string[] }[] } | { ok: false; error: BulkRowError };

const CSV_OPTIONS = {
  bom: true,
  skip_empty_lines: true,
  // Rows with the wrong number of fields are reported by csvToRows, with the header's count.
  relax_column_count: true,
  // One file may mix them (rows pasted from several sources).
  record_delimiter: ['\r\n', '\n', '\r'],
};

const LF = 10;
const CR = 13;

/**
 * Line numbers as an editor shows them (CRLF, LF and CR each end one line), from csv-parse's byte
 * offsets. csv-parse counts lines too, but with several record delimiters it counts a CRLF inside a
 * quoted field twice, so its count is used only for the distance into a failing record.
 */
function lineLocator(bytes: Uint8Array) {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] === LF) i++;
    if (bytes[i] === LF || bytes[i] === CR) starts.push(i + 1);
  }
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  /** The line of the first character at or after `offset` that is not a line break (where a record starts). */
  const recordLineAfter = (offset: number) => {
    let i = offset;
    while (i < bytes.length && (bytes[i] === LF || bytes[i] === CR)) i++;
    return lineOf(i);
  };
  return { lineOf, recordLineAfter };
}

/**
 * RFC 4180 through csv-parse (its browser build: this runs in the bulk page too) with the usual
 * leniencies: CRLF, LF or CR line ends, a UTF-8 BOM, quoted fields with doubled quotes and embedded
 * line breaks, blank lines skipped. A quote inside an unquoted field, text after a closing quote, or
 * an unterminated quote is an error at its line.
 */
export function parseCsv(text: string): CsvParseResult {
  const { lineOf, recordLineAfter } = lineLocator(new TextEncoder().encode(text));
  const records: { line: number; cells: string[] }[] = [];
  let recordStart = 0;
  /** How far csv-parse's line count has run ahead of the true one, as of the last record. */
  let drift = 0;
  try {
    parseCsvText(text, {
      ...CSV_OPTIONS,
      on_record: (cells: string[], info: { bytes: number; lines: number }) => {
        records.push({ line: recordLineAfter(recordStart), cells });
        recordStart = info.bytes;
        drift = info.lines - lineOf(Math.max(0, info.bytes - 1));
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const startLine = recordLineAfter(recordStart);
    const at = Math.max(startLine, ((err as CsvError & { lines?: number }).lines ?? startLine) - drift);
    const message =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `Line ${startLine}: a quoted field is never closed.`
        : err.code === 'INVALID_OPENING_QUOTE'
          ? `Line ${at}: a quote inside an unquoted field (quote the whole field and double the quote).`
          : err.code === 'CSV_INVALID_CLOSING_QUOTE'
            ? `Line ${at}: unexpected text after a closing quote.`
            : `Line ${at}: ${err.message}`;
    return { ok: false, error: { row: null, line: err.code === 'CSV_QUOTE_NOT_CLOSED' ? startLine : at, field: 'csv', message } };
  }
  if (records.length === 0)
    return { ok: false, error: { row: null, line: null, field: 'csv', message: 'The CSV is empty: it needs a header line with userId.' } };
  const [head, ...rest] = records;
  return { ok: true, header: head.cells.map((h) => h.trim()), records: rest };
}

/** Header `userId` (any case) plus optional attribute columns; every data row becomes a BulkRowInput. */
export function csvToRows(text: string): { ok: true; rows: BulkRowInput[]; columns: string[] } | { ok: false; errors: BulkRowError[] } {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const { header, records } = parsed;
  const errors: BulkRowError[] = [];
  const userIdColumns = header.flatMap((h, i) => (h.toLowerCase() === 'userid' ? [i] : []));
  if (userIdColumns.length !== 1) {
    errors.push({
      row: null,
      line: 1,
      field: 'csv',
      message: userIdColumns.length
        ? 'The header names userId more than once.'
        : `The header (line 1) needs a userId column; it has ${header.map((h) => JSON.stringify(h)).join(', ')}.`,
    });
  }
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') errors.push({ row: null, line: 1, field: 'csv', message: `Header column ${i + 1} has no name.` });
    else if (seen.has(h)) errors.push({ row: null, line: 1, field: h, message: `The header names "${h}" more than once.` });
    seen.add(h);
  });
  if (errors.length) return { ok: false, errors };
  if (records.length === 0)
    return { ok: false, errors: [{ row: null, line: null, field: 'csv', message: 'The CSV has a header but no rows.' }] };
  if (records.length > BULK_MAX_ROWS) {
    return {
      ok: false,
      errors: [
        {
          row: null,
          line: null,
          field: 'csv',
          message: `The CSV has ${records.length.toLocaleString('en-US')} rows; at most ${BULK_MAX_ROWS.toLocaleString('en-US')} per batch.`,
        },
      ],
    };
  }
  const userIdAt = userIdColumns[0];
  const rows: BulkRowInput[] = [];
  records.forEach((record, index) => {
    const row = index + 1;
    if (record.cells.length !== header.length) {
      errors.push({
        row,
        line: record.line,
        field: 'csv',
        message: `Line ${record.line} has ${record.cells.length} fields; the header has ${header.length}.`,
      });
      return;
    }
    const attributes: AttributeRow[] = [];
    record.cells.forEach((cell, i) => {
      // An empty cell means "this user has no such attribute", not an empty value.
      if (i !== userIdAt && cell !== '') attributes.push({ key: header[i], value: cell });
    });
    rows.push({ row, line: record.line, userId: record.cells[userIdAt], attributes });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, rows, columns: header.filter((_, i) => i !== userIdAt) };
}

function templateToRows(template: string, start: number, count: number): BulkRowInput[] {
  return expandTemplate(template, start, count).map((userId, i) => ({ row: i + 1, line: i + 1, userId, attributes: [] }));
}

/** The rows a source describes, or where it is wrong. */
export function sourceToRows(source: BulkSource): { ok: true; rows: BulkRowInput[] } | { ok: false; errors: BulkRowError[] } {
  if (source.kind === 'template') return { ok: true, rows: templateToRows(source.template, source.start, source.count) };
  const result = csvToRows(source.csv);
  return result.ok ? { ok: true, rows: result.rows } : result;
}

/**
 * Every row checked with the same schema as a single mint, with the batch's shared fields; errors
 * name the row, its CSV line and the column (an attribute's own name, not `attributes.2.key`).
 */
export function validateBulkRows(
  shared: Pick<BulkJobRequest, 'roomArn' | 'capabilities' | 'sessionDurationInMinutes' | 'reason'>,
  rows: readonly BulkRowInput[],
): { errors: BulkRowError[]; invalidRows: number } {
  const errors: BulkRowError[] = [];
  let invalidRows = 0;
  // A userId twice in one batch is almost always a paste mistake, and the download could not say which token is whose.
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const parsed = mintTokenSchema.safeParse({ ...shared, userId: row.userId, attributes: row.attributes });
    const earlier = firstLine.get(row.userId);
    if (earlier === undefined) firstLine.set(row.userId, row.line);
    if (parsed.success && earlier === undefined) continue;
    invalidRows++;
    if (earlier !== undefined && errors.length < BULK_MAX_REPORTED_ERRORS) {
      errors.push({
        row: row.row,
        line: row.line,
        field: 'userId',
        message: `"${row.userId}" is also on line ${earlier}: each row needs its own userId.`,
      });
    }
    if (parsed.success) continue;
    const reported = new Set<string>();
    for (const issue of parsed.error.issues) {
      const [top, index] = issue.path;
      const field = top === 'attributes' && typeof index === 'number' ? row.attributes[index]?.key || 'attributes' : String(top ?? 'row');
      if (reported.has(field)) continue;
      reported.add(field);
      if (errors.length < BULK_MAX_REPORTED_ERRORS) errors.push({ row: row.row, line: row.line, field, message: issue.message });
    }
  }
  return { errors, invalidRows };
}

/** Where an error is, in words: "Line 12 (row 11), userId". */
export function describeRowError(error: BulkRowError): string {
  const where =
    error.line !== null && error.row !== null && error.line !== error.row
      ? `Line ${error.line} (row ${error.row})`
      : error.row !== null
        ? `Row ${error.row}`
        : error.line !== null
          ? `Line ${error.line}`
          : '';
  if (error.field === 'csv') return error.message;
  return `${where ? `${where}, ` : ''}${error.field}: ${error.message}`;
}

// ---- status shapes shared by the runner, the status route and the page ----

/** stopped: the owner was disabled mid-run; the rows not yet attempted were not. */
export type BulkJobStatus = 'running' | 'completed' | 'cancelled' | 'stopped' | 'interrupted';
/** 'unknown': CreateChatToken was sent but the process stopped before its outcome was recorded (the audit entry stays pending). */
export type BulkRowStatus = 'queued' | 'issued' | 'failed' | 'skipped' | 'unknown';
/** Where the batch's tokens are: in this server's memory until the one download. */
export type BulkTokensState = 'held' | 'downloaded' | 'expired' | 'unavailable';

export interface BulkJobView {
  id: string;
  status: BulkJobStatus;
  roomArn: string;
  capabilities: string[];
  sessionDurationInMinutes: number;
  reason: string;
  sourceKind: 'template' | 'csv';
  total: number;
  issued: number;
  failed: number;
  remaining: number;
  createdAt: string;
  finishedAt: string | null;
  tokens: BulkTokensState;
  tokensDownloadedAt: string | null;
  tokensExpireAt: string | null;
  note: string | null;
  /** The job whose failed rows this one retries. */
  retryOf: string | null;
  /** The console's share for bulk work in the room's account and region (calls per second), when known. */
  shareRatePerSecond: number | null;
  /** While running: rows settled per second since the start, and seconds left at that rate. */
  ratePerSecond: number | null;
  etaSeconds: number | null;
}

export interface BulkRowView {
  row: number;
  userId: string;
  status: BulkRowStatus;
  auditId: string | null;
  /** A failed row's category (the codes of lib/contract/result.ts); `awsCode` the AWS exception. */
  errorCode: string | null;
  awsCode: string | null;
  errorMessage: string | null;
  attempts: number;
}

export type BulkRowFilter = 'all' | 'issued' | 'failed' | 'queued';
export const BULK_ROWS_PAGE_SIZE = 50;
