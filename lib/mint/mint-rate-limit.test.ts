/**
 * Mint rate limits through mintToken(): answered before the audit row and the SDK call, with
 * "try again in N s". Its own file: lib/env.ts reads POLICY_FILE once, at import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

describe('mintToken under a rate limit', () => {
  let harness: ConsoleHarness;
  let mint: typeof import('./mint-token');
  let store: typeof import('@/lib/audit/store');

  beforeAll(async () => {
    harness = await startConsoleHarness({
      name: 'rate-limit',
      policy: (policy) => {
        policy.rateLimits = {
          mintPerStaff: { max: 2, windowSeconds: 3600 },
          mintPerApiKey: { max: 1, windowSeconds: 3600 },
          bulkRowsPerStaff: { max: 10, windowSeconds: 3600 },
        };
      },
    });
    mint = await import('./mint-token');
    store = await import('@/lib/audit/store');
  });
  afterAll(async () => harness?.close());

  const calls = () => harness.createChatTokenCalls();
  const request = { roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001', userId: 'rl' };

  it('refuses the third mint per staff member with RATE_LIMITED, writing and calling nothing', async () => {
    const actor = { staffId: 'rl-1', email: 'rl@example.com', role: 'support' as const, via: 'ui' as const };
    expect((await mint.mintToken(actor, request)).ok).toBe(true);
    expect((await mint.mintToken(actor, request)).ok).toBe(true);
    const before = await calls();
    const rows = await store.countAuditRecords({});
    const third = await mint.mintToken(actor, request);
    expect(third).toMatchObject({ ok: false, code: 'RATE_LIMITED', rule: 'rateLimits.mintPerStaff' });
    if (third.ok) return;
    expect(third.message).toMatch(/Try again in \d+ s\./);
    expect(third.retryAfterSeconds).toBeGreaterThan(0);
    expect(await calls()).toBe(before);
    expect(await store.countAuditRecords({})).toBe(rows);
    // Another member has a counter of their own.
    expect((await mint.mintToken({ ...actor, staffId: 'rl-2' }, request)).ok).toBe(true);
  });

  it('counts an API key separately from the staff member behind it', async () => {
    const actor = { staffId: 'rl-3', email: 'rl3@example.com', role: 'support' as const, via: 'api' as const, apiKeyName: 'ci-bot' };
    expect((await mint.mintToken(actor, request)).ok).toBe(true);
    expect(await mint.mintToken(actor, request)).toMatchObject({ ok: false, code: 'RATE_LIMITED', rule: 'rateLimits.mintPerApiKey' });
  });
});
