'use server';

import { recordAction } from '@/lib/audit/store';
import { regionFromArn } from '@/lib/ivschat/client';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import {
  checkModerationRoom,
  fieldErrorsOf,
  INTERNAL_FAILURE,
  requirePermission,
  type ModerationActionResult,
} from '@/lib/moderation/guard';
import { disconnectUserSchema } from '@/lib/shared/moderation/schema';

/** DisconnectUser: closes every connection of the userId in the room; audited as 'user.disconnected'. */
export async function disconnectUserAction(input: unknown): Promise<ModerationActionResult<{ auditId: string }>> {
  const guard = await requirePermission('users.disconnect');
  if (!guard.ok) return guard;
  const parsed = disconnectUserSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, code: 'INVALID_INPUT', message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  const { roomArn, userId, reason, source } = parsed.data;
  try {
    const scope = await checkModerationRoom(guard.staff, roomArn);
    if (!scope.ok) return scope;
    const result = await disconnectUser({ roomArn, userId, reason });
    if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message, fieldErrors: result.error.fieldErrors };
    const audit = await recordAction({
      actor: { ...guard.actor, via: source },
      action: 'user.disconnected',
      reason,
      userId,
      roomArn,
      region: regionFromArn(roomArn),
      details: { resource: { type: 'room', id: roomArn }, new: { userId, requestId: result.data.requestId } },
    });
    return { ok: true, data: { auditId: audit.id } };
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'DisconnectUser', err: err instanceof Error ? err.message : String(err) },
      'disconnect action failed',
    );
    return INTERNAL_FAILURE;
  }
}
