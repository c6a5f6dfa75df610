import 'server-only';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { getDatabase, type DatabaseHandle, type DB } from '@/lib/db';
import { ACTIVITY_COUNT_CAP, ACTIVITY_PAGE_SIZE, describeEntry, type ActivityQuery } from '@/lib/shared/audit/activity';
import { toAuditRecord } from './store';
import type { AuditRecord } from './types';

/**
 * Every kind of audit entry, read for people (the Activity view, its export, a record's timeline)
 * and for machines (the pull API). Pages are numbered with a bounded offset (at most
 * ACTIVITY_COUNT_CAP entries deep) and counted up to the same cap, so a page costs at most a scan of
 * 10,000 index entries at any log size; deeper reading continues by seq cursor (`before`).
 */

/** One entry as the Activity view shows and exports it: the record plus a sentence. */
export type ActivityEntry = AuditRecord & { summary: string };

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

function conditions(eb: ExpressionBuilder<DB, 'audit_log'>, q: ActivityQuery, before?: number): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (q.action !== undefined) out.push(eb('action', '=', q.action));
  if (q.status !== undefined) out.push(eb('status', '=', q.status));
  if (q.userId !== undefined) out.push(eb('user_id', '=', q.userId));
  if (q.roomArn !== undefined) out.push(eb('room_arn', '=', q.roomArn));
  if (q.actor !== undefined) {
    // One equality (emails hold an '@', staff ids never do), so an index delivers seq order.
    out.push(q.actor.includes('@') ? eb('actor_email', '=', q.actor.toLowerCase()) : eb('actor_id', '=', q.actor));
  }
  if (q.via !== undefined) out.push(eb('via', '=', q.via));
  if (q.batchId !== undefined) out.push(eb('batch_id', '=', q.batchId));
  if (q.from !== undefined) out.push(eb('at', '>=', q.from.toISOString()));
  if (q.to !== undefined) out.push(eb('at', '<=', q.to.toISOString()));
  if (before !== undefined) out.push(eb('seq', '<', before));
  return out;
}

export function toActivityEntry(r: AuditRecord): ActivityEntry {
  return { ...r, summary: describeEntry(r) };
}

export interface ActivityPage {
  rows: ActivityEntry[];
  /** 1-based position of the first row among the matches (under `before`, when set). */
  firstRow: number;
  /** Matching entries, counted up to ACTIVITY_COUNT_CAP; `capped` says the true number is larger. */
  total: number;
  capped: boolean;
  page: number;
  pages: number;
  /** For reading past the numbered pages: pass as `before` to continue below this page's last entry. */
  nextBefore: number | null;
}

/** One numbered page of the matching entries, newest first. */
export async function listActivity(
  q: ActivityQuery,
  options: { page?: number; before?: number; pageSize?: number } = {},
  db?: DatabaseHandle,
): Promise<ActivityPage> {
  const handle = await handleOf(db);
  const size = options.pageSize ?? ACTIVITY_PAGE_SIZE;
  const maxPage = Math.max(1, Math.floor(ACTIVITY_COUNT_CAP / size));
  const page = Math.min(maxPage, Math.max(1, Math.floor(options.page ?? 1)));
  const offset = (page - 1) * size;
  const where = (eb: ExpressionBuilder<DB, 'audit_log'>) => eb.and(conditions(eb, q, options.before));

  const [rows, counted] = await Promise.all([
    handle.db.selectFrom('audit_log').selectAll().where(where).orderBy('seq', 'desc').limit(size).offset(offset).execute(),
    handle.db
      .selectFrom((qb) => qb.selectFrom('audit_log').select('seq').where(where).limit(ACTIVITY_COUNT_CAP + 1).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(counted.n);
  const capped = n > ACTIVITY_COUNT_CAP;
  const total = capped ? ACTIVITY_COUNT_CAP : n;
  const pages = Math.max(1, Math.ceil(total / size));
  const last = rows[rows.length - 1];
  const moreBelow = capped || offset + rows.length < n;
  return {
    rows: rows.map((r) => toActivityEntry(toAuditRecord(r))),
    firstRow: offset + 1,
    total,
    capped,
    page,
    pages,
    nextBefore: last && moreBelow ? last.seq : null,
  };
}

/** Matching entries newest first, page by page on the seq cursor (exports), stopping after `maxRows`. */
export async function* iterateActivity(q: ActivityQuery, maxRows: number, db?: DatabaseHandle, batch = 500): AsyncGenerator<ActivityEntry> {
  const handle = await handleOf(db);
  let before: number | undefined;
  let left = maxRows;
  while (left > 0) {
    const rows = await handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, q, before)))
      .orderBy('seq', 'desc')
      .limit(Math.min(batch, left))
      .execute();
    for (const row of rows) yield toActivityEntry(toAuditRecord(row));
    left -= rows.length;
    if (rows.length < Math.min(batch, left + rows.length)) return;
    before = rows[rows.length - 1].seq;
  }
}

/** Entries with seq above `after`, oldest first: the pull API's page. */
export async function listEntriesAfter(after: number, limit: number, db?: DatabaseHandle): Promise<AuditRecord[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq', 'asc').limit(limit).execute();
  return rows.map(toAuditRecord);
}
