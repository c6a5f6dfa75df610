import 'server-only';
import { appendAction, recordAction, type AuditActor } from '@/lib/audit/store';
import { getDatabase, withWriteTransaction } from '@/lib/db';
import { env } from '@/lib/env';
import { regionFromArn } from '@/lib/ivschat/client';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { endedReason } from '@/lib/shared/approvals/view';
import { getAccessRequest } from './requests';
import { notifyWebhook } from './webhook';

/** The console itself, ending windows: the actor of expiries, window ends and their disconnects. */
export const APPROVALS_ACTOR: AuditActor = Object.freeze({
  staffId: 'approvals',
  email: 'approvals@console.local',
  role: 'system',
  via: 'system',
});

/** A replica holds a window's end this long; if it dies mid-way another takes it over after. */
const CLAIM_MS = 60_000;
/** A disconnect that keeps failing is retried on each sweep for this long, then recorded as failed. */
const GIVE_UP_MS = 10 * 60_000;

/**
 * Takes the end of window `id` for this replica: one conditional UPDATE, which on PostgreSQL only
 * one of several concurrent replicas can win (the others see the claim and update nothing). A claim
 * lapses after CLAIM_MS, so a replica that died mid-way does not leave the window open for ever.
 */
export async function claimWindowEnd(id: number, now = new Date()): Promise<boolean> {
  const handle = await getDatabase();
  const nowIso = now.toISOString();
  const claim = await handle.db
    .updateTable('access_requests')
    .set({ sweep_claimed_until: new Date(now.getTime() + CLAIM_MS).toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'approved')
    .where('window_ends_at', '<=', nowIso)
    .where((eb) => eb.or([eb('sweep_claimed_until', 'is', null), eb('sweep_claimed_until', '<', nowIso)]))
    .executeTakeFirst();
  return Number(claim.numUpdatedRows) === 1;
}

export interface SweepResult {
  expired: number[];
  ended: { id: number; disconnected: boolean; error?: string }[];
}

/**
 * Expires unanswered requests and ends approval windows whose time has come, disconnecting the
 * userId in the room when the policy asked for it (DisconnectUser with the reason "Temporary
 * moderator approval #N ended", recorded as 'user.disconnected' like any moderation, then
 * 'access.ended'). Every replica sweeps; a row is claimed by a conditional UPDATE, so on PostgreSQL
 * with several replicas only one disconnects each user. The mint path never waits for this: it
 * reads the window's end time itself.
 */
export async function sweepApprovals(now = new Date()): Promise<SweepResult> {
  const handle = await getDatabase();
  const nowIso = now.toISOString();
  const result: SweepResult = { expired: [], ended: [] };

  const stale = await handle.db
    .selectFrom('access_requests')
    .select('id')
    .where('state', '=', 'pending')
    .where('expires_at', '<=', nowIso)
    .limit(100)
    .execute();
  for (const { id } of stale) {
    const done = await withWriteTransaction(handle, async (trx) => {
      const updated = await trx
        .updateTable('access_requests')
        .set({ state: 'expired', decided_at: nowIso })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      const row = await trx.selectFrom('access_requests').select(['room_arn', 'user_id']).where('id', '=', id).executeTakeFirstOrThrow();
      await appendAction(trx, {
        actor: APPROVALS_ACTOR,
        action: 'access.expired',
        roomArn: row.room_arn,
        region: regionFromArn(row.room_arn),
        userId: row.user_id,
        details: { resource: { type: 'access_request', id: String(id), label: `#${id}` }, requestId: Number(id) },
      });
      return true;
    });
    if (done) {
      result.expired.push(Number(id));
      const view = await getAccessRequest(Number(id));
      if (view) notifyWebhook('access.expired', view);
    }
  }

  const due = await handle.db
    .selectFrom('access_requests')
    .select('id')
    .where('state', '=', 'approved')
    .where('window_ends_at', '<=', nowIso)
    .where((eb) => eb.or([eb('sweep_claimed_until', 'is', null), eb('sweep_claimed_until', '<', nowIso)]))
    .limit(100)
    .execute();
  for (const { id } of due) {
    if (!(await claimWindowEnd(Number(id), now))) continue; // another replica has it
    const row = await handle.db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const requestId = Number(row.id);
    let disconnected = false;
    let disconnectError: string | undefined;
    let disconnectAuditId: string | undefined;
    if (row.disconnect_at_end === 1) {
      const reason = endedReason(requestId);
      const res = await disconnectUser({ roomArn: row.room_arn, userId: row.user_id, reason });
      if (res.ok) {
        disconnected = true;
        try {
          disconnectAuditId = (
            await recordAction({
              actor: APPROVALS_ACTOR,
              action: 'user.disconnected',
              reason,
              userId: row.user_id,
              roomArn: row.room_arn,
              region: regionFromArn(row.room_arn),
              details: {
                resource: { type: 'room', id: row.room_arn },
                new: { userId: row.user_id, requestId: res.data.requestId },
                approvalId: requestId,
              },
            })
          ).id;
        } catch (err) {
          log.error(
            { event: 'approvals.disconnect_audit_failed', requestId, err: String(err) },
            'disconnected at AWS, audit entry not written',
          );
        }
      } else {
        disconnectError = `${res.error.code}: ${res.error.message}`;
        const overdue = now.getTime() - Date.parse(row.window_ends_at!) > GIVE_UP_MS;
        if (res.error.retryable && !overdue) {
          log.warn(
            { event: 'approvals.disconnect_retry', requestId, awsCode: res.error.code },
            'window-end disconnect failed; retried next sweep',
          );
          await handle.db.updateTable('access_requests').set({ sweep_claimed_until: null }).where('id', '=', id).execute();
          continue;
        }
        log.error({ event: 'approvals.disconnect_failed', requestId, awsCode: res.error.code }, 'window-end disconnect failed');
      }
    }
    const endedAt = new Date().toISOString();
    await withWriteTransaction(handle, async (trx) => {
      await trx
        .updateTable('access_requests')
        .set({
          state: 'ended',
          ended_at: endedAt,
          end_outcome: JSON.stringify({
            disconnected,
            disconnectError: disconnectError ?? null,
            disconnectAuditId: disconnectAuditId ?? null,
          }),
          sweep_claimed_until: null,
        })
        .where('id', '=', id)
        .where('state', '=', 'approved')
        .execute();
      await appendAction(trx, {
        actor: APPROVALS_ACTOR,
        action: 'access.ended',
        reason: row.disconnect_at_end === 1 ? endedReason(requestId) : null,
        roomArn: row.room_arn,
        region: regionFromArn(row.room_arn),
        userId: row.user_id,
        details: {
          resource: { type: 'access_request', id: String(requestId), label: `#${requestId}` },
          requestId,
          windowEndsAt: row.window_ends_at,
          disconnectAtEnd: row.disconnect_at_end === 1,
          disconnected,
          ...(disconnectError ? { disconnectError } : {}),
          ...(disconnectAuditId ? { disconnectAuditId } : {}),
        },
      });
    });
    result.ended.push({ id: requestId, disconnected, ...(disconnectError ? { error: disconnectError } : {}) });
    const view = await getAccessRequest(requestId);
    if (view) notifyWebhook('access.ended', view);
  }
  return result;
}

const state = globalThis as typeof globalThis & { __ivsConsoleApprovalSweep?: NodeJS.Timeout };

/** Sweeps now and then every APPROVALS_SWEEP_INTERVAL_MS, in this process (instrumentation.ts). */
export function startApprovalSweep(): void {
  if (state.__ivsConsoleApprovalSweep) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await sweepApprovals();
      if (r.expired.length || r.ended.length) log.info({ event: 'approvals.swept', ...r }, 'approval sweep');
    } catch (err) {
      log.error({ event: 'approvals.sweep_failed', err: err instanceof Error ? err.message : String(err) }, 'approval sweep failed');
    } finally {
      running = false;
    }
  };
  void tick();
  state.__ivsConsoleApprovalSweep = setInterval(() => void tick(), env.APPROVALS_SWEEP_INTERVAL_MS);
  state.__ivsConsoleApprovalSweep.unref();
}
