/** Each access key's calls, counted the way the quota counts them: the most within one sliding window. */
import { describe, expect, it } from 'vitest';
import { Stats } from '../control';

describe('per-caller accounting', () => {
  it("records each key's busiest window and keeps keys and operations apart", () => {
    const stats = new Stats();
    // 10 calls a second for 3 s from one key, then a burst of 15 within 200 ms.
    for (let t = 0; t < 3000; t += 100) stats.countCaller('console', 'CreateChatToken', false, t, 1000);
    for (let i = 0; i < 15; i++) stats.countCaller('console', 'CreateChatToken', i >= 12, 3000 + i * 13, 1000);
    stats.countCaller('production', 'CreateChatToken', false, 3001, 1000);
    stats.countCaller('console', 'GetRoom', false, 3002, 1000);
    const c = stats.callers.console!.CreateChatToken!;
    expect(c.calls).toBe(45);
    expect(c.throttled).toBe(3);
    // The burst plus the 8 calls before it still within a second of its last call (2200..2900).
    expect(c.busiestWindow).toBe(23);
    expect(c.busiestWindowAt).toBe(3000 + 14 * 13);
    expect(stats.callers.production!.CreateChatToken).toMatchObject({ calls: 1, busiestWindow: 1 });
    expect(stats.callers.console!.GetRoom).toMatchObject({ calls: 1, busiestWindow: 1 });
    stats.reset();
    expect(stats.callers).toEqual({});
  });
});
