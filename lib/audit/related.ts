import 'server-only';
import type { DatabaseHandle } from '@/lib/db';
import { listAuditRecords } from './store';
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

export { listTimelineFor } from './activity';
