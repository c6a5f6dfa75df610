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
 * shares the count (DESIGN.md: stateless replicas). The upsert is one statement on both SQLite
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
    await handle.db.deleteFrom('rate_limit_counters').where('window_start', '<', nowSeconds - KEEP_SECONDS).execute().catch(() => {});
  }
  const count = Number(row.count);
  if (count > limit.max) {
    return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + limit.windowSeconds - nowSeconds), limit };
  }
  return { allowed: true, remaining: limit.max - count };
}
