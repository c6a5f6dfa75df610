import 'server-only';
import type { DatabaseHandle } from '@/lib/db';
import type { ActivityQuery } from '@/lib/shared/audit/activity';
import { iterateActivity, type ActivityEntry } from './activity';
import { csvRow } from './csv';

/** The Activity export's CSV columns, in order: [header, value]. JSON columns as JSON text. */
export const ACTIVITY_CSV_COLUMNS: readonly [string, (r: ActivityEntry) => unknown][] = [
  ['seq', (r) => r.seq],
  ['id', (r) => r.id],
  ['at', (r) => r.at],
  ['action', (r) => r.action],
  ['status', (r) => r.status],
  ['summary', (r) => r.summary],
  ['actor_email', (r) => r.actorEmail],
  ['actor_role', (r) => r.actorRole],
  ['actor_id', (r) => r.actorId],
  ['via', (r) => r.via],
  ['api_key_name', (r) => r.apiKeyName],
  ['batch_id', (r) => r.batchId],
  ['room_arn', (r) => r.roomArn],
  ['region', (r) => r.region],
  ['user_id', (r) => r.userId],
  ['reason', (r) => r.reason],
  ['details', (r) => (r.details === null ? null : JSON.stringify(r.details))],
  ['capabilities', (r) => (r.capabilities ? r.capabilities.join(' ') : null)],
  ['duration_minutes', (r) => r.durationMinutes],
  ['fingerprint', (r) => r.fingerprint],
  ['error_code', (r) => r.errorCode],
  ['completed_at', (r) => r.completedAt],
  ['hash', (r) => r.hash],
];

const EXPORT_BATCH = 500;

/** The export body as a byte stream, pulled a page at a time as the client reads (backpressure). */
export function activityExportStream(
  format: 'csv' | 'json',
  q: ActivityQuery,
  maxRows: number,
  db?: DatabaseHandle,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = iterateActivity(q, maxRows, db, EXPORT_BATCH);
  let started = false;
  let count = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = '';
        if (!started) {
          started = true;
          // The BOM makes Excel read UTF-8.
          chunk = format === 'csv' ? `\uFEFF${csvRow(ACTIVITY_CSV_COLUMNS.map(([name]) => name))}` : '[';
        }
        for (let i = 0; i < EXPORT_BATCH; i++) {
          const next = await rows.next();
          if (next.done) {
            controller.enqueue(encoder.encode(chunk + (format === 'json' ? (count ? '\n]\n' : ']\n') : '')));
            controller.close();
            return;
          }
          const r = next.value;
          chunk += format === 'csv' ? csvRow(ACTIVITY_CSV_COLUMNS.map(([, get]) => get(r))) : `${count ? ',' : ''}\n${JSON.stringify(r)}`;
          count += 1;
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
