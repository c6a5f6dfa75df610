import 'server-only';
import { checkApiKey, type ApiKeyActor, type ApiKeyCheck } from '@/lib/api-keys/store';
import type { AuditActor } from '@/lib/audit/store';
import { permissionRule, roleCan, rolePolicy, type Permission } from '@/lib/auth/policy';
import { currentSession } from '@/lib/auth/session';
import type { Staff } from '@/lib/auth/staff-store';
import { roomArnRegionProblem } from '@/lib/ivschat/client';
import { cachedRoomSummary, getRoom, POLICY_ROOM_MAX_AGE_MS } from '@/lib/ivschat/rooms';
import { log } from '@/lib/log';
import { checkRoomArn, checkRoomTags, requiresRoomTags } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import { sessionEndedRule } from '@/lib/shared/session-ended';
import { fail, SESSION_ENDED, type Failure } from './result';

/**
 * The one guard (docs/ARCHITECTURE.md): every server action and route handler calls `authorize` first, and
 * every background job calls it again for each unit of work. It re-reads the member (or the API
 * key and its owner) from the database, so a disabled, demoted or signed-out member loses the right
 * at the next use, not when a cookie or a job ends.
 */

/** The audit actor of a principal; its role is the member's (or the key's) role as it is now. */
export type Actor = AuditActor & { role: Role; via: 'ui' | 'api' };

/** Who is acting: a signed-in member (browser) or an API key (pipeline). */
export type Principal =
  | { kind: 'staff'; staff: Staff; actor: Actor & { via: 'ui' } }
  | { kind: 'apiKey'; key: ApiKeyActor; actor: Actor & { via: 'api'; apiKeyName: string } };

export type Authorized = { ok: true; principal: Principal; role: Role; actor: Actor };

const WHAT: Record<Permission, string> = {
  mint: 'mint tokens',
  'audit.read': 'read the audit log',
  'staff.manage': 'manage staff',
  'apikeys.manage': 'manage API keys',
  'users.disconnect': 'disconnect users',
  moderate: 'moderate rooms (delete messages, send events, the deny list)',
  'presets.manage': 'manage presets',
};

export interface AuthorizeOptions {
  /** The permission the work needs; omitted for "any signed-in member". */
  permission?: Permission;
  /**
   * For route handlers that accept API keys: the request whose `Authorization: Bearer` header
   * carries one. Without it only a browser session counts.
   */
  apiKeyFrom?: Request;
}

export function forbidden(role: Role, permission: Permission): Failure {
  const rule = permissionRule(role, permission);
  return fail('FORBIDDEN', `The ${role} role may not ${WHAT[permission]} (rule ${rule}).`, { rule });
}

export async function authorize(options: AuthorizeOptions = {}): Promise<Authorized | Failure> {
  let principal: Principal;
  if (options.apiKeyFrom) {
    const header = options.apiKeyFrom.headers.get('authorization');
    if (!header) return fail('UNAUTHENTICATED', 'Send an API key as Authorization: Bearer <key>.');
    let check: ApiKeyCheck;
    try {
      check = await checkApiKey(header);
    } catch (err) {
      log.error({ event: 'api.auth_failed', err: err instanceof Error ? err.message : String(err) }, 'API key lookup failed');
      return fail('AUDIT_UNAVAILABLE', 'The console database could not be reached. Try again shortly.', { retryable: true });
    }
    // Unknown, revoked, or suspended because its owner is disabled (the message says which).
    if (!check.ok) return fail('UNAUTHENTICATED', check.message);
    const key = check.actor;
    principal = {
      kind: 'apiKey',
      key,
      actor: { staffId: key.staffId, email: key.email, role: key.role, via: 'api', apiKeyName: key.apiKeyName },
    };
  } else {
    let staff: Staff | null;
    try {
      const session = await currentSession();
      if (session.kind === 'password_change_required') {
        return fail('FORBIDDEN', 'You signed in with a one-time password: set a new password before anything else.', {
          rule: 'password.oneTime',
        });
      }
      // A session that ended says why (its rule), so the browser can send the member to a sign-in
      // page that explains it and comes back; a request that never had a session gets the plain answer.
      if (session.kind === 'ended') return fail('UNAUTHENTICATED', SESSION_ENDED.message, { rule: sessionEndedRule(session.reason) });
      staff = session.kind === 'active' ? session.staff : null;
    } catch (err) {
      log.error({ event: 'session.lookup_failed', err: err instanceof Error ? err.message : String(err) }, 'staff lookup failed');
      return fail('AUDIT_UNAVAILABLE', 'The console database could not be reached. Try again shortly.', { retryable: true });
    }
    if (!staff) return SESSION_ENDED;
    principal = { kind: 'staff', staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } };
  }
  const role = principal.actor.role;
  if (options.permission && !roleCan(role, options.permission)) return forbidden(role, options.permission);
  return { ok: true, principal, role, actor: principal.actor };
}

/**
 * The room scope of the role (its ARN patterns, regions and required tags) for work on a room other
 * than minting, which checks it inside mintToken's policy decision. A room whose tags the policy
 * needs and that cannot be read is refused: the scope cannot be shown to hold.
 */
export async function checkRoomScope(role: Role, roomArn: string): Promise<{ ok: true } | Failure> {
  // Before any SDK client exists for the ARN's region (lib/ivschat/client.ts).
  const regionProblem = roomArnRegionProblem(roomArn);
  if (regionProblem) return fail('INVALID_INPUT', regionProblem, { fieldErrors: { roomArn: regionProblem } });
  const policy = rolePolicy(role);
  let refusal = checkRoomArn(role, policy, roomArn);
  if (!refusal && requiresRoomTags(policy)) {
    let tags = cachedRoomSummary(roomArn)?.tags;
    if (!tags) {
      const room = await getRoom(roomArn, { maxAgeMs: POLICY_ROOM_MAX_AGE_MS });
      if (!room.ok) {
        const { error } = room;
        return fail('AWS_ERROR', `The room's tags, which the ${role} role's room scope needs, could not be read: ${error.message}`, {
          awsCode: error.code,
          retryable: error.retryable,
          fieldErrors: { roomArn: error.message },
        });
      }
      tags = room.room.tags;
    }
    refusal = checkRoomTags(role, policy, tags);
  }
  if (refusal)
    return fail('FORBIDDEN', `${refusal.message} (rule ${refusal.rule})`, {
      rule: refusal.rule,
      fieldErrors: { roomArn: refusal.message },
    });
  return { ok: true };
}
