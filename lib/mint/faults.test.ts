/**
 * Issue 7's faults on the one mint path, against the real emulator over HTTP and a real SQLite
 * file: an answer lost after the request may have reached AWS (a hang past the timeout, a
 * connection dropped after the token was issued) is never retried and leaves its audit row
 * 'pending' (outcome unknown); a database that is unwritable or locked means no call reaches
 * CreateChatToken, and minting works again, in the same process, once the database is back.
 * (100 concurrent hangs: lib/mint/hang.test.ts; PostgreSQL stopped: lib/mint/faults-pg.test.ts.)
 */
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';
import { tokenState } from '@/lib/shared/tokens/token-state';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const TIMEOUT_MS = 600;
const MAX_ATTEMPTS = 3;
const BUSY_TIMEOUT_MS = 150;
/** Scheduling and SQLite writes on a loaded 2-core machine; the bound stays far below a retry. */
const SLACK_MS = 900;

let harness: ConsoleHarness;
let mint: typeof import('./mint-token');
let store: typeof import('@/lib/audit/store');
let database: typeof import('@/lib/db');

const moderator = { staffId: 'staff-faults', email: 'faults@example.com', role: 'moderator' as const, via: 'ui' as const };

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'mint-faults',
    env: {
      IVSCHAT_TIMEOUT_MS: String(TIMEOUT_MS),
      IVSCHAT_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS),
    },
    policy: (p) => {
      p.rateLimits.mintPerStaff = { max: 10_000, windowSeconds: 60 };
    },
  });
  mint = await import('./mint-token');
  store = await import('@/lib/audit/store');
  database = await import('@/lib/db');
  // Opens (and migrates) the database and loads the SDK, so the timings below are the call's own.
  const warm = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'warm-up' });
  if (!warm.ok) throw new Error(`warm-up mint failed: ${warm.message}`);
});

afterAll(async () => harness?.close());

beforeEach(async () => harness.clearFaults());

/** Everything the staff member, the audit log and the history must say about a lost answer. */
async function expectOutcomeUnknown(result: Awaited<ReturnType<typeof mint.mintToken>>, userId: string) {
  expect(result).toMatchObject({ ok: false, code: 'AWS_OUTCOME_UNKNOWN', retryable: false, auditId: expect.any(String) });
  if (result.ok) throw new Error('minted');
  expect(result.message).toMatch(/AWS may have issued a token that was never delivered/);
  expect(result.message).toMatch(/Nothing was shown here and nothing was retried/);
  expect(result.message).toContain(`audit record ${result.auditId} stays "pending (outcome unknown)"`);

  const rows = await store.listAuditRecords({ userId, action: 'token.minted' }, { limit: 10 });
  expect(rows.rows).toHaveLength(1);
  const [row] = rows.rows;
  expect(row).toMatchObject({ id: result.auditId, status: 'pending', fingerprint: null, tokenExpiresAt: null, errorCode: null });
  // The history's status filter finds it, and the detail page reads it as unknown.
  const pending = await store.listAuditRecords({ status: 'pending', userId }, { limit: 10 });
  expect(pending.rows.map((r) => r.id)).toEqual([result.auditId]);
  expect(tokenState(row, new Date()).headline).toBe('Outcome unknown');
  // A pending row is part of the hash chain as it is (`npm run audit -- verify`).
  expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
}

