'use server';

import { recordAction } from '@/lib/audit/store';
import { regionFromArn } from '@/lib/ivschat/client';
import { deleteMessage } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import {
  checkModerationRoom,
  fieldErrorsOf,
  INTERNAL_FAILURE,
  requirePermission,
  type ModerationActionResult,
} from '@/lib/moderation/guard';
import { deleteMessageSchema } from '@/lib/shared/moderation/schema';

/** DeleteMessage by id: the room's clients receive aws:DELETE_MESSAGE; audited as 'message.deleted'. */
export async function deleteMessageAction(input: unknown): Promise<ModerationActionResult<{ auditId: string }>> {
  const guard = await requirePermission('moderate');
  if (!guard.ok) return guard;
  const parsed = deleteMessageSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, code: 'INVALID_INPUT', message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  const { roomArn, messageId, reason, source, senderUserId } = parsed.data;
  try {
    const scope = await checkModerationRoom(guard.staff, roomArn);
    if (!scope.ok) return scope;
    const result = await deleteMessage({ roomArn, messageId, reason });
    if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message, fieldErrors: result.error.fieldErrors };
    const audit = await recordAction({
      actor: { ...guard.actor, via: source },
      action: 'message.deleted',
      reason,
      userId: senderUserId ?? null,
      roomArn,
      region: regionFromArn(roomArn),
      details: {
        resource: { type: 'room', id: roomArn },
        new: { messageId, requestId: result.data.requestId, ...(senderUserId !== undefined ? { senderUserId } : {}) },
      },
    });
    return { ok: true, data: { auditId: audit.id } };
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'DeleteMessage', err: err instanceof Error ? err.message : String(err) },
      'delete action failed',
    );
    return INTERNAL_FAILURE;
  }
}
