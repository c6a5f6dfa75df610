'use server';

import { z } from 'zod';
import { log } from '@/lib/log';
import { getDenylistEntry, removeDenylistEntry } from '@/lib/moderation/denylist';
import { checkDenylistScope, INTERNAL_FAILURE, requirePermission, type ModerationActionResult } from '@/lib/moderation/guard';

const removeSchema = z.object({ id: z.string().uuid(), reason: z.string().trim().max(256).optional().default('') });

/** Removes a deny-list entry: the userId can be minted for again. Audited as 'denylist.removed'. */
export async function removeDenylistEntryAction(input: unknown): Promise<ModerationActionResult<{ id: string }>> {
  const guard = await requirePermission('moderate');
  if (!guard.ok) return guard;
  const parsed = removeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: 'INVALID_INPUT', message: 'Unknown deny-list entry.' };
  try {
    // The entry's room must be in the role's scope, as for adding it.
    const entry = await getDenylistEntry(parsed.data.id);
    if (!entry) return { ok: false, code: 'NOT_FOUND', message: 'That entry was already removed.' };
    const scope = await checkDenylistScope(guard.staff, entry.roomArn);
    if (!scope.ok) return scope;
    const removed = await removeDenylistEntry(parsed.data.id, guard.actor, parsed.data.reason || null);
    if (!removed) return { ok: false, code: 'NOT_FOUND', message: 'That entry was already removed.' };
    return { ok: true, data: { id: removed.id } };
  } catch (err) {
    log.error({ event: 'denylist.remove_failed', err: err instanceof Error ? err.message : String(err) }, 'deny list remove failed');
    return INTERNAL_FAILURE;
  }
}
