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

  it('refuses the third mint per staff member with RATE_LIMITED, calling nothing and writing only the refusal', async () => {
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
    expect(await store.countAuditRecords({})).toBe(rows + 1);
    expect(await store.getAuditRecord(third.auditId!)).toMatchObject({
      action: 'token.refused',
      status: 'done',
      userId: 'rl',
      fingerprint: null,
      details: { code: 'RATE_LIMITED', rule: 'rateLimits.mintPerStaff', attemptInWindow: 1 },
    });
    // Another member has a counter of their own.
    expect((await mint.mintToken({ ...actor, staffId: 'rl-2' }, request)).ok).toBe(true);
  });

  it('counts an API key separately from the staff member behind it', async () => {
    const actor = { staffId: 'rl-3', email: 'rl3@example.com', role: 'support' as const, via: 'api' as const, apiKeyName: 'ci-bot' };
    expect((await mint.mintToken(actor, request)).ok).toBe(true);
    expect(await mint.mintToken(actor, request)).toMatchObject({ ok: false, code: 'RATE_LIMITED', rule: 'rateLimits.mintPerApiKey' });
  });

  it('a flood of refused attempts writes a bounded number of entries, the last carrying the count', async () => {
    const actor = {
      staffId: 'rl-flood',
      email: 'flood@example.com',
      role: 'support' as const,
      via: 'api' as const,
      apiKeyName: 'flood-bot',
    };
    expect((await mint.mintToken(actor, request)).ok).toBe(true);
    const refusals = () => store.countAuditRecords({ action: 'token.refused', actor: 'flood@example.com' });
    const before = await refusals();
    const results = [];
    // One minute's window; 150 refused attempts in a row (the test is far quicker than a minute,
    // but a window edge may split them: at most one extra window's worth).
    for (let i = 0; i < 150; i++) results.push(await mint.mintToken(actor, request));
    expect(results.every((r) => !r.ok && r.code === 'RATE_LIMITED')).toBe(true);
    const written = (await refusals()) - before;
    expect(written).toBeGreaterThanOrEqual(11);
    expect(written).toBeLessThanOrEqual(22);
    const newest = (await store.listAuditRecords({ action: 'token.refused', actor: 'flood@example.com' }, { limit: 1 })).rows[0];
    expect(newest.details).toMatchObject({ rule: 'rateLimits.mintPerApiKey' });
    expect((newest.details as { attemptInWindow: number }).attemptInWindow).toBeGreaterThanOrEqual(10);
  });
});
