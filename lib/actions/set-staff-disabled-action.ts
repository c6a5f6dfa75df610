'use server';

import { z } from 'zod';
import { requireStaffManager, staffFailure, type StaffActionResult } from '@/lib/auth/staff-admin';
import { setStaffDisabled, type Staff } from '@/lib/auth/staff-store';

const setStaffDisabledSchema = z.strictObject({ staffId: z.string().min(1).max(100), disabled: z.boolean() });

/** Disables or enables a staff member; a disabled member loses access at their next request. */
export async function setStaffDisabledAction(input: unknown): Promise<StaffActionResult<Staff>> {
  const guard = await requireStaffManager();
  if (!guard.ok) return guard;
  const parsed = setStaffDisabledSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'Not a staff change.' };
  if (parsed.data.staffId === guard.staff.id) return { ok: false, message: 'You cannot disable yourself.' };
  try {
    return { ok: true, data: await setStaffDisabled(parsed.data.staffId, parsed.data.disabled, guard.actor) };
  } catch (err) {
    return staffFailure(err);
  }
}
