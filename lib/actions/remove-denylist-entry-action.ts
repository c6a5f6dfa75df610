'use server';

import { z } from 'zod';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { removeDenylistEntry } from '@/lib/moderation/denylist';
import { INTERNAL_MESSAGE } from '@/lib/moderation/record';

const removeSchema = z.strictObject({
  id: z.string().uuid('Not a deny-list entry.'),
  reason: z.string().trim().max(256).optional().default(''),
});

/** Removes a deny-list entry: the userId can be minted for again. Audited as 'denylist.removed'. */
export async function removeDenylistEntryAction(input: unknown): Promise<Result<{ id: string }>> {
  const auth = await authorize({ permission: 'moderate' });
  if (!auth.ok) return auth;
  const parsed = removeSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  try {
    const removed = await removeDenylistEntry(parsed.data.id, auth.actor, parsed.data.reason || null);
    if (!removed) return fail('NOT_FOUND', 'That entry was already removed.');
    return ok({ id: removed.id });
  } catch (err) {
    log.error({ event: 'denylist.remove_failed', err: err instanceof Error ? err.message : String(err) }, 'deny list remove failed');
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
