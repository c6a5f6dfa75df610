import 'server-only';
import { checkRoomScope, type Authorized } from '@/lib/contract/guard';
import { fail, type Failure } from '@/lib/contract/result';
import { roleCan, type Permission } from '@/lib/auth/policy';
import { findModerationCover } from './cover';

/**
 * The right to delete a message or disconnect a user in a room, checked at use: the role's own
 * permission within its room scope, or else a live approval for that room that grants the
 * capability (issue 16: an approved temporary moderator moderates through the audited path too).
 */
export async function moderationRight(
  auth: Authorized,
  permission: Permission,
  capability: 'DELETE_MESSAGE' | 'DISCONNECT_USER',
  roomArn: string,
): Promise<{ ok: true; approvalId: number | null } | Failure> {
  if (roleCan(auth.role, permission)) {
    const scope = await checkRoomScope(auth.role, roomArn);
    return scope.ok ? { ok: true, approvalId: null } : scope;
  }
  const approvalId = await findModerationCover(auth.actor, roomArn, capability);
  if (approvalId !== null) return { ok: true, approvalId };
  return fail(
    'FORBIDDEN',
    `The ${auth.role} role may not do this, and no live approval grants ${capability} in this room; request one at /requests.`,
    { rule: 'approval.required' },
  );
}
