import { beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import { beginSignInAttempt, listSignInRefusals, lockSeconds, signInSucceeded, THROTTLE } from './sign-in-throttle';

it('locks after the free attempts for 1 s, doubling, at most 15 minutes', () => {
  expect([1, 2, 3, 4].map((n) => lockSeconds(n, 5))).toEqual([0, 0, 0, 0]);
  expect([5, 6, 7, 8, 9].map((n) => lockSeconds(n, 5))).toEqual([1, 2, 4, 8, 16]);
  expect(lockSeconds(15, 5)).toBe(900);
  expect(lockSeconds(1000, 5)).toBe(THROTTLE.maxDelaySeconds);
});

describeEachDatabase('sign-in throttle', ({ fresh }) => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = (await fresh()).handle;
  });

  it('lets only the free attempts through when 30 guesses arrive at once', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const gates = await Promise.all(
      Array.from({ length: 30 }, () =>
        beginSignInAttempt({ email: 'Parallel@Example.com', clientAddress: `10.0.0.${Math.random()}` }, { db, now }),
      ),
    );
    expect(gates.filter((g) => g.ok)).toHaveLength(THROTTLE.accountFreeAttempts);
    const refused = await listSignInRefusals(100, db);
    expect(refused.filter((r) => r.email === 'Parallel@Example.com' && r.reason === 'throttled')).toHaveLength(
      30 - THROTTLE.accountFreeAttempts,
    );
  });

  it('counts unknown and known emails alike, frees the account after the wait and after a success', async () => {
    const t0 = Date.parse('2026-01-02T00:00:00Z');
    const at = (ms: number) => ({ db, now: new Date(t0 + ms) });
    for (let i = 0; i < 5; i++) expect((await beginSignInAttempt({ email: 'a@example.com', clientAddress: null }, at(i))).ok).toBe(true);
    const locked = await beginSignInAttempt({ email: 'a@example.com', clientAddress: null }, at(10));
    expect(locked).toEqual({ ok: false, retryAt: new Date(t0 + 4 + 1000) });
    expect((await beginSignInAttempt({ email: 'a@example.com', clientAddress: null }, at(1100))).ok).toBe(true);
    // The 6th failure: 2 s.
    expect(await beginSignInAttempt({ email: 'a@example.com', clientAddress: null }, at(1200))).toEqual({
      ok: false,
      retryAt: new Date(t0 + 1100 + 2000),
    });
    await signInSucceeded({ email: 'a@example.com', clientAddress: null }, db);
    expect((await beginSignInAttempt({ email: 'a@example.com', clientAddress: null }, at(1300))).ok).toBe(true);
  });

  it('throttles a client address after 20 failures across different emails', async () => {
    const now = new Date('2026-01-03T00:00:00Z');
    for (let i = 0; i < THROTTLE.clientFreeAttempts; i++) {
      expect((await beginSignInAttempt({ email: `u${i}@example.com`, clientAddress: '192.0.2.7' }, { db, now })).ok).toBe(true);
    }
    expect((await beginSignInAttempt({ email: 'fresh@example.com', clientAddress: '192.0.2.7' }, { db, now })).ok).toBe(false);
    expect((await beginSignInAttempt({ email: 'fresh@example.com', clientAddress: '192.0.2.8' }, { db, now })).ok).toBe(true);
  });
});
