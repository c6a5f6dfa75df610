import { verifyAuditChain } from '@/lib/audit/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import {
  AuditStateError,
  countAuditRecords,
  findMintByFingerprint,
  getAuditRecord,
  listAuditPage,
  listAuditRecords,
  recordAction,
  recordMintFailed,
  recordMintIssued,
  recordMintRequested,
  type AuditActor,
  type AuditFilter,
  type AuditRecord,
  type MintRequest,
} from './store';
import { canonicalJson } from './chain';

const ROOM_1 = 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234';
const ROOM_2 = 'arn:aws:ivschat:eu-west-1:123456789012:room/zyxwVUTS9876';
const alice: AuditActor = { staffId: 'staff-alice', email: 'Alice@Example.com', role: 'support', via: 'ui' };
const bob: AuditActor = { staffId: 'staff-bob', email: 'bob@example.com', role: 'admin', via: 'api', apiKeyName: 'ci-key' };

const mint = (over: Partial<MintRequest> = {}): MintRequest => ({
  actor: alice,
  roomArn: ROOM_1,
  region: 'us-east-1',
  userId: 'user-1',
  attributes: { displayName: 'Ada', colour: 'blue' },
  capabilities: ['SEND_MESSAGE'],
  durationMinutes: 60,
  ...over,
});

const issued = (n: number | string) => ({
  fingerprint: `fp-${n}`,
  tokenExpiresAt: new Date('2030-01-01T00:01:00.000Z'),
  sessionExpiresAt: new Date('2030-01-01T01:00:00.000Z'),
  requestId: `req-${n}`,
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined, w: 'é' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"w":"é","y":2}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });
});

