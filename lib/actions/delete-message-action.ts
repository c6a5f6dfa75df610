'use server';

import { moderationRight } from '@/lib/approvals/moderation-right';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, type Result } from '@/lib/contract/result';
import { regionFromArn } from '@/lib/ivschat/client';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { deleteMessage } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { deleteMessageSchema } from '@/lib/shared/moderation/schema';

/** DeleteMessage by id: the room's clients receive aws:DELETE_MESSAGE; audited as 'message.deleted'. */
export async function deleteMessageAction(input: unknown): Promise<Result<{ auditId: string }>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const parsed = deleteMessageSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { roomArn, messageId, reason, source, senderUserId } = parsed.data;
  try {
    // The role's own right in its room scope, or a live approval for this room (lib/approvals).
    const right = await moderationRight(auth, 'moderate', 'DELETE_MESSAGE', roomArn);
    if (!right.ok) return right;
    const result = await deleteMessage({ roomArn, messageId, reason });
    if (!result.ok) return ivschatFailure(result.error);
    return await recordModeration(
      {
        actor: { ...auth.actor, via: source },
        action: 'message.deleted',
        reason,
        userId: senderUserId ?? null,
        roomArn,
        region: regionFromArn(roomArn),
        details: {
          resource: { type: 'room', id: roomArn },
          new: {
            messageId,
            requestId: result.data.requestId,
            ...(senderUserId !== undefined ? { senderUserId } : {}),
            ...(right.approvalId !== null ? { approvalId: right.approvalId } : {}),
          },
        },
      },
      `Message ${messageId} was deleted`,
    );
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'DeleteMessage', err: err instanceof Error ? err.message : String(err) },
      'delete action failed',
    );
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