describe('an answer lost after the request may have reached AWS', () => {
  it('hang: fails within the configured timeout, one call (no retry), the row stays pending', async () => {
    await harness.armFault({ hang: true, count: MAX_ATTEMPTS });
    const before = await harness.stats();
    const started = performance.now();
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'hang-once' });
    const elapsed = performance.now() - started;
    console.log(`hang: mint failed after ${elapsed.toFixed(0)} ms (IVSCHAT_TIMEOUT_MS ${TIMEOUT_MS})`);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20); // it was the timeout that ended it
    expect(elapsed).toBeLessThan(TIMEOUT_MS + SLACK_MS); // and a retry would have taken another TIMEOUT_MS
    const after = await harness.stats();
    expect(after.operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received + 1);
    expect(result.ok ? '' : result.message).toMatch(/^IVS Chat did not answer in time/);
    await expectOutcomeUnknown(result, 'hang-once');
  });

  it('drop after issue: the emulator issued one token, one audit row, pending, no fingerprint, no second call', async () => {
    await harness.armFault({ drop: 'after', count: MAX_ATTEMPTS });
    const before = await harness.stats();
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'dropped-after' });
    const after = await harness.stats();
    expect(after.tokensIssued).toBe(before.tokensIssued + 1);
    expect(after.operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received + 1);
    expect(result.ok ? '' : result.message).toMatch(/^The connection to IVS Chat was lost/);
    await expectOutcomeUnknown(result, 'dropped-after');
    expect(await store.countAuditRecords({ userId: 'dropped-after' })).toBe(1);
    // What the HTTP API answers for it (lib/contract/http.ts, documented in lib/api/openapi.ts).
    const { failureResponse } = await import('@/lib/contract/http');
    if (result.ok) return;
    const response = failureResponse(result);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'AWS_OUTCOME_UNKNOWN', retryable: false, auditId: result.auditId });
  });

  it('a request that was answered with 500 past the retry budget is failed, not unknown', async () => {
    await harness.armFault({ error: 'InternalServerError', count: MAX_ATTEMPTS });
    const before = await harness.stats();
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'five-hundred' });
    expect(result).toMatchObject({ ok: false, code: 'AWS_ERROR', retryable: true });
    expect((await harness.stats()).operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received + MAX_ATTEMPTS);
    if (!result.ok) expect(await store.getAuditRecord(result.auditId!)).toMatchObject({ status: 'failed', fingerprint: null });
  });

  it('the bulk pacer does not retry a lost answer either: one call, the row pending', async () => {
    await harness.armFault({ drop: 'after', count: MAX_ATTEMPTS });
    const { BulkPacer } = await import('@/lib/bulk/pacer');
    const pacer = new BulkPacer();
    const before = await harness.stats();
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'bulk-dropped' }, { pacer });
    expect((await harness.stats()).operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received + 1);
    expect(pacer.retried).toBe(0);
    await expectOutcomeUnknown(result, 'bulk-dropped');
  });
});

describe('the database cannot take the pending row', () => {
  const noAuditMessage = /could not be (written|reached), so no token was issued/;

  it('unwritable: AUDIT_UNAVAILABLE with a plain message, no call, and minting works again without a restart', async () => {
    const handle = await database.getDatabase();
    const before = await harness.stats();
    const rows = await store.countAuditRecords({});
    await sql`PRAGMA query_only = ON`.execute(handle.db);
    try {
      const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'unwritable' });
      expect(result).toMatchObject({ ok: false, code: 'AUDIT_UNAVAILABLE', retryable: true });
      expect(result.ok ? '' : result.message).toMatch(noAuditMessage);
    } finally {
      await sql`PRAGMA query_only = OFF`.execute(handle.db);
    }
    expect((await harness.stats()).operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received);
    expect(await store.countAuditRecords({})).toBe(rows);
    expect((await mint.mintToken(moderator, { roomArn: ROOM, userId: 'unwritable' })).ok).toBe(true);
  });

  it('locked: another connection holds BEGIN EXCLUSIVE; fails after the busy timeout, no call; works once released', async () => {
    await database.getDatabase();
    const other = new SqliteDatabase(join(harness.dataDir, 'console.db'), { timeout: 0 });
    const before = await harness.stats();
    const rows = await store.countAuditRecords({});
    other.exec('BEGIN EXCLUSIVE');
    try {
      const started = performance.now();
      const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'locked' });
      const elapsed = performance.now() - started;
      console.log(`locked: mint refused after ${elapsed.toFixed(0)} ms (SQLITE_BUSY_TIMEOUT_MS ${BUSY_TIMEOUT_MS})`);
      expect(result).toMatchObject({ ok: false, code: 'AUDIT_UNAVAILABLE', retryable: true });
      expect(result.ok ? '' : result.message).toMatch(noAuditMessage);
      expect(elapsed).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 20); // it waited for the lock, as configured
      expect(elapsed).toBeLessThan(BUSY_TIMEOUT_MS * 3 + SLACK_MS);
      expect((await harness.stats()).operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.countAuditRecords({})).toBe(rows);
    const again = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'locked' });
    expect(again.ok).toBe(true);
    expect((await harness.stats()).operations.CreateChatToken.received).toBe(before.operations.CreateChatToken.received + 1);
  });
});
