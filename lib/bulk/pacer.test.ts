import { describe, expect, it } from 'vitest';
import { BULK_RATE_PER_SECOND, BulkPacer, Gcra, SlidingLog, THROTTLE_RETRIES, TRANSIENT_RETRIES, backoffMs } from './pacer';

/** Starts `n` requests all asking at `askAt` (ms) and returns when each may start. */
function schedule(gcra: Gcra, n: number, askAt = 0): number[] {
  return Array.from({ length: n }, () => askAt + gcra.reserve(askAt));
}

/** The most starts in any half-open window [t, t + width), the emulator's and AWS's sliding second. */
function maxInWindow(starts: number[], width = 1000): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('Gcra', () => {
  it('spaces requests 1/rate apart: 190/s is one every 5.26 ms', () => {
    const starts = schedule(new Gcra(190), 5);
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeCloseTo(1000 / 190, 6);
  });

  it('never lets more than rate + 1 start in any sliding second, so 190/s stays under a 200/s quota', () => {
    const gcra = new Gcra(BULK_RATE_PER_SECOND);
    const starts = [...schedule(gcra, 1000, 0), ...schedule(gcra, 500, 2000), ...schedule(gcra, 300, 9000)];
    expect(maxInWindow(starts)).toBeLessThanOrEqual(BULK_RATE_PER_SECOND + 1);
    expect(maxInWindow(starts)).toBeLessThan(200);
  });

  it('takes 1,000 requests in about 1000/190 s', () => {
    const starts = schedule(new Gcra(190), 1000);
    expect(starts[999] / 1000).toBeCloseTo(999 / 190, 6);
  });

  it('does not bank idle time: after a pause the next request is not part of a burst', () => {
    const gcra = new Gcra(100);
    gcra.reserve(0);
    expect(gcra.reserve(5_000)).toBe(0);
    expect(gcra.reserve(5_000)).toBeCloseTo(10, 6);
  });

  it('allows a configured burst, and no more', () => {
    const gcra = new Gcra(100, 3);
    expect(schedule(gcra, 4)).toEqual([0, 0, 0, 10]);
  });

  it('pauses every request until a point in time', () => {
    const gcra = new Gcra(100);
    gcra.reserve(0);
    gcra.pauseUntil(500);
    expect(gcra.reserve(100)).toBe(400);
    expect(gcra.reserve(100)).toBe(410);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new Gcra(0)).toThrow(RangeError);
  });
});

describe('SlidingLog', () => {
  it('admits `limit` starts per sliding window, whenever they come, and says how long to wait', () => {
    const log = new SlidingLog(3, 1000);
    expect([log.admit(0), log.admit(1), log.admit(2)]).toEqual([0, 0, 0]);
    expect(log.admit(500)).toBe(500);
    expect(log.admit(1000)).toBe(0);
    expect(log.admit(1000)).toBe(1);
    expect(log.admit(1001)).toBe(0);
  });
  it('holds bunched late wake-ups to the quota: never more than 190 in any second', () => {
    const log = new SlidingLog(190, 1000);
    const starts: number[] = [];
    // 1,000 requests that all wake in bursts of 50 every 100 ms (a blocked event loop).
    const waiting: number[] = Array.from({ length: 1000 }, (_, i) => Math.floor(i / 50) * 100);
    for (let t = waiting[0]; waiting.length;) {
      const at = Math.max(t, waiting[0]);
      const wait = log.admit(at);
      if (wait === 0) {
        starts.push(at);
        waiting.shift();
        t = at;
      } else t = at + wait;
    }
    expect(maxInWindow(starts)).toBeLessThanOrEqual(190);
  });
});

describe('backoffMs', () => {
  it('grows exponentially from 100 ms with jitter in the upper half, capped at 5 s', () => {
    expect(backoffMs(1, () => 0)).toBe(50);
    expect(backoffMs(1, () => 1)).toBe(100);
    expect(backoffMs(2, () => 1)).toBe(200);
    expect(backoffMs(4, () => 0.5)).toBe(600);
    expect(backoffMs(20, () => 1)).toBe(5000);
  });
});

describe('BulkPacer', () => {
  const throttle = { code: 'ThrottlingException', message: '', retryable: true };
  it('retries a throttle with backoff and pauses the whole batch for it', () => {
    let now = 0;
    const gcra = new Gcra(100);
    const pacer = new BulkPacer(
      { gcra, log: new SlidingLog(100) },
      () => now,
      () => 1,
    );
    expect(pacer.retryDelay(throttle, 1)).toBe(100);
    expect(gcra.reserve(now)).toBe(100);
    now = 1000;
    expect(pacer.retryDelay(throttle, 3)).toBe(400);
    expect(pacer.throttled).toBe(2);
  });

  it('gives up after its retry budgets', () => {
    const pacer = new BulkPacer(
      { gcra: new Gcra(100), log: new SlidingLog(100) },
      () => 0,
      () => 0,
    );
    expect(pacer.retryDelay(throttle, THROTTLE_RETRIES)).not.toBeNull();
    expect(pacer.retryDelay(throttle, THROTTLE_RETRIES + 1)).toBeNull();
    const timeout = { code: 'Timeout', message: '', retryable: true };
    expect(pacer.retryDelay(timeout, TRANSIENT_RETRIES)).not.toBeNull();
    expect(pacer.retryDelay(timeout, TRANSIENT_RETRIES + 1)).toBeNull();
    expect(pacer.retryDelay({ code: 'AccessDeniedException', message: '', retryable: false }, 1)).toBeNull();
  });

  it('never retries a failure whose outcome is unknown (the token may have been issued)', () => {
    const pacer = new BulkPacer(
      { gcra: new Gcra(100), log: new SlidingLog(100) },
      () => 0,
      () => 0,
    );
    expect(pacer.retryDelay({ code: 'Timeout', message: '', retryable: false, outcomeUnknown: true }, 1)).toBeNull();
    expect(pacer.retryDelay({ code: 'NetworkError', message: '', retryable: false, outcomeUnknown: true }, 1)).toBeNull();
    expect(pacer.retried).toBe(0);
    // a connection refused proves nothing was sent: retried as before
    expect(pacer.retryDelay({ code: 'NetworkError', message: '', retryable: true }, 1)).not.toBeNull();
  });
});
