import 'server-only';
import { sql } from 'kysely';
import { recordAction, type AuditActor } from '@/lib/audit/store';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import { log } from '@/lib/log';

/**
 * Refused mints are audit entries ('token.refused': who tried, for whom, which rule; no token, so
 * no fingerprint), but a flood of refused attempts must not grow the log without bound. Per actor
 * (staff member or API key) and per minute, the first REFUSALS_RECORDED_IN_FULL refusals are each
 * an entry; after that only the 100th, 1,000th, 10,000th ... refusal of that minute is, carrying the
 * count so far (`attemptInWindow`). So a minute of N refused attempts writes at most
 * 10 + log10(N) entries, and the count of the last one says how many there were at least.
 * The counter shares the rate limiter's table (one upsert, the same on both databases).
 */
export const REFUSALS_RECORDED_IN_FULL = 10;
export const REFUSAL_WINDOW_SECONDS = 60;

export interface RefusedMint {
  actor: AuditActor;
  roomArn: string;
  region: string | null;
  userId: string;
  capabilities: readonly string[];
  durationMinutes: number;
  reason: string | null;
  batchId?: string | null;
  /** The console's code: FORBIDDEN (policy, deny list) or RATE_LIMITED. */
  code: string;
  /** The rule that refused: `roles.support.maxSessionMinutes`, `denylist`, `rateLimits.mintPerStaff`. */
  rule: string;
  message: string;
  /** The deny-list entry that refused, when it was one. */
  denylistId?: string;
}

/** Whether the n-th refusal of a window is written as its own entry. */
export function refusalIsRecorded(n: number): boolean {
  if (n <= REFUSALS_RECORDED_IN_FULL) return true;
  for (let p = 100; p <= n; p *= 10) if (p === n) return true;
  return false;
}

async function countRefusal(subject: string, now: number, db: DatabaseHandle): Promise<{ n: number; windowStart: number }> {
  const nowSeconds = Math.floor(now / 1000);
  const windowStart = nowSeconds - (nowSeconds % REFUSAL_WINDOW_SECONDS);
  const row = await db.db
    .insertInto('rate_limit_counters')
    .values({ subject, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['subject', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit_counters.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return { n: Number(row.count), windowStart };
}

/**
 * Records one refused mint (or only counts it, past the first ten of the minute). Returns the
 * entry's id when one was written. Never throws: the attempt is refused whether or not the log
 * could be written, and no token exists either way; a write failure is logged.
 */
export async function recordMintRefusal(r: RefusedMint, now = Date.now(), db?: DatabaseHandle): Promise<string | undefined> {
  try {
    const handle = db ?? (await getDatabase());
    const who = r.actor.apiKeyName ? `apikey:${r.actor.apiKeyName}` : `staff:${r.actor.staffId}`;
    const { n, windowStart } = await countRefusal(`refused:${who}`, now, handle);
    if (!refusalIsRecorded(n)) return undefined;
    const { id } = await recordAction(
      {
        actor: r.actor,
        action: 'token.refused',
        reason: r.reason,
        userId: r.userId,
        roomArn: r.roomArn,
        region: r.region,
        batchId: r.batchId ?? null,
        details: {
          code: r.code,
          rule: r.rule,
          message: r.message,
          denylistId: r.denylistId,
          request: { capabilities: [...r.capabilities], sessionDurationInMinutes: r.durationMinutes },
          attemptInWindow: n,
          window: { start: new Date(windowStart * 1000).toISOString(), seconds: REFUSAL_WINDOW_SECONDS },
          ...(n > REFUSALS_RECORDED_IN_FULL
            ? {
                note: `Refusal ${n} of this actor in this minute; after the first ${REFUSALS_RECORDED_IN_FULL}, only the 100th, 1,000th, ... are recorded.`,
              }
            : {}),
        },
      },
      handle,
    );
    return id;
  } catch (err) {
    log.error(
      { event: 'audit.refusal_write_failed', rule: r.rule, err: err instanceof Error ? err.message : String(err) },
      'could not record a refused mint',
    );
    return undefined;
  }
}
