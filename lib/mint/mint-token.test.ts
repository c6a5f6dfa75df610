/**
 * The one mint path against the real emulator over HTTP and a real SQLite file: what is written,
 * what reaches CreateChatToken, and that nothing is issued without an audit row.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
let harness: ConsoleHarness;
let mint: typeof import('./mint-token');
let store: typeof import('@/lib/audit/store');
let fingerprint: typeof import('@/lib/audit/fingerprint');
let database: typeof import('@/lib/db');

const moderator = { staffId: 'staff-1', email: 'mod@example.com', role: 'moderator' as const, via: 'ui' as const };

const calls = () => harness.createChatTokenCalls();
const fault = (body: object) => harness.armFault(body);

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'mint-test', env: { IVSCHAT_TIMEOUT_MS: '1000', IVSCHAT_MAX_ATTEMPTS: '3' } });
  mint = await import('./mint-token');
  store = await import('@/lib/audit/store');
  fingerprint = await import('@/lib/audit/fingerprint');
  database = await import('@/lib/db');
});

afterAll(async () => harness?.close());

beforeEach(async () => harness.clearFaults());

describe('mintToken', () => {
  it('resolves a bare room id or an exact room name to its ARN on the server, and names a room that is none', async () => {
    for (const roomArn of ['QaSandbox001', 'qa-sandbox']) {
      const result = await mint.mintToken(moderator, { roomArn, userId: `by-${roomArn}` });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) expect((await store.getAuditRecord(result.data.auditId))?.roomArn).toBe(ROOM);
    }
    const before = await calls();
    const unknown = await mint.mintToken(moderator, { roomArn: 'NoSuchRoom99', userId: ' ann ', sessionDurationInMinutes: 999 });
    expect(unknown).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (unknown.ok) return;
    // Every field at once, the room in the room rule's words.
    expect(unknown.fieldErrors.roomArn).toMatch(/^No room has the id or name "NoSuchRoom99"/);
    expect(unknown.fieldErrors.userId).toMatch(/^userId starts and ends with a space/);
    expect(unknown.fieldErrors.sessionDurationInMinutes).toMatch(/at most 180/);
    expect(await calls()).toBe(before);
  });

  it('issues a token and completes its audit row with the fingerprint, never the token', async () => {
    const before = await calls();
    const result = await mint.mintToken(moderator, {
      roomArn: ROOM,
      userId: 'ann',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
      sessionDurationInMinutes: 30,
      attributes: [{ key: 'displayName', value: 'Ann' }],
      reason: 'moderating',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await calls()).toBe(before + 1);
    const record = await store.getAuditRecord(result.data.auditId);
    expect(record).toMatchObject({
      status: 'issued',
      userId: 'ann',
      roomArn: ROOM,
      region: 'us-east-1',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
      durationMinutes: 30,
      reason: 'moderating',
      fingerprint: fingerprint.tokenFingerprint(result.data.token),
      sessionExpiresAt: result.data.sessionExpirationTime,
      tokenExpiresAt: result.data.tokenExpirationTime,
    });
    expect(JSON.stringify(record)).not.toContain(result.data.token);
    const found = await store.findMintByFingerprint(fingerprint.tokenFingerprint(result.data.token));
    expect(found?.id).toBe(result.data.auditId);
    expect(Date.parse(result.data.sessionExpirationTime) - Date.parse(result.data.issuedAt)).toBeGreaterThan(29.9 * 60_000);
  });

  it('refuses bad input with field errors, writing nothing and calling nothing', async () => {
    const before = await calls();
    const rowsBefore = await store.countAuditRecords({});
    const result = await mint.mintToken(moderator, { roomArn: 'nope', userId: '', sessionDurationInMinutes: 181 });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['roomArn', 'sessionDurationInMinutes', 'userId']);
    expect(await calls()).toBe(before);
    expect(await store.countAuditRecords({})).toBe(rowsBefore);
  });

  it('refuses a viewer before anything is written or called', async () => {
    const before = await calls();
    const result = await mint.mintToken({ ...moderator, role: 'viewer' }, { roomArn: ROOM, userId: 'ann' });
    expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.viewer.mayMint' });
    expect(await calls()).toBe(before);
  });

  it('records an AWS refusal as failed, with its error code, and returns no token', async () => {
    await fault({ error: 'AccessDeniedException', count: 1 });
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'denied' });
    expect(result).toMatchObject({ ok: false, code: 'AWS_ERROR', awsCode: 'AccessDeniedException' });
    if (result.ok) return;
    expect(await store.getAuditRecord(result.auditId!)).toMatchObject({
      status: 'failed',
      errorCode: 'AccessDeniedException',
      fingerprint: null,
    });
  });

  it('maps a missing room to the room field', async () => {
    const result = await mint.mintToken(moderator, { roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom12', userId: 'x' });
    expect(result).toMatchObject({ ok: false, awsCode: 'ResourceNotFoundException' });
    if (!result.ok) expect(result.fieldErrors?.roomArn).toMatch(/does not exist/);
  });

  it('rides out two throttles within the retry budget: one token, one audit row', async () => {
    await fault({ error: 'ThrottlingException', count: 2 });
    const before = await store.countAuditRecords({ userId: 'throttled' });
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'throttled' });
    expect(result.ok).toBe(true);
    expect(await store.countAuditRecords({ userId: 'throttled' })).toBe(before + 1);
  });

  it('fails closed: when the audit log cannot be written, CreateChatToken is never called', async () => {
    const handle = await database.getDatabase();
    await sql`PRAGMA query_only = ON`.execute(handle.db);
    try {
      const before = await calls();
      const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'no-audit' });
      expect(result).toMatchObject({ ok: false, code: 'AUDIT_UNAVAILABLE' });
      expect(result.ok ? '' : result.message).toMatch(/no token was issued/);
      expect(await calls()).toBe(before);
    } finally {
      await sql`PRAGMA query_only = OFF`.execute(handle.db);
    }
    // and minting works again once the store is writable, without a restart
    expect((await mint.mintToken(moderator, { roomArn: ROOM, userId: 'no-audit' })).ok).toBe(true);
  });
});
