import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { ACTIVITY_ACTION_LABELS, parseActivityQuery } from '@/lib/shared/audit/activity';
import { describeEachDatabase } from '@/test/pg';
import { listActivity } from './activity';
import { activityExportStream } from './activity-export';
import { AUDIT_ACTIONS, recordAction, recordMintFailed, recordMintIssued, recordMintRequested, type AuditActor } from './store';

/**
 * Issue 13, "each action type appears in the Activity view and export": one entry of every action
 * the store can record (AUDIT_ACTIONS, read from the code), each found by its own action filter as
 * the URL carries it, with its label and a sentence, and the same entry in the CSV and JSON export.
 */

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const actor: AuditActor = { staffId: 'staff-zoe', email: 'zoe@example.com', role: 'admin', via: 'ui' };

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describeEachDatabase('every action type in the Activity view and its export', ({ fresh }) => {
  let db: DatabaseHandle;
  /** The seqs the view should list for each action filter, newest first (a mint outcome lists its request; token.minted every mint). */
  const expected = new Map<string, number[]>();

  beforeAll(async () => {
    db = (await fresh()).handle;
    const mint = (userId: string) =>
      recordMintRequested({ actor, roomArn: ROOM, region: 'us-east-1', userId, attributes: {}, capabilities: [], durationMinutes: 5 }, db);
    const pending = await mint('u-pending');

    const issued = await mint('u-issued');
    await recordMintIssued(issued.id, { fingerprint: 'fp-x', tokenExpiresAt: new Date(), sessionExpiresAt: new Date() }, db);
    expected.set('mint.issued', [issued.seq]);
    const failed = await mint('u-failed');
    await recordMintFailed(failed.id, { errorCode: 'ThrottlingException', errorMessage: 'slow down' }, db);
    expected.set('mint.failed', [failed.seq]);
    expected.set('token.minted', [failed.seq, issued.seq, pending.seq]);
    for (const action of AUDIT_ACTIONS) {
      if (action === 'token.minted' || action === 'mint.issued' || action === 'mint.failed') continue;
      const { id } = await recordAction(
        {
          actor,
          action,
          reason: `reason for ${action}`,
          userId: `user-${action}`,
          roomArn: ROOM,
          details: { resource: { type: 'thing', id: `id-${action}`, label: `label-${action}` } },
        },
        db,
      );
      const page = await listActivity({ action }, {}, db);
      expected.set(action, [page.rows.find((r) => r.id === id)!.seq]);
    }
  });

  it('lists each action by its filter, labelled and described', async () => {
    expect(expected.size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) {
      const parsed = parseActivityQuery(new URLSearchParams({ action }));
      expect(parsed.ok, action).toBe(true);
      if (!parsed.ok) continue;
      const page = await listActivity(parsed.query, { page: parsed.page }, db);
      expect(
        page.rows.map((r) => r.seq),
        action,
      ).toEqual(expected.get(action));
      expect(page.total, action).toBe(expected.get(action)!.length);
      expect(ACTIVITY_ACTION_LABELS[action], action).toBeTruthy();
      expect(page.rows[0].summary.length, action).toBeGreaterThan(5);
    }
  });

  it('exports each action in CSV and JSON, the same entry as the view', async () => {
    for (const action of AUDIT_ACTIONS) {
      const parsed = parseActivityQuery(new URLSearchParams({ action }));
      if (!parsed.ok) throw new Error(action);
      const csv = parse((await text(activityExportStream('csv', parsed.query, 1000, db))).replace(/^\uFEFF/, ''), {
        columns: true,
      }) as Record<string, string>[];
      expect(
        csv.map((r) => Number(r.seq)),
        action,
      ).toEqual(expected.get(action));
      const json = JSON.parse(await text(activityExportStream('json', parsed.query, 1000, db))) as { seq: number; action: string }[];
      expect(
        json.map((r) => r.seq),
        action,
      ).toEqual(expected.get(action));
      // The row's own action: a mint outcome is exported as its request, with the outcome as status.
      const own = action === 'mint.issued' || action === 'mint.failed' ? 'token.minted' : action;
      expect(csv[0].action, action).toBe(own);
      expect(json[0].action, action).toBe(own);
      if (own !== action) expect(csv[0].status, action).toBe(action === 'mint.issued' ? 'issued' : 'failed');
    }
  });
});
