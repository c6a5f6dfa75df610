'use server';

import { z } from 'zod';
import { getPolicy } from '@/lib/auth/policy';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { INTERNAL_MESSAGE } from '@/lib/moderation/record';
import { createPreset, PresetNameTakenError, updatePreset } from '@/lib/presets/store';
import { presetRoleFieldErrors, presetRoleProblems } from '@/lib/shared/presets/policy';
import { presetSchema, type Preset } from '@/lib/shared/presets/schema';

const idSchema = z.string().min(1).max(100).optional();

/** Creates a preset, or updates the one with `id`. Admins only (mayManagePresets); audited. */
export async function savePresetAction(id: unknown, input: unknown): Promise<Result<Preset>> {
  const auth = await authorize({ permission: 'presets.manage' });
  if (!auth.ok) return auth;
  const parsedId = idSchema.safeParse(id);
  if (!parsedId.success) return fail('INVALID_INPUT', 'Unknown preset.', { fieldErrors: { id: 'Not a preset id.' } });
  const parsed = presetSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  // A preset a role could never use is refused, at its fields (the form checks the same).
  const problems = presetRoleProblems(parsed.data, getPolicy().roles);
  if (problems.length) {
    const [first] = problems;
    return fail('INVALID_INPUT', `${first!.role} could never use this preset: ${first!.message} (${first!.rule})`, {
      rule: first!.rule,
      fieldErrors: presetRoleFieldErrors(problems),
    });
  }
  try {
    if (parsedId.data) {
      const updated = await updatePreset(parsedId.data, parsed.data, auth.actor);
      return updated ? ok(updated) : fail('NOT_FOUND', 'That preset was deleted meanwhile.');
    }
    return ok(await createPreset(parsed.data, auth.actor));
  } catch (err) {
    if (err instanceof PresetNameTakenError) return fail('CONFLICT', err.message, { fieldErrors: { name: err.message } });
    log.error({ event: 'preset.save_failed', err: err instanceof Error ? err.message : String(err) }, 'preset save failed');
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}
