import { verifyAuditChain as verifyOnce } from '@/lib/audit/verify';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import { chainedText, entryHash } from './chain';
import { appendCheckpoint, checkpointMac, readCheckpoints } from './checkpoint';
import { chainKeyring, makeKeyring } from './keys';
import {
  findMintByFingerprint,
  getAuditRecord,
  listAuditRecords,
  recordAction,
  recordMintFailed,
  recordMintIssued,
  recordMintRequested,
  writeCheckpoint,
  type AuditActor,
  type MintRequest,
} from './store';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234';
const alice: AuditActor = { staffId: 'staff-alice', email: 'alice@example.com', role: 'support', via: 'ui' };
const mint = (userId: string): MintRequest => ({
  actor: alice,
  roomArn: ROOM,
  region: 'us-east-1',
  userId,
  attributes: { displayName: userId },
  capabilities: ['SEND_MESSAGE'],
  durationMinutes: 60,
});
const issued = (n: string) => ({
  fingerprint: `fp-${n}`,
  tokenExpiresAt: new Date('2030-01-01T00:01:00.000Z'),
  sessionExpiresAt: new Date('2030-01-01T01:00:00.000Z'),
  requestId: `req-${n}`,
});

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function sinkFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'audit-checkpoints-'));
  dirs.push(dir);
  return path.join(dir, 'checkpoints.jsonl');
}

/**
 * verify three ways, which must agree: the whole log as one run on this thread (the default for a
 * small log), runs of 3 seqs on this thread, and runs of 3 shared with a worker thread, so every
 * case below also crosses run boundaries and the worker's own connection.
 */
async function verifyAuditChain(h: DatabaseHandle, options: Parameters<typeof verifyOnce>[1] = {}) {
  const whole = await verifyOnce(h, options);
  const strip = ({ ms: _ms, threads: _threads, ...rest }: typeof whole) => rest;
  expect(strip(await verifyOnce(h, { ...options, chunkSize: 3, workers: 0 })), 'in runs of 3').toEqual(strip(whole));
  const shared = await verifyOnce(h, { ...options, chunkSize: 3, workers: 1, parallelFrom: 0 });
  expect(strip(shared), 'in runs of 3 with a worker').toEqual(strip(whole));
  if (whole.rows > 3) expect(shared.threads, 'a worker took part').toBe(2);
  return whole;
}

// Each case verifies three times, one of them starting a worker thread (about a second on a busy machine).
vi.setConfig({ testTimeout: 90_000 });

