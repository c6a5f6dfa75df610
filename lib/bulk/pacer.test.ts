import { describe, expect, it } from 'vitest';
import { BulkPacer, THROTTLE_RETRIES, TRANSIENT_RETRIES, backoffMs } from './pacer';

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
  it('retries a throttle with growing backoff', () => {
    const pacer = new BulkPacer(() => 1);
    expect(pacer.retryDelay(throttle, 1)).toBe(100);
    expect(pacer.retryDelay(throttle, 3)).toBe(400);
    expect(pacer.throttled).toBe(2);
  });

  it('gives up after its retry budgets', () => {
    const pacer = new BulkPacer(() => 0);
    expect(pacer.retryDelay(throttle, THROTTLE_RETRIES)).not.toBeNull();
    expect(pacer.retryDelay(throttle, THROTTLE_RETRIES + 1)).toBeNull();
    const timeout = { code: 'Timeout', message: '', retryable: true };
    expect(pacer.retryDelay(timeout, TRANSIENT_RETRIES)).not.toBeNull();
    expect(pacer.retryDelay(timeout, TRANSIENT_RETRIES + 1)).toBeNull();
    expect(pacer.retryDelay({ code: 'AccessDeniedException', message: '', retryable: false }, 1)).toBeNull();
  });

  it('never retries a failure whose outcome is unknown (the token may have been issued)', () => {
    const pacer = new BulkPacer(() => 0);
    expect(pacer.retryDelay({ code: 'Timeout', message: '', retryable: false, outcomeUnknown: true }, 1)).toBeNull();
    expect(pacer.retryDelay({ code: 'NetworkError', message: '', retryable: false, outcomeUnknown: true }, 1)).toBeNull();
    expect(pacer.retried).toBe(0);
    // a connection refused proves nothing was sent: retried as before
    expect(pacer.retryDelay({ code: 'NetworkError', message: '', retryable: true }, 1)).not.toBeNull();
  });
});
