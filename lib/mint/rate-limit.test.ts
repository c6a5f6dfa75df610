/** Fixed-window mint counters on both databases (shared by replicas, exact under concurrency). */
import { expect, it } from 'vitest';
import { describeEachDatabase } from '@/test/pg';
import { hitRateLimit } from './rate-limit';

describeEachDatabase('hitRateLimit', ({ fresh }) => {
  it('counts per subject and window, refuses past the limit with the seconds left, and starts over next window', async () => {
    const { handle } = await fresh();
    const limit = { max: 3, windowSeconds: 60 };
    const t0 = Date.UTC(2030, 0, 1, 0, 0, 10);
    for (let i = 0; i < 3; i++) expect(await hitRateLimit('staff:a', limit, t0, handle)).toMatchObject({ allowed: true, remaining: 2 - i });
    expect(await hitRateLimit('staff:a', limit, t0 + 5_000, handle)).toEqual({ allowed: false, retryAfterSeconds: 45, limit });
    expect(await hitRateLimit('staff:b', limit, t0, handle)).toMatchObject({ allowed: true });
    expect(await hitRateLimit('staff:a', limit, t0 + 50_000, handle)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('holds under concurrent attempts: exactly max get through', async () => {
    const { handle } = await fresh();
    const limit = { max: 10, windowSeconds: 60 };
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit('staff:burst', limit, now, handle)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});
