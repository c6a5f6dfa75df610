'use server';

import { z } from 'zod';
import { authorize } from '@/lib/contract/guard';
import { fail, ok, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE } from '@/lib/moderation/record';
import { deletePreset } from '@/lib/presets/store';

export async function deletePresetAction(id: unknown): Promise<Result<{ id: string }>> {
  const auth = await authorize({ permission: 'presets.manage' });
  if (!auth.ok) return auth;
  const parsed = z.string().min(1).max(100).safeParse(id);
  if (!parsed.success) return fail('INVALID_INPUT', 'Unknown preset.', { fieldErrors: { id: 'Not a preset id.' } });
  try {
    return (await deletePreset(parsed.data, auth.actor)) ? ok({ id: parsed.data }) : fail('NOT_FOUND', 'That preset was already deleted.');
  } catch (err) {
    log.error({ event: 'preset.delete_failed', err: err instanceof Error ? err.message : String(err) }, 'preset delete failed');
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
