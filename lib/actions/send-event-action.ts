'use server';

import { authorize, checkRoomScope } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { sendEvent } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { rowsToAttributes } from '@/lib/shared/tokens/attributes';
import { sendEventSchema } from '@/lib/shared/moderation/schema';

/** SendEvent (custom event with attributes under the 1 KB limit); audited as 'event.sent'. */
export async function sendEventAction(input: unknown): Promise<Result<{ auditId: string; eventId: string | null }>> {
  const auth = await authorize({ permission: 'moderate' });
  if (!auth.ok) return auth;
  const parsed = sendEventSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { roomArn, eventName, reason } = parsed.data;
  const attributes = rowsToAttributes(parsed.data.attributes);
  try {
    const scope = await checkRoomScope(auth.role, roomArn);
    if (!scope.ok) return scope;
    const result = await sendEvent({ roomArn, eventName, attributes });
    if (!result.ok) return ivschatFailure(result.error);
    // The event's attributes are kept: they are broadcast to the whole room, not secrets.
    const recorded = await recordModeration(
      {
        actor: auth.actor,
        action: 'event.sent',
        reason: reason || null,
        details: {
          resource: { type: 'room', id: roomArn },
          new: { eventName, attributes, eventId: result.data.id, requestId: result.data.requestId },
        },
      },
      `The event ${eventName} was sent to the room`,
    );
    return recorded.ok ? ok({ auditId: recorded.data.auditId, eventId: result.data.id }) : recorded;
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'SendEvent', err: err instanceof Error ? err.message : String(err) },
      'send event action failed',
    );
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
