import { describe, expect, it } from 'vitest';
import { mintStatusNow } from '@/lib/shared/tokens/mint-status';

const issued = {
  status: 'issued',
  tokenExpiresAt: '2030-01-01T01:00:00.000Z',
  sessionExpiresAt: '2030-01-01T02:00:00.000Z',
  errorCode: null,
  errorMessage: null,
};

describe('mintStatusNow', () => {
  it('can still connect before the token expiry', () => {
    const s = mintStatusNow(issued, new Date('2030-01-01T00:30:00Z'));
    expect(s).toMatchObject({ kind: 'connectable', text: 'can still connect until 2030-01-01 01:00:00 UTC', countdown: 'in 30 min' });
  });
  it('session ends at, between the two expiries', () => {
    const s = mintStatusNow(issued, new Date('2030-01-01T01:30:00Z'));
    expect(s).toMatchObject({ kind: 'session-open', text: 'session ends at 2030-01-01 02:00:00 UTC' });
  });
  it('expired after the session expiry', () => {
    const s = mintStatusNow(issued, new Date('2030-01-01T03:00:00Z'));
    expect(s).toMatchObject({ kind: 'expired', text: 'expired 2030-01-01 02:00:00 UTC', ago: 'expired 1 h ago' });
  });
  it('failed with the AWS error', () => {
    const s = mintStatusNow({ ...issued, status: 'failed', errorCode: 'AccessDeniedException', errorMessage: 'nope' }, new Date());
    expect(s).toEqual({ kind: 'failed', text: 'failed: AccessDeniedException: nope' });
  });
  it('pending is an unknown outcome, never hidden', () => {
    const s = mintStatusNow({ ...issued, status: 'pending', tokenExpiresAt: null, sessionExpiresAt: null }, new Date());
    expect(s).toEqual({ kind: 'pending', text: 'pending: outcome unknown' });
  });
});
