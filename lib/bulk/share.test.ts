/**
 * A bulk job runs in the governor's batch lane at the console's configured share
 * (IVSCHAT_MINT_RATE_PER_SECOND), against the emulator over HTTP with its quota on, and its view
 * tells the owner the share, the measured rate and the time left while it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const SHARE = 50;
let harness: ConsoleHarness;
let runner: typeof import('./runner');
const qa = { id: '', email: 'qa-share@example.com', role: 'qa' as const };

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'bulk-share',
    env: { IVSCHAT_MINT_RATE_PER_SECOND: String(SHARE), IVSCHAT_INTERACTIVE_RESERVE: '0.1', IVSCHAT_TIMEOUT_MS: '10000' },
    policy: (policy) => {
      policy.rateLimits.bulkRowsPerStaff = { max: 5_000, windowSeconds: 3600 };
    },
  });
  runner = await import('./runner');
  const staffStore = await import('@/lib/auth/staff-store');
  qa.id = (await staffStore.createStaff({ email: qa.email, role: 'qa' })).id;
});

afterAll(async () => harness?.close());

describe('bulk job under the share', () => {
  it('goes no faster than its batch lane and shows the share, the rate and the time left', async () => {
    const rows = 100;
    const started = await runner.startBulkJob(qa, {
      roomArn: QA_ROOM,
      capabilities: ['SEND_MESSAGE'],
      sessionDurationInMinutes: 30,
      reason: 'share test',
      source: { kind: 'template', template: 'share-{n}', start: 1, count: rows },
    });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    if (!started.ok) return;
    const t0 = Date.now();
    // The view counts rows as the runner records them (every 250 ms): wait until some have settled.
    let running = await runner.getBulkJobForStaff(qa.id, started.id);
    while (running && running.status === 'running' && (running.issued < 10 || Date.now() - t0 < 1_000)) {
      await new Promise((r) => setTimeout(r, 100));
      running = await runner.getBulkJobForStaff(qa.id, started.id);
    }
    // 10% of 50/s is the interactive lane's; the batch lane has the other 45/s.
    expect(running).toMatchObject({ status: 'running', shareRatePerSecond: 45 });
    // Measured, so it depends on the machine; never above the share, and the time left follows from it.
    const rate = running!.ratePerSecond!;
    expect(rate, JSON.stringify(running)).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(47);
    expect(running!.etaSeconds).toBeGreaterThanOrEqual(Math.floor((running!.remaining / rate) * 0.9));
    expect(running!.etaSeconds).toBeLessThanOrEqual(Math.ceil((running!.remaining / rate) * 1.1) + 1);
    await runner.waitForBulkJob(started.id);
    const elapsed = Date.now() - t0;
    const done = await runner.getBulkJobForStaff(qa.id, started.id);
    expect(done).toMatchObject({ status: 'completed', issued: rows, failed: 0, etaSeconds: null });
    // A finished job reports the rate it ran at ("Ran X s at Y rows/s"): within the share too.
    expect(done!.ratePerSecond).toBeGreaterThan(0);
    expect(done!.ratePerSecond!).toBeLessThanOrEqual(47);
    // 100 calls at 45/s: at least (100 - 1) / 45 s.
    expect(elapsed).toBeGreaterThanOrEqual(((rows - 1) / 45) * 1000 - 50);
  });
});
