import 'server-only';
import type { IvschatFailure } from '@/lib/ivschat/errors';
import type { MintCallPacer } from '@/lib/mint/mint-token';

/** Throttled attempts of one row before it is reported failed (each waits longer, see backoffMs). */
export const THROTTLE_RETRIES = 8;
/**
 * Other retryable failures (5xx answers, connection refused, connect timeouts) get what the SDK's
 * standard mode would give. A failure whose outcome is unknown (request timeout, connection lost
 * after sending) is never retried: CreateChatToken is not idempotent.
 */
export const TRANSIENT_RETRIES = 2;

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 100, capMs = 5_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The retry policy a bulk row or an API batch item hands to mintToken. Pacing itself is the
 * governor's (lib/ivschat/governor.ts): every attempt takes its turn there, in the batch lane, and
 * a throttle slows that lane down for every caller; this decides whether and when to try again.
 */
export class BulkPacer implements MintCallPacer {
  throttled = 0;
  retried = 0;
  attempts = 0;

  constructor(private readonly random: () => number = Math.random) {}

  async acquire(): Promise<void> {
    this.attempts++;
  }

  retryDelay(failure: IvschatFailure, attempt: number): number | null {
    // The request may have reached AWS: a retry could issue a second, unaudited token.
    if (failure.outcomeUnknown) return null;
    if (failure.code === 'ThrottlingException') {
      this.throttled++;
      if (attempt > THROTTLE_RETRIES) return null;
      this.retried++;
      return backoffMs(attempt, this.random);
    }
    if (failure.retryable && attempt <= TRANSIENT_RETRIES) {
      this.retried++;
      return backoffMs(attempt, this.random);
    }
    return null;
  }
}