describeEachDatabase('audit chain tampering', ({ fresh, kind }) => {
  /**
   * 8 entries: 1 request u1, 2 issued(1), 3 request u2, 4 failed(3), 5 request u3 (stays pending),
   * 6 staff.disabled, 7 request u5, 8 issued(7).
   */
  async function seeded(): Promise<{ h: DatabaseHandle; ids: Record<string, string> }> {
    const { handle: h } = await fresh();
    const a = await recordMintRequested(mint('u1'), h);
    await recordMintIssued(a.id, issued('1'), h);
    const b = await recordMintRequested(mint('u2'), h);
    await recordMintFailed(b.id, { errorCode: 'ValidationException', errorMessage: 'bad' }, h);
    const c = await recordMintRequested(mint('u3'), h);
    await recordAction({ actor: alice, action: 'staff.disabled', details: { resource: { type: 'staff', id: 'z' } } }, h);
    const e = await recordMintRequested(mint('u5'), h);
    await recordMintIssued(e.id, issued('5'), h);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: true, rows: 8, problems: [] });
    return { h, ids: { a: a.id, b: b.id, c: c.id, e: e.id } };
  }

  /**
   * Runs statements as a database writer without the chain key would: the append-only triggers
   * out of the way first, put back afterwards (so only the edit itself is left to find).
   */
  async function tamper(h: DatabaseHandle, ...statements: RawBuilder<unknown>[]) {
    if (kind === 'sqlite') {
      const { rows } = await sql<{
        name: string;
        sql: string;
      }>`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'`.execute(h.db);
      for (const t of rows) await sql.raw(`drop trigger ${t.name}`).execute(h.db);
      for (const s of statements) await s.execute(h.db);
      for (const t of rows) await sql.raw(t.sql).execute(h.db);
    } else {
      await sql`alter table audit_log disable trigger user`.execute(h.db);
      for (const s of statements) await s.execute(h.db);
      await sql`alter table audit_log enable trigger user`.execute(h.db);
    }
  }

  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  it('verifies entries holding the characters JSON escapes (the database spells the chained text)', async () => {
    const { handle: h } = await fresh();
    const awkward = ['quote " backslash \\ slash /', 'tab\tnewline\ncr\rff\fbs\b', '\u0001\u001f\u007f', 'é ü 中文 😀 \u2028 \u2029', ''];
    for (const [i, text] of awkward.entries()) {
      await recordMintRequested({ ...mint(`u-${text}-${i}`), attributes: { displayName: text, [text]: 'k' }, reason: text || null }, h);
      await recordAction({ actor: alice, action: 'staff.disabled', reason: text, details: { resource: { type: 'staff', id: text } } }, h);
    }
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: true, rows: awkward.length * 2, problems: [] });
  });

  it('the database refuses UPDATE and DELETE on the log (and TRUNCATE on PostgreSQL)', async () => {
    const { h } = await seeded();
    await expect(sql`update audit_log set user_id = 'x' where seq = 1`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`update audit_log set hash = hash`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 8`.execute(h.db)).rejects.toThrow(/append-only/);
    if (kind === 'postgres') await expect(sql`truncate audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: true, rows: 8 });
  });

  it('reports the append-only triggers missing', async () => {
    const { h } = await seeded();
    if (kind === 'sqlite') await sql`drop trigger audit_log_no_delete`.execute(h.db);
    else await sql`alter table audit_log disable trigger audit_log_append_only`.execute(h.db);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: false, problem: expect.stringMatching(/trigger/) });
  });

  it('finds an edited entry', async () => {
    const { h } = await seeded();
    await tamper(h, sql`update audit_log set user_id = 'someone-else' where seq = 5`);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 5,
      rows: 4,
      problem: expect.stringMatching(/edited/),
    });
    const { h: h2 } = await seeded();
    await tamper(h2, sql`update audit_log set session_expires_at = '2031-01-01T00:00:00.000Z' where seq = 8`);
    expect(await verifyAuditChain(h2, { checkpointFile: null })).toMatchObject({ ok: false, seq: 8 });
  });

  it('finds a forged completion: issued rewritten as failed with a recomputed unkeyed hash', async () => {
    // The attack from the issue: make an issued mint "failed" so token lookup no longer finds it.
    const { h, ids } = await seeded();
    const completion = (await listAuditRecords({ action: 'mint.issued' }, { limit: 10 }, h)).rows.find((r) => r.refSeq === 1)!;
    expect(completion.seq).toBe(2);
    const row = await h.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const forged = {
      ...row,
      action: 'mint.failed',
      fingerprint: null,
      token_expires_at: null,
      session_expires_at: null,
      request_id: null,
      error_code: 'AccessDeniedException',
      error_message: 'denied',
    };
    // What the old chain accepted: a plain SHA-256 the writer can compute. Without the key, the
    // best a writer can do; the next entry's prev_hash is rewritten to match as well.
    const forgedHash = sha256(row.prev_hash + chainedText(forged));
    await tamper(
      h,
      sql`update audit_log set action = 'mint.failed', fingerprint = null, token_expires_at = null, session_expires_at = null, request_id = null,
          error_code = 'AccessDeniedException', error_message = 'denied', hash = ${forgedHash} where seq = 2`,
      sql`update audit_log set prev_hash = ${forgedHash} where seq = 3`,
    );
    await sql`update audit_mints set status = 'failed' where seq = 1`.execute(h.db);
    expect(await findMintByFingerprint('fp-1', h)).toBeNull();
    expect(await getAuditRecord(ids.a, h)).toMatchObject({ status: 'failed' });
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 2,
      rows: 1,
      problem: expect.stringMatching(/without the chain key|edited/),
    });
  });

  it('finds a forged completion appended for a pending mint, and one keyed with a guessed key', async () => {
    const { h, ids } = await seeded();
    const head = await h.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const forged = {
      ...head,
      seq: 9,
      id: '00000000-0000-4000-8000-000000000009',
      at: new Date().toISOString(),
      ref_seq: 5,
      fingerprint: 'fp-planted',
      request_id: 'req-planted',
    };
    const guessed = makeKeyring('a-guessed-key-that-is-not-the-console-key').current;
    // Under the console's key id, but hashed with another key.
    await h.db
      .insertInto('audit_log')
      .values({ ...forged, prev_hash: head.hash, hash: entryHash(guessed.secret, head.hash, forged) })
      .execute();
    await sql`update audit_mints set status = 'issued', completion_seq = 9 where seq = 5`.execute(h.db);
    expect(await getAuditRecord(ids.c, h)).toMatchObject({ status: 'issued', fingerprint: 'fp-planted' });
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 9,
      problem: expect.stringMatching(/hash mismatch/),
    });

    // Under a key id of its own: not in the keyring.
    const { h: h2 } = await seeded();
    const head2 = await h2.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const own = { ...head2, ...forged, key_id: guessed.id };
    await h2.db
      .insertInto('audit_log')
      .values({ ...own, prev_hash: head2.hash, hash: entryHash(guessed.secret, head2.hash, own) })
      .execute();
    expect(await verifyAuditChain(h2, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 9,
      problem: expect.stringMatching(/not in the keyring/),
    });
  });

  it('finds a deleted entry in the middle, and a completion deleted to put a mint back to pending', async () => {
    const { h } = await seeded();
    await tamper(h, sql`delete from audit_log where seq = 5`);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 6,
      rows: 4,
      problem: expect.stringMatching(/missing/),
    });
    const { h: h2, ids } = await seeded();
    // "Reset an issued mint to a bare pending row": its completion (seq 2) removed, seqs closed up.
    await tamper(
      h2,
      sql`delete from audit_log where seq = 2`,
      ...[3, 4, 5, 6, 7, 8].map((s) => sql`update audit_log set seq = ${s - 1} where seq = ${s}`),
    );
    await sql`update audit_mints set status = 'pending', completion_seq = null where seq = 1`.execute(h2.db);
    expect(await getAuditRecord(ids.a, h2)).toMatchObject({ status: 'pending' });
    expect(await verifyAuditChain(h2, { checkpointFile: null })).toMatchObject({ ok: false, seq: 2, rows: 1 });
  });

  it('finds truncation against a checkpoint', async () => {
    const { h } = await seeded();
    const file = await sinkFile();
    expect(await writeCheckpoint({ file }, h)).toMatchObject({ checkpoint: { seq: 8 } });
    expect(await verifyAuditChain(h, { checkpointFile: file })).toMatchObject({ ok: true, checkpoints: { valid: 1, matched: 1 } });
    // The newest entries cut off: the chain itself is still consistent...
    await tamper(h, sql`delete from audit_log where seq >= 7`);
    await sql`delete from audit_mints where seq = 7`.execute(h.db);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: true, rows: 6 });
    // ...but not with the checkpoint.
    expect(await verifyAuditChain(h, { checkpointFile: file })).toMatchObject({
      ok: false,
      seq: 8,
      problem: expect.stringMatching(/ends at seq 6.*saw seq 8.*truncation/),
    });
  });

  it('finds a rollback against a checkpoint, even after the console wrote on', async () => {
    const { h } = await seeded();
    const file = await sinkFile();
    await writeCheckpoint({ file }, h);
    // Back to the state after seq 6 (a restored backup), then the console keeps minting.
    await tamper(h, sql`delete from audit_log where seq >= 7`);
    await sql`delete from audit_mints where seq = 7`.execute(h.db);
    const x = await recordMintRequested(mint('after-rollback'), h);
    await recordMintIssued(x.id, issued('x'), h);
    expect(await verifyAuditChain(h, { checkpointFile: null })).toMatchObject({ ok: true, rows: 8 });
    expect(await verifyAuditChain(h, { checkpointFile: file })).toMatchObject({
      ok: false,
      seq: 8,
      problem: expect.stringMatching(/not the one checkpointed.*rolled back/),
    });
  });

  it('rejects a checkpoint forged without the key, and one edited', async () => {
    const { h } = await seeded();
    const file = await sinkFile();
    await writeCheckpoint({ file }, h);
    const real = (await readFile(file, 'utf8')).trim();
    const parsed = JSON.parse(real);
    const keyring = chainKeyring();
    const fake = { ...parsed, seq: 3, hash: 'f'.repeat(64) };
    fake.mac = sha256(JSON.stringify(['ivsc-audit-checkpoint-v1', fake.seq, fake.hash, fake.keyId, fake.at]));
    await writeFile(file, `${real}\n${JSON.stringify(fake)}\n${JSON.stringify({ ...parsed, seq: 2 })}\n`);
    const read = readCheckpoints(file, keyring);
    expect(read.valid).toHaveLength(1);
    expect(read.rejected.map((r) => r.line)).toEqual([2, 3]);
    expect(checkpointMac(keyring.current.secret, parsed)).toBe(parsed.mac);
    expect(await verifyAuditChain(h, { checkpointFile: file })).toMatchObject({ ok: false, problem: expect.stringMatching(/line 2: MAC/) });
  });

  it('recomputes the audit_mints projection and reports any difference, while records keep the truth', async () => {
    const { h, ids } = await seeded();
    await sql`update audit_mints set status = 'failed' where seq = 7`.execute(h.db);
    await sql`update audit_mints set user_id = 'moved' where seq = 1`.execute(h.db);
    await sql`delete from audit_mints where seq = 3`.execute(h.db);
    // The record still reads from the chain.
    expect(await getAuditRecord(ids.e, h)).toMatchObject({ status: 'issued', fingerprint: 'fp-5' });
    const result = await verifyAuditChain(h, { checkpointFile: null });
    expect(result.ok).toBe(false);
    expect(result.problems.every((p) => p.kind === 'projection')).toBe(true);
    expect(result.problems.map((p) => p.problem)).toEqual([
      expect.stringMatching(/seq 1 differs .* user_id/),
      expect.stringMatching(/no row for the mint request seq 3/),
      expect.stringMatching(/does not record seq 4 \(failed\) as the completion of seq 3/),
      expect.stringMatching(/seq 7 was failed by seq 8, but that entry issued seq 7/),
    ]);
  });

  it('writes interval checkpoints the verifier accepts', async () => {
    const { h } = await seeded();
    const file = await sinkFile();
    const keyring = chainKeyring();
    const head = await h.db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', 4).executeTakeFirstOrThrow();
    appendCheckpoint(file, head, keyring);
    await writeCheckpoint({ file }, h);
    expect(await verifyAuditChain(h, { checkpointFile: file })).toMatchObject({
      ok: true,
      checkpoints: { valid: 2, matched: 2, latest: { seq: 8 } },
    });
  });
});

describe('chain hashes', () => {
  it('are HMAC-SHA256 under the key: the same entry under another key, or unkeyed, differs', () => {
    const row = {
      seq: 1,
      id: 'x',
      at: '2030-01-01T00:00:00.000Z',
      action: 'staff.created',
      actor_id: 'a',
      actor_email: 'a@example.com',
      actor_role: 'admin',
      via: 'ui',
      api_key_name: null,
      batch_id: null,
      room_arn: null,
      region: null,
      user_id: null,
      attributes: null,
      capabilities: null,
      duration_minutes: null,
      reason: null,
      details: '{}',
      ref_seq: null,
      fingerprint: null,
      token_expires_at: null,
      session_expires_at: null,
      request_id: null,
      error_code: null,
      error_message: null,
      key_id: 'k1',
    };
    const a = entryHash('key-a', '0'.repeat(64), row);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash('key-b', '0'.repeat(64), row)).not.toBe(a);
    expect(
      createHash('sha256')
        .update('0'.repeat(64) + chainedText(row))
        .digest('hex'),
    ).not.toBe(a);
    expect(entryHash('key-a', '0'.repeat(64), { ...row, reason: 'x' })).not.toBe(a);
  });
});
