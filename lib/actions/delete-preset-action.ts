'use server';

import { z } from 'zod';
import { log } from '@/lib/log';
import { INTERNAL_FAILURE, requirePermission, type ModerationActionResult } from '@/lib/moderation/guard';
import { deletePreset } from '@/lib/presets/store';

export async function deletePresetAction(id: unknown): Promise<ModerationActionResult<{ id: string }>> {
  const guard = await requirePermission('presets.manage');
  if (!guard.ok) return guard;
  const parsed = z.string().min(1).max(100).safeParse(id);
  if (!parsed.success) return { ok: false, code: 'INVALID_INPUT', message: 'Unknown preset.' };
  try {
    return (await deletePreset(parsed.data, guard.actor))
      ? { ok: true, data: { id: parsed.data } }
      : { ok: false, code: 'NOT_FOUND', message: 'That preset was already deleted.' };
  } catch (err) {
    log.error({ event: 'preset.delete_failed', err: err instanceof Error ? err.message : String(err) }, 'preset delete failed');
    return INTERNAL_FAILURE;
  }
}
