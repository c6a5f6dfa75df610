'use server';

import { roleCan } from '@/lib/auth/policy';
import { authorize, forbidden } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { regionFromArn } from '@/lib/ivschat/client';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { addDenylistEntry, type DenylistEntry } from '@/lib/moderation/denylist';
import { checkDenylistScope } from '@/lib/moderation/denylist-scope';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { denylistEntrySchema } from '@/lib/shared/moderation/schema';

export interface AddedDenylistEntry {
  entry: DenylistEntry;
  disconnected: boolean;
  /** Why "disconnect now" did not happen (the entry was still added). */
  disconnectError?: string;
  /** The user was disconnected at AWS but that disconnect's audit entry could not be written. */
  auditWarning?: string;
}

/**
 * Adds a userId to the deny list (mintToken refuses it from now on) and, when asked, disconnects
 * it from the room now: IVS cannot revoke a token already issued, so this is what a ban is.
 */
export async function addDenylistEntryAction(input: unknown): Promise<Result<AddedDenylistEntry>> {
  const auth = await authorize({ permission: 'moderate' });
  if (!auth.ok) return auth;
  const parsed = denylistEntrySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { userId, roomArn, reason, expiresAt, disconnectNow, source } = parsed.data;
  // Where it was done (the moderation page or a test connection's stream), as every moderation entry records it.
  const actor = { ...auth.actor, via: source };
  if (disconnectNow && !roomArn) {
    return fail('INVALID_INPUT', 'Disconnecting needs a room.', {
      fieldErrors: { roomArn: 'Choose the room to disconnect the user from, or untick “Disconnect now”.' },
    });
  }
  if (disconnectNow && !roleCan(auth.role, 'users.disconnect')) return forbidden(auth.role, 'users.disconnect');
  try {
    const scope = await checkDenylistScope(auth.role, roomArn || null);
    if (!scope.ok) return scope;
    const entry = await addDenylistEntry({ userId, roomArn: roomArn || null, reason, expiresAt }, actor);
    if (!disconnectNow) return ok({ entry, disconnected: false });
    const result = await disconnectUser({ roomArn, userId, reason });
    if (!result.ok) return ok({ entry, disconnected: false, disconnectError: result.error.message });
    const recorded = await recordModeration(
      {
        actor,
        action: 'user.disconnected',
        reason,
        userId,
        roomArn,
        region: regionFromArn(roomArn),
        details: { resource: { type: 'room', id: roomArn }, new: { userId, requestId: result.data.requestId, denylistId: entry.id } },
      },
      `${userId} was disconnected from the room`,
    );
    return ok({ entry, disconnected: true, ...(recorded.ok ? {} : { auditWarning: recorded.message }) });
  } catch (err) {
    log.error({ event: 'denylist.add_failed', err: err instanceof Error ? err.message : String(err) }, 'deny list add failed');
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
