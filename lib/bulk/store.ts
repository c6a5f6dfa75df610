import 'server-only';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import type { BulkJobTable } from '@/lib/db/types';
import {
  BULK_ROWS_PAGE_SIZE,
  type BulkJobStatus,
  type BulkRowFilter,
  type BulkRowStatus,
  type BulkRowView,
} from '@/lib/shared/bulk/schema';

/** The bulk jobs and their rows in the database: outcomes only, never a token. */

export type BulkJobRecord = BulkJobTable;

const INSERT_CHUNK = 500;

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

export async function insertBulkJob(
  job: Omit<BulkJobRecord, 'issued' | 'failed' | 'finished_at' | 'tokens_downloaded_at' | 'note' | 'status'>,
  userIds: readonly string[],
  db?: DatabaseHandle,
): Promise<void> {
  const handle = await handleOf(db);
  await handle.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('bulk_jobs')
      .values({ ...job, status: 'running', issued: 0, failed: 0, finished_at: null, tokens_downloaded_at: null, note: null })
      .execute();
    for (let i = 0; i < userIds.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('bulk_job_rows')
        .values(
          userIds.slice(i, i + INSERT_CHUNK).map((userId, j) => ({
            job_id: job.id,
            idx: i + j + 1,
            user_id: userId,
            status: 'queued',
            audit_id: null,
            error_code: null,
            aws_code: null,
            error_message: null,
            attempts: 0,
          })),
        )
        .execute();
    }
  });
}

export interface RowOutcome {
  idx: number;
  status: Exclude<BulkRowStatus, 'queued'>;
  auditId: string | null;
  /** The console's failure category (lib/contract/result.ts), or null. */
  errorCode: string | null;
  awsCode: string | null;
  errorMessage: string | null;
  attempts: number;
}

/** Writes finished rows and the job's counts and heartbeat in one transaction. */
export async function recordBulkProgress(
  jobId: string,
  outcomes: readonly RowOutcome[],
  counts: { issued: number; failed: number },
  finish?: { status: BulkJobStatus; note: string | null },
  db?: DatabaseHandle,
): Promise<void> {
  const handle = await handleOf(db);
  const now = new Date().toISOString();
  await handle.db.transaction().execute(async (trx) => {
    for (const o of outcomes) {
      await trx
        .updateTable('bulk_job_rows')
        .set({
          status: o.status,
          audit_id: o.auditId,
          error_code: o.errorCode,
          aws_code: o.awsCode,
          error_message: o.errorMessage,
          attempts: o.attempts,
        })
        .where('job_id', '=', jobId)
        .where('idx', '=', o.idx)
        .execute();
    }
    if (finish && finish.status !== 'completed') {
      await trx
        .updateTable('bulk_job_rows')
        .set({ status: 'skipped', error_code: null, error_message: finish.note ?? 'Not attempted.' })
        .where('job_id', '=', jobId)
        .where('status', '=', 'queued')
        .execute();
    }
    await trx
      .updateTable('bulk_jobs')
      .set({
        issued: counts.issued,
        failed: counts.failed,
        updated_at: now,
        ...(finish ? { status: finish.status, finished_at: now, note: finish.note } : {}),
      })
      .where('id', '=', jobId)
      .execute();
  });
}

export async function getBulkJobRecord(id: string, db?: DatabaseHandle): Promise<BulkJobRecord | null> {
  const handle = await handleOf(db);
  return (await handle.db.selectFrom('bulk_jobs').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function listBulkJobRecords(staffId: string, limit = 10, db?: DatabaseHandle): Promise<BulkJobRecord[]> {
  const handle = await handleOf(db);
  return handle.db.selectFrom('bulk_jobs').selectAll().where('staff_id', '=', staffId).orderBy('created_at', 'desc').limit(limit).execute();
}

/**
 * Marks a job 'interrupted' if it is still 'running' with the heartbeat we saw (so two replicas
 * noticing at once do it once), and its unattempted rows 'skipped'.
 */
export async function markBulkJobInterrupted(job: BulkJobRecord, note: string, db?: DatabaseHandle): Promise<void> {
  const handle = await handleOf(db);
  const now = new Date().toISOString();
  await handle.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('bulk_jobs')
      .set({ status: 'interrupted', finished_at: now, note })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('updated_at', '=', job.updated_at)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return;
    await trx
      .updateTable('bulk_job_rows')
      .set({ status: 'skipped', error_code: null, error_message: note })
      .where('job_id', '=', job.id)
      .where('status', '=', 'queued')
      .execute();
  });
}

export async function markBulkTokensDownloaded(id: string, db?: DatabaseHandle): Promise<void> {
  const handle = await handleOf(db);
  await handle.db
    .updateTable('bulk_jobs')
    .set({ tokens_downloaded_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('tokens_downloaded_at', 'is', null)
    .execute();
}

const toRowView = (r: {
  idx: number;
  user_id: string;
  status: string;
  audit_id: string | null;
  error_code: string | null;
  aws_code: string | null;
  error_message: string | null;
  attempts: number;
}): BulkRowView => ({
  row: r.idx,
  userId: r.user_id,
  status: r.status as BulkRowStatus,
  auditId: r.audit_id,
  errorCode: r.error_code,
  awsCode: r.aws_code,
  errorMessage: r.error_message,
  attempts: r.attempts,
});

export async function listBulkRows(
  jobId: string,
  filter: BulkRowFilter,
  page: number,
  db?: DatabaseHandle,
): Promise<{ rows: BulkRowView[]; total: number }> {
  const handle = await handleOf(db);
  let base = handle.db.selectFrom('bulk_job_rows').where('job_id', '=', jobId);
  if (filter === 'failed') base = base.where('status', 'in', ['failed', 'skipped']);
  else if (filter !== 'all') base = base.where('status', '=', filter);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('idx', 'asc')
      .limit(BULK_ROWS_PAGE_SIZE)
      .offset(Math.max(0, page - 1) * BULK_ROWS_PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toRowView), total: Number(count.n) };
}

export async function allBulkRows(jobId: string, db?: DatabaseHandle): Promise<BulkRowView[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('bulk_job_rows').selectAll().where('job_id', '=', jobId).orderBy('idx', 'asc').execute();
  return rows.map(toRowView);
}
