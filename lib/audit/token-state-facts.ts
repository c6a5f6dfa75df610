import 'server-only';
import { sql } from 'kysely';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import type { StateDenial } from '@/lib/shared/tokens/token-state';

/** What a token's state needs beyond its own record (lib/shared/tokens/token-state.ts). */
export interface TokenStateFacts {
  denials: StateDenial[];
  disconnects: string[];
}

export const NO_FACTS: TokenStateFacts = Object.freeze({ denials: [], disconnects: [] }) as TokenStateFacts;

const pairKey = (userId: string, roomArn: string) => JSON.stringify([userId, roomArn]);

/**
 * The deny-list entries and recorded disconnects of each (userId, room) pair, two indexed queries
 * for a whole page of records whatever the size of the log: the deny list by user_id, and the
 * disconnects through their partial index (migration 0013). Look up a pair with `factsFor`.
 */
export async function loadTokenStateFacts(
  pairs: readonly { userId: string | null; roomArn: string | null }[],
  db?: DatabaseHandle,
): Promise<(userId: string | null, roomArn: string | null) => TokenStateFacts> {
  const wanted = pairs.filter((p): p is { userId: string; roomArn: string } => p.userId !== null && p.roomArn !== null);
  if (wanted.length === 0) return () => NO_FACTS;
  const handle = db ?? (await getDatabase());
  const userIds = [...new Set(wanted.map((p) => p.userId))];
  const roomArns = [...new Set(wanted.map((p) => p.roomArn))];
  const [denials, disconnects] = await Promise.all([
    handle.db
      .selectFrom('denylist')
      .select(['user_id', 'room_arn', 'reason', 'created_at', 'expires_at'])
      .where('user_id', 'in', userIds)
      .execute(),
    // SQLite without statistics prefers audit_log_action_seq (every disconnect in the log) over
    // the partial index for this user and room; name the index there. PostgreSQL plans from its
    // statistics. The action is a literal: a partial index serves only its own condition.
    sql<{ user_id: string | null; room_arn: string | null; at: string }>`select user_id, room_arn, at from ${
      handle.kind === 'sqlite' ? sql`audit_log indexed by audit_log_disconnects` : sql`audit_log`
    } where action = 'user.disconnected' and user_id in (${sql.join(userIds)}) and room_arn in (${sql.join(roomArns)})`
      .execute(handle.db)
      .then((r) => r.rows),
  ]);
  const byPair = new Map<string, TokenStateFacts>();
  for (const p of wanted) byPair.set(pairKey(p.userId, p.roomArn), { denials: [], disconnects: [] });
  for (const d of denials) {
    for (const p of wanted) {
      if (p.userId !== d.user_id || (d.room_arn !== null && d.room_arn !== p.roomArn)) continue;
      const facts = byPair.get(pairKey(p.userId, p.roomArn))!;
      if (!facts.denials.some((x) => x.createdAt === d.created_at && x.roomArn === d.room_arn)) {
        facts.denials.push({ createdAt: d.created_at, reason: d.reason, roomArn: d.room_arn, expiresAt: d.expires_at });
      }
    }
  }
  for (const e of disconnects) {
    if (e.user_id === null || e.room_arn === null) continue;
    byPair.get(pairKey(e.user_id, e.room_arn))?.disconnects.push(e.at);
  }
  return (userId, roomArn) => (userId === null || roomArn === null ? NO_FACTS : (byPair.get(pairKey(userId, roomArn)) ?? NO_FACTS));
}
