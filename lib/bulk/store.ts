import 'server-only';
import type { Kysely } from 'kysely';
import { getDatabase, type DatabaseHandle, type DB } from '@/lib/db';
import type { BulkJobTable } from '@/lib/db/types';
import type { AttributeRow } from '@/lib/shared/tokens/attributes';
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

/** A row to insert: its userId, or its userId and attribute rows. */
export type BulkRowSeed = string | { userId: string; attributes: readonly AttributeRow[] };

export async function insertBulkJob(
  job: Omit<BulkJobRecord, 'issued' | 'failed' | 'finished_at' | 'tokens_downloaded_at' | 'note' | 'status' | 'retry_of'> & {
    retry_of?: string | null;
  },
  rows: readonly BulkRowSeed[],
  db?: DatabaseHandle,
): Promise<void> {
  const handle = await handleOf(db);
  await handle.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('bulk_jobs')
      .values({
        ...job,
        retry_of: job.retry_of ?? null,
        status: 'running',
        issued: 0,
        failed: 0,
        finished_at: null,
        tokens_downloaded_at: null,
        note: null,
      })
      .execute();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('bulk_job_rows')
        .values(
          rows.slice(i, i + INSERT_CHUNK).map((seed, j) => ({
            job_id: job.id,
            idx: i + j + 1,
            user_id: typeof seed === 'string' ? seed : seed.userId,
            attributes: typeof seed !== 'string' && seed.attributes.length ? JSON.stringify(seed.attributes) : null,
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
    await settleFromAudit(trx, job.id);
    await trx
      .updateTable('bulk_job_rows')
      .set({ status: 'skipped', error_code: null, error_message: note })
      .where('job_id', '=', job.id)
      .where('status', '=', 'queued')
      .execute();
  });
}

export const OUTCOME_UNKNOWN_MESSAGE =
  'CreateChatToken was sent, but the console process stopped before its answer was recorded: a token may or may not have been issued. Its audit record stays pending (outcome unknown).';
const LOST_TOKEN_MESSAGE =
  'Issued, but the console process stopped before the row was saved; the token was not kept and cannot be downloaded.';

/**
 * A stopped process leaves rows 'queued' whose mint had already reached the audit log (and so
 * perhaps AWS). Before the rest are marked not attempted, each such row takes its outcome from its
 * audit entries: a pending request is "outcome unknown", a completed one issued or failed. Rows are
 * matched to the batch's request entries not yet linked, by userId, in order.
 */
async function settleFromAudit(trx: Kysely<DB>, jobId: string): Promise<void> {
  const queued = await trx
    .selectFrom('bulk_job_rows')
    .select(['idx', 'user_id', 'attempts'])
    .where('job_id', '=', jobId)
    .where('status', '=', 'queued')
    .orderBy('idx')
    .execute();
  if (queued.length === 0) return;
  const linked = new Set(
    (await trx.selectFrom('bulk_job_rows').select('audit_id').where('job_id', '=', jobId).where('audit_id', 'is not', null).execute()).map(
      (r) => r.audit_id,
    ),
  );
  const entries = await trx
    .selectFrom('audit_log as e')
    .leftJoin('audit_log as c', 'c.ref_seq', 'e.seq')
    .select(['e.id', 'e.user_id', 'c.action as completion', 'c.error_code', 'c.error_message'])
    .where('e.batch_id', '=', jobId)
    .where('e.action', '=', 'token.minted')
    .orderBy('e.seq')
    .execute();
  const byUser = new Map<string, typeof entries>();
  for (const e of entries) {
    if (linked.has(e.id) || e.user_id === null) continue;
    byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), e]);
  }
  let issued = 0;
  let failed = 0;
  for (const row of queued) {
    const entry = byUser.get(row.user_id)?.shift();
    if (!entry) continue;
    const outcome =
      entry.completion === 'mint.issued'
        ? { status: 'issued', error_code: null, error_message: LOST_TOKEN_MESSAGE }
        : entry.completion === 'mint.failed'
          ? { status: 'failed', error_code: entry.error_code, error_message: entry.error_message }
          : { status: 'unknown', error_code: 'OutcomeUnknown', error_message: OUTCOME_UNKNOWN_MESSAGE };
    // 'unknown' is neither: the counts say only what is known.
    if (outcome.status === 'issued') issued += 1;
    else if (outcome.status === 'failed') failed += 1;
    await trx
      .updateTable('bulk_job_rows')
      .set({ ...outcome, audit_id: entry.id, attempts: Math.max(1, row.attempts) })
      .where('job_id', '=', jobId)
      .where('idx', '=', row.idx)
      .execute();
  }
  if (issued + failed > 0) {
    await trx
      .updateTable('bulk_jobs')
      .set((eb) => ({ issued: eb('issued', '+', issued), failed: eb('failed', '+', failed) }))
      .where('id', '=', jobId)
      .execute();
  }
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
  if (filter === 'failed') base = base.where('status', 'in', ['failed', 'skipped', 'unknown']);
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

/** The rows of a job that failed (not skipped, not outcome unknown), with the attributes they were minted with. */
export async function failedBulkRows(
  jobId: string,
  db?: DatabaseHandle,
): Promise<{ row: number; userId: string; attributes: AttributeRow[] }[]> {
  const handle = await handleOf(db);
  const rows = await handle.db
    .selectFrom('bulk_job_rows')
    .select(['idx', 'user_id', 'attributes'])
    .where('job_id', '=', jobId)
    .where('status', '=', 'failed')
    .orderBy('idx', 'asc')
    .execute();
  return rows.map((r) => ({ row: r.idx, userId: r.user_id, attributes: r.attributes ? (JSON.parse(r.attributes) as AttributeRow[]) : [] }));
}

export async function allBulkRows(jobId: string, db?: DatabaseHandle): Promise<BulkRowView[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('bulk_job_rows').selectAll().where('job_id', '=', jobId).orderBy('idx', 'asc').execute();
  return rows.map(toRowView);
}
