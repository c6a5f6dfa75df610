'use server';

import { z } from 'zod';
import { staffFailure } from '@/lib/auth/staff-admin';
import { setStaffDisabled, type Staff } from '@/lib/auth/staff-store';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';

const setStaffDisabledSchema = z.strictObject({ staffId: z.string().min(1).max(100), disabled: z.boolean() });

/** Disables or enables a staff member; a disabled member loses access at their next request. */
export async function setStaffDisabledAction(input: unknown): Promise<Result<Staff>> {
  const auth = await authorize({ permission: 'staff.manage' });
  if (!auth.ok) return auth;
  const parsed = setStaffDisabledSchema.safeParse(input);
  if (!parsed.success) return { ...invalidInput(parsed.error.issues), message: 'Not a staff change.' };
  if (parsed.data.staffId === auth.actor.staffId) return fail('FORBIDDEN', 'You cannot disable yourself.');
  try {
    return ok(await setStaffDisabled(parsed.data.staffId, parsed.data.disabled, auth.actor));
  } catch (err) {
    return staffFailure(err);
  }
}
