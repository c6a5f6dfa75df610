import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { ACTIVITY_ACTIONS, ACTIVITY_COUNT_CAP, parseActivityQuery, rangeText } from '@/lib/shared/audit/activity';
import { describeEachDatabase } from '@/test/pg';
import { iterateActivity, listActivity } from './activity';
import { parseEventsQuery, readAuditEvents } from './events-api';
import { chainKeyring } from './keys';
import { listTimelineFor } from './related';
import { recordAction, recordMintFailed, recordMintIssued, recordMintRequested, AUDIT_ACTIONS, type AuditActor } from './store';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const OTHER = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
const ann: AuditActor = { staffId: 'staff-ann', email: 'ann@example.com', role: 'moderator', via: 'ui' };
const bot: AuditActor = { staffId: 'apikey:1', email: 'ci@api-key', role: 'qa', via: 'api', apiKeyName: 'ci' };

describe('the Activity vocabulary', () => {
  it('names every action the store can record', () => {
    expect([...ACTIVITY_ACTIONS].sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('says honestly when a count stopped at the cap', () => {
    expect(rangeText(1, 50, 1011, false)).toBe('1–50 of 1,011');
    expect(rangeText(51, 50, ACTIVITY_COUNT_CAP, true)).toBe('51–100 of more than 10,000');
  });

  it('reads filters from the URL and refuses bad ones by field', () => {
    const ok = parseActivityQuery(new URLSearchParams('action=mint.issued&source=connect-here&page=3'));
    expect(ok).toMatchObject({ ok: true, page: 3, query: { action: 'token.minted', status: 'issued', via: 'connect-here' } });
    const bad = parseActivityQuery(new URLSearchParams('action=token.stolen&source=fax&from=yesterday'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors).sort()).toEqual(['action', 'from', 'source']);
  });
});

describeEachDatabase('activity queries', ({ fresh }) => {
  let db: DatabaseHandle;
  let mintId: string;

  beforeAll(async () => {
    db = (await fresh()).handle;
    // 120 bulk mints in one batch bury two manual mints, as in the issue.
    const first = await recordMintRequested(
      { actor: ann, roomArn: ROOM, region: 'us-east-1', userId: 'troll-42', attributes: {}, capabilities: [], durationMinutes: 60 },
      db,
    );
    mintId = first.id;
    await recordMintIssued(mintId, { fingerprint: 'fp-1', tokenExpiresAt: new Date(), sessionExpiresAt: new Date() }, db);
    for (let i = 0; i < 120; i++) {
      const r = await recordMintRequested(
        {
          actor: { ...ann, via: 'bulk' },
          roomArn: ROOM,
          region: 'us-east-1',
          userId: `qa-${i}`,
          attributes: {},
          capabilities: [],
          durationMinutes: 5,
          batchId: 'job-1',
        },
        db,
      );
      if (i % 2) await recordMintFailed(r.id, { errorCode: 'ThrottlingException', errorMessage: 'slow down' }, db);
    }
    await recordAction(
      {
        actor: ann,
        action: 'denylist.added',
        reason: 'spam',
        userId: 'troll-42',
        roomArn: null,
        details: {
          resource: { type: 'denylist', id: 'd1', label: 'troll-42' },
          new: { userId: 'troll-42', roomArn: null, expiresAt: null },
        },
      },
      db,
    );
    await recordAction(
      {
        actor: ann,
        action: 'token.refused',
        userId: 'troll-42',
        roomArn: ROOM,
        details: { code: 'FORBIDDEN', rule: 'denylist', attemptInWindow: 1 },
      },
      db,
    );
    await recordAction(
      {
        actor: { ...ann, via: 'connect-here' },
        action: 'user.disconnected',
        reason: 'bye',
        userId: 'troll-42',
        roomArn: ROOM,
        details: { resource: { type: 'room', id: ROOM }, new: { userId: 'troll-42' } },
      },
      db,
    );
    // The same userId in another room is someone else's story.
    await recordAction({ actor: ann, action: 'user.disconnected', reason: 'x', userId: 'troll-42', roomArn: OTHER, details: {} }, db);
    await recordAction(
      { actor: bot, action: 'api_key.revoked', details: { resource: { type: 'api_key', id: 'k', label: 'old-key' } } },
      db,
    );
  });

  it('counts every entry and numbers the pages', async () => {
    const p1 = await listActivity({}, { page: 1 }, db);
    expect(p1).toMatchObject({ total: 126, capped: false, page: 1, pages: 3, firstRow: 1 });
    expect(p1.rows).toHaveLength(50);
    expect(p1.rows[0]).toMatchObject({ action: 'api_key.revoked', summary: 'Revoked API key old-key' });
    const p3 = await listActivity({}, { page: 3 }, db);
    expect(p3.rows).toHaveLength(26);
    expect(p3.firstRow).toBe(101);
    expect(p3.rows[p3.rows.length - 1].id).toBe(mintId);
    // Pages do not overlap.
    const p2 = await listActivity({}, { page: 2 }, db);
    const ids = new Set([...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id));
    expect(ids.size).toBe(126);
  });

  it('filters by action (and mint outcome), source, batch, actor, userId and room', async () => {
    expect((await listActivity({ action: 'token.minted', via: 'bulk' }, {}, db)).total).toBe(120);
    expect((await listActivity({ batchId: 'job-1', action: 'token.minted', status: 'failed' }, {}, db)).total).toBe(60);
    expect((await listActivity({ via: 'ui', action: 'token.minted' }, {}, db)).total).toBe(1);
    expect((await listActivity({ via: 'connect-here' }, {}, db)).rows.map((r) => r.action)).toEqual(['user.disconnected']);
    expect((await listActivity({ actor: 'ci@api-key' }, {}, db)).rows.map((r) => r.action)).toEqual(['api_key.revoked']);
    expect((await listActivity({ actor: 'staff-ann', userId: 'troll-42', roomArn: ROOM }, {}, db)).total).toBe(3);
    const refused = await listActivity({ action: 'token.refused', userId: 'troll-42' }, {}, db);
    expect(refused.rows[0]).toMatchObject({ fingerprint: null, summary: 'Mint for troll-42 refused by rule denylist' });
    const future = new Date(Date.now() + 3_600_000);
    expect((await listActivity({ from: future }, {}, db)).total).toBe(0);
  });

  it('exports the same entries as the pages, newest first', async () => {
    const out = [];
    for await (const e of iterateActivity({ batchId: 'job-1' }, 1000, db, 7)) out.push(e.seq);
    expect(out).toHaveLength(120);
    expect([...out].sort((a, b) => b - a)).toEqual(out);
  });

  it("a record's timeline holds the user's mints, refusals, disconnects and every-room deny-list entries, oldest first", async () => {
    const t = await listTimelineFor('troll-42', ROOM, 100, db);
    expect(t.rows.map((r) => r.action)).toEqual(['token.minted', 'denylist.added', 'token.refused', 'user.disconnected']);
    expect(t.more).toBe(false);
  });

  it('the pull API follows the log in seq order with a cursor and each entry chained to the previous', async () => {
    const seen: { seq: number; prev: string; hash: string }[] = [];
    let after = 0;
    for (;;) {
      const page = await readAuditEvents(after, 40, db);
      seen.push(...page.events.map((e) => ({ seq: e.seq, prev: e.chain.prevHash, hash: e.chain.hash })));
      expect(page.next.after).toBe(page.events.length ? page.events[page.events.length - 1].seq : after);
      after = page.next.after;
      if (!page.more) break;
    }
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: 187 }, (_, i) => i + 1));
    // Outside the console, the key holder recomputes each hash from the entry alone.
    const keyring = chainKeyring();
    for (const e of (await readAuditEvents(0, 1000, db)).events) {
      const key = keyring.byId.get(e.chain.keyId) ?? keyring.current;
      expect(e.chain.keyId).toBe(key.id);
      expect(createHmac('sha256', key.secret).update(e.chain.prevHash).update(e.chain.text).digest('hex')).toBe(e.chain.hash);
    }
    const completion = (await readAuditEvents(1, 1, db)).events[0];
    expect(completion).toMatchObject({ action: 'mint.issued', refSeq: 1, fingerprint: 'fp-1', userId: null });
    for (let i = 1; i < seen.length; i++) expect(seen[i].prev).toBe(seen[i - 1].hash);
    // Caught up: the same cursor answers nothing new and keeps its place.
    expect(await readAuditEvents(after, 40, db)).toMatchObject({ events: [], next: { after }, more: false });
  });

  it('the pull API refuses a bad cursor or limit by field', () => {
    expect(parseEventsQuery(new URLSearchParams('after=-1&limit=5000'))).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      fieldErrors: { after: expect.any(String), limit: expect.any(String) },
    });
    expect(parseEventsQuery(new URLSearchParams(''))).toEqual({ ok: true, data: { after: 0, limit: 100 } });
  });
});
