'use server';

import { moderationRight } from '@/lib/approvals/moderation-right';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, type Result } from '@/lib/contract/result';
import { regionFromArn } from '@/lib/ivschat/client';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { disconnectUserSchema } from '@/lib/shared/moderation/schema';

/**
 * DisconnectUser: closes every connection of the userId in the room, if it has any (IVS answers only
 * that it accepted the call); audited as 'user.disconnected'.
 */
export async function disconnectUserAction(input: unknown): Promise<Result<{ auditId: string }>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const parsed = disconnectUserSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { roomArn, userId, reason, source } = parsed.data;
  try {
    // The role's own right in its room scope, or a live approval for this room (lib/approvals).
    const right = await moderationRight(auth, 'users.disconnect', 'DISCONNECT_USER', roomArn);
    if (!right.ok) return right;
    const result = await disconnectUser({ roomArn, userId, reason });
    if (!result.ok) return ivschatFailure(result.error);
    return await recordModeration(
      {
        actor: { ...auth.actor, via: source },
        action: 'user.disconnected',
        reason,
        userId,
        roomArn,
        region: regionFromArn(roomArn),
        details: {
          resource: { type: 'room', id: roomArn },
          new: { userId, requestId: result.data.requestId, ...(right.approvalId !== null ? { approvalId: right.approvalId } : {}) },
        },
      },
      `DisconnectUser for ${userId} was accepted`,
    );
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'DisconnectUser', err: err instanceof Error ? err.message : String(err) },
      'disconnect action failed',
    );
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
