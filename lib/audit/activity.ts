import 'server-only';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { getDatabase, type AuditLogRow, type DatabaseHandle, type DB } from '@/lib/db';
import { ACTIVITY_COUNT_CAP, ACTIVITY_PAGE_SIZE, describeEntry, type ActivityQuery } from '@/lib/shared/audit/activity';
import { hasTimeRange } from '@/lib/shared/audit/time-range';
import { MINT_COMPLETIONS } from './chain';
import { toAuditRecord, type CompletionColumns } from './store';
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

/** A mint request's completion entry (c.ref_seq = e.seq), folded into the request's record as its status. */
const COMPLETION_SELECT = [
  'c.seq as c_seq',
  'c.id as c_id',
  'c.at as c_at',
  'c.action as c_action',
  'c.fingerprint as c_fingerprint',
  'c.token_expires_at as c_token_expires_at',
  'c.session_expires_at as c_session_expires_at',
  'c.request_id as c_request_id',
  'c.error_code as c_error_code',
  'c.error_message as c_error_message',
  'c.hash as c_hash',
] as const;
type JoinedRow = AuditLogRow & CompletionColumns;

/**
 * Which table drives the query: a mint-outcome filter reads the audit_mints projection (its status
 * index); everything else reads the log itself, where completion entries are folded into their
 * request and so not listed twice.
 */
const readsMints = (q: ActivityQuery) => q.status !== undefined;

// The same conditions on two aliased tables (e: the log, m: the projection); Kysely cannot type a column chosen by alias.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function conditions(eb: ExpressionBuilder<any, any>, q: ActivityQuery, t: 'e' | 'm', before?: number): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const col = (c: string) => eb.ref(`${t}.${c}`);
  if (t === 'm') {
    out.push(eb('m.status', '=', q.status));
  } else if (q.action !== undefined) {
    out.push(eb('e.action', '=', q.action));
  } else {
    out.push(eb('e.action', 'not in', [...MINT_COMPLETIONS]));
  }
  if (q.userId !== undefined) out.push(eb(col('user_id'), '=', q.userId));
  if (q.roomArn !== undefined) out.push(eb(col('room_arn'), '=', q.roomArn));
  if (q.actor !== undefined) {
    // One equality (emails hold an '@', staff ids never do), so an index delivers seq order.
    out.push(q.actor.includes('@') ? eb(col('actor_email'), '=', q.actor.toLowerCase()) : eb(col('actor_id'), '=', q.actor));
  }
  if (q.via !== undefined) out.push(eb(col('via'), '=', q.via));
  if (q.batchId !== undefined) out.push(eb(col('batch_id'), '=', q.batchId));
  if (q.from !== undefined) out.push(eb(col('at'), '>=', q.from.toISOString()));
  if (q.to !== undefined) out.push(eb(col('at'), '<=', q.to.toISOString()));
  if (before !== undefined) out.push(eb(col('seq'), '<', before));
  return out;
}

function pageQuery(db: Kysely<DB>, q: ActivityQuery, before?: number) {
  if (readsMints(q)) {
    return db
      .selectFrom('audit_mints as m')
      .innerJoin('audit_log as e', 'e.seq', 'm.seq')
      .leftJoin('audit_log as c', 'c.ref_seq', 'm.seq')
      .selectAll('e')
      .select(COMPLETION_SELECT)
      .where((eb) => eb.and(conditions(eb, q, 'm', before)))
      .orderBy('m.seq', 'desc');
  }
  return db
    .selectFrom('audit_log as e')
    .leftJoin('audit_log as c', 'c.ref_seq', 'e.seq')
    .selectAll('e')
    .select(COMPLETION_SELECT)
    .where((eb) => eb.and(conditions(eb, q, 'e', before)))
    .orderBy('e.seq', 'desc');
}

/**
 * Matches counted up to `cap` + 1 (a bounded scan of one index at any log size). Newest first, as
 * the page reads them: unordered, SQLite counts the unfiltered view ("not a completion") along the
 * action index, alphabetically, and walked past half a million completions to find 10,001 entries
 * (22 ms at 1,000,000 entries, against 2.5 ms down the seq order). Not with a time range: that is
 * counted along the time index, where an order by seq would sort every match before the cap.
 */
async function countUpTo(db: Kysely<DB>, q: ActivityQuery, cap: number, before?: number): Promise<number> {
  const inner = readsMints(q)
    ? db
        .selectFrom('audit_mints as m')
        .select('m.seq')
        .where((eb) => eb.and(conditions(eb, q, 'm', before)))
        .$if(!hasTimeRange(q), (qb) => qb.orderBy('m.seq', 'desc'))
        .limit(cap + 1)
    : db
        .selectFrom('audit_log as e')
        .select('e.seq')
        .where((eb) => eb.and(conditions(eb, q, 'e', before)))
        .$if(!hasTimeRange(q), (qb) => qb.orderBy('e.seq', 'desc'))
        .limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('hits'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const entryOf = (row: JoinedRow) => toActivityEntry(toAuditRecord(row, row));

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
  const [rows, n] = await Promise.all([
    pageQuery(handle.db, q, options.before).limit(size).offset(offset).execute() as Promise<JoinedRow[]>,
    countUpTo(handle.db, q, ACTIVITY_COUNT_CAP, options.before),
  ]);
  const capped = n > ACTIVITY_COUNT_CAP;
  const total = capped ? ACTIVITY_COUNT_CAP : n;
  const pages = Math.max(1, Math.ceil(total / size));
  const last = rows[rows.length - 1];
  const moreBelow = capped || offset + rows.length < n;
  return {
    rows: rows.map(entryOf),
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
    const want = Math.min(batch, left);
    const rows = (await pageQuery(handle.db, q, before).limit(want).execute()) as JoinedRow[];
    for (const row of rows) yield entryOf(row);
    left -= rows.length;
    if (rows.length < want) return;
    before = rows[rows.length - 1].seq;
  }
}

/**
 * Everything recorded about one userId in one room, oldest first: mints (with their outcome),
 * refusals, disconnects, deletes of their messages, and deny-list entries for that room or for
 * every room. The newest `limit` entries are returned; `more` says older ones exist.
 */
export async function listTimelineFor(
  userId: string,
  roomArn: string,
  limit = 100,
  db?: DatabaseHandle,
): Promise<{ rows: ActivityEntry[]; more: boolean }> {
  const handle = await handleOf(db);
  const rows = (await handle.db
    .selectFrom('audit_log as e')
    .leftJoin('audit_log as c', 'c.ref_seq', 'e.seq')
    .selectAll('e')
    .select(COMPLETION_SELECT)
    .where('e.user_id', '=', userId)
    .where((eb) => eb.or([eb('e.room_arn', '=', roomArn), eb.and([eb('e.room_arn', 'is', null), eb('e.action', 'like', 'denylist.%')])]))
    .orderBy('e.seq', 'desc')
    .limit(limit + 1)
    .execute()) as JoinedRow[];
  const more = rows.length > limit;
  return { rows: rows.slice(0, limit).reverse().map(entryOf), more };
}
