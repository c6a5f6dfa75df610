import 'server-only';
import type { DatabaseHandle } from '@/lib/db';
import { csvRow, csvRows } from './csv';
import { listAuditRecords } from './store';
import type { AuditFilter, AuditRecord } from './types';

/** Rows per query while exporting: bounded memory whatever the size of the log. */
const EXPORT_BATCH = 500;

/** Newest first, page by page on the seq cursor, stopping after `maxRows`. */
export async function* iterateAuditRecords(
  filter: AuditFilter,
  options: { maxRows: number; batchSize?: number },
  db?: DatabaseHandle,
): AsyncGenerator<AuditRecord> {
  let before: number | undefined;
  let left = options.maxRows;
  while (left > 0) {
    const page = await listAuditRecords(filter, { limit: Math.min(options.batchSize ?? EXPORT_BATCH, left), before }, db);
    for (const row of page.rows) yield row;
    left -= page.rows.length;
    if (page.nextBefore === null) return;
    before = page.nextBefore;
  }
}

/** The CSV columns, in order: [header, value]. Attributes and capabilities as JSON text. */
export const CSV_COLUMNS: readonly [string, (r: AuditRecord) => unknown][] = [
  ['seq', (r) => r.seq],
  ['id', (r) => r.id],
  ['at', (r) => r.at],
  ['action', (r) => r.action],
  ['status', (r) => r.status],
  ['actor_email', (r) => r.actorEmail],
  ['actor_role', (r) => r.actorRole],
  ['actor_id', (r) => r.actorId],
  ['via', (r) => r.via],
  ['api_key_name', (r) => r.apiKeyName],
  ['batch_id', (r) => r.batchId],
  ['room_arn', (r) => r.roomArn],
  ['region', (r) => r.region],
  ['user_id', (r) => r.userId],
  ['attributes', (r) => (r.attributes ? JSON.stringify(r.attributes) : null)],
  ['capabilities', (r) => (r.capabilities ? r.capabilities.join(' ') : null)],
  ['duration_minutes', (r) => r.durationMinutes],
  ['reason', (r) => r.reason],
  ['fingerprint', (r) => r.fingerprint],
  ['token_expires_at', (r) => r.tokenExpiresAt],
  ['session_expires_at', (r) => r.sessionExpiresAt],
  ['request_id', (r) => r.requestId],
  ['error_code', (r) => r.errorCode],
  ['error_message', (r) => r.errorMessage],
  ['completed_at', (r) => r.completedAt],
  ['hash', (r) => r.hash],
];

const csvHeader = () => csvRow(CSV_COLUMNS.map(([name]) => name));
const csvCells = (r: AuditRecord) => CSV_COLUMNS.map(([, get]) => get(r));

/**
 * The export body as a byte stream, pulled one page at a time as the client reads (backpressure),
 * so an export never holds more than one page in memory.
 */
export function auditExportStream(
  format: 'csv' | 'json',
  filter: AuditFilter,
  maxRows: number,
  db?: DatabaseHandle,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = iterateAuditRecords(filter, { maxRows }, db);
  let started = false;
  let count = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = '';
        if (!started) {
          started = true;
          // The BOM makes Excel read UTF-8 (userIds and attributes are often not ASCII).
          chunk = format === 'csv' ? `\uFEFF${csvHeader()}` : '[';
        }
        const page: AuditRecord[] = [];
        let done = false;
        while (page.length < EXPORT_BATCH) {
          const next = await rows.next();
          if (next.done) {
            done = true;
            break;
          }
          page.push(next.value);
        }
        if (format === 'csv') chunk += csvRows(page.map(csvCells));
        else for (const record of page) chunk += `${count++ ? ',' : ''}\n${JSON.stringify(record)}`;
        if (done) {
          controller.enqueue(encoder.encode(chunk + (format === 'json' ? (count ? '\n]\n' : ']\n') : '')));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
