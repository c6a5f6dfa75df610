import 'server-only';
import { randomUUID } from 'node:crypto';
import { appendAction, type AuditActor } from '@/lib/audit/store';
import { getDatabase, withWriteTransaction, type DatabaseHandle } from '@/lib/db';

export type { DenylistEntry } from '@/lib/shared/moderation/denylist-view';
import type { DenylistEntry } from '@/lib/shared/moderation/denylist-view';

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

function toEntry(row: {
  id: string;
  user_id: string;
  room_arn: string | null;
  reason: string;
  expires_at: string | null;
  created_at: string;
  created_by: string;
}): DenylistEntry {
  return {
    id: row.id,
    userId: row.user_id,
    roomArn: row.room_arn,
    reason: row.reason,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** The entry that denies this userId in this room now (room-specific or every-room), if any. */
export async function findActiveDenial(
  userId: string,
  roomArn: string,
  now = new Date(),
  db?: DatabaseHandle,
): Promise<DenylistEntry | null> {
  const { db: k } = await handleOf(db);
  const row = await k
    .selectFrom('denylist')
    .selectAll()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('room_arn', 'is', null), eb('room_arn', '=', roomArn)]))
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
    .orderBy('created_at', 'asc')
    .executeTakeFirst();
  return row ? toEntry(row) : null;
}

export async function getDenylistEntry(id: string, db?: DatabaseHandle): Promise<DenylistEntry | null> {
  const { db: k } = await handleOf(db);
  const row = await k.selectFrom('denylist').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : null;
}

/** Every entry still in force, newest first (expired ones are kept for the record but not listed). */
export async function listDenylist(now = new Date(), db?: DatabaseHandle): Promise<DenylistEntry[]> {
  const { db: k } = await handleOf(db);
  const rows = await k
    .selectFrom('denylist')
    .selectAll()
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
  return rows.map(toEntry);
}

/** Adds an entry and its 'denylist.added' audit row in one transaction. */
export async function addDenylistEntry(
  input: { userId: string; roomArn: string | null; reason: string; expiresAt: string | null },
  actor: AuditActor,
  db?: DatabaseHandle,
): Promise<DenylistEntry> {
  const handle = await handleOf(db);
  const entry: DenylistEntry = {
    id: randomUUID(),
    userId: input.userId,
    roomArn: input.roomArn,
    reason: input.reason,
    expiresAt: input.expiresAt,
    createdAt: new Date().toISOString(),
    createdBy: actor.email.toLowerCase(),
  };
  await withWriteTransaction(handle, async (trx) => {
    await trx
      .insertInto('denylist')
      .values({
        id: entry.id,
        user_id: entry.userId,
        room_arn: entry.roomArn,
        reason: entry.reason,
        expires_at: entry.expiresAt,
        created_at: entry.createdAt,
        created_by: entry.createdBy,
      })
      .execute();
    await appendAction(trx, {
      actor,
      action: 'denylist.added',
      reason: entry.reason,
      userId: entry.userId,
      roomArn: entry.roomArn,
      details: {
        resource: { type: 'denylist', id: entry.id, label: entry.userId },
        new: { userId: entry.userId, roomArn: entry.roomArn, expiresAt: entry.expiresAt },
      },
    });
  });
  return entry;
}

/** Removes an entry with its 'denylist.removed' audit row; null when there is no such entry. */
export async function removeDenylistEntry(
  id: string,
  actor: AuditActor,
  reason: string | null,
  db?: DatabaseHandle,
): Promise<DenylistEntry | null> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const row = await trx.selectFrom('denylist').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    await trx.deleteFrom('denylist').where('id', '=', id).execute();
    const entry = toEntry(row);
    await appendAction(trx, {
      actor,
      action: 'denylist.removed',
      reason,
      userId: entry.userId,
      roomArn: entry.roomArn,
      details: {
        resource: { type: 'denylist', id, label: entry.userId },
        old: { userId: entry.userId, roomArn: entry.roomArn, expiresAt: entry.expiresAt, reason: entry.reason },
      },
    });
    return entry;
  });
}
