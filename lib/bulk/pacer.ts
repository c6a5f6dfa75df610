import 'server-only';
import type { IvschatFailure } from '@/lib/ivschat/errors';
import type { MintCallPacer } from '@/lib/mint/mint-token';

/**
 * CreateChatToken's service quota is 200 requests per second per account (IVS Chat quotas page);
 * bulk runs aim just under it so a batch is not throttled by its own pace, leaving a little room
 * for single mints made at the same time.
 */
export const BULK_RATE_PER_SECOND = 190;
/** Throttled attempts of one row before it is reported failed (each waits longer, see backoffMs). */
export const THROTTLE_RETRIES = 8;
/**
 * Other retryable failures (5xx answers, connection refused, connect timeouts) get what the SDK's
 * standard mode would give. A failure whose outcome is unknown (request timeout, connection lost
 * after sending) is never retried: CreateChatToken is not idempotent.
 */
export const TRANSIENT_RETRIES = 2;

/**
 * GCRA ("virtual scheduling") spacing: request k may start at tat - tolerance, where tat advances
 * by 1/rate per request. Over any half-open window of W ms at most burst + W * rate / 1000
 * requests start, so with burst 1 a 1-second sliding window sees at most rate + 1 (191 < 200).
 * Pure and clock-free (times are passed in) so its arithmetic is testable.
 */
export class Gcra {
  private tat = -Infinity;
  readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(ratePerSecond: number, burst = 1) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1');
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Books the next slot for a request made at `now`; returns how long to wait for it (ms). */
  reserve(now: number): number {
    const start = Math.max(now, this.tat - this.toleranceMs);
    this.tat = Math.max(this.tat, start) + this.intervalMs;
    return start - now;
  }

  /** No request may start before `until` (a throttle pauses the whole batch, not one row). */
  pauseUntil(until: number): void {
    this.tat = Math.max(this.tat, until + this.toleranceMs);
  }
}

/**
 * A log of the last `limit` starts as they really happened. The GCRA plans slots, but a busy event
 * loop (better-sqlite3 is synchronous) wakes sleepers late and bunches them, and the quota counts
 * arrivals in a sliding second; this refuses a start while `limit` others fall within windowMs.
 */
export class SlidingLog {
  private readonly starts: number[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** 0 and recorded when a start at `now` is allowed; otherwise how long to wait (nothing recorded). */
  admit(now: number): number {
    if (this.starts.length < this.limit) {
      this.starts.push(now);
      return 0;
    }
    const wait = this.starts[this.head] + this.windowMs - now;
    if (wait > 0) return wait;
    this.starts[this.head] = now;
    this.head = (this.head + 1) % this.limit;
    return 0;
  }
}

/** The process-wide pace: planned spacing plus the log of real starts (a 20 ms margin for the network). */
export function bulkPace(ratePerSecond = BULK_RATE_PER_SECOND): { gcra: Gcra; log: SlidingLog } {
  return { gcra: new Gcra(ratePerSecond), log: new SlidingLog(Math.floor(ratePerSecond), 1020) };
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 100, capMs = 5_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pacer a bulk run hands to mintToken: every CreateChatToken attempt (first tries and retries
 * alike) waits for a slot, and a throttle pauses every row of the batch for a backoff.
 */
export class BulkPacer implements MintCallPacer {
  throttled = 0;
  retried = 0;

  constructor(
    /** Shared by every bulk job of the process: the quota is the account's, not the job's. */
    private readonly pace: { gcra: Gcra; log: SlidingLog } = bulkPace(),
    private readonly clock: () => number = () => performance.now(),
    private readonly random: () => number = Math.random,
  ) {}

  async acquire(): Promise<void> {
    const wait = this.pace.gcra.reserve(this.clock());
    if (wait > 0) await sleep(wait);
    for (let extra = this.pace.log.admit(this.clock()); extra > 0; extra = this.pace.log.admit(this.clock())) await sleep(extra);
  }

  retryDelay(failure: IvschatFailure, attempt: number): number | null {
    // The request may have reached AWS: a retry could issue a second, unaudited token.
    if (failure.outcomeUnknown) return null;
    if (failure.code === 'ThrottlingException') {
      this.throttled++;
      if (attempt > THROTTLE_RETRIES) return null;
      const delay = backoffMs(attempt, this.random);
      this.pace.gcra.pauseUntil(this.clock() + delay);
      this.retried++;
      return delay;
    }
    if (failure.retryable && attempt <= TRANSIENT_RETRIES) {
      this.retried++;
      return backoffMs(attempt, this.random);
    }
    return null;
  }
}
