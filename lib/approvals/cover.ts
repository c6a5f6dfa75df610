import 'server-only';
import { getPolicy, rolePolicy } from '@/lib/auth/policy';
import { getDatabase } from '@/lib/db';
import type { Role } from '@/lib/shared/policy/roles';
import { identityEnabled, identityOf } from './identity';

/** What the mint path asks: may this actor mint this, beyond the role's outright grants, now? */
export interface CoverQuery {
  actor: { staffId: string; role: Role; apiKeyName?: string | null };
  roomArn: string;
  userId: string;
  capabilities: readonly string[];
  sessionDurationInMinutes: number;
}

export type Cover =
  | { covered: true; approvalId: number; sessionDurationInMinutes: number; windowEndsAt: string; reason: string }
  | { covered: false; rule: string; message: string; field?: 'capabilities' };

const MINUTE = 60_000;

/**
 * The live approval that covers a mint, re-checked against everyone's current state: the window
 * is open (its clock started at approval), the capabilities beyond the role's outright ones are within it, the room and userId are
 * its own, the requester's role may still request it, and every approver is still an enabled member
 * (or live key) of an approver role, or the auto-approval rule still exists. A disabled or demoted
 * approver's approval stops counting at once: no new mint under it (README "Temporary grants").
 * The session is capped so that it ends when the window does.
 */
export async function findCover(q: CoverQuery, now = new Date()): Promise<Cover> {
  const handle = await getDatabase();
  const identity = (await identityOf(q.actor)).identity;
  const rows = await handle.db
    .selectFrom('access_requests')
    .selectAll()
    .where('requester_identity', '=', identity)
    .where('room_arn', '=', q.roomArn)
    .where('user_id', '=', q.userId)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const nowIso = now.toISOString();
  const live = rows.filter((r) => r.state === 'approved' && r.window_ends_at !== null && r.window_ends_at > nowIso);
  const policy = rolePolicy(q.actor.role);
  // What the role grants outright needs no approval; the rest must be within the approval.
  const wanted = q.capabilities.filter((c) => !(policy.capabilities as readonly string[]).includes(c));
  const fits = live.filter((r) => {
    const caps = JSON.parse(r.capabilities) as string[];
    return wanted.every((c) => caps.includes(c));
  });
  if (!fits.length) {
    if (live.length) {
      return {
        covered: false,
        rule: 'approval.capabilities',
        field: 'capabilities',
        message: `Approval #${live[0]!.id} does not grant ${wanted.filter((c) => !(JSON.parse(live[0]!.capabilities) as string[]).includes(c)).join(', ')}.`,
      };
    }
    const ended = rows.find((r) => r.state === 'ended' || (r.state === 'approved' && r.window_ends_at !== null));
    if (ended) {
      return {
        covered: false,
        rule: 'approval.expired',
        message: `Approval #${ended.id} for ${q.userId} in this room ended at ${ended.window_ends_at}; request a new one at /requests.`,
      };
    }
    const pending = rows.find((r) => r.state === 'pending' && r.expires_at > nowIso);
    if (pending) {
      return {
        covered: false,
        rule: 'approval.pending',
        message: `Request #${pending.id} is waiting for an approver; no grant beyond your role until it is approved.`,
      };
    }
    return {
      covered: false,
      rule: 'approval.required',
      message: `No live approval covers this for ${q.userId} in this room; request one at /requests.`,
    };
  }
  const approvers = getPolicy().approvals;
  for (const r of fits) {
    const caps = JSON.parse(r.capabilities) as string[];
    const allowed = new Set<string>([...(policy.requests?.capabilities ?? []), ...policy.capabilities]);
    if (!policy.requests || caps.some((c) => !allowed.has(c))) {
      return {
        covered: false,
        rule: 'approval.requestRight',
        message: `Approval #${r.id} no longer counts: the ${q.actor.role} role may not request ${caps.filter((c) => !allowed.has(c)).join(', ') || 'temporary grants'} now (roles.${q.actor.role}.requests).`,
      };
    }
    const decisions = await handle.db
      .selectFrom('access_decisions')
      .selectAll()
      .where('request_id', '=', r.id)
      .where('decision', '=', 'approve')
      .execute();
    let valid = 0;
    for (const d of decisions) {
      if (d.rule) {
        if (approvers.autoApprove.some((rule) => rule.name === d.rule)) valid++;
        continue;
      }
      if (!d.approver_identity || !d.approver_id) continue;
      if (d.approver_id.startsWith('apikey:')) {
        const key = await handle.db
          .selectFrom('api_keys')
          .select(['revoked_at', 'role'])
          .where('id', '=', d.approver_id.slice('apikey:'.length))
          .executeTakeFirst();
        const owner = await identityEnabled(d.approver_identity);
        if (key && key.revoked_at === null && approvers.approverRoles.includes(key.role as Role) && owner.enabled) valid++;
      } else {
        const member = await identityEnabled(d.approver_identity);
        if (member.enabled && member.role && approvers.approverRoles.includes(member.role as Role)) valid++;
      }
    }
    if (valid < r.approvals_required) {
      return {
        covered: false,
        rule: 'approval.approverRevoked',
        message: `Approval #${r.id} no longer counts: an approver was disabled or no longer holds an approver role.`,
      };
    }
    const left = Math.floor((Date.parse(r.window_ends_at!) - now.getTime()) / MINUTE);
    if (left < 1) {
      return { covered: false, rule: 'approval.expired', message: `Approval #${r.id} ends in under a minute; a session would outlive it.` };
    }
    return {
      covered: true,
      approvalId: Number(r.id),
      // Capped, not refused: the approval's longest session and the window's end bound it; the
      // answer and the audit record carry the capped length.
      sessionDurationInMinutes: Math.min(q.sessionDurationInMinutes, r.session_minutes, left),
      windowEndsAt: r.window_ends_at!,
      reason: r.reason,
    };
  }
  return { covered: false, rule: 'approval.required', message: 'No live approval covers this.' };
}

/**
 * A moderation act the console performs (DeleteMessage, DisconnectUser) for a member whose role
 * does not hold it outright: allowed while a live approval in that room grants the matching
 * capability, re-checked exactly as a mint under that approval is (window open, request right,
 * approvers still enabled). Returns the approval's id, or null when none covers it.
 */
export async function findModerationCover(
  actor: CoverQuery['actor'],
  roomArn: string,
  capability: 'DELETE_MESSAGE' | 'DISCONNECT_USER',
  now = new Date(),
): Promise<number | null> {
  const handle = await getDatabase();
  const identity = (await identityOf(actor)).identity;
  const rows = await handle.db
    .selectFrom('access_requests')
    .select(['user_id', 'capabilities'])
    .where('requester_identity', '=', identity)
    .where('room_arn', '=', roomArn)
    .where('state', '=', 'approved')
    .where('window_ends_at', '>', now.toISOString())
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  for (const r of rows) {
    if (!(JSON.parse(r.capabilities) as string[]).includes(capability)) continue;
    const cover = await findCover({ actor, roomArn, userId: r.user_id, capabilities: [capability], sessionDurationInMinutes: 1 }, now);
    if (cover.covered) return cover.approvalId;
  }
  return null;
}
