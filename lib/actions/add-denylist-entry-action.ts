'use server';

import { roleCan } from '@/lib/auth/policy';
import { authorize, checkRoomScope, forbidden } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { regionFromArn } from '@/lib/ivschat/client';
import { disconnectUser } from '@/lib/ivschat/moderation';
import { log } from '@/lib/log';
import { addDenylistEntry, type DenylistEntry } from '@/lib/moderation/denylist';
import { checkDenylistScope } from '@/lib/moderation/denylist-scope';
import { INTERNAL_MESSAGE, recordModeration } from '@/lib/moderation/record';
import { denylistEntrySchema, denylistTargets } from '@/lib/shared/moderation/schema';

export interface AddedDenylistEntry {
  entry: DenylistEntry;
  /** IVS accepted DisconnectUser (it does not say whether the user had a connection). */
  disconnected: boolean;
  /** The room the disconnect was for. */
  disconnectRoomArn?: string;
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
  const { userId, reason, expiresAt, disconnectNow, source } = parsed.data;
  // Where it was done (the moderation page or a test connection's stream), as every moderation entry records it.
  const actor = { ...auth.actor, via: source };
  const { entryRoomArn, disconnectRoomArn } = denylistTargets(parsed.data);
  if (disconnectNow && !disconnectRoomArn) {
    return fail('INVALID_INPUT', 'Disconnecting needs a room.', {
      fieldErrors: { roomArn: 'Choose the room to disconnect the user from, or untick “Disconnect now”.' },
    });
  }
  if (disconnectRoomArn && !roleCan(auth.role, 'users.disconnect')) return forbidden(auth.role, 'users.disconnect');
  try {
    const scope = await checkDenylistScope(auth.role, entryRoomArn);
    if (!scope.ok) return scope;
    // Denied everywhere, disconnected here: the disconnect needs this room in the role's scope too.
    if (disconnectRoomArn && disconnectRoomArn !== entryRoomArn) {
      const here = await checkRoomScope(auth.role, disconnectRoomArn);
      if (!here.ok) return here;
    }
    const entry = await addDenylistEntry({ userId, roomArn: entryRoomArn, reason, expiresAt }, actor);
    if (!disconnectRoomArn) return ok({ entry, disconnected: false });
    const result = await disconnectUser({ roomArn: disconnectRoomArn, userId, reason });
    if (!result.ok) return ok({ entry, disconnected: false, disconnectError: result.error.message });
    const recorded = await recordModeration(
      {
        actor,
        action: 'user.disconnected',
        reason,
        userId,
        roomArn: disconnectRoomArn,
        region: regionFromArn(disconnectRoomArn),
        details: {
          resource: { type: 'room', id: disconnectRoomArn },
          new: { userId, requestId: result.data.requestId, denylistId: entry.id },
        },
      },
      `DisconnectUser for ${userId} was accepted`,
    );
    return ok({ entry, disconnected: true, disconnectRoomArn, ...(recorded.ok ? {} : { auditWarning: recorded.message }) });
  } catch (err) {
    log.error({ event: 'denylist.add_failed', err: err instanceof Error ? err.message : String(err) }, 'deny list add failed');
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
