import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Governor, MemorySlotStore, PostgresSlotStore, SlidingLog, quotaOf, type Share } from './governor';
import { openDatabase, type DatabaseHandle } from '@/lib/db';
import { createTestSchema, TEST_DATABASE_URL } from '@/test/pg';

/** The most starts in any half-open window [t, t + width): AWS's (and the emulator's) sliding second. */
function maxInWindow(starts: number[], width = 1000): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const fixedShare =
  (interactive: number, batch: number): (() => Share) =>
  () => ({ total: interactive + batch, interactive, batch });

async function run(governor: Governor, n: number, priority: 'interactive' | 'batch', starts: number[], account = 'a'): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, () =>
      governor.acquire(account, 'us-east-1', 'CreateChatToken', priority).then(() => starts.push(Date.now())),
    ),
  );
}

describe('quotaOf', () => {
  it('names the quota each operation counts against', () => {
    expect(quotaOf('CreateChatTokenCommand')).toBe('CreateChatToken');
    expect(quotaOf('DisconnectUserCommand')).toBe('DisconnectUser');
    expect(quotaOf('ListRoomsCommand')).toBe('rooms');
    expect(quotaOf('GetRoom')).toBe('rooms');
    expect(quotaOf('UpdateLoggingConfigurationCommand')).toBe('logging');
    expect(quotaOf('TagResourceCommand')).toBe('tags');
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
});

describe('Governor (in process)', () => {
  it('starts a lane at its rate: never more than rate + 1 in any sliding second', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(1, 80) });
    const starts: number[] = [];
    const t0 = Date.now();
    await run(governor, 120, 'batch', starts);
    const elapsed = Date.now() - t0;
    expect(maxInWindow(starts)).toBeLessThanOrEqual(81);
    // 120 calls at 80/s: about 1.5 s (the first starts at once).
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
  });

  it('never makes an interactive call wait behind a queued batch', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(5, 50) });
    const batchStarts: number[] = [];
    const batch = run(governor, 100, 'batch', batchStarts); // 2 s of queued batch work
    await new Promise((r) => setTimeout(r, 200));
    const asked = Date.now();
    await governor.acquire('a', 'us-east-1', 'CreateChatToken', 'interactive');
    const waited = Date.now() - asked;
    expect(waited).toBeLessThan(50);
    expect(batchStarts.length).toBeLessThan(100);
    await batch;
  });

  it('lets interactive calls alone use the whole share, not only their reserve', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(5, 95) });
    const starts: number[] = [];
    const t0 = Date.now();
    await run(governor, 100, 'interactive', starts);
    // 100 calls at the whole 100/s: about one second (at the 5/s reserve alone it would be 20 s).
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(maxInWindow(starts)).toBeLessThanOrEqual(101);
  });

  it('halves a lane after a throttle and gives the rate back gradually', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(1, 100) });
    await governor.acquire('a', 'us-east-1', 'CreateChatToken', 'batch');
    await governor.throttled('a', 'us-east-1', 'CreateChatToken', 'batch');
    await governor.throttled('a', 'us-east-1', 'CreateChatToken', 'batch');
    let lane = governor.stats().find((l) => l.kind === 'batch')!;
    expect(lane.throttled).toBe(2);
    expect(lane.effectiveRatePerSecond).toBeCloseTo(25);
    const starts: number[] = [];
    await run(governor, 40, 'batch', starts);
    // At 25/s (recovering by 10/s each second) 40 calls cannot start within one second.
    expect(maxInWindow(starts)).toBeLessThan(40);
    lane = governor.stats().find((l) => l.kind === 'batch')!;
    expect(lane.effectiveRatePerSecond).toBeGreaterThan(25);
  });

  it('gives up a slot it could not use on time instead of starting late calls together', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(1, 20) });
    const starts: number[] = [];
    const all = run(governor, 30, 'batch', starts);
    while (starts.length < 5) await new Promise((r) => setTimeout(r, 5));
    // The event loop is busy for 300 ms (a long synchronous task): every slot due meanwhile passes.
    const blockedUntil = Date.now() + 300;
    while (Date.now() < blockedUntil);
    await all;
    const after = starts.filter((t) => t >= blockedUntil).sort((a, b) => a - b);
    const gaps = after.slice(1).map((t, i) => t - after[i]!);
    // 20/s is a slot every ~52 ms: the calls after the pause keep that spacing, none in a burst.
    expect(Math.min(...gaps)).toBeGreaterThan(25);
    expect(governor.stats().reduce((n, l) => n + l.slotsMissed, 0)).toBeGreaterThan(0);
  });

  it('keeps accounts and regions apart', async () => {
    const governor = new Governor({ store: new MemorySlotStore(), share: fixedShare(1, 20) });
    const a: number[] = [];
    const b: number[] = [];
    const t0 = Date.now();
    await Promise.all([run(governor, 20, 'batch', a, 'prod'), run(governor, 20, 'batch', b, 'qa')]);
    // Each account's lane runs at 20/s on its own: both finish in about one second, not two.
    expect(Date.now() - t0).toBeLessThan(1_600);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('Governor on PostgreSQL (replicas share the lane)', () => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await createTestSchema();
    drop = schema.drop;
    // Two pools on one database, as two console processes would have.
    first = await openDatabase({ kind: 'postgres', url: schema.url, schema: schema.schema });
    second = await openDatabase({ kind: 'postgres', url: schema.url, schema: schema.schema });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await drop?.();
  });

  it('two replicas together stay within one share', async () => {
    const share = fixedShare(1, 60);
    const lane = `replica-test-${Date.now()}`;
    const one = new Governor({ store: new PostgresSlotStore(async () => first), share });
    const two = new Governor({ store: new PostgresSlotStore(async () => second), share });
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all([run(one, 60, 'batch', starts, lane), run(two, 60, 'batch', starts, lane)]);
    const elapsed = Date.now() - t0;
    // 120 calls at 60/s between them: about 2 s, and never much over 60 in a second.
    expect(elapsed).toBeGreaterThanOrEqual(1_800);
    expect(maxInWindow(starts)).toBeLessThanOrEqual(63);
  });
});
