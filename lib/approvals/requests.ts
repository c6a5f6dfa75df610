import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { appendAction, type AuditActor } from '@/lib/audit/store';
import { getPolicy, rolePolicy } from '@/lib/auth/policy';
import type { Authorized } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Failure, type Result } from '@/lib/contract/result';
import { getDatabase, isUniqueViolation, withWriteTransaction, type DB } from '@/lib/db';
import { roomArnRegionProblem, regionFromArn } from '@/lib/ivschat/client';
import { cachedRoomSummary, getRoom, POLICY_ROOM_MAX_AGE_MS } from '@/lib/ivschat/rooms';
import { log } from '@/lib/log';
import {
  accessRequestIdSchema,
  createAccessRequestSchema,
  decideAccessRequestSchema,
  listAccessRequestsSchema,
  type AccessRequestState,
} from '@/lib/shared/approvals/schema';
import type { AccessDecisionView, AccessRequestView } from '@/lib/shared/approvals/view';
import { checkRoomArn, checkRoomTags, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import { identityEnabled, identityOf } from './identity';
import { notifyWebhook } from './webhook';

export type { AccessRequestView, AccessDecisionView };

type RequestRow = Selectable<DB['access_requests']>;
type DecisionRow = Selectable<DB['access_decisions']>;

const MINUTE = 60_000;

function toView(row: RequestRow, decisions: DecisionRow[], now = Date.now()): AccessRequestView {
  const windowOver = row.state === 'approved' && row.window_ends_at !== null && Date.parse(row.window_ends_at) <= now;
  const pendingOver = row.state === 'pending' && Date.parse(row.expires_at) <= now;
  return {
    id: Number(row.id),
    // What the request is now, even before the sweep writes it (the mint path reads the times too).
    state: windowOver ? 'ended' : pendingOver ? 'expired' : (row.state as AccessRequestState),
    live: row.state === 'approved' && !windowOver,
    requester: { id: row.requester_id, email: row.requester_email, role: row.requester_role, apiKeyName: row.api_key_name },
    requesterIdentity: row.requester_identity,
    roomArn: row.room_arn,
    userId: row.user_id,
    capabilities: JSON.parse(row.capabilities) as string[],
    windowMinutes: row.window_minutes,
    sessionDurationInMinutes: row.session_minutes,
    reason: row.reason,
    approvalsRequired: row.approvals_required,
    disconnectAtEnd: row.disconnect_at_end === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    approvedAt: row.approved_at,
    windowEndsAt: row.window_ends_at,
    decidedAt: row.decided_at,
    endedAt: row.ended_at,
    decisions: decisions
      .filter((d) => d.request_id === Number(row.id))
      .map((d) => ({
        decision: d.decision as 'approve' | 'deny',
        by:
          d.approver_id && d.approver_email && d.approver_role
            ? { id: d.approver_id, email: d.approver_email, role: d.approver_role, apiKeyName: d.api_key_name }
            : null,
        rule: d.rule,
        comment: d.comment,
        at: d.at,
      })),
  };
}

const requestResource = (id: number) => ({ type: 'access_request', id: String(id), label: `#${id}` });

function auditActor(auth: Authorized): AuditActor {
  return { ...auth.actor };
}

/** The request policy's room scope as a role policy, so the mint policy's room checks apply to it. */
function scopeAsPolicy(policy: RolePolicy): RolePolicy {
  return { ...policy, rooms: policy.requests!.rooms };
}

async function roomTags(roomArn: string): Promise<{ ok: true; tags: Record<string, string> } | Failure> {
  const cached = cachedRoomSummary(roomArn)?.tags;
  if (cached) return { ok: true, tags: cached };
  const room = await getRoom(roomArn, { maxAgeMs: POLICY_ROOM_MAX_AGE_MS });
  if (!room.ok) {
    return fail('AWS_ERROR', `The room's tags, which the request policy needs, could not be read: ${room.error.message}`, {
      awsCode: room.error.code,
      retryable: room.error.retryable,
      fieldErrors: { roomArn: room.error.message },
    });
  }
  return { ok: true, tags: room.room.tags };
}

const forbidden = (rule: string, message: string, field?: string) =>
  fail('FORBIDDEN', `${message} (rule ${rule})`, { rule, fieldErrors: field ? { [field]: `${message} (${rule})` } : {} });

/** Whether the request is for a production room in the sense of approvals.twoApprovers. */
function needsTwoApprovers(capabilities: readonly string[], roomArn: string, tags: Record<string, string> | null): boolean {
  const two = getPolicy().approvals.twoApprovers;
  if (!two || !capabilities.some((c) => (two.capabilities as readonly string[]).includes(c))) return false;
  const account = roomArn.split(':')[4] ?? '';
  const tagged = Object.keys(two.roomTags).length > 0 && tags !== null && Object.entries(two.roomTags).every(([k, v]) => tags[k] === v);
  return tagged || two.accounts.includes(account);
}

/** Ask for a temporary grant. Checked against the requester's role's `requests` policy as it is now. */
export async function createAccessRequest(auth: Authorized, input: unknown): Promise<Result<AccessRequestView>> {
  const parsed = createAccessRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const r = parsed.data;
  const regionProblem = roomArnRegionProblem(r.roomArn);
  if (regionProblem) return fail('INVALID_INPUT', regionProblem, { fieldErrors: { roomArn: regionProblem } });
  const role = auth.role;
  const policy = rolePolicy(role);
  const base = `roles.${role}.requests`;
  if (!policy.requests) return forbidden(base, `The ${role} role may not request temporary grants.`);
  const req = policy.requests;
  const who = await identityOf(auth.actor);
  const ownUserId = auth.principal.kind === 'staff' ? auth.principal.staff.email : who.ownerEmail;
  const userId = r.userId || ownUserId;
  if (!userId)
    return fail('INVALID_INPUT', 'Name the userId: this key has no member behind it.', { fieldErrors: { userId: 'Enter a userId.' } });
  if (!req.anyUserId && userId !== ownUserId) {
    return forbidden(`${base}.anyUserId`, `The ${role} role may request only for its own chat userId (${ownUserId ?? 'none'}).`, 'userId');
  }
  const allowed = new Set<string>([...req.capabilities, ...policy.capabilities]);
  const denied = r.capabilities.filter((c) => !allowed.has(c));
  if (denied.length) return forbidden(`${base}.capabilities`, `The ${role} role may not request ${denied.join(', ')}.`, 'capabilities');
  if (r.windowMinutes > req.maxWindowMinutes) {
    return forbidden(
      `${base}.maxWindowMinutes`,
      `The ${role} role may request windows of at most ${req.maxWindowMinutes} minutes.`,
      'windowMinutes',
    );
  }
  if (r.sessionDurationInMinutes > req.maxSessionMinutes) {
    return forbidden(
      `${base}.maxSessionMinutes`,
      `The ${role} role may request sessions of at most ${req.maxSessionMinutes} minutes.`,
      'sessionDurationInMinutes',
    );
  }
  const scope = scopeAsPolicy(policy);
  const arnRefusal = checkRoomArn(role, scope, r.roomArn);
  if (arnRefusal)
    return forbidden(
      arnRefusal.rule.replace(`roles.${role}.rooms`, `${base}.rooms`),
      arnRefusal.message.replace('mint for', 'request for'),
      'roomArn',
    );
  const two = getPolicy().approvals.twoApprovers;
  let tags: Record<string, string> | null = null;
  if (Object.keys(req.rooms.tags).length || (two && Object.keys(two.roomTags).length)) {
    const read = await roomTags(r.roomArn);
    if (!read.ok) return read;
    tags = read.tags;
    const tagRefusal = checkRoomTags(role, scope, tags);
    if (tagRefusal) return forbidden(tagRefusal.rule.replace(`roles.${role}.rooms`, `${base}.rooms`), tagRefusal.message, 'roomArn');
  }
  const approvalsRequired = needsTwoApprovers(r.capabilities, r.roomArn, tags) ? 2 : 1;
  const approvals = getPolicy().approvals;
  const autoRule =
    approvalsRequired === 1
      ? approvals.autoApprove.find(
          (rule) =>
            rule.roles.includes(role) &&
            new RegExp(rule.reasonPattern).test(r.reason) &&
            r.capabilities.every((c) => (rule.capabilities as readonly string[]).includes(c)) &&
            r.windowMinutes <= rule.maxWindowMinutes,
        )
      : undefined;

  const now = new Date();
  const handle = await getDatabase();
  let id: number;
  try {
    id = await withWriteTransaction(handle, async (trx) => {
      const inserted = await trx
        .insertInto('access_requests')
        .values({
          state: autoRule ? 'approved' : 'pending',
          requester_id: auth.actor.staffId,
          requester_identity: who.identity,
          requester_email: auth.actor.email.toLowerCase(),
          requester_role: role,
          requester_via: auth.actor.via,
          api_key_name: auth.actor.apiKeyName ?? null,
          room_arn: r.roomArn,
          user_id: userId,
          capabilities: JSON.stringify(r.capabilities),
          window_minutes: r.windowMinutes,
          session_minutes: r.sessionDurationInMinutes,
          reason: r.reason,
          approvals_required: approvalsRequired,
          disconnect_at_end: req.disconnectAtEnd ? 1 : 0,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + approvals.pendingExpiryMinutes * MINUTE).toISOString(),
          approved_at: autoRule ? now.toISOString() : null,
          window_ends_at: autoRule ? new Date(now.getTime() + r.windowMinutes * MINUTE).toISOString() : null,
          decided_at: autoRule ? now.toISOString() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const newId = Number(inserted.id);
      await appendAction(trx, {
        actor: auditActor(auth),
        action: 'access.requested',
        reason: r.reason,
        roomArn: r.roomArn,
        region: regionFromArn(r.roomArn),
        userId,
        details: {
          resource: requestResource(newId),
          requestId: newId,
          capabilities: r.capabilities,
          windowMinutes: r.windowMinutes,
          sessionDurationInMinutes: r.sessionDurationInMinutes,
          approvalsRequired,
        },
      });
      if (autoRule) {
        await trx
          .insertInto('access_decisions')
          .values({
            id: randomUUID(),
            request_id: newId,
            decision: 'approve',
            approver_id: null,
            approver_identity: `rule:${autoRule.name}`,
            approver_email: null,
            approver_role: null,
            api_key_name: null,
            rule: autoRule.name,
            comment: `Approved by rule ${autoRule.name} (reason matches ${autoRule.reasonPattern})`,
            at: now.toISOString(),
          })
          .execute();
        await appendAction(trx, {
          actor: { staffId: 'approvals', email: 'approvals@console.local', role: 'system', via: 'system' },
          action: 'access.approved',
          roomArn: r.roomArn,
          region: regionFromArn(r.roomArn),
          userId,
          details: {
            resource: requestResource(newId),
            requestId: newId,
            rule: autoRule.name,
            windowEndsAt: new Date(now.getTime() + r.windowMinutes * MINUTE).toISOString(),
          },
        });
      }
      return newId;
    });
  } catch (err) {
    log.error({ event: 'access.request_failed', err: err instanceof Error ? err.message : String(err) }, 'could not record the request');
    return fail('AUDIT_UNAVAILABLE', 'The console database could not record the request; nothing was asked. Try again shortly.', {
      retryable: true,
    });
  }
  const view = (await getAccessRequest(id))!;
  notifyWebhook('access.requested', view);
  if (autoRule) notifyWebhook('access.approved', view);
  return ok(view);
}

export async function getAccessRequest(id: number): Promise<AccessRequestView | null> {
  const handle = await getDatabase();
  const row = await handle.db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const decisions = await handle.db.selectFrom('access_decisions').selectAll().where('request_id', '=', id).orderBy('at').execute();
  return toView(row, decisions);
}

/** Who may read a request: its requester (by identity), approvers, and roles that read the audit log. */
export async function mayReadRequest(auth: Authorized, view: AccessRequestView, identity?: string): Promise<boolean> {
  if (isApprover(auth.role) || rolePolicy(auth.role).mayReadAudit) return true;
  return view.requesterIdentity === (identity ?? (await identityOf(auth.actor)).identity);
}

export function isApprover(role: Role): boolean {
  return getPolicy().approvals.approverRoles.includes(role);
}

/** The requests a member sees: all for approvers and audit readers, else their own. */
export async function listAccessRequests(auth: Authorized, input: unknown): Promise<Result<AccessRequestView[]>> {
  const parsed = listAccessRequestsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const handle = await getDatabase();
  const everyone = isApprover(auth.role) || rolePolicy(auth.role).mayReadAudit;
  let q = handle.db.selectFrom('access_requests').selectAll().orderBy('id', 'desc').limit(parsed.data.limit);
  if (!everyone) q = q.where('requester_identity', '=', (await identityOf(auth.actor)).identity);
  const now = new Date().toISOString();
  const state = parsed.data.state;
  if (state === 'pending') q = q.where('state', '=', 'pending').where('expires_at', '>', now);
  else if (state === 'approved') q = q.where('state', '=', 'approved').where('window_ends_at', '>', now);
  else if (state === 'expired')
    q = q.where((eb) => eb.or([eb('state', '=', 'expired'), eb.and([eb('state', '=', 'pending'), eb('expires_at', '<=', now)])]));
  else if (state === 'ended')
    q = q.where((eb) => eb.or([eb('state', '=', 'ended'), eb.and([eb('state', '=', 'approved'), eb('window_ends_at', '<=', now)])]));
  else if (state) q = q.where('state', '=', state);
  const rows = await q.execute();
  const ids = rows.map((r) => Number(r.id));
  const decisions = ids.length
    ? await handle.db.selectFrom('access_decisions').selectAll().where('request_id', 'in', ids).orderBy('at').execute()
    : [];
  return ok(rows.map((r) => toView(r, decisions)));
}

/** Pending requests this member could decide (the inbox badge): one indexed count. */
export async function countDecidable(auth: Authorized): Promise<number> {
  if (!isApprover(auth.role)) return 0;
  const handle = await getDatabase();
  const identity = (await identityOf(auth.actor)).identity;
  const row = await handle.db
    .selectFrom('access_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .where('expires_at', '>', new Date().toISOString())
    .where('requester_identity', '!=', identity)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Approve or deny. Approver roles only, never the requester's identity, one decision per identity. */
export async function decideAccessRequest(auth: Authorized, idInput: unknown, input: unknown): Promise<Result<AccessRequestView>> {
  const idParsed = accessRequestIdSchema.safeParse(idInput);
  if (!idParsed.success) return fail('NOT_FOUND', 'No such request.');
  const parsed = decideAccessRequestSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const id = idParsed.data;
  const { decision, comment } = parsed.data;
  if (!isApprover(auth.role)) {
    return forbidden('approvals.approverRoles', `The ${auth.role} role may not approve or deny requests.`);
  }
  const who = await identityOf(auth.actor);
  const handle = await getDatabase();
  const now = new Date();
  type Outcome = { ok: true } | Failure;
  let outcome: Outcome;
  try {
    outcome = await withWriteTransaction(handle, async (trx): Promise<Outcome> => {
      const row = await trx.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return fail('NOT_FOUND', `There is no request #${id}.`);
      if (row.requester_identity === who.identity) {
        const how = auth.actor.apiKeyName ? `this key belongs to the requester` : `you asked for it`;
        return forbidden('approvals.selfApproval', `Request #${id} cannot be decided by its requester: ${how}.`);
      }
      if (row.state !== 'pending' || Date.parse(row.expires_at) <= now.getTime()) {
        const state = row.state === 'pending' ? 'expired' : row.state;
        return fail('CONFLICT', `Request #${id} is ${state}; only a pending request can be decided.`);
      }
      try {
        await trx
          .insertInto('access_decisions')
          .values({
            id: randomUUID(),
            request_id: id,
            decision,
            approver_id: auth.actor.staffId,
            approver_identity: who.identity,
            approver_email: auth.actor.email.toLowerCase(),
            approver_role: auth.role,
            api_key_name: auth.actor.apiKeyName ?? null,
            rule: null,
            comment,
            at: now.toISOString(),
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err))
          return fail('CONFLICT', `You have already decided request #${id}; a second approval must come from someone else.`);
        throw err;
      }
      const approvals = await countApprovals(trx, id);
      const complete = decision === 'deny' || approvals >= row.approvals_required;
      const windowEndsAt = new Date(now.getTime() + row.window_minutes * MINUTE).toISOString();
      if (complete) {
        await trx
          .updateTable('access_requests')
          .set(
            decision === 'deny'
              ? { state: 'denied', decided_at: now.toISOString() }
              : { state: 'approved', decided_at: now.toISOString(), approved_at: now.toISOString(), window_ends_at: windowEndsAt },
          )
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .execute();
      }
      await appendAction(trx, {
        actor: auditActor(auth),
        action: decision === 'deny' ? 'access.denied' : 'access.approved',
        reason: comment || null,
        roomArn: row.room_arn,
        region: regionFromArn(row.room_arn),
        userId: row.user_id,
        details: {
          resource: requestResource(id),
          requestId: id,
          comment,
          requester: row.requester_email,
          ...(decision === 'approve' ? { approvals, approvalsRequired: row.approvals_required } : {}),
          ...(decision === 'approve' && complete ? { windowEndsAt } : {}),
        },
      });
      return { ok: true };
    });
  } catch (err) {
    log.error({ event: 'access.decide_failed', err: err instanceof Error ? err.message : String(err) }, 'could not record the decision');
    return fail('AUDIT_UNAVAILABLE', 'The console database could not record the decision; nothing was decided. Try again shortly.', {
      retryable: true,
    });
  }
  if (!outcome.ok) return outcome;
  const view = (await getAccessRequest(id))!;
  notifyWebhook(decision === 'deny' ? 'access.denied' : 'access.approved', view);
  return ok(view);
}

async function countApprovals(trx: Kysely<DB>, id: number): Promise<number> {
  const rows = await trx
    .selectFrom('access_decisions')
    .select('approver_identity')
    .where('request_id', '=', id)
    .where('decision', '=', 'approve')
    .execute();
  return new Set(rows.map((r) => r.approver_identity)).size;
}

/** The requester withdraws a pending request. */
export async function cancelAccessRequest(auth: Authorized, idInput: unknown): Promise<Result<AccessRequestView>> {
  const idParsed = accessRequestIdSchema.safeParse(idInput);
  if (!idParsed.success) return fail('NOT_FOUND', 'No such request.');
  const id = idParsed.data;
  const who = await identityOf(auth.actor);
  const handle = await getDatabase();
  let outcome: { ok: true } | Failure;
  try {
    outcome = await withWriteTransaction(handle, async (trx) => {
      const row = await trx.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return fail('NOT_FOUND', `There is no request #${id}.`);
      if (row.requester_identity !== who.identity) return forbidden('approvals.cancelOwn', `Only the requester may cancel request #${id}.`);
      if (row.state !== 'pending') return fail('CONFLICT', `Request #${id} is ${row.state}; only a pending request can be cancelled.`);
      await trx
        .updateTable('access_requests')
        .set({ state: 'cancelled', decided_at: new Date().toISOString() })
        .where('id', '=', id)
        .execute();
      await appendAction(trx, {
        actor: auditActor(auth),
        action: 'access.cancelled',
        roomArn: row.room_arn,
        region: regionFromArn(row.room_arn),
        userId: row.user_id,
        details: { resource: requestResource(id), requestId: id },
      });
      return { ok: true as const };
    });
  } catch (err) {
    log.error({ event: 'access.cancel_failed', err: err instanceof Error ? err.message : String(err) }, 'could not cancel');
    return fail('AUDIT_UNAVAILABLE', 'The console database could not record the cancellation. Try again shortly.', { retryable: true });
  }
  if (!outcome.ok) return outcome;
  const view = (await getAccessRequest(id))!;
  notifyWebhook('access.cancelled', view);
  return ok(view);
}

export { identityEnabled };

/** The member's approvals whose window is open now (the mint page shows them and widens its form by them). */
export async function liveApprovalsOf(auth: Authorized): Promise<AccessRequestView[]> {
  const handle = await getDatabase();
  const identity = (await identityOf(auth.actor)).identity;
  const rows = await handle.db
    .selectFrom('access_requests')
    .selectAll()
    .where('requester_identity', '=', identity)
    .where('state', '=', 'approved')
    .where('window_ends_at', '>', new Date().toISOString())
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => toView(r, []));
}
