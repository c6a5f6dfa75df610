'use server';

import { authorize, checkRoomScope } from '@/lib/contract/guard';
import { fail, invalidInput, type Result } from '@/lib/contract/result';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { deleteMessage } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { deleteMessageSchema } from '@/lib/shared/moderation/schema';

/** DeleteMessage by id: the room's clients receive aws:DELETE_MESSAGE; audited as 'message.deleted'. */
export async function deleteMessageAction(input: unknown): Promise<Result<{ auditId: string }>> {
  const auth = await authorize({ permission: 'moderate' });
  if (!auth.ok) return auth;
  const parsed = deleteMessageSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { roomArn, messageId, reason } = parsed.data;
  try {
    const scope = await checkRoomScope(auth.role, roomArn);
    if (!scope.ok) return scope;
    const result = await deleteMessage({ roomArn, messageId, reason });
    if (!result.ok) return ivschatFailure(result.error);
    return await recordModeration(
      {
        actor: auth.actor,
        action: 'message.deleted',
        reason,
        details: { resource: { type: 'room', id: roomArn }, new: { messageId, requestId: result.data.requestId } },
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
