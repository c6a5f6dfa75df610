import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '@/lib/db';
import { addDenylistEntry } from '@/lib/moderation/denylist';
import { describeEachDatabase } from '@/test/pg';
import { recordAction, recordMintIssued, recordMintRequested, type AuditActor } from './store';
import { loadTokenStateFacts } from './token-state-facts';

const ROOM_1 = 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234';
const ROOM_2 = 'arn:aws:ivschat:eu-west-1:123456789012:room/zyxwVUTS9876';
const mod: AuditActor = { staffId: 'staff-mod', email: 'mod@example.com', role: 'moderator', via: 'ui' };

describeEachDatabase('token state facts', ({ fresh, kind }) => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = (await fresh()).handle;
  });

  it('finds each pair’s deny-list entries and disconnects in one pass, room by room', async () => {
    for (const [userId, roomArn] of [
      ['ann', ROOM_1],
      ['ann', ROOM_2],
      ['bob', ROOM_1],
    ] as const) {
      const { id } = await recordMintRequested(
        { actor: mod, roomArn, region: 'us-east-1', userId, attributes: {}, capabilities: [], durationMinutes: 60 },
        db,
      );
      await recordMintIssued(id, { fingerprint: `fp-${userId}-${roomArn}`, tokenExpiresAt: new Date(), sessionExpiresAt: new Date() }, db);
    }
    await recordAction({ actor: mod, action: 'user.disconnected', userId: 'ann', roomArn: ROOM_1, reason: 'flood', details: null }, db);
    await recordAction(
      { actor: mod, action: 'user.disconnected', userId: 'ann ', roomArn: ROOM_2, reason: 'another user', details: null },
      db,
    );
    await addDenylistEntry({ userId: 'bob', roomArn: null, reason: 'spam', expiresAt: null }, mod, db);
    await addDenylistEntry({ userId: 'ann', roomArn: ROOM_2, reason: 'eu only', expiresAt: null }, mod, db);

    const factsOf = await loadTokenStateFacts(
      [
        { userId: 'ann', roomArn: ROOM_1 },
        { userId: 'ann', roomArn: ROOM_2 },
        { userId: 'bob', roomArn: ROOM_1 },
        { userId: null, roomArn: ROOM_1 },
      ],
      db,
    );
    expect(factsOf('ann', ROOM_1).disconnects).toHaveLength(1);
    expect(factsOf('ann', ROOM_1).denials).toEqual([]);
    // 'ann ' (with a space) is another user: its disconnect is not ann's.
    expect(factsOf('ann', ROOM_2).disconnects).toEqual([]);
    expect(factsOf('ann', ROOM_2).denials).toMatchObject([{ roomArn: ROOM_2, reason: 'eu only' }]);
    expect(factsOf('bob', ROOM_1).denials).toMatchObject([{ roomArn: null, reason: 'spam' }]);
    expect(factsOf(null, ROOM_1)).toEqual({ denials: [], disconnects: [] });
  });

  it('the partial index serves the disconnect query (INDEXED BY fails loudly if it could not)', async () => {
    if (kind !== 'sqlite') return;
    const plan = await sql<{
      detail: string;
    }>`explain query plan select user_id, room_arn, at from audit_log indexed by audit_log_disconnects where action = 'user.disconnected' and user_id in ('ann', 'bob') and room_arn in (${ROOM_1})`.execute(
      db.db,
    );
    expect(plan.rows.map((r) => r.detail).join('\n')).toContain('audit_log_disconnects');
  });
});
