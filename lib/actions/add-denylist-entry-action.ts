'use server';

import { recordAction } from '@/lib/audit/store';
import { roleCan } from '@/lib/auth/policy';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { addDenylistEntry, type DenylistEntry } from '@/lib/moderation/denylist';
import {
  checkDenylistScope,
  fieldErrorsOf,
  INTERNAL_FAILURE,
  requirePermission,
  type ModerationActionResult,
} from '@/lib/moderation/guard';
import { denylistEntrySchema } from '@/lib/shared/moderation/schema';

/**
 * Adds a userId to the deny list (mintToken refuses it from now on) and, when asked, disconnects
 * it from the room now: IVS cannot revoke a token already issued, so this is what a ban is.
 */
export async function addDenylistEntryAction(
  input: unknown,
): Promise<ModerationActionResult<{ entry: DenylistEntry; disconnected: boolean; disconnectError?: string }>> {
  const guard = await requirePermission('moderate');
  if (!guard.ok) return guard;
  const parsed = denylistEntrySchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, code: 'INVALID_INPUT', message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  const { userId, roomArn, reason, expiresAt, disconnectNow } = parsed.data;
  if (disconnectNow && !roomArn) {
    return {
      ok: false,
      code: 'INVALID_INPUT',
      message: 'Disconnecting needs a room.',
      fieldErrors: { roomArn: 'Choose the room to disconnect the user from, or untick “Disconnect now”.' },
    };
  }
  if (disconnectNow && !roleCan(guard.staff.role, 'users.disconnect')) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      rule: `roles.${guard.staff.role}.mayDisconnectUsers`,
      message: `The ${guard.staff.role} role may not disconnect users (rule roles.${guard.staff.role}.mayDisconnectUsers).`,
    };
  }
  try {
    const scope = await checkDenylistScope(guard.staff, roomArn || null);
    if (!scope.ok) return scope;
    const entry = await addDenylistEntry({ userId, roomArn: roomArn || null, reason, expiresAt }, guard.actor);
    if (!disconnectNow) return { ok: true, data: { entry, disconnected: false } };
    const result = await disconnectUser({ roomArn, userId, reason });
    if (!result.ok) return { ok: true, data: { entry, disconnected: false, disconnectError: result.error.message } };
    await recordAction({
      actor: guard.actor,
      action: 'user.disconnected',
      reason,
      details: { resource: { type: 'room', id: roomArn }, new: { userId, requestId: result.data.requestId, denylistId: entry.id } },
    });
    return { ok: true, data: { entry, disconnected: true } };
  } catch (err) {
    log.error({ event: 'denylist.add_failed', err: err instanceof Error ? err.message : String(err) }, 'deny list add failed');
    return INTERNAL_FAILURE;
  }
}
