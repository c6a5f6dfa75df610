/** The bulk tables and the batch reservation on SQLite and PostgreSQL (one query layer for both). */
import { expect, it } from 'vitest';
import { describeEachDatabase } from '@/test/pg';
import { reserveBulkRows, isBulkReservation } from '@/lib/mint/rate-limit';
import {
  insertBulkJob,
  listBulkRows,
  markBulkJobInterrupted,
  recordBulkProgress,
  getBulkJobRecord,
  markBulkTokensDownloaded,
  allBulkRows,
} from './store';

const job = (id: string, at: string) => ({
  id,
  staff_id: 'staff-1',
  staff_email: 'qa@example.com',
  staff_role: 'qa',
  room_arn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
  capabilities: '["SEND_MESSAGE"]',
  duration_minutes: 30,
  reason: '',
  source_kind: 'template',
  total: 1200,
  instance_id: 'i-1',
  created_at: at,
  updated_at: at,
});

describeEachDatabase('bulk store', ({ fresh }) => {
  it('stores a job and its rows, records progress, pages and filters rows', async () => {
    const { handle } = await fresh();
    const at = new Date().toISOString();
    await insertBulkJob(
      job('j1', at),
      Array.from({ length: 1200 }, (_, i) => `qa-${i + 1}`),
      handle,
    );
    await recordBulkProgress(
      'j1',
      [
        { idx: 1, status: 'issued', auditId: 'a1', errorCode: null, awsCode: null, errorMessage: null, attempts: 1 },
        {
          idx: 2,
          status: 'failed',
          auditId: 'a2',
          errorCode: 'AWS_ERROR',
          awsCode: 'AccessDeniedException',
          errorMessage: 'no',
          attempts: 1,
        },
      ],
      { issued: 1, failed: 1 },
      undefined,
      handle,
    );
    expect(await getBulkJobRecord('j1', handle)).toMatchObject({ status: 'running', issued: 1, failed: 1, total: 1200 });
    const page2 = await listBulkRows('j1', 'all', 2, handle);
    expect(page2.total).toBe(1200);
    expect(page2.rows.map((r) => r.row)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + i));
    expect((await listBulkRows('j1', 'failed', 1, handle)).rows).toEqual([
      {
        row: 2,
        userId: 'qa-2',
        status: 'failed',
        auditId: 'a2',
        errorCode: 'AWS_ERROR',
        awsCode: 'AccessDeniedException',
        errorMessage: 'no',
        attempts: 1,
      },
    ]);
    expect((await listBulkRows('j1', 'queued', 1, handle)).total).toBe(1198);

    await recordBulkProgress('j1', [], { issued: 1, failed: 1 }, { status: 'cancelled', note: 'stopped' }, handle);
    expect(await getBulkJobRecord('j1', handle)).toMatchObject({ status: 'cancelled', note: 'stopped' });
    expect((await listBulkRows('j1', 'queued', 1, handle)).total).toBe(0);
    expect((await allBulkRows('j1', handle)).filter((r) => r.status === 'skipped')).toHaveLength(1198);

    await markBulkTokensDownloaded('j1', handle);
    const first = (await getBulkJobRecord('j1', handle))!.tokens_downloaded_at;
    await markBulkTokensDownloaded('j1', handle);
    expect((await getBulkJobRecord('j1', handle))!.tokens_downloaded_at).toBe(first);
  });

  it('marks a stale job interrupted once, only if its heartbeat has not moved', async () => {
    const { handle } = await fresh();
    const at = new Date(Date.now() - 60_000).toISOString();
    await insertBulkJob(job('j2', at), ['a', 'b'], handle);
    const seen = (await getBulkJobRecord('j2', handle))!;
    await recordBulkProgress('j2', [], { issued: 0, failed: 0 }, undefined, handle); // heartbeat moves
    await markBulkJobInterrupted(seen, 'gone', handle);
    expect((await getBulkJobRecord('j2', handle))!.status).toBe('running');
    await markBulkJobInterrupted((await getBulkJobRecord('j2', handle))!, 'gone', handle);
    expect(await getBulkJobRecord('j2', handle)).toMatchObject({ status: 'interrupted', note: 'gone' });
    expect((await listBulkRows('j2', 'failed', 1, handle)).rows.map((r) => r.status)).toEqual(['skipped', 'skipped']);
  });

  it('reserves a batch atomically against the bulk limit and gives back a refused one', async () => {
    const { handle } = await fresh();
    const limit = { max: 1000, windowSeconds: 3600 };
    const now = Date.now();
    const a = await reserveBulkRows('s1', 'b1', 600, limit, now, handle);
    expect(a.allowed).toBe(true);
    expect(await reserveBulkRows('s1', 'b2', 500, limit, now, handle)).toMatchObject({ allowed: false });
    expect((await reserveBulkRows('s1', 'b3', 400, limit, now, handle)).allowed).toBe(true);
    expect(await reserveBulkRows('s1', 'b4', 1, limit, now, handle)).toMatchObject({ allowed: false });
    expect(await reserveBulkRows('s2', 'b5', 1001, limit, now, handle)).toMatchObject({ allowed: false });
    if (!a.allowed) return;
    expect(isBulkReservation(a.reservation, { staffId: 's1', via: 'bulk' }, 'b1')).toBe(true);
    expect(isBulkReservation(a.reservation, { staffId: 's1', via: 'ui' }, 'b1')).toBe(false);
    expect(isBulkReservation(a.reservation, { staffId: 's1', via: 'bulk' }, 'other')).toBe(false);
    expect(isBulkReservation({ staffId: 's1', batchId: 'b1', rows: 600 }, { staffId: 's1', via: 'bulk' }, 'b1')).toBe(false);
  });
});
