/**
 * Issue 7: "the emulator hangs: the request fails within the configured timeout, and 100 such
 * requests leave no open sockets behind". 100 concurrent mints against a hanging CreateChatToken,
 * over real HTTP and a real SQLite file, then both ends are counted: the emulator's open API
 * connections (/_emulator/stats) and the sockets the SDK client's agents hold (in use, idle, queued).
 * (Process-wide TCP handle counts are no use here: fetch's idle keep-alive sockets are unref'd and
 * drop out of process.getActiveResourcesInfo(), so that count drifts while nothing leaks.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';
import { emulatorControl } from '@/test/emulator-control';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const TIMEOUT_MS = 600;
const MAX_ATTEMPTS = 3;
const CONCURRENT = 100;
const SLACK_MS = 1_500;

let harness: ConsoleHarness;
let mint: typeof import('./mint-token');
let store: typeof import('@/lib/audit/store');
let client: typeof import('@/lib/ivschat/client');

const moderator = { staffId: 'staff-hang', email: 'hang@example.com', role: 'moderator' as const, via: 'api' as const };

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'mint-hang',
    env: { IVSCHAT_TIMEOUT_MS: String(TIMEOUT_MS), IVSCHAT_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
    policy: (p) => {
      p.rateLimits.mintPerStaff = { max: 10_000, windowSeconds: 60 };
    },
  });
  mint = await import('./mint-token');
  store = await import('@/lib/audit/store');
  client = await import('@/lib/ivschat/client');
  // Open (and migrate) the database first; no SDK call yet, so no keep-alive socket exists.
  await (await import('@/lib/db')).getDatabase();
});

afterAll(async () => harness?.close());

describe('100 concurrent mints against a hanging CreateChatToken', () => {
  it('each fails within the timeout budget, and no socket stays open on either side', async () => {
    await harness.armFault({ hang: true, count: CONCURRENT * MAX_ATTEMPTS });
    const before = await harness.stats();
    expect(before.apiConnections).toBe(0);
    expect(client.ivschatSockets()).toEqual({ active: 0, idle: 0, queued: 0 });
    let peak = { active: 0, queued: 0 };
    const sampler = setInterval(() => {
      const now = client.ivschatSockets();
      peak = { active: Math.max(peak.active, now.active), queued: Math.max(peak.queued, now.queued) };
    }, 25);

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, async (_, i) => {
        const t0 = performance.now();
        const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: `hang-${i}` });
        return { result, ms: performance.now() - t0 };
      }),
    );
    const wall = performance.now() - started;
    clearInterval(sampler);

    // The server sees each close a moment after the client destroyed its socket: wait (bounded).
    const deadline = Date.now() + 3_000;
    let after = await harness.stats();
    while (after.apiConnections > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      after = await harness.stats();
    }
    const sockets = client.ivschatSockets();

    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const calls = after.operations.CreateChatToken.received - before.operations.CreateChatToken.received;
    const unknown = results.filter((r) => !r.result.ok && r.result.code === 'AWS_OUTCOME_UNKNOWN').length;
    // Attempts queued behind the agent's 64 sockets past the connect timeout were never sent: they are
    // retried, and a mint whose every attempt stayed queued fails as a plain, retryable Timeout.
    const neverSent = results.filter(
      (r) => !r.result.ok && r.result.code === 'AWS_ERROR' && r.result.awsCode === 'Timeout' && r.result.retryable,
    ).length;
    console.log(
      `hang x${CONCURRENT}: IVSCHAT_TIMEOUT_MS ${TIMEOUT_MS}, per mint min ${times[0].toFixed(0)} / median ${times[CONCURRENT / 2].toFixed(0)} / max ${times[CONCURRENT - 1].toFixed(0)} ms, wall ${wall.toFixed(0)} ms; ` +
        `CreateChatToken calls ${calls}; outcome unknown ${unknown}; never sent ${neverSent}; SDK agent sockets peak active ${peak.active} / queued ${peak.queued}, after ${JSON.stringify(sockets)}; ` +
        `emulator apiConnections ${after.apiConnections}, httpConnections ${after.httpConnections}`,
    );

    // No token: every mint failed, as outcome unknown when its request reached the emulator and hung.
    expect(unknown + neverSent).toBe(CONCURRENT);
    expect(unknown).toBeGreaterThanOrEqual(64);
    // A sent request is never retried: exactly one call per outcome-unknown mint, none for the rest.
    expect(calls).toBe(unknown);
    // Within the configured budget: each attempt is bounded by the timeout, at most MAX_ATTEMPTS of them.
    expect(times[CONCURRENT - 1]).toBeLessThan(MAX_ATTEMPTS * TIMEOUT_MS + SLACK_MS);
    // Nothing left open: the emulator holds no API connection, the client's agents no socket.
    expect(peak.active).toBeGreaterThan(0);
    expect(after.apiConnections).toBe(0);
    expect(sockets).toEqual({ active: 0, idle: 0, queued: 0 });
    // One row per mint: pending (outcome unknown) where the call went out, failed where it never did.
    expect(await store.countAuditRecords({ status: 'pending', actor: moderator.staffId })).toBe(unknown);
    expect(await store.countAuditRecords({ status: 'failed', actor: moderator.staffId })).toBe(neverSent);
    expect(await store.countAuditRecords({ status: 'issued', actor: moderator.staffId })).toBe(0);
  });
});

describe('idle keep-alive sockets', () => {
  it('are dropped before the server’s announced Keep-Alive timeout, so a reused socket is never one the server is closing', async () => {
    await harness.clearFaults();
    const probe = await emulatorControl(harness.emulator.endpoint).health();
    const hint = Number(/timeout=(\d+)/.exec(probe.headers.get('keep-alive') ?? '')?.[1]);
    expect(hint).toBeGreaterThan(1); // the emulator announces its idle timeout (Node's default: 5 s)

    const result = await mint.mintToken(moderator, {
      roomArn: ROOM,
      userId: 'keepalive-user',
      capabilities: [],
      sessionDurationInMinutes: 5,
      attributes: [],
      reason: '',
    });
    expect(result.ok).toBe(true);
    expect(client.ivschatSockets()).toMatchObject({ active: 0, idle: 1 });
    expect((await harness.stats()).apiConnections).toBe(1);

    // Node's agent drops an idle socket one second before the hint, but only when it has a timeout
    // of its own (lib/ivschat/client.ts). Past that point and before the server's own timeout, the
    // socket must be gone from both ends; without the agent timeout it would still be open here.
    await new Promise((resolve) => setTimeout(resolve, (hint - 1) * 1000 + 400));
    expect(client.ivschatSockets()).toEqual({ active: 0, idle: 0, queued: 0 });
    expect((await harness.stats()).apiConnections).toBe(0);
  }, 15_000);
});
