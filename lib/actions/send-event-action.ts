'use server';

import { recordAction } from '@/lib/audit/store';
import { sendEvent } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import {
  checkModerationRoom,
  fieldErrorsOf,
  INTERNAL_FAILURE,
  requirePermission,
  type ModerationActionResult,
} from '@/lib/moderation/guard';
import { rowsToAttributes } from '@/lib/shared/tokens/attributes';
import { sendEventSchema } from '@/lib/shared/moderation/schema';

/** SendEvent (custom event with attributes under the 1 KB limit); audited as 'event.sent'. */
export async function sendEventAction(input: unknown): Promise<ModerationActionResult<{ auditId: string; eventId: string | null }>> {
  const guard = await requirePermission('moderate');
  if (!guard.ok) return guard;
  const parsed = sendEventSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, code: 'INVALID_INPUT', message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  const { roomArn, eventName, reason } = parsed.data;
  const attributes = rowsToAttributes(parsed.data.attributes);
  try {
    const scope = await checkModerationRoom(guard.staff, roomArn);
    if (!scope.ok) return scope;
    const result = await sendEvent({ roomArn, eventName, attributes });
    if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message, fieldErrors: result.error.fieldErrors };
    // The event's attributes are kept: they are broadcast to the whole room, not secrets.
    const audit = await recordAction({
      actor: guard.actor,
      action: 'event.sent',
      reason: reason || null,
      roomArn,
      details: {
        resource: { type: 'room', id: roomArn },
        new: { eventName, attributes, eventId: result.data.id, requestId: result.data.requestId },
      },
    });
    return { ok: true, data: { auditId: audit.id, eventId: result.data.id } };
  } catch (err) {
    log.error(
      { event: 'moderation.failed', op: 'SendEvent', err: err instanceof Error ? err.message : String(err) },
      'send event action failed',
    );
    return INTERNAL_FAILURE;
  }
}
