'use client';

import { useState } from 'react';
import { addDenylistEntryAction } from '@/lib/actions/add-denylist-entry-action';
import { deleteMessageAction } from '@/lib/actions/delete-message-action';
import { disconnectUserAction } from '@/lib/actions/disconnect-user-action';
import type { Failure } from '@/lib/contract/result';

export type ModerationSource = 'ui' | 'connect-here';

export interface ModerationOutcome {
  ok: boolean;
  text: string;
}

/** What the member may do from a room stream; the server actions check it again, against the member as they are now. */
export interface StreamRights {
  deleteMessages: boolean;
  disconnectUsers: boolean;
  denyUsers: boolean;
}

/** A failure's message with the first field error that says more. */
function failureText(result: Failure): string {
  const detail = Object.values(result.fieldErrors ?? {})[0];
  return detail && detail !== result.message ? `${result.message} ${detail}` : result.message;
}

const UNANSWERED = 'The console did not answer, so whether it was done is unknown: check the Activity view before trying again.';

/**
 * Moderation from a room stream (the test connection, the /moderation watch). Every act goes through
 * the console's server actions (DeleteMessage / DisconnectUser at the control plane, the deny
 * list), so the policy is checked and the audit log shows it with its source; nothing is done over
 * the browser's chat socket alone. The outcome says what IVS told us and no more.
 */
export function useModeration({ roomArn, source }: { roomArn: string; source: ModerationSource }) {
  const [outcome, setOutcome] = useState<ModerationOutcome | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<ModerationOutcome>): Promise<boolean> => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await fn();
      setOutcome(result);
      return result.ok;
    } catch {
      setOutcome({ ok: false, text: UNANSWERED });
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    outcome,
    busy,
    clearOutcome: () => setOutcome(null),
    deleteMessage: (message: { id: string; userId: string }, reason: string) =>
      run(async () => {
        const result = await deleteMessageAction({ roomArn, messageId: message.id, reason, source, senderUserId: message.userId });
        if (!result.ok) return { ok: false, text: failureText(result) };
        return {
          ok: true,
          text: `Message ${message.id} was deleted: IVS accepted DeleteMessage and tells the room's clients to remove it, with your reason. Recorded in the audit log.`,
        };
      }),
    disconnectUser: (userId: string, reason: string) =>
      run(async () => {
        const result = await disconnectUserAction({ roomArn, userId, reason, source });
        if (!result.ok) return { ok: false, text: failureText(result) };
        return {
          ok: true,
          text: `DisconnectUser was sent for ${userId}: IVS accepted it and closes every connection of that userId in this room. IVS does not say whether they were connected. They can join again with another valid token; deny them to stop new ones. Recorded in the audit log.`,
        };
      }),
    denyUser: (userId: string, reason: string, options: { disconnectNow: boolean; expiresAt: string }) =>
      run(async () => {
        const result = await addDenylistEntryAction({
          userId,
          roomArn,
          reason,
          expiresAt: options.expiresAt,
          disconnectNow: options.disconnectNow,
          source,
        });
        if (!result.ok) return { ok: false, text: failureText(result) };
        const { entry, disconnected, disconnectError, auditWarning } = result.data;
        const until = entry.expiresAt ? ` until ${entry.expiresAt.replace('T', ' ').slice(0, 16)} UTC` : ' until removed';
        const kick = disconnected
          ? ' DisconnectUser was sent too: every connection of that userId in this room is closed (IVS does not say whether they were connected).'
          : disconnectError
            ? ` The disconnect failed: ${disconnectError} Tokens already issued still connect until they expire.`
            : ' Tokens already issued still connect until they expire: disconnect them too to close their connections now.';
        return {
          ok: !disconnectError && !auditWarning,
          text: `${entry.userId} is denied in this room${until}: the console mints no new token for them.${kick}${auditWarning ? ` ${auditWarning}` : ''}`,
        };
      }),
  };
}
