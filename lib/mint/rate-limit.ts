import 'server-only';
import { sql } from 'kysely';
import { getDatabase, type DatabaseHandle } from '@/lib/db';

export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number; limit: RateLimit };

// Old windows are swept now and then rather than on every hit; a day of history is plenty.
const SWEEP_EVERY = 200;
const KEEP_SECONDS = 86_400;
let hits = 0;

/**
 * Counts one attempt for `subject` in the current fixed window, in the database so every replica
 * shares the count (docs/ARCHITECTURE.md, "Stateless replicas"). The upsert is one statement on both SQLite
 * and PostgreSQL, so concurrent attempts cannot both read the same count.
 */
export async function hitRateLimit(subject: string, limit: RateLimit, now = Date.now(), db?: DatabaseHandle): Promise<RateDecision> {
  const handle = db ?? (await getDatabase());
  const nowSeconds = Math.floor(now / 1000);
  const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
  const row = await handle.db
    .insertInto('rate_limit_counters')
    .values({ subject, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['subject', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_counters.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  if (++hits % SWEEP_EVERY === 0) {
    await handle.db
      .deleteFrom('rate_limit_counters')
      .where('window_start', '<', nowSeconds - KEEP_SECONDS)
      .execute()
      .catch(() => {});
  }
  const count = Number(row.count);
  if (count > limit.max) {
    return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + limit.windowSeconds - nowSeconds), limit };
  }
  return { allowed: true, remaining: limit.max - count };
}

/**
 * Bulk runs are counted per batch, not per call: starting a batch of N rows books N against
 * `rateLimits.bulkRowsPerStaff` in one atomic upsert (and gives them back if that would pass the
 * limit), and the runner then paces the rows itself under the account's CreateChatToken quota.
 * The per-call `mintPerStaff` limit (60 a minute) would otherwise stop any batch at row 61.
 */
export interface BulkReservation {
  readonly staffId: string;
  readonly batchId: string;
  readonly rows: number;
}

// Only reserveBulkRows creates reservations mintToken honours; kept on globalThis because Next may
// load this module once per route bundle, and the runner and mintToken must agree.
const store = globalThis as typeof globalThis & { __ivsConsoleBulkReservations?: WeakSet<BulkReservation> };
const issuedReservations = (store.__ivsConsoleBulkReservations ??= new WeakSet<BulkReservation>());

export async function reserveBulkRows(
  staffId: string,
  batchId: string,
  rows: number,
  limit: RateLimit,
  now = Date.now(),
  db?: DatabaseHandle,
): Promise<{ allowed: true; reservation: BulkReservation } | { allowed: false; retryAfterSeconds: number; limit: RateLimit }> {
  const handle = db ?? (await getDatabase());
  const subject = `bulk:${staffId}`;
  const nowSeconds = Math.floor(now / 1000);
  const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
  const retryAfterSeconds = Math.max(1, windowStart + limit.windowSeconds - nowSeconds);
  if (rows > limit.max) return { allowed: false, retryAfterSeconds, limit };
  const row = await handle.db
    .insertInto('rate_limit_counters')
    .values({ subject, window_start: windowStart, count: rows })
    .onConflict((oc) => oc.columns(['subject', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_counters.count + ${rows}` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  if (Number(row.count) > limit.max) {
    await handle.db
      .updateTable('rate_limit_counters')
      .set({ count: sql<number>`count - ${rows}` })
      .where('subject', '=', subject)
      .where('window_start', '=', windowStart)
      .execute();
    return { allowed: false, retryAfterSeconds, limit };
  }
  const reservation = Object.freeze({ staffId, batchId, rows });
  issuedReservations.add(reservation);
  return { allowed: true, reservation };
}

/** True only for a reservation reserveBulkRows made, for this staff member's bulk row of this batch. */
export function isBulkReservation(
  value: BulkReservation | undefined,
  actor: { staffId: string; via: string },
  batchId: string | undefined,
): boolean {
  return (
    value !== undefined &&
    issuedReservations.has(value) &&
    actor.via === 'bulk' &&
    value.staffId === actor.staffId &&
    value.batchId === batchId
  );
}