describeEachDatabase('audit store', ({ fresh }) => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = (await fresh()).handle;
  });

  it('writes a pending mint, then completes it as issued', async () => {
    const { id, seq } = await recordMintRequested(mint({ reason: 'ticket #42', batchId: 'batch-1' }), db);
    expect(seq).toBeGreaterThan(0);
    const pending = await getAuditRecord(id, db);
    expect(pending).toMatchObject({
      id,
      seq,
      action: 'token.minted',
      status: 'pending',
      actorId: 'staff-alice',
      actorEmail: 'alice@example.com',
      actorRole: 'support',
      via: 'ui',
      apiKeyName: null,
      batchId: 'batch-1',
      roomArn: ROOM_1,
      region: 'us-east-1',
      userId: 'user-1',
      attributes: { displayName: 'Ada', colour: 'blue' },
      capabilities: ['SEND_MESSAGE'],
      durationMinutes: 60,
      reason: 'ticket #42',
      details: null,
      fingerprint: null,
      completedAt: null,
      completionHash: null,
    });
    expect(pending!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(pending!.hash).toMatch(/^[0-9a-f]{64}$/);

    await recordMintIssued(id, issued('a'), db);
    expect(await getAuditRecord(id, db)).toMatchObject({
      status: 'issued',
      fingerprint: 'fp-a',
      tokenExpiresAt: '2030-01-01T00:01:00.000Z',
      sessionExpiresAt: '2030-01-01T01:00:00.000Z',
      requestId: 'req-a',
      errorCode: null,
      completionHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      completedAt: expect.any(String),
    });
  });

  it('completes a mint as failed with the AWS error', async () => {
    const { id } = await recordMintRequested(mint({ actor: bob }), db);
    await recordMintFailed(id, { errorCode: 'ResourceNotFoundException', errorMessage: 'Room not found' }, db);
    expect(await getAuditRecord(id, db)).toMatchObject({
      status: 'failed',
      via: 'api',
      apiKeyName: 'ci-key',
      errorCode: 'ResourceNotFoundException',
      errorMessage: 'Room not found',
      fingerprint: null,
    });
  });

  it('completes a pending row exactly once', async () => {
    const { id } = await recordMintRequested(mint(), db);
    await recordMintIssued(id, issued('once'), db);
    await expect(recordMintIssued(id, issued('twice'), db)).rejects.toThrow(AuditStateError);
    await expect(recordMintFailed(id, { errorCode: 'X', errorMessage: 'x' }, db)).rejects.toThrow(/not pending/);
    await expect(recordMintIssued('00000000-0000-0000-0000-000000000000', issued('x'), db)).rejects.toThrow(/does not exist/);
    const { id: action } = await recordAction(
      { actor: alice, action: 'staff.created', details: { resource: { type: 'staff', id: 'x' } } },
      db,
    );
    await expect(recordMintIssued(action, issued('y'), db)).rejects.toThrow(AuditStateError);
    // Two completions racing: one wins.
    const { id: raced } = await recordMintRequested(mint(), db);
    const results = await Promise.allSettled([recordMintIssued(raced, issued('r1'), db), recordMintIssued(raced, issued('r2'), db)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await verifyAuditChain(db, { checkpointFile: null })).toMatchObject({ ok: true, problems: [] });
  });

  it('finds a mint by its fingerprint', async () => {
    const { id } = await recordMintRequested(mint({ userId: 'fp-user' }), db);
    await recordMintIssued(id, issued('lookup'), db);
    expect(await findMintByFingerprint('fp-lookup', db)).toMatchObject({ id, userId: 'fp-user' });
    expect(await findMintByFingerprint('no-such-fingerprint', db)).toBeNull();
    expect(await getAuditRecord('no-such-id', db)).toBeNull();
  });

  it('records non-mint actions as done, with details', async () => {
    const details = { resource: { type: 'staff', id: 's-9', label: 'x@example.com' }, old: { role: 'viewer' }, new: { role: 'qa' } };
    const { id } = await recordAction({ actor: bob, action: 'staff.role_changed', details, reason: 'promotion' }, db);
    expect(await getAuditRecord(id, db)).toMatchObject({
      action: 'staff.role_changed',
      status: 'done',
      details,
      reason: 'promotion',
      userId: null,
      attributes: null,
      capabilities: null,
    });
    await expect(recordAction({ actor: { ...bob, via: 'email' as never }, action: 'staff.created', details: {} }, db)).rejects.toThrow(
      /via/,
    );
  });

  it('lists newest first with every filter and a seq cursor', async () => {
    const { handle } = await fresh();
    const ids: string[] = [];
    const add = async (m: MintRequest, complete?: 'issued' | 'failed') => {
      const { id } = await recordMintRequested(m, handle);
      if (complete === 'issued') await recordMintIssued(id, issued(ids.length), handle);
      if (complete === 'failed') await recordMintFailed(id, { errorCode: 'AccessDeniedException', errorMessage: 'no' }, handle);
      ids.push(id);
    };
    await add(mint({ userId: 'u-a', reason: 'escalation 50% off' }), 'issued'); // r0
    await add(
      mint({ userId: 'u-b', roomArn: ROOM_2, region: 'eu-west-1', actor: bob, capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'] }),
      'failed',
    ); // r1
    await add(mint({ userId: 'u-a', roomArn: ROOM_2, region: 'eu-west-1', capabilities: [] })); // r2
    ids.push((await recordAction({ actor: bob, action: 'staff.created', details: { resource: { type: 'staff', id: 'n' } } }, handle)).id); // r3
    await add(mint({ userId: 'u_c', reason: 'Needs DELETE' })); // r4

    const all = (await listAuditRecords({}, { limit: 100 }, handle)).rows;
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    // Completions are their own entries (seq 2 and 4), folded into their requests' records.
    expect(all.map((r) => r.seq)).toEqual([7, 6, 5, 3, 1]);
    expect(all.map((r) => r.status)).toEqual(['pending', 'done', 'pending', 'failed', 'issued']);
    expect(all[4]).toMatchObject({
      completionSeq: 2,
      completedAt: expect.any(String),
      completionHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await listAuditRecords({ action: 'mint.issued' }, { limit: 10 }, handle)).rows).toMatchObject([
      { seq: 2, refSeq: 1, status: 'issued', fingerprint: 'fp-0' },
    ]);

    const idsOf = async (filter: AuditFilter) => {
      const { rows } = await listAuditRecords(filter, { limit: 100 }, handle);
      expect(await countAuditRecords(filter, handle)).toBe(rows.length);
      return rows.map((r) => ids.indexOf(r.id));
    };
    expect(await idsOf({ userId: 'u-a' })).toEqual([2, 0]);
    expect(await idsOf({ roomArn: ROOM_1 })).toEqual([4, 0]);
    expect(await idsOf({ actor: 'BOB@example.com' })).toEqual([3, 1]);
    expect(await idsOf({ actor: 'staff-alice' })).toEqual([4, 2, 0]);
    expect(await idsOf({ status: 'issued' })).toEqual([0]);
    expect(await idsOf({ status: 'failed' })).toEqual([1]);
    expect(await idsOf({ status: 'pending' })).toEqual([4, 2]);
    expect(await idsOf({ capability: 'DELETE_MESSAGE' })).toEqual([1]);
    expect(await idsOf({ capability: 'SEND_MESSAGE' })).toEqual([4, 0]);
    expect(await idsOf({ capability: 'SEND_%' })).toEqual([]);
    expect(await idsOf({ action: 'staff.created' })).toEqual([3]);
    expect(await idsOf({ action: 'token.minted' })).toEqual([4, 2, 1, 0]);
    expect(await idsOf({ q: 'ALICE' })).toEqual([4, 2, 0]);
    expect(await idsOf({ q: '50%' })).toEqual([0]);
    expect(await idsOf({ q: '0%' })).toEqual([0]);
    expect(await idsOf({ q: 'u_' })).toEqual([4]); // '_' is literal, not a wildcard
    expect(await idsOf({ q: 'delete' })).toEqual([4]);
    expect(await idsOf({ q: 'zyxwVUTS' })).toEqual([2, 1]);
    expect(await idsOf({ q: '   ' })).toEqual([4, 3, 2, 1, 0]);
    expect(await idsOf({ userId: 'u-a', roomArn: ROOM_2, status: 'pending' })).toEqual([2]);

    const from = new Date(all[3].at); // r1
    const to = new Date(all[1].at); // r3
    const expected = all.filter((r) => r.at >= all[3].at && r.at <= all[1].at).map((r) => ids.indexOf(r.id));
    expect(await idsOf({ from, to })).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining([3, 2, 1]));
    expect(await idsOf({ from: new Date('2999-01-01T00:00:00Z') })).toEqual([]);
    expect(await idsOf({ to: new Date('2000-01-01T00:00:00Z') })).toEqual([]);

    const pages: number[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listAuditRecords({}, { limit: 2, before }, handle);
      pages.push(page.rows.map((r) => r.seq));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(pages).toEqual([[7, 6], [5, 3], [1]]);
    const exact = await listAuditRecords({ action: 'token.minted' }, { limit: 4 }, handle);
    expect(exact.nextBefore).toBeNull();
    const filtered = await listAuditRecords({ action: 'token.minted' }, { limit: 3 }, handle);
    expect(filtered.rows.map((r) => r.seq)).toEqual([7, 5, 3]);
    expect(filtered.nextBefore).toBe(3);
    expect((await listAuditRecords({ action: 'token.minted' }, { limit: 3, before: 3 }, handle)).rows.map((r) => r.seq)).toEqual([1]);
    expect(await idsOf({ status: 'pending', action: 'staff.created' })).toEqual([]);
  });

  it('pages the mint history by number, with totals, and reads on by cursor (History\'s "1–50 of 1,011")', async () => {
    const { handle } = await fresh();
    const bulk: AuditActor = { ...alice, via: 'bulk' };
    for (let i = 1; i <= 7; i++) {
      const { id } = await recordMintRequested(
        mint(i <= 5 ? { userId: `b-${i}`, actor: bulk, batchId: 'job-1' } : { userId: `UI-${i}` }),
        handle,
      );
      if (i !== 3) await recordMintIssued(id, issued(`p-${i}`), handle);
    }
    await recordAction({ actor: bob, action: 'staff.created', details: { resource: { type: 'staff', id: 'n' } } }, handle);
    const users = (p: { rows: AuditRecord[] }) => p.rows.map((r) => r.userId);
    const mints = { action: 'token.minted' } as const;

    const p1 = await listAuditPage(mints, { page: 1, pageSize: 3 }, handle);
    expect(p1).toMatchObject({ firstRow: 1, total: 7, capped: false, page: 1, pages: 3 });
    expect(users(p1)).toEqual(['UI-7', 'UI-6', 'b-5']);
    const p3 = await listAuditPage(mints, { page: 3, pageSize: 3 }, handle);
    expect(p3).toMatchObject({ firstRow: 7, total: 7, page: 3, pages: 3, nextBefore: null });
    expect(users(p3)).toEqual(['b-1']);
    // Every page of a number list is the keyset list's slice: no gap, no overlap.
    const keyset = (await listAuditRecords(mints, { limit: 100 }, handle)).rows.map((r) => r.userId);
    const numbered = [];
    for (let page = 1; page <= 3; page++) numbered.push(...users(await listAuditPage(mints, { page, pageSize: 3 }, handle)));
    expect(numbered).toEqual(keyset);

    // Filters count what they list: batch, source, status, text search (which reads the entry).
    const batch = await listAuditPage({ ...mints, batchId: 'job-1', via: 'bulk' }, { pageSize: 2 }, handle);
    expect(batch).toMatchObject({ total: 5, pages: 3 });
    expect(users(batch)).toEqual(['b-5', 'b-4']);
    expect((await listAuditPage({ ...mints, batchId: 'job-1', via: 'ui' }, {}, handle)).total).toBe(0);
    expect((await listAuditPage({ ...mints, status: 'pending' }, {}, handle)).rows.map((r) => r.userId)).toEqual(['b-3']);
    expect((await listAuditPage({ ...mints, q: 'ui-' }, {}, handle)).total).toBe(2);
    // The exact userId filter is case-sensitive, as the form says.
    expect((await listAuditPage({ ...mints, userId: 'ui-6' }, {}, handle)).total).toBe(0);
    expect((await listAuditPage({ ...mints, userId: 'UI-6' }, {}, handle)).total).toBe(1);

    // Under a cursor, counting and numbering start below it.
    const below = await listAuditPage(mints, { before: p1.rows[2].seq, pageSize: 3 }, handle);
    expect(below).toMatchObject({ total: 4, firstRow: 1, pages: 2 });
    expect(users(below)).toEqual(['b-4', 'b-3', 'b-2']);
    expect(below.nextBefore).toBe(below.rows[2].seq);
    // A page past the end is empty, not an error; a status on other actions matches nothing.
    expect((await listAuditPage(mints, { page: 9, pageSize: 3 }, handle)).rows).toEqual([]);
    expect((await listAuditPage({ action: 'staff.created', status: 'issued' }, {}, handle)).total).toBe(0);
  });

  it('keeps 200 concurrent mints as 200 rows on one unbroken chain', async () => {
    const { handle } = await fresh();
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const { id, seq } = await recordMintRequested(mint({ userId: `c-${i}` }), handle);
        if (i % 10 === 0) await recordMintFailed(id, { errorCode: 'ThrottlingException', errorMessage: 'slow down' }, handle);
        else await recordMintIssued(id, issued(`c-${i}`), handle);
        return { id, seq };
      }),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(200);
    expect(new Set(results.map((r) => r.seq)).size).toBe(200);
    expect(await countAuditRecords({}, handle)).toBe(200);
    expect(await countAuditRecords({ action: 'token.minted' }, handle)).toBe(200);
    expect(await countAuditRecords({ status: 'issued' }, handle)).toBe(180);
    expect(await countAuditRecords({ status: 'pending' }, handle)).toBe(0);
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs[0]).toBe(1);
    expect(await verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({ ok: true, rows: 400, problems: [] });
    const record: AuditRecord | null = await findMintByFingerprint('fp-c-7', handle);
    expect(record?.userId).toBe('c-7');
  });
});
