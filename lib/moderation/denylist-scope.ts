import 'server-only';
import { rolePolicy } from '@/lib/auth/policy';
import { checkRoomScope } from '@/lib/contract/guard';
import { fail, type Failure } from '@/lib/contract/result';
import { roomScopeUnrestricted } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';

/**
 * The room scope for a deny-list entry, added or removed: a room's entry needs that room in the
 * role's scope (as any moderation act), an entry for every room needs a role whose scope is every
 * room (a qa member, limited to env=qa rooms, may not deny a userId in production).
 */
export async function checkDenylistScope(role: Role, roomArn: string | null): Promise<{ ok: true } | Failure> {
  if (roomArn) return checkRoomScope(role, roomArn);
  if (roomScopeUnrestricted(rolePolicy(role))) return { ok: true };
  const rule = `roles.${role}.rooms`;
  const message = `The ${role} role may act only on some rooms, so it cannot deny a userId in every room; choose a room.`;
  return fail('FORBIDDEN', `${message} (rule ${rule})`, { rule, fieldErrors: { roomArn: message } });
}
