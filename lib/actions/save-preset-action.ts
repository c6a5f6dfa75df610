'use server';

import { z } from 'zod';
import { log } from '@/lib/log';
import { fieldErrorsOf, INTERNAL_FAILURE, requirePermission, type ModerationActionResult } from '@/lib/moderation/guard';
import { createPreset, PresetNameTakenError, updatePreset } from '@/lib/presets/store';
import { presetSchema, type Preset } from '@/lib/shared/presets/schema';

const idSchema = z.string().min(1).max(100).optional();

/** Creates a preset, or updates the one with `id`. Admins only (mayManagePresets); audited. */
export async function savePresetAction(id: unknown, input: unknown): Promise<ModerationActionResult<Preset>> {
  const guard = await requirePermission('presets.manage');
  if (!guard.ok) return guard;
  const parsedId = idSchema.safeParse(id);
  const parsed = presetSchema.safeParse(input);
  if (!parsedId.success || !parsed.success) {
    return {
      ok: false,
      code: 'INVALID_INPUT',
      message: 'Some fields need attention.',
      fieldErrors: parsed.success ? undefined : fieldErrorsOf(parsed.error),
    };
  }
  try {
    if (parsedId.data) {
      const updated = await updatePreset(parsedId.data, parsed.data, guard.actor);
      return updated ? { ok: true, data: updated } : { ok: false, code: 'NOT_FOUND', message: 'That preset was deleted meanwhile.' };
    }
    return { ok: true, data: await createPreset(parsed.data, guard.actor) };
  } catch (err) {
    if (err instanceof PresetNameTakenError)
      return { ok: false, code: 'CONFLICT', message: err.message, fieldErrors: { name: err.message } };
    log.error({ event: 'preset.save_failed', err: err instanceof Error ? err.message : String(err) }, 'preset save failed');
    return INTERNAL_FAILURE;
  }
}
