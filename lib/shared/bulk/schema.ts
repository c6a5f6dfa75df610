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
export const BULK_MAX_REPORTED_ERRORS = 200;

const TEMPLATE_PLACEHOLDER = /\{n(?::(\d{1,2}))?\}/g;

export const bulkTemplateSourceSchema = z.object({
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

export const bulkCsvSourceSchema = z.object({
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

export type BulkJobInput = z.input<typeof bulkJobSchema>;
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

/**
 * RFC 4180 with the usual leniencies: CRLF, LF or CR line ends, a UTF-8 BOM, quoted fields with
 * doubled quotes and embedded line breaks, blank lines skipped. A quote inside an unquoted field,
 * text after a closing quote, or an unterminated quote is an error at its line.
 */
export function parseCsv(text: string): CsvParseResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { line: number; cells: string[] }[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      let cell = '';
      if (src[i] === '"') {
        blank = false;
        i++;
        for (;;) {
          if (i >= n)
            return {
              ok: false,
              error: { row: null, line: startLine, field: 'csv', message: `Line ${startLine}: a quoted field is never closed.` },
            };
          const c = src[i];
          if (c === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line++;
          cell += c;
          i++;
        }
        if (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          return { ok: false, error: { row: null, line, field: 'csv', message: `Line ${line}: unexpected text after a closing quote.` } };
        }
      } else {
        while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"') {
            return {
              ok: false,
              error: {
                row: null,
                line,
                field: 'csv',
                message: `Line ${line}: a quote inside an unquoted field (quote the whole field and double the quote).`,
              },
            };
          }
          cell += src[i];
          i++;
        }
        if (cell !== '') blank = false;
      }
      cells.push(cell);
      if (i < n && src[i] === ',') {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF, CR or end of text.
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    line++;
    if (!blank) records.push({ line: startLine, cells });
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

export function templateToRows(template: string, start: number, count: number): BulkRowInput[] {
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
  for (const row of rows) {
    const parsed = mintTokenSchema.safeParse({ ...shared, userId: row.userId, attributes: row.attributes });
    if (parsed.success) continue;
    invalidRows++;
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

export type BulkJobStatus = 'running' | 'completed' | 'cancelled' | 'interrupted';
export type BulkRowStatus = 'queued' | 'issued' | 'failed' | 'skipped';
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
