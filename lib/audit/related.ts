import 'server-only';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import { toActivityEntry, type ActivityEntry } from './activity';
import { listAuditRecords, toAuditRecord } from './store';
import type { AuditRecord } from './types';

/**
 * The other mints for the same userId in the same room, newest first (the user_id+seq index
 * serves it). `more` says whether older ones exist beyond `limit`.
 */
export async function listOtherMintsFor(
  record: Pick<AuditRecord, 'id' | 'userId' | 'roomArn'>,
  limit = 20,
  db?: DatabaseHandle,
): Promise<{ rows: AuditRecord[]; more: boolean }> {
  if (record.userId === null || record.roomArn === null) return { rows: [], more: false };
  const page = await listAuditRecords({ action: 'token.minted', userId: record.userId, roomArn: record.roomArn }, { limit: limit + 1 }, db);
  const others = page.rows.filter((r) => r.id !== record.id);
  return { rows: others.slice(0, limit), more: others.length > limit || page.nextBefore !== null };
}

/**
 * Everything recorded about one userId in one room, oldest first: mints, refusals, disconnects,
 * deletes of their messages, and deny-list entries for that room or for every room. The newest
 * `limit` entries are returned; `more` says older ones exist.
 */
export async function listTimelineFor(
  userId: string,
  roomArn: string,
  limit = 100,
  db?: DatabaseHandle,
): Promise<{ rows: ActivityEntry[]; more: boolean }> {
  const handle = db ?? (await getDatabase());
  const rows = await handle.db
    .selectFrom('audit_log')
    .selectAll()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('room_arn', '=', roomArn), eb.and([eb('room_arn', 'is', null), eb('action', 'like', 'denylist.%')])]))
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  return { rows: rows.slice(0, limit).reverse().map((r) => toActivityEntry(toAuditRecord(r))), more };
}
