import 'server-only';
import type { AuditActor } from '@/lib/audit/store';
import { permissionRule, roleCan, rolePolicy, type Permission } from '@/lib/auth/policy';
import { getCurrentStaff } from '@/lib/auth/session';
import type { Staff } from '@/lib/auth/staff-store';
import { roomArnRegionProblem } from '@/lib/ivschat/client';
import { cachedRoomSummary, getRoom } from '@/lib/ivschat/rooms';
import { checkRoomArn, checkRoomTags, requiresRoomTags, roomScopeUnrestricted } from '@/lib/shared/policy/rules';
import type { FieldErrors } from '@/lib/shared/tokens/schema';

/** What every moderation, deny-list and preset action returns. */
export type ModerationActionResult<T> =
  { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors?: FieldErrors; rule?: string };

export type Guarded = { ok: true; staff: Staff; actor: AuditActor } | { ok: false; code: string; message: string; rule?: string };

const WHAT: Partial<Record<Permission, string>> = {
  'users.disconnect': 'disconnect users',
  moderate: 'moderate rooms (delete messages, send events, the deny list)',
  'presets.manage': 'manage presets',
};

/** A live session (re-read from the staff store) and the permission for the member's current role. */
export async function requirePermission(permission: Permission): Promise<Guarded> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again.' };
  if (!roleCan(staff.role, permission)) {
    const rule = permissionRule(staff.role, permission);
    return {
      ok: false,
      code: 'FORBIDDEN',
      rule,
      message: `The ${staff.role} role may not ${WHAT[permission] ?? permission} (rule ${rule}).`,
    };
  }
  return { ok: true, staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } };
}

/** The role's room scope applies to moderation as to minting: same patterns, regions and tags. */
export async function checkModerationRoom(
  staff: Staff,
  roomArn: string,
): Promise<{ ok: true } | { ok: false; code: string; message: string; rule: string; fieldErrors: FieldErrors }> {
  const regionProblem = roomArnRegionProblem(roomArn);
  if (regionProblem)
    return { ok: false, code: 'INVALID_INPUT', message: regionProblem, rule: 'IVSCHAT_REGIONS', fieldErrors: { roomArn: regionProblem } };
  const policy = rolePolicy(staff.role);
  let refusal = checkRoomArn(staff.role, policy, roomArn);
  if (!refusal && requiresRoomTags(policy)) {
    let tags = cachedRoomSummary(roomArn)?.tags;
    if (!tags) {
      const room = await getRoom(roomArn);
      if (!room.ok)
        return {
          ok: false,
          code: 'FORBIDDEN',
          rule: `roles.${staff.role}.rooms.tags`,
          message: room.error.message,
          fieldErrors: { roomArn: room.error.message },
        };
      tags = room.room.tags;
    }
    refusal = checkRoomTags(staff.role, policy, tags);
  }
  if (refusal)
    return {
      ok: false,
      code: 'FORBIDDEN',
      rule: refusal.rule,
      message: `${refusal.message} (rule ${refusal.rule})`,
      fieldErrors: { roomArn: refusal.message },
    };
  return { ok: true };
}

/**
 * The room scope for a deny-list entry: a room's entry needs that room in the role's scope (as any
 * moderation act), an entry for every room needs a role whose scope is every room.
 */
export async function checkDenylistScope(
  staff: Staff,
  roomArn: string | null,
): Promise<{ ok: true } | { ok: false; code: string; message: string; rule: string; fieldErrors: FieldErrors }> {
  if (roomArn) return checkModerationRoom(staff, roomArn);
  if (roomScopeUnrestricted(rolePolicy(staff.role))) return { ok: true };
  const rule = `roles.${staff.role}.rooms`;
  const message = `The ${staff.role} role may act only on some rooms, so it cannot deny a userId in every room; choose a room.`;
  return { ok: false, code: 'FORBIDDEN', rule, message: `${message} (rule ${rule})`, fieldErrors: { roomArn: message } };
}

export function fieldErrorsOf(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return out;
}

export const INTERNAL_FAILURE = {
  ok: false as const,
  code: 'INTERNAL',
  message: 'Something went wrong on the server; nothing was changed.',
};
